"""Health: EC2 status (an instance that leaves `running` is Unhealthy at once, grace period or not), ELB
target health for groups whose HealthCheckType is ELB (after the grace period), and set-instance-health.

As ec2-auto-scaling-health-checks.html and health-check-grace-period.html describe: the grace period delays
ELB and custom health checks of a new InService instance, never the EC2 state check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.sim import elbv2
from awsprep.sim.autoscaling import lifecycle
from awsprep.sim.autoscaling.state import Group, Member

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend
    from awsprep.sim.core.events import SimEvent
    from awsprep.sim.world import World

EC2_CAUSE = "a EC2 health check indicating it has been terminated or stopped"  # AWS's own grammar
ELB_CAUSE = "an ELB system health check failure"
USER_CAUSE = "a user health-check"
GONE = ("stopping", "stopped", "shutting-down", "terminated")


def on_instance_state(world: World, event: SimEvent) -> None:
    """EC2 moved an instance: follow it through the group's lifecycle."""
    if not world.has_region_state("autoscaling", event.region):
        return
    from awsprep.sim.autoscaling.models import backend

    b = backend(world, event.region)
    found = b.member(event.resource_id)
    if found is None:
        return
    group, member = found
    current = event.detail.get("current")
    if current == "running" and member.lifecycle == "Pending":
        lifecycle.reached_running(b, group, member)
    elif current == "terminated" and member.lifecycle in lifecycle.LEAVING:
        if member.lifecycle == "Terminating:Proceed":
            lifecycle.terminated(b, group, member)
    elif current in GONE and member.lifecycle not in lifecycle.LEAVING:
        mark_unhealthy(b, group, member, EC2_CAUSE, respect_grace=False)
        if current == "terminated":
            # Gone already: nothing to terminate; the activity records the replacement's cause.
            member.lifecycle = "Terminating:Proceed"
            cause = f"At {b.stamp()} an instance was taken out of service in response to {EC2_CAUSE}."
            act = b.activity(group, f"Terminating EC2 instance: {member.instance_id}", cause)
            member.activity_id = act.activity_id
            lifecycle.terminated(b, group, member)


def mark_unhealthy(b: AsgBackend, group: Group, member: Member, cause: str, respect_grace: bool = True) -> bool:
    """Mark an instance Unhealthy (unless the grace period protects it); the loop replaces it."""
    if respect_grace and in_grace(b, group, member):
        return False
    if member.health != "Unhealthy":
        member.health = "Unhealthy"
        member.health_cause = cause
    b.queue(group, 0.0)
    return True


def in_grace(b: AsgBackend, group: Group, member: Member) -> bool:
    """Whether a new instance is still inside the health check grace period (counted from InService)."""
    start = member.in_service_at if member.in_service_at is not None else b.now
    return member.lifecycle != "InService" or b.now < start + group.grace


def on_target_health(world: World, event: SimEvent) -> None:
    """ELB says a target changed health: an ELB-checked group marks it Unhealthy after the grace period."""
    if event.detail.get("current") != "unhealthy" or not world.has_region_state("autoscaling", event.region):
        return
    from awsprep.sim.autoscaling.models import backend

    b = backend(world, event.region)
    found = b.member(event.resource_id)
    if found is None:
        return
    group, member = found
    if group.health_check_type == "ELB" and event.detail.get("target_group") in group.target_groups:
        mark_unhealthy(b, group, member, ELB_CAUSE)


def check_elb(b: AsgBackend, group: Group) -> None:
    """The minute's ELB check: a target still unhealthy once the grace period is over is Unhealthy."""
    if group.health_check_type != "ELB" or not group.target_groups or "HealthCheck" in group.suspended:
        return
    states: dict[str, str] = {}
    for arn in group.target_groups:
        if elbv2.target_group(b.world, b.region, arn) is not None:
            for iid, state in elbv2.target_states(b.world, b.region, arn).items():
                if state == "unhealthy" or iid not in states:
                    states[iid] = state
    for member in list(group.members.values()):
        if member.health == "Healthy" and states.get(member.instance_id) == "unhealthy":
            mark_unhealthy(b, group, member, ELB_CAUSE)
