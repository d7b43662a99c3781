"""CloudWatch's operations: name -> handler (metric_ops.py and alarm_ops.py hold them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch import alarm_ops, metric_ops

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.models import CloudWatchBackend

Handler = Callable[["CloudWatchBackend", dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {
    "PutMetricData": metric_ops.put_metric_data,
    "GetMetricStatistics": metric_ops.get_metric_statistics,
    "GetMetricData": metric_ops.get_metric_data,
    "ListMetrics": metric_ops.list_metrics_op,
    "PutMetricAlarm": alarm_ops.put_metric_alarm,
    "DescribeAlarms": alarm_ops.describe_alarms,
    "DescribeAlarmsForMetric": alarm_ops.describe_alarms_for_metric,
    "DescribeAlarmHistory": alarm_ops.describe_alarm_history,
    "SetAlarmState": alarm_ops.set_alarm_state,
    "DeleteAlarms": alarm_ops.delete_alarms,
    "EnableAlarmActions": alarm_ops.set_actions_enabled(True),
    "DisableAlarmActions": alarm_ops.set_actions_enabled(False),
}
