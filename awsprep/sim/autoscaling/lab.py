"""What lab checks may name: an Auto Scaling group (by name or ARN), with derived fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsprep.sim.world import World


def _count(state: str) -> Callable[[World, str, Any], int]:
    return lambda w, r, g: sum(1 for m in g.members.values() if m.lifecycle == state)


FIELDS: dict[str, Callable[[World, str, Any], Any]] = {
    "desired_capacity": lambda w, r, g: g.desired,
    "min_size": lambda w, r, g: g.min_size,
    "max_size": lambda w, r, g: g.max_size,
    "instance_count": lambda w, r, g: len(g.members),
    "in_service_count": _count("InService"),
    "pending_wait_count": _count("Pending:Wait"),
    "standby_count": _count("Standby"),
    "zones_in_use": lambda w, r, g: sorted({m.az for m in g.members.values() if m.lifecycle == "InService"}),
    "policy_count": lambda w, r, g: len(g.policies),
    "hook_count": lambda w, r, g: len(g.hooks),
    "launch_template_version": lambda w, r, g: (g.launch_template or {}).get("Version"),
    "refresh_status": lambda w, r, g: g.refreshes[0].status if g.refreshes else None,
    "protected_count": lambda w, r, g: sum(1 for m in g.members.values() if m.protected),
}
