"""CloudWatch alarms that name a scaling policy: simple and step policies run from alarm actions, and target
tracking's two alarms are listed by describe-alarms."""

from __future__ import annotations

from awsprep.sim import World
from tests.sim.asg_helpers import activities, asg, describe, group


def _policy(world: World, **params: object) -> str:
    out = asg(world, "PutScalingPolicy", AutoScalingGroupName="g", **params)
    return str(out["PolicyARN"])


def test_an_alarm_action_runs_a_simple_policy_once_per_cooldown(world: World) -> None:
    group(world, desired=1, max_size=10)
    arn = _policy(world, PolicyName="add", AdjustmentType="ChangeInCapacity", ScalingAdjustment=1, Cooldown=600)
    world.call(
        "cloudwatch",
        "PutMetricAlarm",
        {
            "AlarmName": "busy",
            "Namespace": "MyApp",
            "MetricName": "Jobs",
            "Statistic": "Average",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 10.0,
            "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [arn],
        },
    )
    world.call("cloudwatch", "SetAlarmState", {"AlarmName": "busy", "StateValue": "ALARM", "StateReason": "test"})
    assert describe(world)["DesiredCapacity"] == 2
    world.advance(120)  # still ALARM: the action repeats every period, but the policy is in its cooldown
    assert describe(world)["DesiredCapacity"] == 2
    cause = next(a["Cause"] for a in activities(world) if a["Description"].startswith("Launching"))
    assert (
        "a monitor alarm busy in state ALARM triggered policy add changing the desired capacity from 1 to 2." in cause
    )


def test_an_alarm_on_a_custom_metric_drives_a_step_policy(world: World) -> None:
    group(world, desired=2, max_size=10)
    steps = [
        {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 3},
    ]
    arn = _policy(
        world, PolicyName="step", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity", StepAdjustments=steps
    )
    world.call(
        "cloudwatch",
        "PutMetricAlarm",
        {
            "AlarmName": "queue",
            "Namespace": "MyApp",
            "MetricName": "Backlog",
            "Statistic": "Average",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 50.0,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "AlarmActions": [arn],
        },
    )
    for _ in range(3):
        world.call(
            "cloudwatch",
            "PutMetricData",
            {"Namespace": "MyApp", "MetricData": [{"MetricName": "Backlog", "Value": 80.0}]},
        )
        world.advance(60)
    assert describe(world)["DesiredCapacity"] == 5  # 80 − 50 = 30: the second step, +3


def test_target_tracking_alarms_are_in_cloudwatch_and_go_with_the_policy(world: World) -> None:
    group(world, desired=1)
    out = asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 50.0,
        },
    )
    names = [a["AlarmName"] for a in out["Alarms"]]
    found = world.call("cloudwatch", "DescribeAlarms", {"AlarmNames": names})["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in found) == sorted(names)
    high = next(a for a in found if "AlarmHigh" in a["AlarmName"])
    assert (high["EvaluationPeriods"], high["Threshold"], high["ComparisonOperator"]) == (
        3,
        50.0,
        "GreaterThanThreshold",
    )
    asg(world, "DeletePolicy", AutoScalingGroupName="g", PolicyName="cpu")
    assert world.call("cloudwatch", "DescribeAlarms", {"AlarmNames": names})["MetricAlarms"] == []
