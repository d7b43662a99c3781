"""What lab checks may name: load balancers, target groups and listeners (by ARN or name), with derived
fields (`healthy_count`, `state`, `rule_count`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsprep.sim.world import World


def lookup(world: World, region: str, kind: str, ident: str) -> Any:
    """A load balancer, target group or listener by ARN or name (None when there is none)."""
    from awsprep.sim.elbv2 import backend

    if not world.has_region_state("elbv2", region):
        return None
    state = backend(world, region).state
    table: Any = {
        "load_balancer": state.load_balancers,
        "target_group": state.target_groups,
        "listener": state.listeners,
    }[kind]
    if ident in table:
        return table[ident]
    return next((v for v in table.values() if getattr(v, "name", None) == ident), None)


def _count(state: str) -> Callable[[World, str, Any], int]:
    return lambda w, r, tg: sum(1 for t in tg.targets.values() if t.state == state)


def _ids(state: str) -> Callable[[World, str, Any], list[str]]:
    return lambda w, r, tg: [t.target_id for t in tg.targets.values() if t.state == state]


def _lb_state(world: World, region: str, lb: Any) -> str:
    return "active" if world.now >= lb.active_at else "provisioning"


FIELDS: dict[str, dict[str, Callable[[World, str, Any], Any]]] = {
    "target_group": {
        "healthy_count": _count("healthy"),
        "unhealthy_count": _count("unhealthy"),
        "draining_count": _count("draining"),
        "target_count": lambda w, r, tg: len(tg.targets),
        "healthy_targets": _ids("healthy"),
        "unhealthy_targets": _ids("unhealthy"),
        "draining_targets": _ids("draining"),
    },
    "load_balancer": {"state": _lb_state},
    "listener": {"rule_count": lambda w, r, li: len(li.rules) - 1},
}
