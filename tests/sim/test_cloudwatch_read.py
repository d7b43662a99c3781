"""CloudWatch's reading side over the core metric store: what ELB publishes, through the AWS CLI."""

from __future__ import annotations

import json

from awsprep.sim import AwsError, World, run_cli
from awsprep.sim.net import http_request
from tests.sim.elb_helpers import estate


def test_get_metric_statistics_reads_elb_request_counts(world: World) -> None:
    e = estate(world)
    world.advance(200)
    for _ in range(7):
        http_request(world, e.dns, 80)
    world.advance(60)
    lb_dim = e.lb.split(":loadbalancer/")[1]
    res = run_cli(
        world,
        [
            "cloudwatch", "get-metric-statistics", "--namespace", "AWS/ApplicationELB", "--metric-name",
            "RequestCount", "--dimensions", f"Name=LoadBalancer,Value={lb_dim}", "--start-time",
            "2025-01-06T09:00:00Z", "--end-time", "2025-01-06T10:00:00Z", "--period", "300", "--statistics", "Sum",
        ],
    )  # fmt: skip
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["Label"] == "RequestCount" and [p["Sum"] for p in out["Datapoints"]] == [7.0]
    listed = run_cli(world, ["cloudwatch", "list-metrics", "--namespace", "AWS/ApplicationELB"])
    assert "RequestCountPerTarget" in listed.stdout


def test_bad_periods_and_missing_statistics_are_refused(world: World) -> None:
    base = {
        "Namespace": "AWS/ApplicationELB",
        "MetricName": "RequestCount",
        "StartTime": "2025-01-06T09:00:00Z",
        "EndTime": "2025-01-06T10:00:00Z",
    }
    for extra, code in (
        ({"Period": 90, "Statistics": ["Sum"]}, "InvalidParameterValue"),
        ({"Period": 60}, "MissingParameter"),
    ):
        try:
            world.call("cloudwatch", "GetMetricStatistics", {**base, **extra})
        except AwsError as err:
            assert err.code == code
        else:
            raise AssertionError("accepted")


def _custom_minutes(world: World, values: list[float]) -> None:
    """One datapoint of MyApp/Load at the start of each of the next minutes (world time starts 09:00)."""
    for v in values:
        world.call(
            "cloudwatch", "PutMetricData", {"Namespace": "MyApp", "MetricData": [{"MetricName": "Load", "Value": v}]}
        )
        world.advance(60)


def test_periods_follow_the_rounded_start_time_not_the_clock(world: World) -> None:
    """GetMetricStatistics / GetMetricData (API reference, StartTime): a start under 15 days old is rounded down to
    the minute, and the periods returned follow it: 09:02:34 with a 5-minute period gives 09:02, 09:07 …"""
    _custom_minutes(world, [float(i) for i in range(12)])  # 09:00 … 09:11, values 0 … 11
    got = world.call(
        "cloudwatch",
        "GetMetricStatistics",
        {
            "Namespace": "MyApp", "MetricName": "Load", "StartTime": "2025-01-06T09:02:34Z",
            "EndTime": "2025-01-06T09:12:00Z", "Period": 300, "Statistics": ["Sum", "SampleCount"],
        },
    )  # fmt: skip
    points = [(p["Timestamp"].strftime("%H:%M"), p["Sum"], p["SampleCount"]) for p in got["Datapoints"]]
    assert points == [("09:02", 2.0 + 3 + 4 + 5 + 6, 5.0), ("09:07", 7.0 + 8 + 9 + 10 + 11, 5.0)]
    data = world.call(
        "cloudwatch",
        "GetMetricData",
        {
            "MetricDataQueries": [
                {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "MyApp", "MetricName": "Load"}, "Period": 300,
                 "Stat": "Sum"}},
            ],
            "StartTime": "2025-01-06T09:02:34Z", "EndTime": "2025-01-06T09:12:00Z", "ScanBy": "TimestampAscending",
        },
    )["MetricDataResults"][0]  # fmt: skip
    assert [t.strftime("%H:%M") for t in data["Timestamps"]] == ["09:02", "09:07"]
    assert data["Values"] == [20.0, 45.0]
