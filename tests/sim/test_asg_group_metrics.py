"""Auto Scaling group metrics (AWS/AutoScaling, ec2-auto-scaling-metrics.html): nothing until
enable-metrics-collection, then one datapoint a minute per enabled metric; the sandbox chart draws the desired
capacity beside the group's CPU from them (issue 13: "CPU of a group with its alarm threshold and the desired
capacity beside it")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awsprep.labs.shell import Shell
from awsprep.sim import AwsError, World
from tests.sim.asg_helpers import asg, describe, group


def _points(world: World, name: str, minutes: int = 10) -> list[tuple[str, float]]:
    end = world.now
    got = world.call(
        "cloudwatch",
        "GetMetricStatistics",
        {
            "Namespace": "AWS/AutoScaling", "MetricName": name,
            "Dimensions": [{"Name": "AutoScalingGroupName", "Value": "g"}],
            "StartTime": end - 60 * minutes, "EndTime": end, "Period": 60, "Statistics": ["Maximum"],
        },
    )  # fmt: skip
    return [(p["Timestamp"].strftime("%H:%M"), p["Maximum"]) for p in got["Datapoints"]]


def test_group_metrics_are_published_every_minute_only_once_enabled(world: World) -> None:
    group(world, desired=2, min_size=1, max_size=5)
    world.advance(180)
    assert _points(world, "GroupDesiredCapacity") == []  # off by default (CLI and API)
    asg(world, "EnableMetricsCollection", AutoScalingGroupName="g", Granularity="1Minute")
    enabled = describe(world)["EnabledMetrics"]
    assert {"Metric": "GroupDesiredCapacity", "Granularity": "1Minute"} in enabled and len(enabled) == 21
    world.advance(180)
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=4)
    world.advance(240)
    desired = [v for _, v in _points(world, "GroupDesiredCapacity")]
    assert len(desired) in (6, 7) and desired[:2] == [2.0, 2.0] and desired[-1] == 4.0  # one a minute
    assert [v for _, v in _points(world, "GroupInServiceInstances")][-1] == 4.0
    assert [v for _, v in _points(world, "GroupMaxSize")][-1] == 5.0
    asg(world, "DisableMetricsCollection", AutoScalingGroupName="g", Metrics=["GroupMaxSize"])
    assert {"Metric": "GroupMaxSize", "Granularity": "1Minute"} not in describe(world)["EnabledMetrics"]
    asg(world, "DisableMetricsCollection", AutoScalingGroupName="g")
    assert describe(world)["EnabledMetrics"] == []
    world.advance(1)
    stopped = _points(world, "GroupDesiredCapacity", 30)
    world.advance(300)
    assert _points(world, "GroupDesiredCapacity", 35)[-len(stopped) :] == stopped  # nothing new


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"Granularity": "5Minute"}, "Invalid granularity"),
        ({"Granularity": "1Minute", "Metrics": ["GroupCPU"]}, "Invalid metric name: GroupCPU"),
    ],
)
def test_bad_metrics_collection_requests(world: World, params: dict[str, Any], fragment: str) -> None:
    group(world, desired=1)
    with pytest.raises(AwsError) as err:
        asg(world, "EnableMetricsCollection", AutoScalingGroupName="g", **params)
    assert err.value.code == "ValidationError" and fragment in err.value.message


def test_the_chart_draws_the_desired_capacity_beside_the_cpu(world: World, tmp_path: Path) -> None:
    from tests.sim.asg_helpers import template

    template(world, Monitoring={"Enabled": True})
    group(world, desired=2, min_size=1, max_size=5)
    shell = Shell(world, tmp_path)
    before = shell.run_line("chart cpu --asg g --since 10m").stdout
    assert "instances reporting (right axis)" in before  # no group metrics: the instances with data
    asg(world, "EnableMetricsCollection", AutoScalingGroupName="g", Granularity="1Minute")
    world.advance(300)
    out = shell.run_line("chart cpu --asg g --since 10m")
    assert out.exit_code == 0, out.stderr
    assert "desired capacity (right axis)" in out.stdout
