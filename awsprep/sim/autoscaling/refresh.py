"""Instance refresh (asg-instance-refresh.html): replace instances in batches so that at least
MinHealthyPercentage of the desired capacity stays in service (90 % unless given; 100 % = one at a time),
each batch waiting until its new instances are InService, healthy and past the instance warmup (the
preference, else the group's default warmup, else the health check grace period). SkipMatching leaves
instances that already use the desired launch template version; a refresh that is blocked for an hour fails.
MaxHealthyPercentage (100–200, the most of the desired capacity that may be in service or pending) above 100
launches before it terminates: each batch replaces ceil-rounded max − min percent of the group, launching the
part above the desired capacity first and terminating that many old instances once the new ones are ready
(RefreshPreferences in the API reference; with 100/150 a group is replaced in two batches and never drops below
its desired capacity).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2
from awsprep.sim.autoscaling import lifecycle
from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.state import Group, Member, Refresh

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

BLOCKED_LIMIT = 3600.0


def active(group: Group) -> Refresh | None:
    """The refresh in progress (Pending, InProgress or Cancelling)."""
    return next((r for r in group.refreshes if r.status in ("Pending", "InProgress", "Cancelling")), None)


def _resolved(b: AsgBackend, lt: dict[str, str] | None) -> tuple[str, str] | None:
    if not lt:
        return None
    eb = ec2.backend(b.world, b.region)
    try:
        template = eb.launch_template(
            lt.get("LaunchTemplateId"), None if lt.get("LaunchTemplateId") else lt.get("LaunchTemplateName")
        )
        version = eb.template_version(template, lt.get("Version"))
    except Exception:
        return None
    return template.template_id, str(version.number)


def _matches(member: Member, wanted: tuple[str, str] | None) -> bool:
    lt = member.launch_template or {}
    return wanted is not None and (lt.get("LaunchTemplateId"), lt.get("Version")) == wanted


def start(b: AsgBackend, group: Group, p: dict[str, Any]) -> Refresh:
    """StartInstanceRefresh."""
    if active(group) is not None:
        raise E("RefreshInProgress")
    prefs_in = p.get("Preferences") or {}
    min_healthy = int(prefs_in.get("MinHealthyPercentage", 90))
    max_healthy = int(prefs_in.get("MaxHealthyPercentage", 100))
    if not 0 <= min_healthy <= 100:
        raise E("Validation", message="MinHealthyPercentage must be between 0 and 100.")
    if not 100 <= max_healthy <= 200 or max_healthy - min_healthy > 100:
        raise E(
            "Validation",
            message="MaxHealthyPercentage must be between 100 and 200, and at most 100 above MinHealthyPercentage.",
        )
    prefs: dict[str, Any] = {
        "MinHealthyPercentage": min_healthy,
        "MaxHealthyPercentage": max_healthy,
        "SkipMatching": bool(prefs_in.get("SkipMatching", False)),
        "AutoRollback": bool(prefs_in.get("AutoRollback", False)),
        "ScaleInProtectedInstances": prefs_in.get("ScaleInProtectedInstances", "Wait"),
        "StandbyInstances": prefs_in.get("StandbyInstances", "Wait"),
        "CheckpointDelay": int(prefs_in.get("CheckpointDelay", 3600)),
    }
    if prefs_in.get("InstanceWarmup") is not None:
        prefs["InstanceWarmup"] = int(prefs_in["InstanceWarmup"])
    desired_conf = p.get("DesiredConfiguration")
    target_lt = dict((desired_conf or {}).get("LaunchTemplate") or {}) or None
    if target_lt:
        target_lt.setdefault("Version", "$Default")
        if _resolved(b, target_lt) is None:
            how, value = (
                ("id", target_lt["LaunchTemplateId"])
                if target_lt.get("LaunchTemplateId")
                else ("name", target_lt.get("LaunchTemplateName"))
            )
            raise E("LaunchTemplateNotFound", how=how, value=value)
    wanted = _resolved(b, target_lt or group.launch_template)
    members = [m for m in group.members.values() if m.lifecycle in ("InService", "Pending")]
    old = [m.instance_id for m in members if not (prefs["SkipMatching"] and _matches(m, wanted))]
    refresh = Refresh(b.uuid(), "Pending", b.now, prefs, len(old), target_lt, desired_conf, to_replace=old)
    group.refreshes.insert(0, refresh)
    b.ensure_ticking()
    return refresh


def cancel(b: AsgBackend, group: Group) -> Refresh:
    """CancelInstanceRefresh: in-flight replacements finish, no new batch starts."""
    refresh = active(group)
    if refresh is None:
        raise E("NoActiveRefresh", name=group.name)
    refresh.status = "Cancelling"
    return refresh


def warmup(group: Group, refresh: Refresh) -> int:
    """The refresh's instance warmup."""
    if "InstanceWarmup" in refresh.preferences:
        return int(refresh.preferences["InstanceWarmup"])
    return group.default_warmup if group.default_warmup is not None else group.grace


