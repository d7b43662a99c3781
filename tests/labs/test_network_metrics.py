"""EC2's NetworkIn/NetworkOut (Bytes) and NetworkPacketsIn/Out (Count) from the data plane's real traffic, and a
target tracking policy on ASGAverageNetworkOut that scales out under `load` (issue 13 §2).
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html: NetworkIn is "the
number of bytes received during the period", per 5 minutes (basic) or per minute (detailed); the packet
metrics are 5-minute only."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from awsprep.labs.shell import Shell
from awsprep.sim import World, ec2
from awsprep.sim.core.clock import to_datetime
from awsprep.sim.core.events import SimEvent
from tests.labs.conftest import ok
from tests.sim.asg_helpers import activities, asg, describe, group, template
from tests.sim.elb_helpers import call, estate

PAGE = "x" * 3000 + "\n"
PAD = "a" * 1000


def _sums(world: World, name: str, iid: str, start: float, end: float, period: int = 60) -> list[dict[str, Any]]:
    got = world.call(
        "cloudwatch",
        "GetMetricStatistics",
        {
            "Namespace": "AWS/EC2",
            "MetricName": name,
            "Dimensions": [{"Name": "InstanceId", "Value": iid}],
            "StartTime": to_datetime(start),
            "EndTime": to_datetime(end),
            "Period": period,
            "Statistics": ["Sum", "SampleCount"],
        },
    )
    points: list[dict[str, Any]] = sorted(got["Datapoints"], key=lambda p: p["Timestamp"])
    return points


def test_a_load_run_adds_about_requests_times_their_size_to_the_targets(shell: Shell, world: World) -> None:
    e = estate(world)
    world.call("ec2", "MonitorInstances", {"InstanceIds": e.instances})
    for iid in e.instances:
        ec2.backend(world).serve_http(iid, 80, PAGE)
    ok(shell, "wait 4m")
    world.advance(60 - world.now % 60)  # the load starts on a minute
    quiet_start = world.now - 120
    start = world.now
    out = ok(shell, f"load http://{e.dns}/ --requests 600 --rate 20/s --concurrency 5 -H 'X-Pad: {PAD}'").stdout
    assert "600 requests" in out
    world.advance(120)
    for iid in e.instances:
        quiet = _sums(world, "NetworkIn", iid, quiet_start, start)  # health checks only
        busy = _sums(world, "NetworkIn", iid, start, start + 60)
        busy_out = _sums(world, "NetworkOut", iid, start, start + 60)
        quiet_out = _sums(world, "NetworkOut", iid, quiet_start, start)
        assert len(quiet) == 2 and len(busy) == 1 and busy[0]["Unit"] == "Bytes"
        per_minute_checks = (quiet[0]["Sum"] + quiet[1]["Sum"]) / 2
        assert 0 < per_minute_checks < 2000
        # 300 requests each (round robin over two targets): each carries its 1,006-byte X-Pad header plus the
        # request line, Host and X-Forwarded-* headers and the packet headers — about 1.1 to 1.5 KB.
        each_in = (busy[0]["Sum"] - per_minute_checks) / 300
        assert 1006 < each_in < 1500, each_in
        each_out = (busy_out[0]["Sum"] - (quiet_out[0]["Sum"] + quiet_out[1]["Sum"]) / 2) / 300
        assert 3001 < each_out < 3600, each_out  # the 3,001-byte page, its headers, three segments' headers
    world.advance(300)  # the 5-minute window holding the load has ended
    packets = _sums(world, "NetworkPacketsIn", e.instances[0], start - 3600, start + 3600, 3600)
    # the hour that follows the (rounded) StartTime and holds the load: periods follow StartTime on AWS
    (hour,) = [p for p in packets if p["Timestamp"].timestamp() <= start < p["Timestamp"].timestamp() + 3600]
    assert hour["Unit"] == "Count" and hour["Sum"] >= 300
    # packets: one datapoint per 5 minutes even with detailed monitoring
    per_minute = _sums(world, "NetworkPacketsIn", e.instances[0], start - 900, start + 900, 60)
    stamps = [p["Timestamp"].timestamp() for p in per_minute]
    assert len(stamps) >= 2 and all(b - a == 300 for a, b in itertools.pairwise(stamps))


def _serve_on_boot(world: World, event: SimEvent) -> None:
    if event.kind == "instance-state" and event.detail.get("current") == "running":
        ec2.backend(world).serve_http(event.resource_id, 80, PAGE)


@pytest.mark.parametrize(
    ("metric", "target"),
    [
        ("NetworkOut", 200_000.0),  # 5 requests/s of a 3 KB page: about 450 KB a minute per instance
        ("NetworkIn", 10_000.0),  # the same requests in: a few hundred bytes each, about 40 KB a minute
    ],
)
def test_target_tracking_on_network_traffic_scales_out_under_load(
    shell: Shell, world: World, metric: str, target: float
) -> None:
    world.watch(_serve_on_boot)
    e = estate(world)
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": i} for i in e.instances])
    template(world, SecurityGroupIds=[e.web_sg], Monitoring={"Enabled": True})
    group(world, desired=2, max_size=6, TargetGroupARNs=[e.tg], DefaultInstanceWarmup=60)
    world.advance(180)
    out = asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="net",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": f"ASGAverage{metric}"},
            "TargetValue": target,
        },
    )
    high = out["Alarms"][0]["AlarmName"]
    alarms = world.call("cloudwatch", "DescribeAlarms", {"AlarmNamePrefix": "TargetTracking-g-"})["MetricAlarms"]
    assert {a["MetricName"] for a in alarms} == {metric}
    world.advance(300)
    assert describe(world)["DesiredCapacity"] == 2  # health checks alone stay far below the target
    ok(shell, f"load http://{e.dns}/ --requests 1500 --rate 5/s --concurrency 5")
    assert describe(world)["DesiredCapacity"] > 2
    cause = next(a["Cause"] for a in activities(world) if high in a["Cause"])
    assert "in state ALARM triggered policy net changing the desired capacity from 2 to" in cause


def test_target_tracking_on_alb_request_count_per_target_scales_out_under_load(shell: Shell, world: World) -> None:
    """ALBRequestCountPerTarget (ResourceLabel app/LB/ID/targetgroup/TG/ID): the target group's requests per
    healthy target per minute against the target value."""
    world.watch(_serve_on_boot)
    e = estate(world)
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": i} for i in e.instances])
    template(world, SecurityGroupIds=[e.web_sg])
    group(world, desired=2, max_size=8, TargetGroupARNs=[e.tg], DefaultInstanceWarmup=60)
    world.advance(180)
    label = e.lb.split(":loadbalancer/", 1)[1] + "/" + e.tg.split(":")[-1]  # app/…/…/targetgroup/…/…
    asg(
        world,
        "PutScalingPolicy",
        AutoScalingGroupName="g",
        PolicyName="per-target",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ALBRequestCountPerTarget",
                "ResourceLabel": label,
            },
            "TargetValue": 50.0,
        },
    )
    alarms = world.call("cloudwatch", "DescribeAlarms", {"AlarmNamePrefix": "TargetTracking-g-"})["MetricAlarms"]
    assert {(a["Namespace"], a["MetricName"], a["Statistic"]) for a in alarms} == {
        ("AWS/ApplicationELB", "RequestCountPerTarget", "Sum")
    }
    assert alarms[0]["Dimensions"] == [{"Name": "TargetGroup", "Value": e.tg.split(":")[-1]}]
    world.advance(300)
    assert describe(world)["DesiredCapacity"] == 2  # no requests: nothing to track, nothing scales out
    ok(shell, f"load http://{e.dns}/ --requests 1500 --rate 5/s --concurrency 5")  # 300 a minute, 150 a target
    desired = describe(world)["DesiredCapacity"]
    assert desired == 6, desired  # ceil(2 × 150 / 50)
    cause = next(a["Cause"] for a in activities(world) if "AlarmHigh" in a["Cause"])
    assert "triggered policy per-target changing the desired capacity from 2 to 6." in cause
