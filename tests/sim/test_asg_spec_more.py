"""Behaviours of spec §1.3 and §5 the other Auto Scaling test files did not pin down: the not-found group,
ExactCapacity and MinAdjustmentMagnitude, hooks that do not fire (attach, standby), the hook's global
timeout, target tracking without data, launch configurations going first, the termination policy list's
rules, step scaling during an activity, scheduled actions ignoring the cooldown, and ASGAverageNetworkIn."""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import AwsError, World, ec2
from tests.sim.asg_helpers import AMI, activities, asg, describe, group, in_service, members, subnets, template


def _hook(world: World, transition: str = "autoscaling:EC2_INSTANCE_LAUNCHING", **extra: Any) -> None:
    asg(
        world,
        "PutLifecycleHook",
        AutoScalingGroupName="g",
        LifecycleHookName="hold",
        LifecycleTransition=transition,
        **extra,
    )


def test_an_unknown_group_is_an_error_to_update_but_an_empty_list_to_describe(world: World) -> None:
    assert asg(world, "DescribeAutoScalingGroups", AutoScalingGroupNames=["nope"])["AutoScalingGroups"] == []
    for op, params in (
        ("UpdateAutoScalingGroup", {"MinSize": 1}),
        ("SetDesiredCapacity", {"DesiredCapacity": 1}),
    ):
        with pytest.raises(AwsError) as err:
            asg(world, op, AutoScalingGroupName="nope", **params)
        assert err.value.code == "ValidationError"
        assert err.value.message == "AutoScalingGroup name not found - AutoScalingGroup nope not found"


def test_set_desired_below_min_is_refused(world: World) -> None:
    group(world, desired=2, min_size=2)
    with pytest.raises(AwsError) as err:
        asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    assert err.value.message == "New SetDesiredCapacity value 1 is below min value 2 for the AutoScalingGroup."


def test_exact_capacity_and_min_adjustment_magnitude(world: World) -> None:
    group(world, desired=2, min_size=1, max_size=20)
    asg(
        world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="five",
        AdjustmentType="ExactCapacity", ScalingAdjustment=5,
    )  # fmt: skip
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="five")
    assert describe(world)["DesiredCapacity"] == 5
    # +10 % of 5 is 0.5 → 1, but the magnitude floor makes the step at least 3
    asg(
        world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="pct",
        AdjustmentType="PercentChangeInCapacity", ScalingAdjustment=10, MinAdjustmentMagnitude=3,
    )  # fmt: skip
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="pct")
    assert describe(world)["DesiredCapacity"] == 8
    with pytest.raises(AwsError) as err:
        asg(
            world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="bad",
            AdjustmentType="ChangeInCapacity", ScalingAdjustment=1, MinAdjustmentMagnitude=2,
        )  # fmt: skip
    assert err.value.code == "ValidationError" and "MinAdjustmentMagnitude" in err.value.message


def test_hooks_do_not_fire_for_attached_instances_or_standby(world: World) -> None:
    group(world, desired=1, min_size=0, max_size=4)
    _hook(world)
    asg(
        world, "PutLifecycleHook", AutoScalingGroupName="g", LifecycleHookName="bye",
        LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
    )  # fmt: skip
    sub = subnets(world, 1)[0]
    run = {"ImageId": AMI, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1, "SubnetId": sub}
    iid = world.call("ec2", "RunInstances", run)["Instances"][0]["InstanceId"]
    world.advance(30)
    asg(world, "AttachInstances", AutoScalingGroupName="g", InstanceIds=[iid])
    world.advance(30)
    assert members(world)[iid]["LifecycleState"] == "InService"  # no Pending:Wait for an attached instance
    asg(world, "EnterStandby", AutoScalingGroupName="g", InstanceIds=[iid], ShouldDecrementDesiredCapacity=True)
    world.advance(30)
    assert members(world)[iid]["LifecycleState"] == "Standby"  # no Terminating:Wait on the way to standby
    asg(world, "ExitStandby", AutoScalingGroupName="g", InstanceIds=[iid])
    world.advance(30)
    assert members(world)[iid]["LifecycleState"] == "InService"  # nor Pending:Wait on the way back
    asg(world, "DetachInstances", AutoScalingGroupName="g", InstanceIds=[iid], ShouldDecrementDesiredCapacity=True)
    world.advance(30)
    assert iid not in members(world)
    assert ec2.instance(world, "us-east-1", iid).state == "running"  # type: ignore[union-attr]


