"""EC2 behaviours from the outside check that belong to the core: Regions, the default instance type, launch
templates' errors, launch parameters, quotas, shutdown reasons (each message as AWS documents or returns it)."""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import AwsError, World, boto3_session, ec2
from awsprep.sim.core.account import REGIONS
from awsprep.sim.ec2.catalog import INSTANCE_TYPES, public_image_id
from tests.sim.conftest import al2023, describe, launch


def err(world: World, op: str, **params: Any) -> AwsError:
    with pytest.raises(AwsError) as e:
        world.call("ec2", op, params)
    return e.value


@pytest.fixture(autouse=True)
def offline(no_network: None) -> None:
    """No sockets."""


def test_every_commercial_region_is_listed_with_its_zones_and_has_a_default_vpc() -> None:
    world = World()
    client = boto3_session(world).client("ec2")
    names = [r["RegionName"] for r in client.describe_regions()["Regions"]]
    assert len(names) == len(REGIONS) >= 30 and {"us-west-1", "ap-southeast-2", "sa-east-1", "eu-north-1"} <= set(names)
    for region in names:
        zones = boto3_session(world, region).client("ec2").describe_availability_zones()["AvailabilityZones"]
        assert zones and all(z["ZoneName"].startswith(region) and z["RegionName"] == region for z in zones)
        assert len({z["ZoneId"] for z in zones}) == len(zones)
    west1 = boto3_session(world, "us-west-1").client("ec2")
    assert [z["ZoneId"] for z in west1.describe_availability_zones()["AvailabilityZones"]] == ["usw1-az1", "usw1-az3"]
    vpcs = west1.describe_vpcs()["Vpcs"]
    assert [v["IsDefault"] for v in vpcs] == [True]
    subnets = west1.describe_subnets()["Subnets"]
    assert sorted(s["AvailabilityZone"] for s in subnets) == ["us-west-1b", "us-west-1c"]


def test_zone_lookups_by_name_and_id_and_an_unknown_zone() -> None:
    client = boto3_session(World(), "eu-west-1").client("ec2")
    by_id = client.describe_availability_zones(ZoneIds=["euw1-az2"])["AvailabilityZones"]
    assert [z["ZoneName"] for z in by_id] == ["eu-west-1b"]
    filtered = client.describe_availability_zones(Filters=[{"Name": "zone-name", "Values": ["eu-west-1c"]}])
    assert [z["ZoneId"] for z in filtered["AvailabilityZones"]] == ["euw1-az3"]
    opted = boto3_session(World(), "af-south-1").client("ec2").describe_regions(RegionNames=["af-south-1"])
    assert opted["Regions"][0]["OptInStatus"] == "opted-in"


def test_boto3_run_instances_without_a_type_gets_m1_small_priced() -> None:
    world = World()
    client = boto3_session(world).client("ec2")
    inst = client.run_instances(ImageId=al2023(), MinCount=1, MaxCount=1)["Instances"][0]
    assert inst["InstanceType"] == "m1.small"
    world.advance(3600)
    from awsprep.sim import bill

    line = next(i for i in bill(world).items if i.kind == "instance")
    assert line.unit == "m1.small" and line.rate == INSTANCE_TYPES["m1.small"].linux_price > 0
    for old in ("t1.micro", "m1.small", "m1.medium", "m3.medium", "c1.medium"):
        assert INSTANCE_TYPES[old].linux_price > 0


def test_launch_template_reference_errors(world: World) -> None:
    lt = world.call(
        "ec2", "CreateLaunchTemplate", {"LaunchTemplateName": "web", "LaunchTemplateData": {"ImageId": al2023()}}
    )["LaunchTemplate"]
    base = {"MinCount": 1, "MaxCount": 1}
    neither = err(world, "RunInstances", LaunchTemplate={"Version": "1"}, **base)
    assert neither.code == "MissingParameter"
    both = err(
        world,
        "RunInstances",
        LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "LaunchTemplateName": "web"},
        **base,
    )
    assert both.code == "InvalidParameterCombination"
    missing = err(world, "RunInstances", LaunchTemplate={"LaunchTemplateName": "nope"}, **base)
    assert (missing.code, missing.message) == (
        "InvalidLaunchTemplateName.NotFoundException",
        "The specified launch template, with template name nope, does not exist.",
    )
    version = err(
        world, "RunInstances", LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplateId"], "Version": "7"}, **base
    )
    assert (version.code, version.message) == (
        "InvalidLaunchTemplateId.VersionNotFound",
        f"Could not find the specified version 7 for the launch template with ID {lt['LaunchTemplateId']}.",
    )


def test_an_unknown_security_group_in_run_instances_names_the_vpc(world: World) -> None:
    e = err(world, "RunInstances", ImageId=al2023(), MinCount=1, MaxCount=1, SecurityGroupIds=["sg-0123456789abcdef0"])
    vpc = ec2.default_vpc(world, "us-east-1").vpc_id
    assert (e.code, e.message) == (
        "InvalidGroup.NotFound",
        f"The security group 'sg-0123456789abcdef0' does not exist in VPC '{vpc}'",
    )


