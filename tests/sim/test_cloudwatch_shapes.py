"""Every CloudWatch operation's response against its botocore output shape."""

from __future__ import annotations

from typing import Any

import botocore.session

from awsprep.sim import World
from awsprep.sim.cloudwatch.responses import OPERATIONS
from tests.sim.conftest import launch
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("cloudwatch")


def check(out: dict[str, Any], op: str) -> None:
    shape = MODEL.operation_model(op).output_shape
    if shape is None:  # operations with no output answer nothing
        assert out == {}, op
    else:
        check_shape(out, shape, op)


def test_every_cloudwatch_operation_matches_its_botocore_output_shape(world: World) -> None:
    iid = launch(world)
    ext = {"Namespace": "MyApp", "MetricName": "Load"}
    calls: list[tuple[str, dict[str, Any]]] = [
        (
            "PutMetricData",
            {"Namespace": "MyApp", "MetricData": [{"MetricName": "Load", "Value": 5.0, "Unit": "Count"}]},
        ),
        (
            "PutMetricData",
            {
                "Namespace": "MyApp",
                "MetricData": [
                    {"MetricName": "Load", "StatisticValues": {"SampleCount": 2, "Sum": 9, "Minimum": 4, "Maximum": 5}},
                    {"MetricName": "Hi", "Values": [1.0, 2.0], "Counts": [1, 3], "StorageResolution": 1},
                ],
            },
        ),
        (
            "PutMetricAlarm",
            {
                "AlarmName": "a",
                **ext,
                "Statistic": "Average",
                "Period": 60,
                "EvaluationPeriods": 1,
                "Threshold": 1.0,
                "ComparisonOperator": "GreaterThanThreshold",
                "AlarmDescription": "d",
                "Unit": "Count",
            },
        ),
        (
            "PutMetricAlarm",
            {
                "AlarmName": "b",
                **ext,
                "ExtendedStatistic": "p90",
                "Period": 60,
                "EvaluationPeriods": 2,
                "Threshold": 1.0,
                "ComparisonOperator": "LessThanThreshold",
            },
        ),
    ]
    for op, params in calls:
        check(world.call("cloudwatch", op, params), op)
    world.advance(180)
    window = {"StartTime": world.now - 3600, "EndTime": world.now}
    reads: list[tuple[str, dict[str, Any]]] = [
        ("GetMetricStatistics", {**ext, **window, "Period": 60, "Statistics": ["Average", "SampleCount"]}),
        ("GetMetricStatistics", {**ext, **window, "Period": 60, "ExtendedStatistics": ["p50"]}),
        (
            "GetMetricStatistics",
            {
                "Namespace": "AWS/EC2",
                "MetricName": "CPUUtilization",
                **window,
                "Period": 300,
                "Statistics": ["Maximum"],
                "Dimensions": [{"Name": "InstanceId", "Value": iid}],
            },
        ),
        (
            "GetMetricData",
            {
                **window,
                "MetricDataQueries": [
                    {"Id": "m1", "MetricStat": {"Metric": ext, "Period": 60, "Stat": "Sum"}},
                    {"Id": "e1", "Expression": "m1 * 2", "Label": "double"},
                ],
            },
        ),
        ("ListMetrics", {}),
        ("DescribeAlarms", {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"]}),
        ("DescribeAlarmsForMetric", dict(ext)),
        ("SetAlarmState", {"AlarmName": "a", "StateValue": "ALARM", "StateReason": "test", "StateReasonData": "{}"}),
        ("DescribeAlarmHistory", {}),
        ("DisableAlarmActions", {"AlarmNames": ["a"]}),
        ("EnableAlarmActions", {"AlarmNames": ["a"]}),
        ("DeleteAlarms", {"AlarmNames": ["a", "b"]}),
    ]
    for op, params in reads:
        check(world.call("cloudwatch", op, params), op)
    assert {op for op, _ in calls + reads} == set(OPERATIONS)
