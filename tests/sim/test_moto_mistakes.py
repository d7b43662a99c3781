"""Every EC2 row of spec §7.2: what moto gets wrong, and awsprep must get right."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World

from .conftest import al2023, describe, launch


def code(world: World, op: str, **params: object) -> str:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params))
    return info.value.code


def test_run_then_describe_is_pending_first(world: World) -> None:
    iid = launch(world, boot=False)
    assert describe(world, iid)["State"]["Name"] == "pending" and "PublicIpAddress" not in describe(world, iid)


def test_reboot_of_stopped_instance_is_an_error_not_a_start(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert code(world, "RebootInstances", InstanceIds=[iid]) == "IncorrectInstanceState"
    assert describe(world, iid)["State"]["Name"] == "stopped"


def test_start_while_running_keeps_ip_and_state(world: World) -> None:
    iid = launch(world)
    ip = describe(world, iid)["PublicIpAddress"]
    out = world.call("ec2", "StartInstances", {"InstanceIds": [iid]})["StartingInstances"][0]
    assert out["CurrentState"]["Name"] == "running" and describe(world, iid)["PublicIpAddress"] == ip


def test_terminated_instance_is_not_resurrected(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert code(world, "StartInstances", InstanceIds=[iid]) == "IncorrectInstanceState"
    assert code(world, "StopInstances", InstanceIds=[iid]) == "IncorrectInstanceState"


def test_stop_already_stopped_reports_stopped(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    out = world.call("ec2", "StopInstances", {"InstanceIds": [iid]})["StoppingInstances"][0]
    assert out["CurrentState"]["Name"] == "stopped"


def test_modify_type_while_running_and_on_terminated(world: World) -> None:
    iid = launch(world)
    assert code(world, "ModifyInstanceAttribute", InstanceId=iid, InstanceType={"Value": "t3.small"}) == (
        "IncorrectInstanceState"
    )
    assert describe(world, iid)["InstanceType"] == "t3.micro"
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert code(world, "ModifyInstanceAttribute", InstanceId=iid, DisableApiStop={"Value": True}) == (
        "IncorrectInstanceState"
    )


def test_stop_protection_message_says_stopped(world: World) -> None:
    iid = launch(world, DisableApiStop=True)
    with pytest.raises(AwsError) as info:
        world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    assert "may not be stopped" in info.value.message


def test_malformed_id(world: World) -> None:
    assert code(world, "DescribeInstances", InstanceIds=["i-xyz"]) == "InvalidInstanceID.Malformed"


def test_eip_survives_stop_start_consistently(world: World) -> None:
    iid = launch(world)
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": iid})
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert describe(world, iid)["PublicIpAddress"] == eip["PublicIp"]
    assert world.call("ec2", "DescribeAddresses", {})["Addresses"][0]["InstanceId"] == iid


def test_release_while_associated_in_non_default_vpc(world: World) -> None:
    vpc = world.call("ec2", "CreateVpc", {"CidrBlock": "10.1.0.0/16"})["Vpc"]["VpcId"]
    subnet = world.call("ec2", "CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.1.0.0/24"})["Subnet"]["SubnetId"]
    iid = launch(world, SubnetId=subnet)
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": iid})
    assert code(world, "ReleaseAddress", AllocationId=eip["AllocationId"]) == "InvalidIPAddress.InUse"


def test_release_twice_message_has_no_python_list(world: World) -> None:
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "ReleaseAddress", {"AllocationId": eip["AllocationId"]})
    with pytest.raises(AwsError) as info:
        world.call("ec2", "ReleaseAddress", {"AllocationId": eip["AllocationId"]})
    assert info.value.message == f"The allocation ID '{eip['AllocationId']}' does not exist"


def test_associate_elsewhere_reassociates_by_default(world: World) -> None:
    a, b = launch(world), launch(world)
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": a})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": b})
    assert world.call("ec2", "DescribeAddresses", {})["Addresses"][0]["InstanceId"] == b


def test_unknown_ami_or_key_fails_by_default(world: World) -> None:
    assert (
        code(world, "RunInstances", ImageId="ami-0123456789abcdef0", InstanceType="t3.micro", MinCount=1, MaxCount=1)
        == "InvalidAMIID.NotFound"
    )
    assert (
        code(
            world, "RunInstances", ImageId=al2023(), KeyName="missing", InstanceType="t3.micro", MinCount=1, MaxCount=1
        )
        == "InvalidKeyPair.NotFound"
    )


def test_duplicates(world: World) -> None:
    world.call("ec2", "CreateKeyPair", {"KeyName": "k"})
    assert code(world, "CreateKeyPair", KeyName="k") == "InvalidKeyPair.Duplicate"
    world.call("ec2", "CreateSecurityGroup", {"GroupName": "g", "Description": "d"})
    assert code(world, "CreateSecurityGroup", GroupName="g", Description="d") == "InvalidGroup.Duplicate"
    world.call("ec2", "CreateLaunchTemplate", {"LaunchTemplateName": "t", "LaunchTemplateData": {}})
    assert code(world, "CreateLaunchTemplate", LaunchTemplateName="t", LaunchTemplateData={}) == (
        "InvalidLaunchTemplateName.AlreadyExistsException"
    )
