"""Metrics derived when read: before CloudWatch reads a namespace, its source writes the datapoints due up to now.

EC2 (`AWS/EC2`) derives CPU and status checks from instance state and guest load (ec2/metrics.py); billing
(`AWS/Billing`) writes EstimatedCharges from the usage meter (cloudwatch/billing.py). Another service adds its
own with `register_source(namespace, fn)`, `fn(world, region)` bringing that Region's datapoints up to now.
A source never creates a Region's state: it looks only at Regions already in use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.sim.world import World

Source = Callable[["World", str], None]

_SOURCES: dict[str, list[Source]] = {}


def register_source(namespace: str, source: Source) -> None:
    """Have `source(world, region)` called before `namespace` is read in a Region."""
    found = _SOURCES.setdefault(namespace, [])
    if source not in found:
        found.append(source)


def refresh(world: World, region: str, namespace: str | None = None) -> None:
    """Bring derived metrics of `namespace` (every namespace when None) up to the current time."""
    names = list(_SOURCES) if namespace is None else [namespace]
    for name in names:
        for source in _SOURCES.get(name, ()):
            source(world, region)


def _ec2(world: World, region: str) -> None:
    if "ec2" not in world.services() or not world.has_region_state("ec2", region):
        return
    from awsprep.sim import ec2
    from awsprep.sim.ec2 import metrics

    metrics.materialize(ec2.backend(world, region))


def _billing(world: World, region: str) -> None:
    from awsprep.sim.cloudwatch.billing import publish

    publish(world, region)


register_source("AWS/EC2", _ec2)
register_source("AWS/Billing", _billing)
