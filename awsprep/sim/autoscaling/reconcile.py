"""The loop that keeps a group at its desired capacity: replace what is unhealthy, launch what is missing,
terminate what is too much (by the termination policy), and rebalance the Availability Zones.

It runs a few seconds after anything changes a group (`AsgBackend.queue`) and on the Region's minute timer.
A launch EC2 refuses becomes a Failed activity whose StatusMessage is EC2's reason, and is retried later, so a
group whose template's AMI or subnet is gone says why it is short instead of staying silently at 0.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from awsprep.sim.autoscaling import lifecycle, termination
from awsprep.sim.autoscaling.lifecycle import ACTIVE
from awsprep.sim.autoscaling.placement import next_zone, zone_subnets
from awsprep.sim.autoscaling.state import Group
from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

RETRY = 300.0  # a failed launch is tried again after this long
ALL_PROTECTED = "Could not scale to desired capacity because all remaining instances are protected from scale-in."


def reconcile(b: AsgBackend, group: Group) -> None:
    """One pass over a group."""
    group.reconcile_queued = False
    if b.state.groups.get(group.name) is not group:
        return
    if group.deleting:
        _delete_step(b, group)
        return
    _replace_unhealthy(b, group)
    active = [m for m in group.members.values() if m.lifecycle in ACTIVE]
    have = len(active)
    if have < group.desired:
        if "Launch" not in group.suspended and b.now >= group.retry_at:
            _launch(b, group, group.desired - have, have)
    elif have > group.desired:
        if "Terminate" not in group.suspended and not _refresh_surging(group):
            _scale_in(b, group, have)
    elif "AZRebalance" not in group.suspended:
        _rebalance(b, group, active)


def _replace_unhealthy(b: AsgBackend, group: Group) -> None:
    if "ReplaceUnhealthy" in group.suspended:
        return
    for m in list(group.members.values()):
        if m.health == "Unhealthy" and m.lifecycle in ACTIVE:
            cause = f"At {b.stamp()} an instance was taken out of service in response to {m.health_cause}."
            lifecycle.start_terminate(b, group, m, cause)


def _launch_cause(b: AsgBackend, group: Group, have: int, want: int) -> str:
    text = (
        f"At {b.stamp()} an instance was started in response to a difference between desired and actual "
        f"capacity, increasing the capacity from {have} to {want}."
    )
    return f"{group.cause}  {text}" if group.cause else text


def _launch(b: AsgBackend, group: Group, count: int, have: int, cause: str | None = None) -> int:
    """Launch `count` instances, each into the zone with the fewest; returns how many launched."""
    zones = zone_subnets(b, group)
    order = list(zones)
    counts = Counter(m.az for m in group.members.values() if m.lifecycle in ACTIVE)
    failed: set[str] = set()
    launched = 0
    text = cause or _launch_cause(b, group, have, group.desired)
    while launched < count:
        zone = next_zone(counts, order, failed)
        if zone is None:
            break
        subnets = zones[zone]
        try:
            if not subnets:
                raise AwsError("ValidationError", f"No default subnet in Availability Zone {zone}.")
            member = lifecycle.launch_one(b, group, subnets[0], text, refresh_lt(group))
        except AwsError as err:
            failed.add(zone)
            _launch_failed(b, group, text, err.message, zone)
            continue
        counts[member.az] += 1
        launched += 1
    if launched:
        group.last_failure = ""
    group.cause = ""
    if launched < count:
        group.retry_at = b.now + RETRY
        b.queue(group, RETRY)
    return launched


def _refresh_surging(group: Group) -> bool:
    """An instance refresh with MaxHealthyPercentage above 100 runs above the desired capacity on purpose: its
    new instances come first and it terminates the old ones itself once they are ready."""
    return any(r.surge_out for r in group.refreshes if r.status in ("InProgress", "Cancelling"))


def refresh_lt(group: Group) -> dict[str, str] | None:
    """The launch template a running instance refresh asks new instances to use (None: the group's own)."""
    active = next((r for r in group.refreshes if r.status == "InProgress"), None)
    return active.target_lt if active is not None else None


def _launch_failed(b: AsgBackend, group: Group, cause: str, reason: str, zone: str) -> None:
    message = f"{reason.rstrip('.')}. Launching EC2 instance failed."
    b.activity(
        group,
        f"Launching a new EC2 instance.  Status Reason: {message}",
        cause,
        status="Failed",
        message=message,
        details={"Availability Zone": zone},
    )
    group.last_failure = message


def _scale_in(b: AsgBackend, group: Group, have: int) -> None:
    leaving = [m for m in group.members.values() if m.lifecycle in lifecycle.LEAVING]
    if group.rebalancing and any(m.lifecycle != "InService" for m in group.members.values() if m.lifecycle in ACTIVE):
        return  # rebalancing launches first and terminates once the new instance is in service
    victims = termination.choose(b, group, have - group.desired)
    if not victims:
        if not leaving and group.last_failure != ALL_PROTECTED:
            b.activity(
                group, "Terminating EC2 instances", group.cause or ALL_PROTECTED, "Failed", message=ALL_PROTECTED
            )
            group.last_failure = ALL_PROTECTED
        group.cause = ""
        return
    if group.rebalancing:
        text = f"At {b.stamp()} an instance was taken out of service in response to an Availability Zone "
        text += "rebalancing operation."
        group.rebalancing = False
    else:
        text = (
            f"At {b.stamp()} an instance was taken out of service in response to a difference between desired "
            f"and actual capacity, shrinking the capacity from {have} to {group.desired}."
        )
        if group.cause:
            text = f"{group.cause}  {text}"
    for m in victims:
        lifecycle.start_terminate(b, group, m, text, after="decrement")
    group.cause = ""


def _rebalance(b: AsgBackend, group: Group, active: list) -> None:  # type: ignore[type-arg]
    """Launch first into the emptiest zone, then (once it is in service) terminate from the fullest one."""
    if any(m.lifecycle != "InService" for m in group.members.values()) or not active:
        return
    zones = list(zone_subnets(b, group))
    counts = Counter(m.az for m in active)
    stray = any(m.az not in zones for m in active)
    if not stray and (not zones or max(counts[z] for z in zones) - min(counts[z] for z in zones) <= 1):
        return
    limit = group.max_size + max(1, group.max_size // 10)  # rebalancing may exceed max by 10 % (at least 1)
    if len(active) + 1 > limit:
        return
    group.rebalancing = True
    text = f"At {b.stamp()} an instance was launched in response to an Availability Zone rebalancing operation."
    if not _launch(b, group, 1, len(active), text):
        group.rebalancing = False


def _delete_step(b: AsgBackend, group: Group) -> None:
    """A force delete: take every instance out (no hooks), then the group goes."""
    for m in list(group.members.values()):
        if m.lifecycle not in lifecycle.LEAVING:
            cause = f"At {b.stamp()} an instance was taken out of service in response to a user request."
            lifecycle.start_terminate(b, group, m, cause, after="decrement", hooks=False)
    if not group.members:
        del b.state.groups[group.name]
        b.world.cancel_timers("autoscaling", b.region, target=group.name)
        from awsprep.sim.autoscaling import alarms

        alarms.drop_group(b, group)
