"""Auto Scaling's timers: a group's reconcile pass, the Region's minute (health checks, policies, scheduled
actions, instance refreshes), lifecycle hook heartbeats and the end of connection draining."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.sim.autoscaling import alarms, group_metrics, health, lifecycle, refresh, scheduled
from awsprep.sim.autoscaling.reconcile import reconcile

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.world import World


def on_timer(world: World, timer: Timer) -> bool | None:
    """Dispatch one timer."""
    from awsprep.sim.autoscaling.models import backend

    b = backend(world, timer.region)
    kind = timer.kind
    if kind == "reconcile":
        group = b.state.groups.get(timer.target)
        if group is not None:
            reconcile(b, group)
    elif kind == "tick":
        return minute(world, timer.region)
    elif kind == "hook":
        lifecycle.hook_timer(b, timer.target)
    elif kind == "drained":
        lifecycle.drained(b, timer.target)
    elif kind == "retry-terminate":
        lifecycle.retry_terminate(b, timer.target)
    return None


def minute(world: World, region: str) -> bool:
    """Once a minute for every group of the Region; stops when the Region has no groups left."""
    from awsprep.sim.autoscaling.models import backend

    b = backend(world, region)
    groups = list(b.state.groups.values())
    if not groups:
        b.state.ticking = False
        return False
    for group in groups:
        if group.deleting:
            continue
        health.check_elb(b, group)
        scheduled.run_due(b, group)
        alarms.evaluate(b, group)
        refresh.step(b, group)
        group_metrics.publish(b, group)
        if group.retry_at and b.now >= group.retry_at:
            group.retry_at = 0.0
            b.queue(group, 0.0)
    return True
