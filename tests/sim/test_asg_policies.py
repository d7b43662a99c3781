"""Scaling policies (spec §5): target tracking with the two alarms it owns, simple scaling with its cooldown,
step scaling with bounds relative to the threshold, warmup, several policies at once, execute-policy."""

from __future__ import annotations

import re
from typing import Any

import pytest

from awsprep.sim import AwsError, World, ec2
from tests.sim.asg_helpers import activities, asg, describe, group, in_service, template

CPU: dict[str, Any] = {"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"}}


@pytest.fixture(autouse=True)
def _detailed_template(world: World) -> None:
    """The groups here launch with detailed monitoring (1-minute CPU), as AWS recommends for target tracking;
    `test_basic_monitoring_scales_on_stale_five_minute_data` shows what basic monitoring changes."""
    template(world, Monitoring={"Enabled": True})


def _load(world: World, percent: float, ids: list[str] | None = None) -> None:
    b = ec2.backend(world)
    for iid in ids if ids is not None else in_service(world):
        b.set_cpu_load(iid, percent)


def _tracking(world: World, name: str = "cpu50", target: float = 50.0, **conf: Any) -> dict[str, Any]:
    return asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName=name,
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={**CPU, "TargetValue": target, **conf},
    )


def test_target_tracking_creates_its_two_alarms_and_scales_out_in_proportion(world: World) -> None:
    group(world, desired=2, max_size=10, DefaultInstanceWarmup=120)
    world.advance(120)  # past the warmup: the two instances are in the aggregated metric
    out = _tracking(world)
    names = [a["AlarmName"] for a in out["Alarms"]]
    assert re.fullmatch(r"TargetTracking-g-AlarmHigh-[0-9a-f-]{36}", names[0])
    assert re.fullmatch(r"TargetTracking-g-AlarmLow-[0-9a-f-]{36}", names[1])
    assert out["Alarms"][0]["AlarmARN"] == f"arn:aws:cloudwatch:us-east-1:111122223333:alarm:{names[0]}"
    _load(world, 90)
    world.advance(120)
    assert describe(world)["DesiredCapacity"] == 2  # two breaching minutes are not three
    world.advance(60)
    assert describe(world)["DesiredCapacity"] == 4  # ceil(2 × 90 / 50)
    world.advance(600)  # the new instances warm up and take none of the stress: (90+90+0+0)/4 < 50
    assert describe(world)["DesiredCapacity"] == 4
    cause = next(a["Cause"] for a in activities(world) if a["Description"].startswith("Launching"))
    assert re.match(
        rf"At \S+Z a monitor alarm {names[0]} in state ALARM triggered policy cpu50 changing the desired capacity "
        r"from 2 to 4\.  At \S+Z an instance was started in response to a difference between desired and actual "
        r"capacity, increasing the capacity from 2 to 4\.",
        cause,
    )


def test_scale_in_waits_for_fifteen_low_minutes_and_disable_scale_in_stops_it(world: World) -> None:
    group(world, desired=4, min_size=1, max_size=10, DefaultInstanceWarmup=60)
    _tracking(world)
    _load(world, 10)
    world.advance(60 * 14)
    assert describe(world)["DesiredCapacity"] == 4
    world.advance(60 * 2)
    assert describe(world)["DesiredCapacity"] == 1  # ceil(4 × 10 / 50) = 1
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=4)
    _tracking(world, DisableScaleIn=True)
    world.advance(60)
    _load(world, 10)
    world.advance(60 * 20)
    assert describe(world)["DesiredCapacity"] == 4


def test_several_policies_scale_out_if_any_and_in_only_if_all(world: World) -> None:
    group(world, desired=2, min_size=1, max_size=10)
    _tracking(world, "cpu50")
    _tracking(world, "cpu20", target=20.0)
    _load(world, 30)  # above 20: the second policy wants out (the first, below 45, would go in)
    world.advance(60 * 4)
    assert describe(world)["DesiredCapacity"] == 3  # ceil(2 × 30 / 20): out if any
    world.advance(60 * 20)  # now (30 + 30 + 0) / 3 = 20: low for the first, not for the second
    assert describe(world)["DesiredCapacity"] == 3  # in only if all
    _load(world, 0)
    world.advance(60 * 16)
    assert describe(world)["DesiredCapacity"] == 1


def test_simple_scaling_waits_for_the_cooldown(world: World) -> None:
    group(world, desired=1, max_size=10)
    asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="add",
        AdjustmentType="ChangeInCapacity",
        ScalingAdjustment=2,
        Cooldown=300,
    )
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="add", HonorCooldown=True)
    assert describe(world)["DesiredCapacity"] == 3
    world.advance(60)
    with pytest.raises(AwsError) as err:
        asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="add", HonorCooldown=True)
    assert err.value.code == "ScalingActivityInProgress"
    world.advance(300)
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="add", HonorCooldown=True)
    assert describe(world)["DesiredCapacity"] == 5
    cause = next(a["Cause"] for a in activities(world) if a["Description"].startswith("Launching"))
    assert "a user request executed policy add changing the desired capacity from 1 to 3." in cause


