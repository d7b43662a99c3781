"""Per-period statistics over the core metric store, as CloudWatch computes them for GetMetricStatistics,
GetMetricData and alarms.

On top of the core's `statistics` this adds what the API has and the core does not: percentiles (`p90`,
`p99.9`, nearest rank over the raw values), statistic sets put with `StatisticValues`, periods of 1, 5, 10 and
30 seconds for high-resolution series, a Unit filter, and Regions: a series put with PutMetricData belongs to
the Region it was put in, while services' own series (EC2, ELB) are visible from their Region (their dimensions
name Regional resources).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsprep.sim.core.metrics import Series, metric_key

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.state import CloudWatchRegionState, StatSets
    from awsprep.sim.world import World

STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$")
HIGH_RES_PERIODS = (1, 5, 10, 20, 30)  # below a minute: high-resolution series only (20 is an alarm period)


@dataclass
class Bucket:
    """One period's aggregate: raw values (for percentiles) plus statistic sets folded in."""

    start: float
    count: float = 0.0
    total: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    values: list[float] = field(default_factory=list)
    sets: int = 0  # statistic sets folded in (no percentiles then)

    def add(self, value: float) -> None:
        """One raw datapoint."""
        self.count += 1
        self.total += value
        self.low = min(self.low, value)
        self.high = max(self.high, value)
        self.values.append(value)

    def add_set(self, count: float, total: float, low: float, high: float) -> None:
        """One statistic set."""
        self.count += count
        self.total += total
        self.low = min(self.low, low)
        self.high = max(self.high, high)
        self.sets += 1

    def stat(self, name: str) -> float | None:
        """The value of a statistic or percentile (None when it cannot be computed)."""
        if self.count <= 0:
            return None
        if name == "SampleCount":
            return self.count
        if name == "Sum":
            return self.total
        if name == "Average":
            return self.total / self.count
        if name == "Minimum":
            return self.low
        if name == "Maximum":
            return self.high
        if PERCENTILE.match(name) and not self.sets and self.values:
            ordered = sorted(self.values)
            rank = math.ceil(float(name[1:]) / 100 * len(ordered))
            return ordered[max(rank, 1) - 1]
        return None


def is_statistic(name: str) -> bool:
    """A statistic GetMetricStatistics takes in Statistics."""
    return name in STATISTICS


def is_percentile(name: str) -> bool:
    """An extended statistic awsprep computes (pNN.NN)."""
    return bool(PERCENTILE.match(name))


def _cw_state(world: World, region: str) -> CloudWatchRegionState | None:
    if not world.has_region_state("cloudwatch", region):
        return None
    state: CloudWatchRegionState = world.region_state("cloudwatch", region)
    return state


def owner(world: World, key: str) -> str | None:
    """The Region a series was put in with PutMetricData (None for a service's own series)."""
    for region in world.regions_in_use("cloudwatch"):
        state = _cw_state(world, region)
        if state is not None and key in state.own:
            return region
    return None


def visible(world: World, region: str, key: str) -> bool:
    """Whether the series is readable from `region`."""
    state = _cw_state(world, region)
    if state is not None and key in state.own:
        return True
    return owner(world, key) is None


def series(world: World, region: str, namespace: str, name: str, dims: dict[str, str]) -> Series | None:
    """The core series of a metric, when visible from `region`."""
    key = metric_key(namespace, name, dims)
    found = world.metrics.series.get(key)
    if found is None or not visible(world, region, key):
        return None
    return found


def high_resolution(world: World, region: str, key: str) -> bool:
    """Whether the series was put with StorageResolution 1."""
    state = _cw_state(world, region)
    return state is not None and state.own.get(key) == "1"


def aggregate(
    world: World,
    region: str,
    namespace: str,
    name: str,
    dims: dict[str, str],
    start: float,
    end: float,
    period: int,
    unit: str | None = None,
    origin: float | None = None,
) -> dict[float, Bucket]:
    """Buckets of `period` seconds holding data in [start, end): aligned on multiples of the period (what an
    alarm evaluates), or, given an `origin`, starting there and every period after it (what GetMetricStatistics
    and GetMetricData return: periods that follow the rounded StartTime, see `query_start`)."""
    key = metric_key(namespace, name, dims)
    found = series(world, region, namespace, name, dims)
    out: dict[float, Bucket] = {}
    base = 0.0 if origin is None else origin
    if period < 60 and not high_resolution(world, region, key):
        return out  # standard-resolution data has one-minute granularity: nothing per 10 s
    if found is not None and (unit is None or found.unit == unit):
        lo = bisect.bisect_left(found.times, start)
        hi = bisect.bisect_left(found.times, end)
        times, values = found.times, found.values
        for i in range(lo, hi):
            t = times[i]
            b = t - ((t - base) % period)
            bucket = out.get(b)
            if bucket is None:
                bucket = out[b] = Bucket(b)
            bucket.add(values[i])
    state = _cw_state(world, region)
    sets: StatSets | None = state.stat_sets.get(key) if state is not None else None
    if sets is not None and (unit is None or found is None or found.unit == unit):
        lo = bisect.bisect_left(sets.times, start)
        hi = bisect.bisect_left(sets.times, end)
        for i in range(lo, hi):
            t = sets.times[i]
            b = t - ((t - base) % period)
            bucket = out.get(b)
            if bucket is None:
                bucket = out[b] = Bucket(b)
            bucket.add_set(sets.counts[i], sets.sums[i], sets.mins[i], sets.maxs[i])
    return out


def query_start(start: float, now: float, period: int) -> float:
    """StartTime as GetMetricStatistics and GetMetricData round it (their API reference pages): with a period
    under a minute, down to that many seconds of the minute; otherwise down to the minute when it is less than
    15 days old, to the 5-minute clock interval up to 63 days, and to the hour beyond."""
    if period < 60:
        return start - (start % period)
    age = now - start
    step = 60 if age < 15 * 86400 else 300 if age < 63 * 86400 else 3600
    return start - (start % step)


def unit_of(world: World, region: str, namespace: str, name: str, dims: dict[str, str]) -> str:
    """The unit a series was published with ("None" when unknown)."""
    found = series(world, region, namespace, name, dims)
    return found.unit if found is not None else "None"
