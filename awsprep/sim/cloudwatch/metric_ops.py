"""The metric half of the CloudWatch API: PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics.

Datapoints live in the world's core store (`world.metrics`); statistic sets and which series this Region put
are in the Region's CloudWatch state (`stats.py` reads both). Derived namespaces (AWS/EC2, AWS/Billing) are
brought up to date first (`sources.refresh`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch import params as P
from awsprep.sim.cloudwatch import stats
from awsprep.sim.cloudwatch.errors import CW_ERRORS as E
from awsprep.sim.cloudwatch.expressions import evaluate_expression
from awsprep.sim.cloudwatch.sources import refresh
from awsprep.sim.cloudwatch.state import StatSets
from awsprep.sim.core.clock import to_datetime
from awsprep.sim.core.metrics import list_metrics, metric_key, put

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.models import CloudWatchBackend

MAX_DATAPOINTS = 1440
MAX_METRIC_DATA = 1000
TWO_WEEKS = 14 * 86400.0
TWO_HOURS = 2 * 3600.0


def put_metric_data(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Custom metrics: values, value/count arrays or statistic sets, standard (60) or high (1) resolution."""
    namespace = str(p["Namespace"])
    if namespace.startswith("AWS/"):
        raise E("InvalidParameterValue", message=f"The value {namespace} for parameter Namespace is invalid.")
    data = list(p.get("MetricData") or [])
    if not data:
        raise E("MissingParameter", message="The parameter MetricData is required.")
    if len(data) > MAX_METRIC_DATA:
        raise E(
            "InvalidParameterValue",
            message=f"The collection MetricData must not have a size greater than {MAX_METRIC_DATA}.",
        )
    now = b.world.now
    staged = [_datum(d, i, now) for i, d in enumerate(data, 1)]  # all checked before any is stored
    state = b.state
    for name, dims, stamp, values, sset, unit, resolution in staged:
        key = metric_key(namespace, name, dims)
        state.own[key] = "1" if resolution == 1 or state.own.get(key) == "1" else "60"
        at = stamp if resolution == 1 else stamp - stamp % 60  # standard resolution: one-minute granularity
        for value, count in values:
            for _ in range(count):
                put(b.world.metrics, namespace, name, dims, value, at, unit)
        if sset is not None:
            if key not in b.world.metrics.series:  # so ListMetrics and the unit see the series
                b.world.metrics.series.setdefault(key, _empty_series(namespace, name, dims, unit))
            sets = state.stat_sets.setdefault(key, StatSets())
            sets.times.append(at)
            sets.counts.append(sset[0])
            sets.sums.append(sset[1])
            sets.mins.append(sset[2])
            sets.maxs.append(sset[3])
    return {}


def _empty_series(namespace: str, name: str, dims: dict[str, str], unit: str) -> Any:
    from awsprep.sim.core.metrics import Series

    return Series(namespace, name, dict(dims), unit)


Staged = tuple[str, dict[str, str], float, list[tuple[float, int]], tuple[float, float, float, float] | None, str, int]


def _datum(d: dict[str, Any], i: int, now: float) -> Staged:
    where = f"MetricData.member.{i}"
    name = d.get("MetricName")
    if not name:
        raise E("MissingParameter", message=f"The parameter {where}.MetricName is required.")
    dims = P.dimensions(d.get("Dimensions"), f"{where}.Dimensions")
    at = P.seconds(d["Timestamp"], f"{where}.Timestamp") if d.get("Timestamp") is not None else now
    if at > now + TWO_HOURS or at < now - TWO_WEEKS:
        raise E(
            "InvalidParameterValue",
            message=f"The parameter {where}.Timestamp must specify a time no more than two weeks in the past "
            "and no more than two hours in the future.",
        )
    unit = P.unit(d.get("Unit"), f"{where}.Unit") or "None"
    resolution = int(d.get("StorageResolution", 60))
    if resolution not in (1, 60):
        raise E("InvalidParameterValue", message=f"The parameter {where}.StorageResolution must be 1 or 60.")
    given = [k for k in ("Value", "StatisticValues", "Values") if d.get(k) is not None]
    if len(given) > 1:
        raise E(
            "InvalidParameterCombination",
            message=f"The parameters {where}.{given[0]} and {where}.{given[1]} are mutually exclusive and you "
            "have specified both.",
        )
    if not given:
        raise E("MissingParameter", message=f"The parameter {where}.Value is required.")
    values: list[tuple[float, int]] = []
    sset = None
    if given[0] == "Value":
        values.append((P.number(d["Value"], f"{where}.Value"), 1))
    elif given[0] == "Values":
        raw, counts = list(d["Values"]), list(d.get("Counts") or [])
        if counts and len(counts) != len(raw):
            raise E(
                "InvalidParameterValue",
                message=f"The parameters {where}.Values and {where}.Counts must be of the same size.",
            )
        for j, v in enumerate(raw):
            count = float(counts[j]) if counts else 1.0
            if count < 0 or count != int(count) or count > 10_000:
                raise E("InvalidParameterValue", message=f"The value {count} for {where}.Counts is not supported.")
            values.append((P.number(v, f"{where}.Values.member.{j + 1}"), int(count)))
    else:
        s = d["StatisticValues"]
        n, total, lo, hi = (
            P.number(s[k], f"{where}.StatisticValues.{k}") for k in ("SampleCount", "Sum", "Minimum", "Maximum")
        )
        if n <= 0 or lo > hi:
            raise E("InvalidParameterValue", message=f"The parameter {where}.StatisticValues is invalid.")
        sset = (n, total, lo, hi)
    return str(name), dims, at, values, sset, unit, resolution


