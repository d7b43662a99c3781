"""Services and operations awsprep does not simulate say so in one line, with a service error's exit code."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World, boto3_session, run_cli
from awsprep.sim.core import registry

PLANNED = {
    "sns": ("list-topics", "ListTopics", "Amazon SNS"),
    "logs": ("describe-log-groups", "DescribeLogGroups", "Amazon CloudWatch Logs"),
}


@pytest.fixture(autouse=True)
def offline(no_network: None) -> None:
    """No sockets."""


# A service leaves this list when its branch registers it (then its own tests cover it).
@pytest.mark.parametrize("service", sorted(s for s in PLANNED if s in registry.planned()))
def test_a_planned_service_says_it_is_planned(service: str) -> None:
    command, operation, title = PLANNED[service]
    world = World()
    res = run_cli(world, [service, command])
    assert res.exit_code == 255 and res.stdout == ""
    line = res.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line == f"awsprep does not simulate {service} {command} yet: {title} ({service}) is planned."
    helped = run_cli(world, [service, "help"])
    assert helped.exit_code == 255 and helped.stderr.strip() == (
        f"awsprep does not simulate {service} yet: {title} ({service}) is planned."
    )
    with pytest.raises(AwsError) as err:
        world.call(service, operation, {})
    assert (
        err.value.code == "UnsupportedOperation" and operation in err.value.message and "planned" in err.value.message
    )


def test_global_options_before_the_service_are_skipped() -> None:
    res = run_cli(World(), ["--region", "us-west-2", "--output", "json", "s3api", "list-buckets"])
    assert res.exit_code == 255 and "awsprep does not simulate s3api list-buckets" in res.stderr


def test_an_unplanned_service_and_a_missing_operation_are_named() -> None:
    world = World()
    assert run_cli(world, ["s3", "ls"]).stderr.strip() == "awsprep does not simulate s3 ls."
    res = run_cli(world, ["ec2", "describe-nat-gateways"])
    assert res.exit_code == 255
    assert "awsprep does not simulate ec2 DescribeNatGateways" in res.stderr and "Traceback" not in res.stderr


def test_boto3_gets_the_same_answer_as_a_client_error() -> None:
    from botocore.exceptions import ClientError

    client = boto3_session(World()).client("lambda")
    with pytest.raises(ClientError) as err:
        client.list_code_signing_configs()  # an operation the Lambda simulator does not have
    assert err.value.response["Error"]["Code"] == "UnsupportedOperation"
    assert "does not simulate lambda ListCodeSigningConfigs" in err.value.response["Error"]["Message"]
