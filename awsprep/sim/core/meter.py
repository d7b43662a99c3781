"""Usage records: services open a record when something starts costing money and close it when it stops.

The billing package prices these records; services never compute money themselves, so ELB, Auto Scaling
and Lambda only need to open and close records of their own kinds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass
class UsageRecord:
    """One billable interval: `quantity` units of `kind`/`unit` from `start` to `end` (None while open)."""

    record_id: int
    resource_id: str
    region: str
    kind: str  # "instance" | "ebs" | "public-ipv4" (later: "alb", "lambda", …)
    unit: str  # instance type, volume type, "address"
    quantity: float
    start: float
    end: float | None = None
    platform: str = "linux"
    minimum_seconds: float = 0.0  # EC2 bills at least 60 s each time an instance starts


@dataclass
class MeterState:
    """All usage records, open and closed."""

    next_id: int = 1
    records: list[UsageRecord] = field(default_factory=list)
    open: dict[str, int] = field(default_factory=dict)  # "kind/resource" -> index into records
    buckets: dict[str, int] = field(default_factory=dict)  # "kind/resource/unit" -> its latest `add_usage` record


def open_record(
    meter: MeterState,
    now: float,
    *,
    resource_id: str,
    region: str,
    kind: str,
    unit: str,
    quantity: float = 1.0,
    platform: str = "linux",
    minimum_seconds: float = 0.0,
) -> None:
    """Start metering `resource_id` (a no-op if a record of that kind is already open)."""
    key = f"{kind}/{resource_id}"
    if key in meter.open:
        return
    meter.records.append(
        UsageRecord(meter.next_id, resource_id, region, kind, unit, quantity, now, None, platform, minimum_seconds)
    )
    meter.next_id += 1
    meter.open[key] = len(meter.records) - 1


def close_record(meter: MeterState, now: float, *, resource_id: str, kind: str, round_up: float = 0.0) -> None:
    """Stop metering `resource_id` for `kind` (a no-op when nothing is open). `round_up` > 0 bills the interval
    in whole multiples of that many seconds (Lambda's provisioned concurrency: 5 minutes)."""
    index = meter.open.pop(f"{kind}/{resource_id}", None)
    if index is not None:
        rec = meter.records[index]
        rec.end = now
        if round_up > 0 and now > rec.start:
            rec.end = rec.start + math.ceil((now - rec.start) / round_up - 1e-9) * round_up


def add_usage(
    meter: MeterState,
    now: float,
    *,
    resource_id: str,
    region: str,
    kind: str,
    unit: str,
    quantity: float,
    bucket: float = 3600.0,
) -> None:
    """Count usage that is charged per unit rather than per hour (requests, GB-seconds): added to one record per
    resource, kind and unit for each `bucket` of time (an hour), so a million invocations make a handful of
    records. The record starts at the bucket's first usage and ends with the bucket, so a bill or an
    EstimatedCharges datapoint at time t (on a whole hour) sees exactly the usage before t."""
    key = f"{kind}/{resource_id}/{unit}"
    index = meter.buckets.get(key)
    if index is not None:
        rec = meter.records[index]
        if rec.end is not None and rec.start <= now < rec.end:
            rec.quantity += quantity
            return
    end = (math.floor(now / bucket) + 1) * bucket
    meter.records.append(UsageRecord(meter.next_id, resource_id, region, kind, unit, quantity, now, end))
    meter.next_id += 1
    meter.buckets[key] = len(meter.records) - 1
