"""Auto Scaling lifecycle: termination order, scale-in protection, lifecycle hooks, standby, attach and detach,
set-instance-health and the grace period, AZ rebalancing (spec §1.3 and §5)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from awsprep.sim import AwsError, World, ec2
from tests.sim.asg_helpers import activities, asg, describe, group, in_service, members, subnets, template


def _zones(world: World) -> Counter[str]:
    return Counter(m["AvailabilityZone"] for m in members(world).values() if m["LifecycleState"] == "InService")


def test_scale_in_keeps_zones_balanced_first(world: World) -> None:
    """AZ balance overrides the termination policy: the newest instance is alone in its zone, so NewestInstance
    picks the newest of the fuller zone instead."""
    group(world, desired=3, max_size=6, TerminationPolicies=["NewestInstance"])  # 2 in one zone, 1 in the other
    zones = _zones(world)
    full = max(zones, key=lambda z: zones[z])
    alone = next(i for i, m in members(world).items() if m["AvailabilityZone"] != full)
    world.advance(600)
    asg(world, "TerminateInstanceInAutoScalingGroup", InstanceId=alone, ShouldDecrementDesiredCapacity=False)
    world.advance(60)
    newest = next(i for i, m in members(world).items() if m["AvailabilityZone"] != full)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(60)
    left = _zones(world)
    assert sorted(left.values()) == [1, 1] and newest in in_service(world)
    cause = next(a["Cause"] for a in activities(world) if a["Description"].startswith("Terminating"))
    assert re.fullmatch(
        r"At \S+Z a user request explicitly set group desired capacity changing the desired capacity from 3 to 2\.  "
        r"At \S+Z an instance was taken out of service in response to a difference between desired and actual "
        r"capacity, shrinking the capacity from 3 to 2\.",
        cause,
    )


@pytest.mark.parametrize("policy", ["OldestInstance", "NewestInstance"])
def test_oldest_and_newest_instance_policies(world: World, policy: str) -> None:
    group(world, desired=1, zones=1, TerminationPolicies=[policy])
    first = in_service(world)[0]
    world.advance(600)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(60)
    second = next(i for i in in_service(world) if i != first)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(60)
    assert in_service(world) == ([second] if policy == "OldestInstance" else [first])


def test_default_policy_terminates_the_oldest_template_version_first(world: World) -> None:
    lt = template(world)
    group(world, desired=1, zones=1)
    old = in_service(world)[0]
    world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {"LaunchTemplateId": lt, "SourceVersion": "1", "LaunchTemplateData": {"InstanceType": "t3.small"}},
    )
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(60)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(60)
    left = in_service(world)
    assert left != [old] and members(world)[left[0]]["LaunchTemplate"]["Version"] == "2"


def test_closest_to_next_instance_hour(world: World) -> None:
    group(world, desired=1, zones=1, TerminationPolicies=["ClosestToNextInstanceHour"])
    first = in_service(world)[0]  # launched at 09:00:10
    world.advance(1500)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(60)  # second launched at ~09:26; at 09:50 the first is 10 min from its hour, the second 36
    world.advance(1380)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(60)
    assert first not in in_service(world)


def test_protected_instances_are_not_scaled_in_and_all_protected_says_so(world: World) -> None:
    group(world, desired=2)
    a, _b = in_service(world)
    asg(world, "SetInstanceProtection", AutoScalingGroupName="g", InstanceIds=[a], ProtectedFromScaleIn=True)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(60)
    assert in_service(world) == [a]
    assert members(world)[a]["ProtectedFromScaleIn"] is True
    asg(world, "UpdateAutoScalingGroup", AutoScalingGroupName="g", MinSize=0)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=0)
    world.advance(60)
    assert in_service(world) == [a] and describe(world)["DesiredCapacity"] == 0
    failed = activities(world)[0]
    assert failed["StatusCode"] == "Failed"
    assert failed["StatusMessage"] == (
        "Could not scale to desired capacity because all remaining instances are protected from scale-in."
    )
    # Protection is only against scale-in: a health replacement still terminates it.
    world.call("ec2", "StopInstances", {"InstanceIds": [a]})
    world.advance(60)
    assert in_service(world) == []


def test_set_instance_health_respects_the_grace_period_unless_told_not_to(world: World) -> None:
    group(world, desired=1, HealthCheckGracePeriod=300)
    iid = in_service(world)[0]
    asg(world, "SetInstanceHealth", InstanceId=iid, HealthStatus="Unhealthy")
    world.advance(30)
    assert in_service(world) == [iid] and members(world)[iid]["HealthStatus"] == "Healthy"
    asg(world, "SetInstanceHealth", InstanceId=iid, HealthStatus="Unhealthy", ShouldRespectGracePeriod=False)
    world.advance(60)
    assert iid not in in_service(world) and len(in_service(world)) == 1
    cause = next(a["Cause"] for a in activities(world) if a["Description"] == f"Terminating EC2 instance: {iid}")
    assert cause.endswith("an instance was taken out of service in response to a user health-check.")


def test_a_launch_hook_holds_instances_in_pending_wait_until_completed(world: World) -> None:
    template(world)
    group(world, desired=0, min_size=0)
    asg(
        world,
        "PutLifecycleHook",
        AutoScalingGroupName="g",
        LifecycleHookName="setup",
        LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING",
        HeartbeatTimeout=600,
        DefaultResult="ABANDON",
    )
    with pytest.raises(AwsError) as e:
        asg(
            world,
            "CompleteLifecycleAction",
            AutoScalingGroupName="g",
            LifecycleHookName="setup",
            InstanceId="i-0123456789abcdef0",
            LifecycleActionResult="CONTINUE",
        )
    assert e.value.message == "No active Lifecycle Action found with instance ID i-0123456789abcdef0"
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(60)
    iid, m = next(iter(members(world).items()))
    assert m["LifecycleState"] == "Pending:Wait"
    assert activities(world)[0]["StatusCode"] == "PreInService"
    world.advance(500)
    asg(world, "RecordLifecycleActionHeartbeat", AutoScalingGroupName="g", LifecycleHookName="setup", InstanceId=iid)
    world.advance(500)  # the heartbeat started the 600 s again
    assert members(world)[iid]["LifecycleState"] == "Pending:Wait"
    asg(
        world,
        "CompleteLifecycleAction",
        AutoScalingGroupName="g",
        LifecycleHookName="setup",
        InstanceId=iid,
        LifecycleActionResult="CONTINUE",
    )
    assert members(world)[iid]["LifecycleState"] == "InService"
    assert activities(world)[0]["StatusCode"] == "Successful"


@pytest.mark.parametrize("result", ["ABANDON", "CONTINUE"])
def test_a_heartbeat_timeout_applies_the_default_result(world: World, result: str) -> None:
    template(world)
    group(world, desired=0, min_size=0)
    asg(
        world,
        "PutLifecycleHook",
        AutoScalingGroupName="g",
        LifecycleHookName="setup",
        LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING",
        HeartbeatTimeout=300,
        DefaultResult=result,
    )
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(60)
    first = next(iter(members(world)))
    world.advance(300)
    if result == "CONTINUE":
        assert in_service(world) == [first]
    else:
        assert first not in members(world) or members(world)[first]["LifecycleState"].startswith("Terminating")
        world.advance(60)
        states = {m["LifecycleState"] for m in members(world).values()}
        assert first not in members(world) and states == {"Pending:Wait"}  # the replacement waits at the hook too


def test_a_terminate_hook_holds_terminating_wait(world: World) -> None:
    group(world, desired=2)
    asg(
        world,
        "PutLifecycleHook",
        AutoScalingGroupName="g",
        LifecycleHookName="drain",
        LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
        HeartbeatTimeout=300,
        DefaultResult="CONTINUE",
    )
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    world.advance(30)
    waiting = [i for i, m in members(world).items() if m["LifecycleState"] == "Terminating:Wait"]
    assert len(waiting) == 1
    inst = ec2.instance(world, "us-east-1", waiting[0])
    assert inst is not None and inst.state == "running"
    asg(
        world,
        "CompleteLifecycleAction",
        AutoScalingGroupName="g",
        LifecycleHookName="drain",
        InstanceId=waiting[0],
        LifecycleActionResult="CONTINUE",
    )
    world.advance(30)
    assert waiting[0] not in members(world)


def test_standby_leaves_capacity_and_exits_back_in_service(world: World) -> None:
    group(world, desired=2)
    a, _ = in_service(world)
    out = asg(world, "EnterStandby", AutoScalingGroupName="g", InstanceIds=[a], ShouldDecrementDesiredCapacity=True)
    assert out["Activities"][0]["Description"] == f"Moving EC2 instance to Standby: {a}"
    world.advance(60)
    assert members(world)[a]["LifecycleState"] == "Standby" and describe(world)["DesiredCapacity"] == 1
    assert len(members(world)) == 2
    with pytest.raises(AwsError):
        asg(world, "EnterStandby", AutoScalingGroupName="g", InstanceIds=[a], ShouldDecrementDesiredCapacity=True)
    asg(world, "ExitStandby", AutoScalingGroupName="g", InstanceIds=[a])
    assert members(world)[a]["LifecycleState"] == "InService" and describe(world)["DesiredCapacity"] == 2


def test_detach_and_attach_instances(world: World) -> None:
    group(world, desired=2)
    a, _ = in_service(world)
    asg(world, "DetachInstances", AutoScalingGroupName="g", InstanceIds=[a], ShouldDecrementDesiredCapacity=True)
    world.advance(30)
    assert a not in members(world) and describe(world)["DesiredCapacity"] == 1
    inst = ec2.instance(world, "us-east-1", a)
    assert inst is not None and inst.state == "running"
    asg(world, "AttachInstances", AutoScalingGroupName="g", InstanceIds=[a])
    assert members(world)[a]["LifecycleState"] == "InService" and describe(world)["DesiredCapacity"] == 2
    detail = asg(world, "DescribeAutoScalingInstances", InstanceIds=[a])["AutoScalingInstances"][0]
    assert detail["AutoScalingGroupName"] == "g" and detail["HealthStatus"] == "HEALTHY"


def test_adding_a_zone_rebalances_by_launching_first(world: World) -> None:
    template(world)
    asg(
        world,
        "CreateAutoScalingGroup",
        AutoScalingGroupName="g",
        LaunchTemplate={"LaunchTemplateName": "web"},
        MinSize=1,
        MaxSize=4,
        DesiredCapacity=4,
        VPCZoneIdentifier=subnets(world, 1)[0],
    )
    world.advance(60)
    assert list(_zones(world).values()) == [4]
    asg(world, "UpdateAutoScalingGroup", AutoScalingGroupName="g", VPCZoneIdentifier=",".join(subnets(world, 2)))
    seen_five = False
    for _ in range(20):
        world.advance(30)
        active = [m for m in members(world).values() if m["LifecycleState"] in ("Pending", "InService")]
        seen_five = seen_five or len(active) >= 5
    assert sorted(_zones(world).values()) == [2, 2]
    assert seen_five  # launch before terminate
    causes = [a["Cause"] for a in activities(world)]
    assert any("Availability Zone rebalancing operation" in c for c in causes)