def on_in_service(b: AsgBackend, group: Group, member: Member) -> None:
    """A new instance is in service: the refresh may move on sooner than the next minute."""
    refresh = active(group)
    if refresh is not None and refresh.batch:
        member.refresh_id = refresh.refresh_id


def step(b: AsgBackend, group: Group) -> None:
    """Advance the group's refresh by one decision."""
    refresh = active(group)
    if refresh is None:
        return
    if refresh.status == "Pending":
        refresh.status = "InProgress"
    members = group.members
    wait = warmup(group, refresh)
    ready = all(
        (m := members.get(i)) is not None
        and m.lifecycle == "InService"
        and m.health == "Healthy"
        and m.in_service_at is not None
        and b.now >= m.in_service_at + wait
        for i in refresh.batch
    )
    in_flight = [m for m in members.values() if m.lifecycle not in {"InService", "Standby"}]
    if not ready or in_flight:
        if refresh.blocked_since is None:
            refresh.blocked_since = b.now
        elif b.now - refresh.blocked_since > BLOCKED_LIMIT + wait:
            _end(
                b,
                group,
                refresh,
                "Failed",
                "The instance refresh could not complete in time: new instances did not become healthy.",
            )
        return
    if refresh.batch:  # the batch is ready: a wait for it is over (a wait for protected instances goes on)
        refresh.blocked_since = None
    refresh.batch = []
    if refresh.surge_out:  # the replacements launched first are ready: now the old instances go
        _surge_out(b, group, refresh)
        return
    refresh.to_replace = [i for i in refresh.to_replace if i in members]
    if refresh.status == "Cancelling":
        _end(b, group, refresh, "Cancelled", "")
        return
    if not refresh.to_replace:
        if refresh.target_lt:
            group.launch_template = dict(refresh.target_lt)
        _end(b, group, refresh, "Successful", "")
        return
    keep = math.ceil(group.desired * refresh.preferences["MinHealthyPercentage"] / 100)
    ceiling = group.desired * int(refresh.preferences.get("MaxHealthyPercentage", 100)) // 100
    size = max(1, max(ceiling, group.desired) - keep)
    if refresh.preferences["ScaleInProtectedInstances"] == "Ignore":  # protected ones are left as they are
        refresh.to_replace = [i for i in refresh.to_replace if not members[i].protected]
        if not refresh.to_replace:
            step(b, group)
            return
    # With "Wait" (the default) a protected instance is not replaced: the refresh waits, and fails after an hour.
    candidates = [
        members[i] for i in refresh.to_replace if members[i].lifecycle == "InService" and not members[i].protected
    ]
    if not candidates:
        if refresh.blocked_since is None:
            refresh.blocked_since = b.now
        elif b.now - refresh.blocked_since > BLOCKED_LIMIT:
            _end(b, group, refresh, "Failed", "Instance refresh could not replace instances protected from scale-in.")
        return
    _replace(b, group, refresh, candidates[:size], min(size, max(0, ceiling - group.desired)))


def _surge_out(b: AsgBackend, group: Group, refresh: Refresh) -> None:
    """Terminate the old instances whose replacements were launched first (MaxHealthyPercentage above 100)."""
    for iid in refresh.surge_out:
        m = group.members.get(iid)
        if m is not None and m.lifecycle in ("InService", "Pending"):
            cause = f"At {b.stamp()} an instance was taken out of service in response to an instance refresh."
            lifecycle.start_terminate(b, group, m, cause, after="decrement")
    refresh.surge_out = []


def _replace(b: AsgBackend, group: Group, refresh: Refresh, batch: list[Member], surge: int) -> None:
    """Start a batch: the first `surge` instances stay until their replacements are ready (launch before
    terminate); the others are terminated now and replaced."""
    members = group.members
    surge = min(surge, len(batch))
    before = set(members)
    for m in batch[surge:]:
        cause = f"At {b.stamp()} an instance was taken out of service in response to an instance refresh."
        lifecycle.start_terminate(b, group, m, cause)
    for m in batch:
        refresh.to_replace.remove(m.instance_id)
        refresh.replaced.append(m.instance_id)
    refresh.surge_out = [m.instance_id for m in batch[:surge]]
    refresh.blocked_since = None
    from awsprep.sim.autoscaling.reconcile import _launch, reconcile

    if surge:
        have = sum(1 for m in members.values() if m.lifecycle in lifecycle.ACTIVE)
        text = f"At {b.stamp()} an instance was launched in response to an instance refresh."
        _launch(b, group, surge, have, text)
    reconcile(b, group)  # launch the replacements now, from the desired configuration
    refresh.batch = [i for i in members if i not in before]


def _end(b: AsgBackend, group: Group, refresh: Refresh, status: str, reason: str) -> None:
    refresh.status = status
    refresh.ended = b.now
    refresh.reason = reason


def percentage(refresh: Refresh) -> int:
    """PercentageComplete."""
    if refresh.status == "Successful" or refresh.to_update == 0:
        return 100
    return int(100 * len(refresh.replaced) / refresh.to_update) if refresh.to_update else 100
