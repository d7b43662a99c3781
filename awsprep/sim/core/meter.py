"""Usage records: services open a record when something starts costing money and close it when it stops.

The billing package prices these records; services never compute money themselves, so ELB, Auto Scaling
and Lambda only need to open and close records of their own kinds.
"""

from __future__ import annotations

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


def close_record(meter: MeterState, now: float, *, resource_id: str, kind: str) -> None:
    """Stop metering `resource_id` for `kind` (a no-op when nothing is open)."""
    index = meter.open.pop(f"{kind}/{resource_id}", None)
    if index is not None:
        meter.records[index].end = now