def _stats_and_range(p: dict[str, Any]) -> tuple[list[str], list[str], float, float]:
    plain = list(p.get("Statistics") or [])
    extended = list(p.get("ExtendedStatistics") or [])
    if not plain and not extended:
        raise E("MissingParameter", message="Must specify either Statistics or ExtendedStatistics.")
    if plain and extended:
        raise E(
            "InvalidParameterCombination",
            message="The parameters Statistics and ExtendedStatistics are mutually exclusive and you have "
            "specified both.",
        )
    for i, s in enumerate(plain, 1):
        if not stats.is_statistic(s):
            raise E(
                "InvalidParameterValue",
                message=f"The parameter Statistics.member.{i} must be a value in the set {list(stats.STATISTICS)}.",
            )
    for i, s in enumerate(extended, 1):
        if not stats.is_percentile(s):
            raise E(
                "InvalidParameterValue",
                message=f"The value {s} for parameter ExtendedStatistics.member.{i} is not supported: awsprep "
                "computes percentiles (p0.0 to p100).",
            )
    start = P.seconds(p["StartTime"], "StartTime")
    end = P.seconds(p["EndTime"], "EndTime")
    if start >= end:
        raise E("InvalidParameterValue", message="The parameter StartTime must be less than the parameter EndTime.")
    return plain, extended, start, end


