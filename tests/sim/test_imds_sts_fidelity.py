"""Dated IMDS versions (EC2 User Guide, "Retrieve instance metadata") and STS GetCallerIdentity."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from awsprep.sim import World, boto3_session, imds_request, run_cli

from .conftest import launch

# The versions list the EC2 User Guide prints for `curl http://169.254.169.254/` (plus 2021-07-15, the build
# that added instance tags to IMDS), in the order IMDS lists them. Written out on purpose, not imported from
# imds/responses.py: a test that reads the code's own list could not fail when that list is wrong.
DOCUMENTED = [
    "1.0",
    "2007-01-19",
    "2007-03-01",
    "2007-08-29",
    "2007-10-10",
    "2007-12-15",
    "2008-02-01",
    "2008-09-01",
    "2009-04-04",
    "2011-01-01",
    "2011-05-01",
    "2012-01-12",
    "2014-02-25",
    "2014-11-05",
    "2015-10-20",
    "2016-04-19",
    "2016-06-30",
    "2016-09-02",
    "2018-03-28",
    "2018-08-17",
    "2018-09-24",
    "2019-10-01",
    "2020-10-27",
    "2021-01-03",
    "2021-03-23",
    "2021-07-15",
    "latest",
]


def test_root_lists_the_documented_versions(world: World) -> None:
    iid = launch(world, MetadataOptions={"HttpTokens": "optional"})
    assert imds_request(world, iid, "GET", "/").body.splitlines() == DOCUMENTED


def test_dated_paths_answer_like_latest(world: World) -> None:
    iid = launch(world, MetadataOptions={"HttpTokens": "optional"})
    for path in ("meta-data/instance-id", "meta-data/", "meta-data/placement/availability-zone", "dynamic/"):
        latest = imds_request(world, iid, "GET", f"/latest/{path}")
        dated = imds_request(world, iid, "GET", f"/2021-07-15/{path}")
        assert (dated.status, dated.body) == (latest.status, latest.body), path
        assert dated.status == 200
    assert imds_request(world, iid, "GET", "/2021-07-15/meta-data/instance-id").body == iid
    assert imds_request(world, iid, "GET", "/1.0/meta-data/instance-id").body == iid
    assert imds_request(world, iid, "GET", "/2009-04-04/").status == 200
    assert imds_request(world, iid, "GET", "/2020-02-30/meta-data/instance-id").status == 404  # not a version
    assert imds_request(world, iid, "GET", "/2021-07-15/meta-data/no-such-thing").status == 404


def test_dated_paths_still_need_a_token_when_required(world: World) -> None:
    iid = launch(world)  # AL2023 requires IMDSv2
    assert imds_request(world, iid, "GET", "/2021-07-15/meta-data/instance-id").status == 401
    token = imds_request(world, iid, "PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "60"}).body
    got = imds_request(world, iid, "GET", "/2021-07-15/meta-data/instance-id", {"X-aws-ec2-metadata-token": token})
    assert (got.status, got.body) == (200, iid)


def test_sts_get_caller_identity_boto3(world: World) -> None:
    sts = boto3_session(world).client("sts")
    me = sts.get_caller_identity()
    assert me["Account"] == world.account_id == "111122223333"
    assert me["Arn"] == "arn:aws:iam::111122223333:user/learner"
    assert me["UserId"].startswith("AIDA") and me["UserId"].isalnum() and me["UserId"].isupper()
    assert sts.get_caller_identity()["UserId"] == me["UserId"]


def test_sts_get_caller_identity_cli(world: World, no_network: None) -> None:
    res = run_cli(world, ["sts", "get-caller-identity"])
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"UserId", "Account", "Arn"}
    assert (out["Account"], out["Arn"]) == ("111122223333", "arn:aws:iam::111122223333:user/learner")
    text = run_cli(world, ["sts", "get-caller-identity", "--query", "Account", "--output", "text"])
    assert text.stdout.strip() == "111122223333"


def test_sts_other_operations_say_they_are_not_simulated(world: World) -> None:
    sts = boto3_session(world).client("sts")
    with pytest.raises(ClientError) as info:
        sts.get_session_token()
    assert "GetSessionToken" in info.value.response["Error"]["Message"]
