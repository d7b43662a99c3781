"""`AWS/Billing` `EstimatedCharges`: the month's estimated charges from the usage meter, as CloudWatch shows them.

From https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/monitor_estimated_charges_with_cloudwatch.html:
once billing alerts are turned on in the account's Billing preferences, the estimated charges are calculated and
sent to CloudWatch several times a day; the data is stored in US East (N. Virginia) only and covers every Region.
Dimensions: `Currency=USD` (the total) and `ServiceName` with `Currency` (one series per service).

Here: one datapoint every 6 hours (00:00, 06:00, 12:00, 18:00 UTC), stamped at the start of the 6 hours it
closes, holding the month-to-date charges at its end, written lazily when CloudWatch in us-east-1 is read.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from awsprep.sim.core.meter import UsageRecord
from awsprep.sim.core.metrics import metric_key, put
from awsprep.sim.core.pricing import SECONDS_PER_BILLING_MONTH

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.state import CloudWatchRegionState
    from awsprep.sim.world import World

NAMESPACE = "AWS/Billing"
METRIC = "EstimatedCharges"
HOME = "us-east-1"
INTERVAL = 6 * 3600.0
# The ServiceName dimension's values on the bill (product codes) for the services awsprep simulates.
SERVICE_NAMES = {
    "ec2": "AmazonEC2",
    "elbv2": "AWSELB",
    "elb": "AWSELB",
    "autoscaling": "AmazonEC2",
    "lambda": "AWSLambda",
    "cloudwatch": "AmazonCloudWatch",
    "sns": "AmazonSNS",
    "sqs": "AWSQueueService",
    "logs": "AmazonCloudWatch",
}


def _month_start(t: float) -> float:
    d = dt.datetime.fromtimestamp(t, tz=dt.UTC)
    return dt.datetime(d.year, d.month, 1, tzinfo=dt.UTC).timestamp()


def _cost(world: World, rec: UsageRecord, lo: float, hi: float) -> float:
    """What one record cost between lo and hi."""
    price = world.price(rec.kind)
    if price is None:
        return 0.0
    start = max(rec.start, lo)
    end = min(rec.end if rec.end is not None else hi, hi)
    if price.per == "request":
        return rec.quantity * price.rate(rec) if lo <= rec.start < hi else 0.0
    if end <= start and not (rec.minimum_seconds and lo <= rec.start < hi):
        return 0.0
    seconds = max(end - start, rec.minimum_seconds if lo <= rec.start < hi else 0.0)
    if price.per == "gb-month":
        return seconds * rec.quantity / SECONDS_PER_BILLING_MONTH * price.rate(rec)
    return seconds * rec.quantity / 3600 * price.rate(rec)


def charges(world: World, at: float, since: float | None = None) -> dict[str, float]:
    """Charges from `since` (the start of the month by default) to `at`, per ServiceName (every Region)."""
    kinds = {kind: name for name in world.services() for kind in world.spec(name).prices}
    lo = _month_start(at) if since is None else since
    out: dict[str, float] = {}
    for rec in world.meter.records:
        if rec.start >= at:
            continue
        service = SERVICE_NAMES.get(kinds.get(rec.kind, ""), "AWSOther")
        out[service] = out.get(service, 0.0) + _cost(world, rec, lo, at)
    return out


def enable(world: World, at: float) -> bool:
    """Turn on "Receive Billing Alerts" (the account's Billing preferences); False when already on."""
    state: CloudWatchRegionState = world.region_state("cloudwatch", HOME)
    if state.billing_alerts:
        return False
    state.billing_alerts = True
    state.billing_since = state.billing_until = at
    return True


def enabled(world: World) -> bool:
    """Whether billing alerts are on."""
    if not world.has_region_state("cloudwatch", HOME):
        return False
    state: CloudWatchRegionState = world.region_state("cloudwatch", HOME)
    return state.billing_alerts


def publish(world: World, region: str) -> None:
    """Write the EstimatedCharges datapoints due since the last ones (us-east-1, billing alerts on)."""
    if region != HOME or not world.has_region_state("cloudwatch", HOME):
        return
    state: CloudWatchRegionState = world.region_state("cloudwatch", HOME)
    if not state.billing_alerts:
        return
    t = (state.billing_until // INTERVAL + 1) * INTERVAL
    while t <= world.now:
        per_service = charges(world, t)
        total = round(sum(per_service.values()), 2)
        _put(world, state, {"Currency": "USD"}, total, t - INTERVAL)
        for service, amount in sorted(per_service.items()):
            _put(world, state, {"Currency": "USD", "ServiceName": service}, round(amount, 2), t - INTERVAL)
        state.billing_until = t
        t += INTERVAL


def _put(world: World, state: CloudWatchRegionState, dims: dict[str, str], value: float, at: float) -> None:
    state.own[metric_key(NAMESPACE, METRIC, dims)] = "60"
    put(world.metrics, NAMESPACE, METRIC, dims, value, at, "None")
