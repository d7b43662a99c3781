"""A CloudWatch-style metric store every service publishes into (EC2's CPUUtilization today; ELB, Auto Scaling,
Lambda and billing metrics next) and alarms read.

A metric is (namespace, name, dimensions); each holds timestamped datapoints. `statistics` aggregates them per
period the way GetMetricStatistics does: periods are whole minutes (60 s and up), buckets start at multiples of
the period, and each bucket gives Average, Sum, Minimum, Maximum and SampleCount.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

STATISTICS = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")


@dataclass
class Series:
    """One metric's datapoints, in time order (two lists: compact JSON)."""

    namespace: str
    name: str
    dimensions: dict[str, str]
    unit: str = "None"
    times: list[float] = field(default_factory=list)
    values: list[float] = field(default_factory=list)


@dataclass
class MetricsState:
    """Every series of the world, keyed by `metric_key`."""

    series: dict[str, Series] = field(default_factory=dict)


def metric_key(namespace: str, name: str, dimensions: Mapping[str, str]) -> str:
    """The one key of a metric (dimension order does not matter, as in CloudWatch)."""
    dims = ",".join(f"{k}={dimensions[k]}" for k in sorted(dimensions))
    return f"{namespace}|{name}|{dims}"


def put(
    store: MetricsState,
    namespace: str,
    name: str,
    dimensions: Mapping[str, str],
    value: float,
    at: float,
    unit: str = "None",
) -> None:
    """Add one datapoint (timestamps may arrive out of order; they are kept sorted)."""
    put_keyed(store, metric_key(namespace, name, dimensions), namespace, name, dimensions, value, at, unit)


def put_keyed(
    store: MetricsState,
    key: str,
    namespace: str,
    name: str,
    dimensions: Mapping[str, str],
    value: float,
    at: float,
    unit: str = "None",
) -> None:
    """`put` with the metric's key already made (publishers that put the same metrics every minute)."""
    series = store.series.get(key)
    if series is None:
        series = store.series[key] = Series(namespace, name, dict(dimensions), unit)
    if not series.times or at >= series.times[-1]:
        series.times.append(at)
        series.values.append(float(value))
        return
    i = bisect.bisect_right(series.times, at)
    series.times.insert(i, at)
    series.values.insert(i, float(value))


def list_metrics(store: MetricsState, namespace: str | None = None, name: str | None = None) -> list[Series]:
    """Series matching a namespace and/or name, in key order."""
    return [
        s
        for _, s in sorted(store.series.items())
        if (namespace is None or s.namespace == namespace) and (name is None or s.name == name)
    ]


@dataclass(frozen=True)
class Datapoint:
    """One period's statistics (only the ones asked for are filled)."""

    timestamp: float
    values: dict[str, float]
    unit: str


class BadPeriod(ValueError):
    """A period CloudWatch refuses: not a positive multiple of 60 seconds."""


def statistics(
    store: MetricsState,
    namespace: str,
    name: str,
    dimensions: Mapping[str, str],
    start: float,
    end: float,
    period: int,
    stats: Iterable[str] = STATISTICS,
) -> list[Datapoint]:
    """Datapoints in [start, end) aggregated per `period`, oldest first; buckets with no data are left out."""
    if period < 60 or period % 60:
        raise BadPeriod(f"The parameter Period must be a multiple of 60 and at least 60 (got {period}).")
    wanted = list(stats)
    unknown = [s for s in wanted if s not in STATISTICS]
    if unknown:
        raise ValueError(f"unknown statistic {unknown[0]!r}")
    series = store.series.get(metric_key(namespace, name, dimensions))
    if series is None:
        return []
    lo = bisect.bisect_left(series.times, start)
    hi = bisect.bisect_left(series.times, end)
    buckets: dict[float, list[float]] = {}
    for t, v in zip(series.times[lo:hi], series.values[lo:hi], strict=True):
        buckets.setdefault(t - (t % period), []).append(v)
    out = []
    for ts in sorted(buckets):
        vals = buckets[ts]
        every = {
            "Average": sum(vals) / len(vals),
            "Sum": sum(vals),
            "Minimum": min(vals),
            "Maximum": max(vals),
            "SampleCount": float(len(vals)),
        }
        out.append(Datapoint(ts, {s: every[s] for s in wanted}, series.unit))
    return out
