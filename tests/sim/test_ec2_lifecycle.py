"""Spec §1.1.1–1.1.3: the state machine, the legality matrix, protections and addressing."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World, ec2

from .conftest import describe, launch


def err(world: World, op: str, **params: object) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params))
    return info.value


def test_run_returns_pending_without_public_ip_then_running_with_one(world: World) -> None:
    iid = launch(world, boot=False)
    inst = describe(world, iid)
    assert inst["State"] == {"Code": 0, "Name": "pending"}
    assert "PublicIpAddress" not in inst
    world.advance(30)
    inst = describe(world, iid)
    assert inst["State"]["Name"] == "running"
    assert inst["PublicIpAddress"]


def test_stop_start_changes_public_ip_and_keeps_private(world: World) -> None:
    iid = launch(world)
    before = describe(world, iid)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    assert describe(world, iid)["State"]["Name"] == "stopping"
    world.advance(30)
    stopped = describe(world, iid)
    assert stopped["State"]["Name"] == "stopped" and "PublicIpAddress" not in stopped
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    after = describe(world, iid)
    assert after["PublicIpAddress"] != before["PublicIpAddress"]
    assert after["PrivateIpAddress"] == before["PrivateIpAddress"]


def test_reboot_keeps_public_ip(world: World) -> None:
    iid = launch(world)
    ip = describe(world, iid)["PublicIpAddress"]
    world.call("ec2", "RebootInstances", {"InstanceIds": [iid]})
    world.advance(60)
    assert describe(world, iid)["PublicIpAddress"] == ip
    assert describe(world, iid)["State"]["Name"] == "running"


def test_start_running_is_noop(world: World) -> None:
    iid = launch(world)
    ip = describe(world, iid)["PublicIpAddress"]
    out = world.call("ec2", "StartInstances", {"InstanceIds": [iid]})["StartingInstances"][0]
    assert out["CurrentState"]["Name"] == out["PreviousState"]["Name"] == "running"
    assert describe(world, iid)["PublicIpAddress"] == ip


@pytest.mark.parametrize("state", ["stopping", "shutting-down", "terminated"])
def test_start_from_wrong_state(world: World, state: str) -> None:
    iid = launch(world)
    if state == "stopping":
        world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    else:
        world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
        if state == "terminated":
            world.advance(30)
    e = err(world, "StartInstances", InstanceIds=[iid])
    assert e.code == "IncorrectInstanceState"
    assert "is not in a state from which it can be started" in e.message


def test_stop_pending_never_ran(world: World) -> None:
    iid = launch(world, boot=False)
    e = err(world, "StopInstances", InstanceIds=[iid])
    assert e.code == "IncorrectInstanceState" and "never reached the 'running' state" in e.message


def test_stop_terminated(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    e = err(world, "StopInstances", InstanceIds=[iid])
    assert e.code == "IncorrectInstanceState" and "from which it can be stopped" in e.message


def test_stop_is_idempotent(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    again = world.call("ec2", "StopInstances", {"InstanceIds": [iid]})["StoppingInstances"][0]
    assert again["CurrentState"]["Name"] == again["PreviousState"]["Name"] == "stopping"
    world.advance(30)
    again = world.call("ec2", "StopInstances", {"InstanceIds": [iid]})["StoppingInstances"][0]
    assert again["CurrentState"]["Name"] == again["PreviousState"]["Name"] == "stopped"


def test_reboot_rules(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert err(world, "RebootInstances", InstanceIds=[iid]).code == "IncorrectInstanceState"
    assert describe(world, iid)["State"]["Name"] == "stopped"
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "RebootInstances", {"InstanceIds": [iid]})  # ignored
    assert describe(world, iid)["State"]["Name"] == "terminated"


def test_terminate_is_idempotent_and_visible_for_an_hour(world: World) -> None:
    iid = launch(world)
    first = world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})["TerminatingInstances"][0]
    assert first["CurrentState"]["Name"] == "shutting-down"
    world.advance(30)
    again = world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})["TerminatingInstances"][0]
    assert again["CurrentState"]["Name"] == "terminated"
    world.advance(3000)
    assert describe(world, iid)["State"]["Name"] == "terminated"
    world.advance(700)
    assert err(world, "DescribeInstances", InstanceIds=[iid]).code == "InvalidInstanceID.NotFound"


def test_termination_protection(world: World) -> None:
    iid = launch(world, DisableApiTermination=True)
    e = err(world, "TerminateInstances", InstanceIds=[iid])
    assert e.code == "OperationNotPermitted"
    assert "may not be terminated" in e.message and "'disableApiTermination'" in e.message
    assert describe(world, iid)["State"]["Name"] == "running"


def test_termination_protection_does_not_block_os_shutdown(world: World) -> None:
    iid = launch(world, DisableApiTermination=True, InstanceInitiatedShutdownBehavior="terminate")
    ec2.backend(world).os_shutdown(iid)
    world.advance(30)
    assert describe(world, iid)["State"]["Name"] == "terminated"


def test_os_shutdown_default_behaviour_stops(world: World) -> None:
    iid = launch(world)
    ec2.backend(world).os_shutdown(iid)
    world.advance(30)
    assert describe(world, iid)["State"]["Name"] == "stopped"


def test_stop_protection_blocks_stop_and_api_termination(world: World) -> None:
    iid = launch(world, DisableApiStop=True)
    e = err(world, "StopInstances", InstanceIds=[iid])
    assert e.code == "OperationNotPermitted" and "may not be stopped" in e.message and "disableApiStop" in e.message
    assert err(world, "TerminateInstances", InstanceIds=[iid]).code == "OperationNotPermitted"


def test_protected_instance_blocks_only_its_az(world: World) -> None:
    subnets = world.call("ec2", "DescribeSubnets", {})["Subnets"]
    by_az = {s["AvailabilityZone"]: s["SubnetId"] for s in subnets}
    protected = launch(world, SubnetId=by_az["us-east-1a"], DisableApiTermination=True)
    same_az = launch(world, SubnetId=by_az["us-east-1a"])
    other_az = launch(world, SubnetId=by_az["us-east-1b"])
    e = err(world, "TerminateInstances", InstanceIds=[protected, same_az, other_az])
    assert e.code == "OperationNotPermitted"
    assert describe(world, other_az)["State"]["Name"] == "shutting-down"
    assert describe(world, same_az)["State"]["Name"] == "running"


def test_ids_validated(world: World) -> None:
    assert err(world, "StopInstances", InstanceIds=["i-xyz"]).code == "InvalidInstanceID.Malformed"
    e = err(world, "StopInstances", InstanceIds=["i-0123456789abcdef0"])
    assert e.code == "InvalidInstanceID.NotFound"
    assert e.message == "The instance ID 'i-0123456789abcdef0' does not exist"


def test_modify_type_only_when_stopped(world: World) -> None:
    iid = launch(world)
    e = err(world, "ModifyInstanceAttribute", InstanceId=iid, InstanceType={"Value": "t3.small"})
    assert e.code == "IncorrectInstanceState" and "is not in the 'stopped' state" in e.message
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "ModifyInstanceAttribute", {"InstanceId": iid, "InstanceType": {"Value": "t3.small"}})
    assert describe(world, iid)["InstanceType"] == "t3.small"
    e = err(world, "ModifyInstanceAttribute", InstanceId=iid, InstanceType={"Value": "p4d.24xlarge"})
    assert e.code == "InvalidInstanceAttributeValue"
    e = err(world, "ModifyInstanceAttribute", InstanceId=iid, InstanceType={"Value": "t4g.micro"})
    assert e.code == "InvalidInstanceAttributeValue"


def test_user_data_only_when_stopped_and_described_base64(world: World) -> None:
    iid = launch(world, UserData="IyEvYmluL2Jhc2gKZWNobyBoaQ==")
    got = world.call("ec2", "DescribeInstanceAttribute", {"InstanceId": iid, "Attribute": "userData"})
    assert got["UserData"]["Value"] == "IyEvYmluL2Jhc2gKZWNobyBoaQ=="
    e = err(world, "ModifyInstanceAttribute", InstanceId=iid, UserData={"Value": b"#!/bin/bash\n"})
    assert e.code == "IncorrectInstanceState"
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "ModifyInstanceAttribute", {"InstanceId": iid, "UserData": {"Value": b"new"}})
    assert ec2.backend(world).user_data(iid) == b"new"


def test_protection_attributes_while_running_not_after_termination(world: World) -> None:
    iid = launch(world)
    world.call("ec2", "ModifyInstanceAttribute", {"InstanceId": iid, "DisableApiTermination": {"Value": True}})
    world.call(
        "ec2",
        "ModifyInstanceAttribute",
        {"InstanceId": iid, "InstanceInitiatedShutdownBehavior": {"Value": "terminate"}},
    )
    got = world.call("ec2", "DescribeInstanceAttribute", {"InstanceId": iid, "Attribute": "disableApiTermination"})
    assert got["DisableApiTermination"] == {"Value": True}
    e = err(world, "ModifyInstanceAttribute", InstanceId=iid, InstanceInitiatedShutdownBehavior={"Value": "hibernate"})
    assert e.code == "InvalidParameterValue"
    world.call("ec2", "ModifyInstanceAttribute", {"InstanceId": iid, "DisableApiTermination": {"Value": False}})
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    world.advance(30)
    e = err(world, "ModifyInstanceAttribute", InstanceId=iid, DisableApiTermination={"Value": True})
    assert e.code == "IncorrectInstanceState"


def test_delete_on_termination_volumes(world: World) -> None:
    iid = launch(world, BlockDeviceMappings=[{"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 20}}])
    vols = world.call("ec2", "DescribeVolumes", {})["Volumes"]
    assert len(vols) == 2
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    world.advance(30)
    left = world.call("ec2", "DescribeVolumes", {})["Volumes"]
    assert [v["Size"] for v in left] == [20] and left[0]["State"] == "available"


def test_unknown_ami_and_key_and_architecture(world: World) -> None:
    assert (
        err(
            world, "RunInstances", ImageId="ami-0123456789abcdef0", InstanceType="t3.micro", MinCount=1, MaxCount=1
        ).code
        == "InvalidAMIID.NotFound"
    )
    assert (
        err(world, "RunInstances", ImageId="ami-bad", InstanceType="t3.micro", MinCount=1, MaxCount=1).code
        == "InvalidAMIID.Malformed"
    )
    from .conftest import al2023

    assert (
        err(
            world, "RunInstances", ImageId=al2023(), InstanceType="t3.micro", KeyName="nope", MinCount=1, MaxCount=1
        ).code
        == "InvalidKeyPair.NotFound"
    )
    assert (
        err(world, "RunInstances", ImageId=al2023(), InstanceType="t4g.micro", MinCount=1, MaxCount=1).code
        == "InvalidParameterValue"
    )


def test_instance_status_only_running_unless_all(world: World) -> None:
    iid = launch(world, boot=False)
    assert world.call("ec2", "DescribeInstanceStatus", {})["InstanceStatuses"] == []
    every = world.call("ec2", "DescribeInstanceStatus", {"IncludeAllInstances": True})["InstanceStatuses"]
    assert every[0]["InstanceState"]["Name"] == "pending"
    world.advance(30)
    status = world.call("ec2", "DescribeInstanceStatus", {"InstanceIds": [iid]})["InstanceStatuses"][0]
    assert status["InstanceStatus"]["Status"] == "initializing"
    world.advance(300)
    status = world.call("ec2", "DescribeInstanceStatus", {"InstanceIds": [iid]})["InstanceStatuses"][0]
    assert status["InstanceStatus"]["Status"] == "ok"


def test_events_tell_labs_about_first_boot(world: World) -> None:
    seen = []
    world.watch(lambda w, e: seen.append((e.kind, e.detail.get("current"), e.detail.get("first_boot"))))
    iid = launch(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    running = [s for s in seen if s[1] == "running"]
    assert running == [("instance-state", "running", True), ("instance-state", "running", False)]