def test_percent_change_rounds_as_aws_documents(world: World) -> None:
    group(world, desired=4, min_size=1, max_size=20)
    asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="pct",
        AdjustmentType="PercentChangeInCapacity",
        ScalingAdjustment=10,
    )
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="pct")
    assert describe(world)["DesiredCapacity"] == 5  # 0.4 → 1
    asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="cut",
        AdjustmentType="PercentChangeInCapacity",
        ScalingAdjustment=-50,
    )
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="cut")
    assert describe(world)["DesiredCapacity"] == 3  # −2.5 → −2


STEPS = [  # the user guide's example: threshold 50, +10 % from 60 to 70, +30 % from 70 up
    {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 0},
    {"MetricIntervalLowerBound": 10, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 10},
    {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 30},
]


def test_step_scaling_picks_the_step_relative_to_the_threshold(world: World) -> None:
    group(world, desired=10, min_size=1, max_size=20, zones=3)
    asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="step",
        PolicyType="StepScaling",
        AdjustmentType="PercentChangeInCapacity",
        StepAdjustments=STEPS,
        EstimatedInstanceWarmup=300,
    )
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="step", MetricValue=60.0, BreachThreshold=50.0)
    assert describe(world)["DesiredCapacity"] == 11
    world.advance(30)
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="step", MetricValue=62.0, BreachThreshold=50.0)
    assert describe(world)["DesiredCapacity"] == 11  # the same step while its instance warms: nothing more
    asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="step", MetricValue=70.0, BreachThreshold=50.0)
    assert describe(world)["DesiredCapacity"] == 14  # the doc's example: +30 % of 11


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            [
                {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 20, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2},
            ],
            "overlap",
        ),
        (
            [
                {"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 20, "ScalingAdjustment": 2},
            ],
            "gap",
        ),
        ([{"ScalingAdjustment": 1}], "can't be null in the same step"),
        (
            [
                {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 10, "ScalingAdjustment": 2},
            ],
            "null upper bound",
        ),
    ],
)
def test_bad_step_bounds_are_refused(world: World, steps: list[dict[str, Any]], message: str) -> None:
    group(world, desired=1)
    with pytest.raises(AwsError) as err:
        asg(
            world,
            "PutScalingPolicy",
            AutoScalingGroupName="g",
            PolicyName="s",
            PolicyType="StepScaling",
            AdjustmentType="ChangeInCapacity",
            StepAdjustments=steps,
        )
    assert err.value.code == "ValidationError" and message in err.value.message


def test_policy_errors(world: World) -> None:
    group(world, desired=1)
    with pytest.raises(AwsError) as err:
        asg(world, "ExecutePolicy", AutoScalingGroupName="g", PolicyName="missing")
    assert err.value.code == "ValidationError" and "missing" in err.value.message
    with pytest.raises(AwsError) as err:
        asg(
            world,
            "PutScalingPolicy",
            AutoScalingGroupName="g",
            PolicyName="t",
            PolicyType="TargetTrackingScaling",
            TargetTrackingConfiguration={
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget"},
                "TargetValue": 100.0,
            },
        )
    assert "ResourceLabel" in err.value.message
    with pytest.raises(AwsError) as err:
        asg(world, "PutScalingPolicy", AutoScalingGroupName="g", PolicyName="s", AdjustmentType="ChangeInCapacity")
    assert "ScalingAdjustment is required" in err.value.message


def test_a_custom_metric_drives_target_tracking(world: World) -> None:
    group(world, desired=1, max_size=5)
    asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="queue",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "CustomizedMetricSpecification": {
                "MetricName": "BacklogPerInstance",
                "Namespace": "MyApp",
                "Statistic": "Average",
                "Dimensions": [{"Name": "Queue", "Value": "jobs"}],
            },
            "TargetValue": 10.0,
        },
    )
    for _ in range(4):
        world.put_metric("MyApp", "BacklogPerInstance", {"Queue": "jobs"}, 30.0, "None")
        world.advance(60)
    assert describe(world)["DesiredCapacity"] == 3  # ceil(1 × 30 / 10)


def test_basic_monitoring_scales_on_stale_five_minute_data(world: World) -> None:
    """With basic monitoring CloudWatch gets one CPU datapoint per 5 minutes, so the policy sees a change only
    when the window holding it has ended, and first as part of that window's average (AWS recommends 1-minute
    metrics for target tracking: 5-minute data gives slower response and stale data)."""
    ec2.backend(world).state.launch_templates.clear()
    template(world)  # no Monitoring: basic
    group(world, desired=2, max_size=10, DefaultInstanceWarmup=60)  # instances running from 09:00:20
    world.advance(120)
    _tracking(world)
    assert world.now % 300 == 180  # 09:03; the instances' 5-minute windows end at 09:05, 09:10, …
    _load(world, 90)
    world.advance(180)
    assert describe(world)["DesiredCapacity"] == 2  # detailed monitoring has scaled out by now (test above)
    world.advance(300)  # 09:05's datapoint averages 2 of 5 minutes (36 %); 09:10's is 90 % but only 2 minutes old
    assert describe(world)["DesiredCapacity"] == 2
    world.advance(60)  # three minutes of the 90 % datapoint above the target
    assert describe(world)["DesiredCapacity"] == 4
    # The two new instances are past their 60-s warmup before their first 5-minute datapoint: the metric is
    # still the two busy ones' 90 %, measured on 2 instances, so 4 stays enough (not ceil(4 × 90 / 50) = 8).
    world.advance(180)
    assert describe(world)["DesiredCapacity"] == 4
