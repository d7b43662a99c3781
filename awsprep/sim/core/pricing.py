"""Prices as data: each service's spec maps its usage kinds to a `Price`; the bill never names a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from awsprep.sim.core.meter import UsageRecord

SECONDS_PER_BILLING_MONTH = 30 * 86400  # AWS's EBS pricing examples prorate over a 30-day month


@dataclass(frozen=True)
class Price:
    """How one usage kind is charged.

    `rate(record)` gives the rate for a record's unit (instance type, volume type) and platform. `per` is
    "hour" (quantity = hours, a record's `quantity` multiplies it, e.g. LCUs) or "gb-month" (quantity = GB-months,
    the record's `quantity` is the size in GB) or "request" (quantity = the record's `quantity`, no time).
    """

    rate: Callable[[UsageRecord], float]
    per: str = "hour"
    rate_unit: str = "USD/hour"
    quantity_unit: str = "hours"


def flat(rate: float, per: str = "hour", rate_unit: str = "USD/hour", quantity_unit: str = "hours") -> Price:
    """A price that does not depend on the record's unit."""
    return Price(lambda _rec: rate, per, rate_unit, quantity_unit)
