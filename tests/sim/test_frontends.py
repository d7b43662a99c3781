"""The AWS CLI and boto3 front ends; every implemented operation's response against its botocore shape."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from awsprep.sim import World, boto3_session, ec2, run_cli
from awsprep.sim.ec2.responses import OPERATIONS

from .conftest import al2023, launch
from .shapes import EC2_MODEL, check_shape
from .test_ec2_fidelity_shapes import FIDELITY_OPS


def test_cli_round_trip_without_network(world: World, no_network: None) -> None:
    run = run_cli(
        world,
        [
            "ec2",
            "run-instances",
            "--image-id",
            al2023(),
            "--instance-type",
            "t3.micro",
            "--query",
            "Instances[0].InstanceId",
            "--output",
            "text",
            "--no-cli-pager",
            "--cli-binary-format",
            "raw-in-base64-out",
            "--user-data",
            "#!/bin/bash\necho hi",
        ],
    )
    assert run.exit_code == 0, run.stderr
    iid = run.stdout.strip()
    assert ec2.backend(world).user_data(iid) == b"#!/bin/bash\necho hi"
    stop = run_cli(world, ["ec2", "stop-instances", "--instance-ids", iid])
    assert stop.exit_code == 255
    assert stop.stderr.strip() == (
        f"An error occurred (IncorrectInstanceState) when calling the StopInstances "
        f"operation: Instance '{iid}' cannot be stopped as it has never reached the "
        "'running' state."
    )
    wait = run_cli(world, ["ec2", "wait", "instance-running", "--instance-ids", iid])
    assert wait.exit_code == 0 and ec2.backend(world).instance(iid).state == "running"
    table = run_cli(world, ["ec2", "describe-instances", "--output", "table"])
    assert "DescribeInstances" in table.stdout and iid in table.stdout
    data = json.loads(run_cli(world, ["ec2", "describe-instances"]).stdout)
    assert data["Reservations"][0]["Instances"][0]["State"]["Name"] == "running"


def test_cli_bad_input_gets_the_cli_messages(world: World, no_network: None) -> None:
    typo = run_cli(world, ["ec2", "describe-instancez"])
    assert typo.exit_code != 0 and "describe-instances" in typo.stderr
    unknown = run_cli(world, ["ec2", "describe-instances", "--bogus"])
    assert unknown.exit_code == 255 and "Unknown options: --bogus" in unknown.stderr
    missing = run_cli(world, ["ec2", "stop-instances"])
    assert missing.exit_code != 0 and "--instance-ids" in missing.stderr
    other = run_cli(world, ["s3", "ls"])
    assert other.exit_code == 255 and "does not simulate s3" in other.stderr
    assert run_cli(world, ["configure"]).exit_code == 255
    helped = run_cli(world, ["ec2", "stop-instances", "help"])
    assert helped.exit_code == 0 and "Stops an Amazon EBS-backed instance" in helped.stdout


def test_cli_reads_no_aliases_or_models_from_home() -> None:
    """`~/.aws/cli/alias` can run host programs (`!alias`) and `~/.aws/models` replaces API models: neither is read."""
    from awsprep.sim.frontends.cli import _driver

    driver = _driver().driver
    assert driver.alias_loader.get_aliases() == {}
    loader = driver.session.get_component("data_loader")
    assert loader.search_paths and loader.CUSTOMER_DATA_PATH not in loader.search_paths


def test_cli_region_does_not_leak(world: World) -> None:
    west = run_cli(
        world,
        [
            "ec2",
            "describe-availability-zones",
            "--region",
            "us-west-2",
            "--query",
            "AvailabilityZones[0].ZoneName",
            "--output",
            "text",
        ],
    )
    assert west.stdout.strip() == "us-west-2a"
    east = run_cli(
        world, ["ec2", "describe-availability-zones", "--query", "AvailabilityZones[0].ZoneName", "--output", "text"]
    )
    assert east.stdout.strip() == "us-east-1a"


def test_cli_file_params_are_confined(world: World, tmp_path: Any) -> None:
    (tmp_path / "boot.sh").write_text("#!/bin/bash\nyum install -y httpd\n")
    ok = run_cli(
        world,
        [
            "ec2",
            "run-instances",
            "--image-id",
            al2023(),
            "--instance-type",
            "t3.micro",
            "--user-data",
            "file://boot.sh",
            "--query",
            "Instances[0].InstanceId",
            "--output",
            "text",
        ],
        file_root=tmp_path,
    )
    assert ok.exit_code == 0, ok.stderr
    assert ec2.backend(world).user_data(ok.stdout.strip()) == b"#!/bin/bash\nyum install -y httpd\n"
    escape = run_cli(
        world,
        [
            "ec2",
            "run-instances",
            "--image-id",
            al2023(),
            "--instance-type",
            "t3.micro",
            "--user-data",
            "file://../../etc/passwd",
        ],
        file_root=tmp_path,
    )
    assert escape.exit_code != 0 and "outside the sandbox folder" in escape.stderr


def test_boto3_session_bound_to_world(world: World, no_network: None) -> None:
    ec2 = boto3_session(world).client("ec2")
    iid = ec2.run_instances(ImageId=al2023(), InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0][
        "InstanceId"
    ]
    with pytest.raises(ClientError) as info:
        ec2.stop_instances(InstanceIds=["i-xyz"])
    assert info.value.response["Error"]["Code"] == "InvalidInstanceID.Malformed"
    world.advance(30)
    resource = boto3_session(world).resource("ec2")
    assert resource.Instance(iid).state["Name"] == "running"


# ----- every response against botocore's output shape ---------------------------------------------------
def full_world() -> tuple[World, dict[str, dict[str, Any]]]:
    """A world with one of everything, and parameters for each operation that make it succeed."""
    w = World(seed=11)
    c = w.call
    sg = c("ec2", "CreateSecurityGroup", {"GroupName": "web", "Description": "d"})["GroupId"]
    iid = launch(w, SecurityGroupIds=[sg], UserData="ZWNobw==", KeyName=None)
    c("ec2", "CreateKeyPair", {"KeyName": "kp"})
    eip = c("ec2", "AllocateAddress", {})
    lt = c("ec2", "CreateLaunchTemplate", {"LaunchTemplateName": "t", "LaunchTemplateData": {"ImageId": al2023()}})
    ami = c("ec2", "CreateImage", {"InstanceId": iid, "Name": "img", "NoReboot": True})["ImageId"]
    w.advance(120)
    vpc = c("ec2", "DescribeVpcs", {})["Vpcs"][0]["VpcId"]
    perm = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]
    lt_id = lt["LaunchTemplate"]["LaunchTemplateId"]
    params: dict[str, dict[str, Any]] = {
        "RunInstances": {"ImageId": al2023(), "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1},
        "DescribeInstances": {},
        "StartInstances": {"InstanceIds": [iid]},
        "StopInstances": {"InstanceIds": [iid]},
        "RebootInstances": {"InstanceIds": [iid]},
        "TerminateInstances": {"InstanceIds": [iid]},
        "DescribeInstanceStatus": {"IncludeAllInstances": True},
        "DescribeInstanceAttribute": {"InstanceId": iid, "Attribute": "userData"},
        "ModifyInstanceAttribute": {"InstanceId": iid, "DisableApiStop": {"Value": False}},
        "ModifyInstanceMetadataOptions": {"InstanceId": iid, "HttpTokens": "required"},
        "GetConsoleOutput": {"InstanceId": iid},
        "MonitorInstances": {"InstanceIds": [iid]},
        "UnmonitorInstances": {"InstanceIds": [iid]},
        "CreateTags": {"Resources": [iid], "Tags": [{"Key": "a", "Value": "b"}]},
        "DeleteTags": {"Resources": [iid], "Tags": [{"Key": "a"}]},
        "DescribeTags": {},
        "AllocateAddress": {},
        "AssociateAddress": {"AllocationId": eip["AllocationId"], "InstanceId": iid},
        "DisassociateAddress": {"PublicIp": eip["PublicIp"]},
        "ReleaseAddress": {"AllocationId": eip["AllocationId"]},
        "DescribeAddresses": {},
        "CreateSecurityGroup": {"GroupName": "other", "Description": "d"},
        "AuthorizeSecurityGroupIngress": {"GroupId": sg, "IpPermissions": perm},
        "AuthorizeSecurityGroupEgress": {"GroupId": sg, "IpPermissions": perm},
        "RevokeSecurityGroupIngress": {"GroupId": sg, "IpPermissions": perm},
        "RevokeSecurityGroupEgress": {"GroupId": sg, "IpPermissions": perm},
        "DescribeSecurityGroups": {},
        "DescribeSecurityGroupRules": {},
        "DeleteSecurityGroup": {"GroupName": "other"},
        "CreateKeyPair": {"KeyName": "kp2"},
        "ImportKeyPair": {
            "KeyName": "imp",
            "PublicKeyMaterial": b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdNeBiG1cT+hZfbCEvWUd4a1vcTyXioHSml11kNICji k",
        },
        "DescribeKeyPairs": {},
        "DeleteKeyPair": {"KeyName": "kp2"},
        "CreateVpc": {"CidrBlock": "10.0.0.0/16"},
        "DescribeVpcs": {},
        "CreateSubnet": {"VpcId": vpc, "CidrBlock": "172.31.200.0/24"},
        "DescribeSubnets": {},
        "ModifySubnetAttribute": {
            "SubnetId": c("ec2", "DescribeSubnets", {})["Subnets"][0]["SubnetId"],
            "MapPublicIpOnLaunch": {"Value": True},
        },
        "DescribeVolumes": {},
        "DescribeRegions": {},
        "DescribeAvailabilityZones": {},
        "CreateImage": {"InstanceId": iid, "Name": "img2"},
        "CopyImage": {"SourceRegion": "us-east-1", "SourceImageId": ami, "Name": "copy"},
        "DescribeImages": {},
        "ModifyImageAttribute": {"ImageId": ami, "LaunchPermission": {"Add": [{"Group": "all"}]}},
        "DescribeImageAttribute": {"ImageId": ami, "Attribute": "launchPermission"},
        "DeregisterImage": {"ImageId": ami},
        "CreateLaunchTemplate": {"LaunchTemplateName": "t2", "LaunchTemplateData": {"InstanceType": "t3.micro"}},
        "CreateLaunchTemplateVersion": {"LaunchTemplateId": lt_id, "LaunchTemplateData": {"InstanceType": "t3.small"}},
        "ModifyLaunchTemplate": {"LaunchTemplateId": lt_id, "DefaultVersion": "1"},
        "DescribeLaunchTemplates": {},
        "DescribeLaunchTemplateVersions": {"LaunchTemplateId": lt_id},
        "DeleteLaunchTemplate": {"LaunchTemplateName": "t2"},
        "DescribeInstanceTypes": {},
    }
    return w, params


ORDER = [
    "DescribeInstances",
    "DescribeInstanceStatus",
    "DescribeInstanceAttribute",
    "GetConsoleOutput",
    "MonitorInstances",
    "UnmonitorInstances",
    "CreateTags",
    "DescribeTags",
    "DeleteTags",
    "AllocateAddress",
    "AssociateAddress",
    "DescribeAddresses",
    "DisassociateAddress",
    "ReleaseAddress",
    "CreateSecurityGroup",
    "DeleteSecurityGroup",
    "AuthorizeSecurityGroupIngress",
    "AuthorizeSecurityGroupEgress",
    "DescribeSecurityGroups",
    "DescribeSecurityGroupRules",
    "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",
    "CreateKeyPair",
    "DeleteKeyPair",
    "ImportKeyPair",
    "DescribeKeyPairs",
    "CreateVpc",
    "DescribeVpcs",
    "CreateSubnet",
    "DescribeSubnets",
    "ModifySubnetAttribute",
    "DescribeVolumes",
    "DescribeRegions",
    "DescribeAvailabilityZones",
    "DescribeImages",
    "CopyImage",
    "ModifyImageAttribute",
    "DescribeImageAttribute",
    "DeregisterImage",
    "CreateLaunchTemplate",
    "CreateLaunchTemplateVersion",
    "ModifyLaunchTemplate",
    "DescribeLaunchTemplates",
    "DescribeLaunchTemplateVersions",
    "DeleteLaunchTemplate",
    "DescribeInstanceTypes",
    "RunInstances",
    "ModifyInstanceMetadataOptions",
    "RebootInstances",
    "CreateImage",
    "StopInstances",
    "ModifyInstanceAttribute",
    "StartInstances",
    "TerminateInstances",
]


def test_every_operation_matches_its_botocore_output_shape() -> None:
    assert sorted({*ORDER, *FIDELITY_OPS}) == sorted(OPERATIONS), "list every implemented operation here"
    w, params = full_world()
    for op in ORDER:
        if op == "StartInstances":
            w.advance(30)
        out = w.call("ec2", op, params[op])
        shape = EC2_MODEL.operation_model(op).output_shape
        if shape is None:
            assert out == {}, op
            continue
        check_shape(out, shape, op)


def test_cli_prints_every_describe_operation(world: World) -> None:
    launch(world)
    for op in sorted(
        o
        for o in OPERATIONS
        if o.startswith("Describe")
        and o not in ("DescribeInstanceAttribute", "DescribeImageAttribute", "DescribeLaunchTemplateVersions")
    ):
        cli_name = botocore.xform_name(op).replace("_", "-")
        for fmt in ("json", "table", "text"):
            res = run_cli(world, ["ec2", cli_name, "--output", fmt])
            assert res.exit_code == 0, (op, fmt, res.stderr)


def test_cli_never_shows_the_v1_banner(world: World) -> None:
    # Learners type AWS CLI v2 commands; v1's "install version 2" note in every usage text would mislead them.
    for argv in (["ec2", "describe-instancez"], ["ec2", "describe-instances", "--bogus"], ["ec2"], []):
        run = run_cli(world, argv)
        assert run.exit_code != 0
        assert "version 2" not in run.stdout + run.stderr, argv
        assert "usage: aws [options] <command> <subcommand>" in run.stderr, argv


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [(["ec2", "run-instance"], "  * run-instances"), (["ec2x", "describe-instances"], "  * ec2")],
)
def test_cli_mistyped_name_prints_only_usage_and_suggestions(world: World, argv: list[str], suggestion: str) -> None:
    # AWS CLI v2 shows the usage lines and "maybe you meant"; v1 first listed all ~700 EC2 operations.
    run = run_cli(world, argv)
    lines = (run.stdout + run.stderr).splitlines()
    assert run.exit_code != 0 and len(lines) <= 15, lines
    typed = argv[1] if argv[0] == "ec2" else argv[0]
    assert (
        f"aws: error: argument {'operation' if typed == argv[1] else 'command'}: Invalid choice: {typed!r}"
        in run.stderr
    )
    assert suggestion in lines
    assert "valid choices are" not in run.stderr


def test_cli_timestamps_are_iso_text_for_query_and_text_output() -> None:
    """The AWS CLI v2 turns timestamps into ISO 8601 text before --query and the output format see them, so the
    common `sort_by(Datapoints,&Timestamp)` works and text output prints 2025-01-06T09:00:00+00:00; boto3 keeps
    datetime objects."""
    from datetime import datetime

    w = World(seed=0)
    for value in (3.0, 5.0):
        w.call(
            "cloudwatch",
            "PutMetricData",
            {"Namespace": "MyApp", "MetricData": [{"MetricName": "Load", "Value": value}]},
        )
        w.advance(60)
    res = run_cli(
        w,
        [
            "cloudwatch", "get-metric-statistics", "--namespace", "MyApp", "--metric-name", "Load", "--start-time",
            "2025-01-06T09:00:00Z", "--end-time", "2025-01-06T10:00:00Z", "--period", "60", "--statistics", "Sum",
            "--query", "sort_by(Datapoints,&Timestamp)[].[Timestamp,Sum]", "--output", "text",
        ],
    )  # fmt: skip
    assert res.exit_code == 0, res.stderr
    assert res.stdout.split() == ["2025-01-06T09:00:00+00:00", "3.0", "2025-01-06T09:01:00+00:00", "5.0"]
    points = boto3_session(w).client("cloudwatch").get_metric_statistics(
        Namespace="MyApp", MetricName="Load", StartTime=datetime(2025, 1, 6, 9), EndTime=datetime(2025, 1, 6, 10),
        Period=60, Statistics=["Sum"],
    )["Datapoints"]  # fmt: skip
    assert all(isinstance(p["Timestamp"], datetime) for p in points)
