"""EC2's CPU datapoints as CloudWatch holds them: basic (5-minute) windows that follow the instance's start of
activity, detailed (1-minute) ones from launch when the launch asks for them, and GetMetricStatistics over a
mix of both (CloudWatch concepts, "Statistics" and "Periods": Average is Sum / SampleCount over the data points
in the period, SampleCount counts data points, a period is stamped with its beginning).
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
"""

from __future__ import annotations

import itertools
from typing import Any

from awsprep.sim import World, ec2
from awsprep.sim.core.clock import to_datetime
from tests.sim.conftest import launch

GROUP = "mixed-asg"


def _stats(world: World, dims: dict[str, str], period: int) -> list[dict[str, Any]]:
    got = world.call(
        "cloudwatch",
        "GetMetricStatistics",
        {
            "Namespace": "AWS/EC2",
            "MetricName": "CPUUtilization",
            "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
            "StartTime": to_datetime(world.now - 7200),
            "EndTime": to_datetime(world.now),
            "Period": period,
            "Statistics": ["Average", "Maximum", "Minimum", "SampleCount"],
        },
    )
    points: list[dict[str, Any]] = got["Datapoints"]
    return sorted(points, key=lambda p: p["Timestamp"])


def _epoch(point: dict[str, Any]) -> float:
    return float(point["Timestamp"].timestamp())


def test_basic_datapoints_cover_the_five_minutes_after_the_instance_started() -> None:
    world = World(seed=4)
    world.advance(150)  # 09:02:30: the instance runs from 09:02:40
    iid = launch(world)
    ec2.backend(world).set_cpu_load(iid, 30)
    world.advance(1200)
    points = _stats(world, {"InstanceId": iid}, 60)
    # 09:02, 09:07, 09:12, 09:17 — not 09:00/09:05/…: the windows follow the start of activity
    assert [to_datetime(_epoch(p)).strftime("%H:%M") for p in points] == ["09:02", "09:07", "09:12", "09:17"]
    assert {p["SampleCount"] for p in points} == {1.0}
    assert {p["Average"] for p in points[1:]} == {30.0}


def test_an_instance_launched_with_detailed_monitoring_reports_every_minute() -> None:
    world = World(seed=4)
    iid = launch(world, Monitoring={"Enabled": True})
    ec2.backend(world).set_cpu_load(iid, 60)
    world.advance(600)
    points = _stats(world, {"InstanceId": iid}, 60)
    assert len(points) >= 10 and {p["SampleCount"] for p in points} == {1.0}
    assert {p["Average"] for p in points[1:]} == {60.0}
    assert all(_epoch(b) - _epoch(a) == 60 for a, b in itertools.pairwise(points))


def test_group_statistics_over_one_detailed_and_one_basic_instance() -> None:
    world = World(seed=5)
    fast = launch(world, boot=False, Monitoring={"Enabled": True})
    slow = launch(world, boot=False)
    b = ec2.backend(world)
    for iid in (fast, slow):
        b.instance(iid).tags["aws:autoscaling:groupName"] = GROUP
    world.advance(30)
    b.set_cpu_load(fast, 80)
    b.set_cpu_load(slow, 20)
    world.advance(1800)
    # Per instance, 5-minute periods: five 1-minute data points of the detailed one, one of the basic one.
    fast5 = _stats(world, {"InstanceId": fast}, 300)[2]
    slow5 = _stats(world, {"InstanceId": slow}, 300)[2]
    assert (fast5["SampleCount"], fast5["Average"]) == (5.0, 80.0)
    assert (slow5["SampleCount"], slow5["Average"]) == (1.0, 20.0)
    # The group's 5-minute period aggregates the six data points: Average = Sum / SampleCount = (5×80 + 20) / 6.
    group5 = _stats(world, {"AutoScalingGroupName": GROUP}, 300)[2]
    assert group5["SampleCount"] == 6.0
    assert group5["Average"] == 70.0 and group5["Maximum"] == 80.0 and group5["Minimum"] == 20.0
    assert _epoch(group5) == _epoch(fast5) == _epoch(slow5)  # stamped with the period's beginning
    # Per minute, the basic instance is in one minute of five: there the group averages both (50), else 80.
    group1 = _stats(world, {"AutoScalingGroupName": GROUP}, 60)[5:15]
    counts = [p["SampleCount"] for p in group1]
    assert counts.count(2.0) == 2 and counts.count(1.0) == 8
    assert {p["Average"] for p in group1 if p["SampleCount"] == 2.0} == {50.0}
    assert {p["Average"] for p in group1 if p["SampleCount"] == 1.0} == {80.0}