def _too_many(start: float, end: float, period: int) -> None:
    wanted = int((end - start + period - 1) // period)
    if wanted > MAX_DATAPOINTS:
        raise E(
            "InvalidParameterCombination",
            message=f"You have requested up to {wanted:,} datapoints, which exceeds the limit of {MAX_DATAPOINTS:,}. "
            "You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
        )


def get_metric_statistics(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Datapoints per period (in no particular order on AWS; oldest first here) with the statistics asked for."""
    plain, extended, start, end = _stats_and_range(p)
    period = P.query_period(p["Period"])
    _too_many(start, end, period)
    namespace, name = str(p["Namespace"]), str(p["MetricName"])
    dims = P.dimensions(p.get("Dimensions"), "Dimensions")
    want_unit = P.unit(p.get("Unit"), "Unit")
    refresh(b.world, b.region, namespace)
    start = stats.query_start(start, b.world.now, period)
    buckets = stats.aggregate(b.world, b.region, namespace, name, dims, start, end, period, want_unit, start)
    unit = want_unit or stats.unit_of(b.world, b.region, namespace, name, dims)
    points = []
    for ts in sorted(buckets):
        bucket = buckets[ts]
        point: dict[str, Any] = {"Timestamp": to_datetime(ts)}
        for s in plain:
            value = bucket.stat(s)
            if value is not None:
                point[s] = value
        ext = {s: v for s in extended if (v := bucket.stat(s)) is not None}
        if ext:
            point["ExtendedStatistics"] = ext
        point["Unit"] = unit
        points.append(point)
    return {"Label": name, "Datapoints": points}


def get_metric_data(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """MetricStat queries and arithmetic expressions over them (ids, numbers, + - * /, parentheses)."""
    queries = list(p["MetricDataQueries"])
    if not queries or len(queries) > 500:
        raise E("ValidationError", message="The collection MetricDataQueries must have between 1 and 500 members.")
    start = P.seconds(p["StartTime"], "StartTime")
    end = P.seconds(p["EndTime"], "EndTime")
    if start >= end:
        raise E("ValidationError", message="The parameter StartTime must be less than the parameter EndTime.")
    ids = set()
    for i, q in enumerate(queries, 1):
        qid = str(q.get("Id", ""))
        if not qid or not qid[0].islower() or not qid.replace("_", "").isalnum():
            raise E(
                "ValidationError", message=f"The value {qid} for parameter MetricDataQueries.member.{i}.Id is invalid."
            )
        if qid in ids:
            raise E(
                "ValidationError",
                message=f"The value {qid} for parameter MetricDataQueries.member.{i}.Id is not unique.",
            )
        ids.add(qid)
        if bool(q.get("MetricStat")) == bool(q.get("Expression")):
            raise E(
                "ValidationError",
                message=f"Exactly one element of the MetricStat and Expression for MetricDataQueries.member.{i} "
                "must be specified.",
            )
    series: dict[str, dict[float, float]] = {}
    labels: dict[str, str] = {}
    for q in queries:
        if q.get("MetricStat"):
            ms = q["MetricStat"]
            metric = ms["Metric"]
            namespace, name = str(metric.get("Namespace", "")), str(metric.get("MetricName", ""))
            if not namespace or not name:
                raise E("ValidationError", message="Namespace and MetricName must be specified in MetricStat.Metric.")
            dims = P.dimensions(metric.get("Dimensions"), "Dimensions")
            period = P.query_period(ms["Period"])
            stat = str(ms["Stat"])
            if not (stats.is_statistic(stat) or stats.is_percentile(stat)):
                raise E("ValidationError", message=f"The value {stat} for parameter Stat is not supported.")
            refresh(b.world, b.region, namespace)
            first = stats.query_start(start, b.world.now, period)
            buckets = stats.aggregate(
                b.world, b.region, namespace, name, dims, first, end, period, ms.get("Unit"), first
            )
            values = {ts: v for ts, bucket in buckets.items() if (v := bucket.stat(stat)) is not None}
            series[q["Id"]] = values
            labels[q["Id"]] = q.get("Label") or name
    for q in queries:
        if q.get("Expression"):
            series[q["Id"]] = evaluate_expression(str(q["Expression"]), series)
            labels[q["Id"]] = q.get("Label") or q["Id"]
    descending = p.get("ScanBy", "TimestampDescending") == "TimestampDescending"
    results = []
    for q in queries:
        if q.get("ReturnData", True) is False:
            continue
        points = sorted(series[q["Id"]].items(), reverse=descending)
        results.append(
            {
                "Id": q["Id"],
                "Label": labels[q["Id"]],
                "Timestamps": [to_datetime(ts) for ts, _ in points],
                "Values": [v for _, v in points],
                "StatusCode": "Complete",
            }
        )
    return {"MetricDataResults": results, "Messages": []}


def list_metrics_op(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Metrics by namespace and name, filtered by dimensions (name, and value when given), 500 a page."""
    namespace = p.get("Namespace")
    refresh(b.world, b.region, namespace)
    wanted = p.get("Dimensions") or []
    recent = p.get("RecentlyActive")
    if recent is not None and recent != "PT3H":
        raise E("InvalidParameterValue", message="The parameter RecentlyActive must be a value in the set [PT3H].")
    out = []
    for s in list_metrics(b.world.metrics, namespace, p.get("MetricName")):
        key = metric_key(s.namespace, s.name, s.dimensions)
        if not stats.visible(b.world, b.region, key):
            continue
        if recent and not (s.times and s.times[-1] >= b.world.now - 3 * 3600):
            continue
        if all(f["Name"] in s.dimensions and f.get("Value") in (None, s.dimensions[f["Name"]]) for f in wanted):
            dims = [{"Name": k, "Value": v} for k, v in sorted(s.dimensions.items())]
            out.append({"Namespace": s.namespace, "MetricName": s.name, "Dimensions": dims})
    start = 0
    token = p.get("NextToken")
    if token:
        try:
            start = int(str(token))
        except ValueError:
            raise E("InvalidNextToken") from None
    page = out[start : start + 500]
    response: dict[str, Any] = {"Metrics": page}
    if start + 500 < len(out):
        response["NextToken"] = str(start + 500)
    return response
