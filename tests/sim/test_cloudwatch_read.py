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
