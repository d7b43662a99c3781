"""Server-side MaxResults/NextToken on EC2 describes (core.describe), and the CLI's --max-items over them."""

from __future__ import annotations

import json

import pytest

from awsprep.sim import AwsError, World, boto3_session, run_cli
from awsprep.sim.core.describe import Paging, decode_token, encode_token, paginate
from tests.sim.conftest import al2023


@pytest.fixture(autouse=True)
def offline(no_network: None) -> None:
    """No sockets."""


@pytest.fixture
def twelve(world: World) -> list[str]:
    # 6 reservations of 2: pages count instances, --max-items counts reservations (the paginator's result key)
    params = {"ImageId": al2023(), "InstanceType": "t3.nano", "MinCount": 2, "MaxCount": 2}
    return [i["InstanceId"] for _ in range(6) for i in world.call("ec2", "RunInstances", params)["Instances"]]


def _ids(page: dict) -> list[str]:  # type: ignore[type-arg]
    return [i["InstanceId"] for r in page["Reservations"] for i in r["Instances"]]


def test_describe_instances_pages_by_instance(world: World, twelve: list[str]) -> None:
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {"MaxResults": 5, **({"NextToken": token} if token else {})}
        page = world.call("ec2", "DescribeInstances", params)
        seen += _ids(page)
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3 and seen == twelve
    assert "NextToken" not in world.call("ec2", "DescribeInstances", {})


@pytest.mark.parametrize("size", [4, 1001])
def test_max_results_out_of_bounds(world: World, size: int) -> None:
    with pytest.raises(AwsError) as err:
        world.call("ec2", "DescribeInstances", {"MaxResults": size})
    assert err.value.code == "InvalidParameterValue" and "between 5 and 1000" in err.value.message


def test_max_results_with_instance_ids_and_a_bad_token(world: World, twelve: list[str]) -> None:
    with pytest.raises(AwsError) as both:
        world.call("ec2", "DescribeInstances", {"MaxResults": 5, "InstanceIds": twelve[:1]})
    assert both.value.code == "InvalidParameterCombination"
    with pytest.raises(AwsError) as bad:
        world.call("ec2", "DescribeInstances", {"NextToken": "garbage"})
    assert bad.value.code == "InvalidParameterValue"
    other = world.call("ec2", "DescribeSecurityGroups", {"MaxResults": 5})  # a token of another operation
    assert "NextToken" not in other


def test_boto3_paginator_and_cli_max_items(world: World, twelve: list[str]) -> None:
    client = boto3_session(world).client("ec2")
    pages = list(client.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
    assert [len(_ids(p)) for p in pages] == [5, 5, 2]  # a reservation may straddle two pages
    res = run_cli(world, ["ec2", "describe-instances", "--max-items", "3"])
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data["Reservations"]) == 3 and len(_ids(data)) == 6 and data["NextToken"]
    whole = json.loads(run_cli(world, ["ec2", "describe-instances", "--page-size", "5"]).stdout)
    assert _ids(whole) == twelve


def test_the_shared_pager_for_any_service() -> None:
    paging = Paging(1, 3, lambda v, lo, hi: AwsError("Bad", f"{v}"), lambda t: AwsError("BadToken", t))
    items = list(range(7))
    page, token = paginate(items, 3, None, paging, "toy")
    assert page == [0, 1, 2] and token is not None and decode_token(token, "toy") == 3
    assert decode_token(token, "other") is None and decode_token(encode_token(5)) == 5
    rest, last = paginate(items, 3, encode_token(6, "toy"), paging, "toy")
    assert rest == [6] and last is None
    with pytest.raises(AwsError):
        paginate(items, 4, None, paging, "toy")