def test_heartbeats_cannot_hold_an_instance_past_the_global_timeout(world: World) -> None:
    template(world)
    group(world, desired=0, min_size=0)
    _hook(world, HeartbeatTimeout=30, DefaultResult="CONTINUE")
    hook = asg(world, "DescribeLifecycleHooks", AutoScalingGroupName="g")["LifecycleHooks"][0]
    assert hook["GlobalTimeout"] == 3000  # min(48 h, 100 × the heartbeat)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=1)
    while not members(world) or next(iter(members(world).values()))["LifecycleState"] != "Pending:Wait":
        world.advance(5)
    iid = next(iter(members(world)))
    held = 0
    while members(world)[iid]["LifecycleState"] == "Pending:Wait" and held < 4000:
        asg(world, "RecordLifecycleActionHeartbeat", AutoScalingGroupName="g", LifecycleHookName="hold", InstanceId=iid)
        world.advance(20)
        held += 20
    assert 2900 <= held <= 3100  # the global timeout ended the wait, then the default result (CONTINUE)
    assert members(world)[iid]["LifecycleState"] == "InService"


def test_target_tracking_without_data_does_nothing(world: World) -> None:
    group(world, desired=2, min_size=1, max_size=6)
    custom = {"MetricName": "QueueDepth", "Namespace": "MyApp", "Statistic": "Average"}
    asg(
        world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="depth", PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={"CustomizedMetricSpecification": custom, "TargetValue": 10.0},
    )  # fmt: skip
    world.advance(60 * 30)  # nothing is ever put: missing data
    assert describe(world)["DesiredCapacity"] == 2
    alarms = world.call("cloudwatch", "DescribeAlarms", {"AlarmNamePrefix": "TargetTracking-g-"})["MetricAlarms"]
    assert {a["StateValue"] for a in alarms} == {"INSUFFICIENT_DATA"}


def test_instances_from_a_launch_configuration_are_terminated_before_template_ones(world: World) -> None:
    asg(world, "CreateLaunchConfiguration", LaunchConfigurationName="old", ImageId=AMI, InstanceType="t3.micro")
    asg(
        world, "CreateAutoScalingGroup", AutoScalingGroupName="g", LaunchConfigurationName="old", MinSize=0,
        MaxSize=6, DesiredCapacity=2, VPCZoneIdentifier=",".join(subnets(world, 2)),
    )  # fmt: skip
    world.advance(60)
    from_config = set(in_service(world))
    # An hour later, so that the launch-configuration instances are *not* the closest to their next billing
    # hour (the Default policy's later rule): only the launch-configuration-first rule can pick them.
    world.advance(3490)  # the LC instances are just past an hour old at the scale-in, the LT ones a minute
    template(world)
    asg(
        world, "UpdateAutoScalingGroup", AutoScalingGroupName="g", DesiredCapacity=4,
        LaunchTemplate={"LaunchTemplateName": "web", "Version": "$Latest"},
    )  # fmt: skip
    world.advance(60)
    assert len(in_service(world)) == 4
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(120)
    left = set(in_service(world))
    assert len(left) == 2 and not left & from_config  # one per zone, both launch-configuration instances went


@pytest.mark.parametrize(
    ("policies", "fragment"),
    [
        (["Default", "OldestInstance"], "Default"),
        (["OldestInstance", "arn:aws:lambda:us-east-1:111122223333:function:pick"], "first"),
        (["Youngest"], "Youngest"),
    ],
)
def test_termination_policy_lists_follow_aws_rules(world: World, policies: list[str], fragment: str) -> None:
    group(world, desired=1)
    with pytest.raises(AwsError) as err:
        asg(world, "UpdateAutoScalingGroup", AutoScalingGroupName="g", TerminationPolicies=policies)
    assert err.value.code == "ValidationError" and fragment in err.value.message


