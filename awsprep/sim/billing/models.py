"""Accrued cost per resource from simulated time, at the prices each service's spec declares (`Price`).

The bill never names a service: a usage record's kind finds its price in the world. EC2's today:
- Instances: billed only while `running`, per second with a 60-second minimum each time they start
  (https://aws.amazon.com/ec2/pricing/on-demand/ "per-second billing"); On-Demand hourly prices by type
  and platform are in `ec2.catalog` (`PRICES`).
- EBS: GB-month, prorated per second over a 30-day month (the example on https://aws.amazon.com/ebs/pricing/).
- Public IPv4: $0.005 per hour for every public address, auto-assigned or Elastic, in use or idle, since
  1 February 2024 (https://aws.amazon.com/vpc/pricing/).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from awsprep.sim.core.meter import UsageRecord
from awsprep.sim.core.pricing import SECONDS_PER_BILLING_MONTH, Price

if TYPE_CHECKING:
    from awsprep.sim.world import World


@dataclass(frozen=True)
class LineItem:
    """Cost of one resource for one kind of usage, summed over its intervals."""

    resource_id: str
    region: str
    kind: str
    unit: str
    quantity: float  # hours (instances, addresses) or GB-months (EBS)
    quantity_unit: str
    rate: float
    rate_unit: str
    cost: float
    running: bool  # still accruing


@dataclass(frozen=True)
class Bill:
    """All line items and their total, at one moment of simulated time."""

    at: float
    items: list[LineItem]

    @property
    def total(self) -> float:
        """The sum of every line item."""
        return sum(i.cost for i in self.items)


def _seconds(rec: UsageRecord, now: float) -> float:
    end = rec.end if rec.end is not None else now
    return max(end - rec.start, rec.minimum_seconds)


_FREE = Price(lambda _rec: 0.0, "hour", "USD", "units")


def bill(world: World) -> Bill:
    """Price every usage record up to the current simulated time, one line per resource and kind."""
    now = world.now
    grouped: dict[tuple[str, str], list[UsageRecord]] = {}
    for rec in world.meter.records:
        grouped.setdefault((rec.kind, rec.resource_id), []).append(rec)
    items = []
    for (kind, resource_id), recs in grouped.items():
        price = world.price(kind) or _FREE
        rate = price.rate(recs[-1])
        if price.per == "gb-month":
            qty = sum(_seconds(r, now) * r.quantity for r in recs) / SECONDS_PER_BILLING_MONTH
            cost = qty * rate
        elif price.per == "request":
            qty = sum(r.quantity for r in recs)
            cost = sum(r.quantity * price.rate(r) for r in recs)
        else:
            qty = sum(_seconds(r, now) * r.quantity for r in recs) / 3600
            cost = sum(_seconds(r, now) * r.quantity / 3600 * price.rate(r) for r in recs)
        items.append(
            LineItem(
                resource_id,
                recs[-1].region,
                kind,
                recs[-1].unit,
                qty,
                price.quantity_unit,
                rate,
                price.rate_unit,
                cost,
                recs[-1].end is None,
            )
        )
    return Bill(now, items)
