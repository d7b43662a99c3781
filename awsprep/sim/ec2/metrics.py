"""What EC2 publishes to the world's metric store (namespace AWS/EC2, dimension InstanceId).

- `CPUUtilization` (Percent) from the guest's load (0–100, `Ec2Backend.set_cpu_load`; `stress` sets it):
  every 5 minutes with basic monitoring, every minute with detailed monitoring (`monitor-instances`).
- `StatusCheckFailed`, `StatusCheckFailed_Instance`, `StatusCheckFailed_System` (Count, 0 or 1): every minute
  for every running instance, as AWS publishes status check metrics at a 1-minute frequency whatever the
  monitoring level.
One recurring timer per Region, on the minute, publishes for every running instance (its cost grows with the
instances, not with the seconds).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from awsprep.sim.core.metrics import metric_key, put_keyed

if TYPE_CHECKING:
    from awsprep.sim.ec2.base import Ec2Base

NAMESPACE = "AWS/EC2"
TICK = 60.0
BASIC_PERIOD_MINUTES = 5
STATUS_METRICS = ("StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System")


def ensure_ticking(b: Ec2Base) -> None:
    """Start the Region's metric timer (once), aligned on the next whole minute."""
    if b.state.metrics_ticking:
        return
    b.state.metrics_ticking = True
    offset = b.now % TICK
    b.schedule_every(TICK, "metrics", "", first=TICK - offset if offset else TICK)


def publish(b: Ec2Base) -> None:
    """One minute's datapoints for every running instance of the Region."""
    store, now = b.world.metrics, b.now
    basic_due = int(now // TICK) % BASIC_PERIOD_MINUTES == 0
    for inst in b.state.instances.values():
        if inst.monitoring in ("pending", "disabling"):
            inst.monitoring = "enabled" if inst.monitoring == "pending" else "disabled"
        if inst.state != "running":
            continue
        iid = inst.instance_id
        dims = {"InstanceId": iid}
        if basic_due or inst.monitoring == "enabled":
            load = max(0.0, min(100.0, inst.cpu_load))
            put_keyed(store, _key("CPUUtilization", iid), NAMESPACE, "CPUUtilization", dims, load, now, "Percent")
        for name in STATUS_METRICS:
            put_keyed(store, _key(name, iid), NAMESPACE, name, dims, 0.0, now, "Count")


@lru_cache(maxsize=65536)
def _key(name: str, instance_id: str) -> str:
    return metric_key(NAMESPACE, name, {"InstanceId": instance_id})