def test_terminating_nothing_is_refused(world: World) -> None:
    e = err(world, "TerminateInstances", InstanceIds=[])
    assert (e.code, e.message) == ("InvalidParameterCombination", "No instances specified")


def test_associate_public_ip_address_is_honoured_in_a_private_vpc(world: World) -> None:
    b = ec2.backend(world)
    vpc = b.create_vpc("10.1.0.0/16")
    subnet = b.create_subnet(vpc.vpc_id, "10.1.1.0/24")
    plain = launch(world, SubnetId=subnet.subnet_id)
    assert "PublicIpAddress" not in describe(world, plain)  # the subnet does not auto-assign
    eni = [{"DeviceIndex": 0, "SubnetId": subnet.subnet_id, "AssociatePublicIpAddress": True}]
    asked = launch(world, NetworkInterfaces=eni)
    assert describe(world, asked)["PublicIpAddress"]  # assigned, even though nothing routes to it


def test_associate_public_ip_address_through_the_cli(world: World) -> None:
    from awsprep.sim import run_cli

    b = ec2.backend(world)
    subnet = b.create_subnet(b.create_vpc("10.2.0.0/16").vpc_id, "10.2.1.0/24")
    args = ["ec2", "run-instances", "--image-id", al2023(), "--instance-type", "t3.micro"]
    args += ["--subnet-id", subnet.subnet_id, "--associate-public-ip-address", "--query", "Instances[0].InstanceId"]
    res = run_cli(world, [*args, "--output", "text"])
    assert res.exit_code == 0, res.stderr
    world.advance(30)
    assert describe(world, res.stdout.strip()).get("PublicIpAddress")


@pytest.mark.parametrize(
    ("ip", "code", "says"),
    [
        ("10.9.9.9", "InvalidParameterValue", "does not fall within the subnet's address range"),
        ("172.31.0.1", "InvalidParameterValue", "reserved"),
        ("172.31.0.3", "InvalidParameterValue", "reserved"),
        ("172.31.15.255", "InvalidParameterValue", "reserved"),
        ("not-an-ip", "InvalidParameterValue", "not a valid IP address"),
    ],
)
def test_a_requested_private_ip_must_be_a_free_host_of_the_subnet(world: World, ip: str, code: str, says: str) -> None:
    subnet = ec2.backend(world).default_subnet("us-east-1a")
    assert subnet.cidr == "172.31.0.0/20"
    e = err(
        world, "RunInstances", ImageId=al2023(), InstanceType="t3.micro", MinCount=1, MaxCount=1,
        SubnetId=subnet.subnet_id, PrivateIpAddress=ip,
    )  # fmt: skip
    assert e.code == code and says in e.message


def test_a_requested_private_ip_is_used_once(world: World) -> None:
    subnet = ec2.backend(world).default_subnet("us-east-1a")
    iid = launch(world, SubnetId=subnet.subnet_id, PrivateIpAddress="172.31.0.4")
    assert describe(world, iid)["PrivateIpAddress"] == "172.31.0.4"
    again = err(
        world, "RunInstances", ImageId=al2023(), InstanceType="t3.micro", MinCount=1, MaxCount=1,
        SubnetId=subnet.subnet_id, PrivateIpAddress="172.31.0.4",
    )  # fmt: skip
    assert again.code == "InvalidIPAddress.InUse"


@pytest.mark.parametrize("behaviour", ["stop", "terminate"])
def test_an_os_shutdown_reports_instance_initiated(world: World, behaviour: str) -> None:
    iid = launch(world, InstanceInitiatedShutdownBehavior=behaviour)
    ec2.backend(world).os_shutdown(iid)
    world.advance(30)
    reason = describe(world, iid)["StateReason"]
    assert reason["Code"] == "Client.InstanceInitiatedShutdown"
    assert describe(world, iid)["State"]["Name"] == ("stopped" if behaviour == "stop" else "terminated")


def test_the_vcpu_quota_is_vcpu_limit_exceeded(world: World) -> None:
    e = err(world, "RunInstances", ImageId=al2023(), InstanceType="m5.xlarge", MinCount=9, MaxCount=9)
    assert e.code == "VcpuLimitExceeded" and "vCPU limit of 32" in e.message


def test_describe_instance_types_with_an_unknown_type(world: World) -> None:
    e = err(world, "DescribeInstanceTypes", InstanceTypes=["t3.micro", "x9.huge"])
    assert (e.code, e.message) == (
        "InvalidInstanceType",
        "The following supplied instance types do not exist: [x9.huge]",
    )


def test_amis_exist_in_every_region() -> None:
    world = World()
    for region in ("ap-south-2", "mx-central-1"):
        image = public_image_id(region, "al2023")
        assert ec2.backend(world, region).image(image).state == "available"
