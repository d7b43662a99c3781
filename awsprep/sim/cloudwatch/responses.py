"""CloudWatch API operations over the core metric store: GetMetricStatistics, ListMetrics.

The store is the world's, shared by every Region in the simulator; a series is read in the Region asked for
only by its namespace, name and dimensions (services publish their Region's resources only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch.errors import CW_ERRORS as E
from awsprep.sim.core.clock import to_datetime
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.metrics import STATISTICS, BadPeriod, list_metrics, statistics

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.models import CloudWatchBackend

Handler = Callable[["CloudWatchBackend", dict[str, Any]], dict[str, Any]]


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=value.tzinfo or dt.UTC).timestamp()
    if isinstance(value, int | float):
        return float(value)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise E("InvalidParameterValue", message=f"The parameter {name} must be a timestamp.") from None
    return parsed.replace(tzinfo=parsed.tzinfo or dt.UTC).timestamp()


def _dimensions(params: dict[str, Any]) -> dict[str, str]:
    return {d["Name"]: d["Value"] for d in params.get("Dimensions") or []}


def get_metric_statistics(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Datapoints per period, oldest first, with the statistics asked for."""
    stats = list(p.get("Statistics") or [])
    if not stats and not p.get("ExtendedStatistics"):
        raise E("MissingParameter", message="Must specify either Statistics or ExtendedStatistics.")
    if p.get("ExtendedStatistics"):
        raise AwsError("UnsupportedOperation", "awsprep does not simulate ExtendedStatistics (percentiles) yet.")
    for s in stats:
        if s not in STATISTICS:
            raise E(
                "InvalidParameterValue",
                message=f"The parameter Statistics.member.1 must be a value in the set {', '.join(STATISTICS)}.",
            )
    start = _seconds(p["StartTime"], "StartTime")
    end = _seconds(p["EndTime"], "EndTime")
    if start >= end:
        raise E("InvalidParameterValue", message="The parameter StartTime must be less than the parameter EndTime.")
    try:
        points = statistics(
            b.world.metrics, p["Namespace"], p["MetricName"], _dimensions(p), start, end, int(p["Period"]), stats
        )
    except BadPeriod:
        raise E("InvalidParameterValue", message="The parameter Period must be a multiple of 60.") from None
    return {
        "Label": p["MetricName"],
        "Datapoints": [{"Timestamp": to_datetime(d.timestamp), **d.values, "Unit": d.unit} for d in points],
    }


def list_metrics_op(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Metrics by namespace and name, filtered by dimensions (name, and value when given)."""
    wanted = p.get("Dimensions") or []
    out = []
    for s in list_metrics(b.world.metrics, p.get("Namespace"), p.get("MetricName")):
        if all(f["Name"] in s.dimensions and f.get("Value") in (None, s.dimensions[f["Name"]]) for f in wanted):
            dims = [{"Name": k, "Value": v} for k, v in sorted(s.dimensions.items())]
            out.append({"Namespace": s.namespace, "MetricName": s.name, "Dimensions": dims})
    return {"Metrics": out}


OPERATIONS: dict[str, Handler] = {
    "GetMetricStatistics": get_metric_statistics,
    "ListMetrics": list_metrics_op,
}
