"""CloudWatch's typed API for other services (Auto Scaling's target tracking alarms, labs, the chart).

- `put_alarm(world, region, params)`: PutMetricAlarm with botocore parameter names (the same checks; raises
  AwsError); `delete_alarms(world, region, names)`; `alarm(world, region, name)` -> `Alarm | None`;
  `alarms(world, region)`.
- `register_action(service, handler, repeat=False)` (from `actions`): alarm actions whose ARN names `service`
  go to `handler(world, AlarmNotice)`; `repeat=True` re-invokes every Period while the alarm stays in the state.
- `register_source(namespace, fn)` (from `sources`): derived metrics written before a namespace is read.
- `datapoints(world, region, namespace, name, dims, start, end, period, stat)` -> `[(period start, value)]`.
- `enable_billing_alerts(world)`: the account's "Receive Billing Alerts" preference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch import stats
from awsprep.sim.cloudwatch.actions import ActionFailed, AlarmNotice, register_action
from awsprep.sim.cloudwatch.sources import refresh, register_source

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.models import CloudWatchBackend
    from awsprep.sim.cloudwatch.state import Alarm
    from awsprep.sim.world import World

__all__ = [
    "ActionFailed",
    "AlarmNotice",
    "alarm",
    "alarms",
    "backend",
    "datapoints",
    "delete_alarms",
    "enable_billing_alerts",
    "put_alarm",
    "register_action",
    "register_source",
]


def backend(world: World, region: str | None = None) -> CloudWatchBackend:
    """The typed CloudWatch backend of a Region."""
    from awsprep.sim.cloudwatch.models import CloudWatchBackend

    found = world.backend("cloudwatch", region)
    assert isinstance(found, CloudWatchBackend)
    return found


def put_alarm(world: World, region: str, params: dict[str, Any]) -> Alarm:
    """Create or update an alarm (PutMetricAlarm's parameters); returns it."""
    from awsprep.sim.cloudwatch.alarm_ops import put_metric_alarm

    b = backend(world, region)
    put_metric_alarm(b, params)
    return b.state.alarms[str(params["AlarmName"])]


def delete_alarms(world: World, region: str, names: list[str]) -> None:
    """Delete the named alarms that exist (quietly skipping the others, as an owner cleaning up does)."""
    state = backend(world, region).state
    for name in names:
        state.alarms.pop(name, None)


def alarm(world: World, region: str, name: str) -> Alarm | None:
    """One alarm by name."""
    return backend(world, region).state.alarms.get(name)


def alarms(world: World, region: str) -> list[Alarm]:
    """Every alarm of the Region, by name."""
    return [a for _, a in sorted(backend(world, region).state.alarms.items())]


def datapoints(
    world: World,
    region: str,
    namespace: str,
    name: str,
    dims: dict[str, str],
    start: float,
    end: float,
    period: int,
    stat: str = "Average",
) -> list[tuple[float, float]]:
    """One statistic per period in [start, end), oldest first (periods with no data are left out)."""
    refresh(world, region, namespace)
    buckets = stats.aggregate(world, region, namespace, name, dims, start, end, period)
    return [(ts, v) for ts in sorted(buckets) if (v := buckets[ts].stat(stat)) is not None]


def enable_billing_alerts(world: World) -> bool:
    """Turn on billing alerts (False when they already were)."""
    from awsprep.sim.cloudwatch.billing import enable

    return enable(world, world.now)