def test_a_step_policy_keeps_responding_while_its_activity_is_in_progress(world: World) -> None:
    group(world, desired=2, min_size=1, max_size=10)
    steps = [
        {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 3},
    ]
    asg(
        world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="step", PolicyType="StepScaling",
        AdjustmentType="ChangeInCapacity", StepAdjustments=steps, EstimatedInstanceWarmup=300,
    )  # fmt: skip
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="step", MetricValue=60.0, BreachThreshold=50.0)
    assert describe(world)["DesiredCapacity"] == 3
    world.advance(5)  # the launch is still in progress: no cooldown stops a step policy
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="step", MetricValue=80.0, BreachThreshold=50.0)
    # The higher step applies to the current capacity, which counts the instance still launching (the guide's
    # example: 10 → 11, then +30 % of 11 → 14): 3 + 3, one activity per step, no cooldown in between.
    assert describe(world)["DesiredCapacity"] == 6


def test_a_scheduled_action_ignores_the_cooldown(world: World) -> None:
    group(world, desired=1, min_size=1, max_size=10)
    asg(
        world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="add", AdjustmentType="ChangeInCapacity",
        ScalingAdjustment=1, Cooldown=3600,
    )  # fmt: skip
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="add", HonorCooldown=True)
    at = world.now + 300
    from datetime import UTC, datetime

    asg(
        world, "PutScheduledUpdateGroupAction", AutoScalingGroupName="g", ScheduledActionName="morning",
        StartTime=datetime.fromtimestamp(at, UTC), DesiredCapacity=4,
    )  # fmt: skip
    world.advance(400)
    assert describe(world)["DesiredCapacity"] == 4  # within the policy's hour of cooldown
    assert any("scheduled action" in a["Cause"] for a in activities(world))


def test_the_simple_cooldown_starts_when_the_held_launch_finishes(world: World) -> None:
    """§5: a simple policy ignores alarms until its activity completes (after lifecycle hooks) AND the cooldown
    (the policy's, else the group's 300 s) has passed since then."""
    template(world)
    group(world, desired=1, min_size=1, max_size=10)
    _hook(world, HeartbeatTimeout=3600)
    asg(
        world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="add", AdjustmentType="ChangeInCapacity",
        ScalingAdjustment=1,
    )  # fmt: skip

    def execute() -> None:
        asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="add", HonorCooldown=True)

    execute()
    world.advance(600)  # the new instance waits in Pending:Wait: the activity is not done
    (held,) = [i for i, m in members(world).items() if m["LifecycleState"] == "Pending:Wait"]
    with pytest.raises(AwsError) as err:
        execute()
    assert err.value.code == "ScalingActivityInProgress"
    asg(
        world, "CompleteLifecycleAction", AutoScalingGroupName="g", LifecycleHookName="hold", InstanceId=held,
        LifecycleActionResult="CONTINUE",
    )  # fmt: skip
    world.advance(240)  # 4 minutes after the launch finished: still in the group's 300-s cooldown
    with pytest.raises(AwsError):
        execute()
    world.advance(70)
    execute()
    assert describe(world)["DesiredCapacity"] == 3


def test_a_refresh_blocked_by_protected_instances_fails_after_an_hour(world: World) -> None:
    """asg-instance-refresh.html: with ScaleInProtectedInstances Wait (the CLI default) a refresh waits for
    protected instances, and fails once it has been blocked for an hour."""
    group(world, desired=2, DefaultInstanceWarmup=0)
    asg(world, "SetInstanceProtection", AutoScalingGroupName="g", InstanceIds=in_service(world),
        ProtectedFromScaleIn=True)  # fmt: skip
    asg(world, "StartInstanceRefresh", AutoScalingGroupName="g")

    def status() -> str:
        return str(asg(world, "DescribeInstanceRefreshes", AutoScalingGroupName="g")["InstanceRefreshes"][0]["Status"])

    world.advance(3000)
    assert status() == "InProgress"
    world.advance(900)
    refreshed = asg(world, "DescribeInstanceRefreshes", AutoScalingGroupName="g")["InstanceRefreshes"][0]
    assert refreshed["Status"] == "Failed"
    assert "protected from scale-in" in refreshed["StatusReason"]
