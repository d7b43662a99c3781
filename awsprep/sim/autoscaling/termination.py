"""Which instance goes on scale-in: Availability Zone balance first, then the group's termination policies.

As ec2-auto-scaling-termination-policies.html describes: the AZ with the most instances that has at least one
instance not protected from scale-in is chosen first, whatever the policies; then each policy in the order given
narrows the candidates; `Default` is OldestLaunchConfiguration/OldestLaunchTemplate (instances on a launch
configuration go first), then ClosestToNextInstanceHour, then a random pick. `AllocationStrategy` only matters
for mixed-instances groups, which awsprep does not simulate, so it narrows nothing here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from awsprep.sim.autoscaling.lifecycle import ACTIVE
from awsprep.sim.autoscaling.state import Group, Member

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

POLICIES = (
    "Default",
    "AllocationStrategy",
    "OldestLaunchTemplate",
    "OldestLaunchConfiguration",
    "ClosestToNextInstanceHour",
    "NewestInstance",
    "OldestInstance",
)

Narrow = Callable[["AsgBackend", Group, list[Member]], list[Member]]


def _keep_min(members: list[Member], key: Callable[[Member], float]) -> list[Member]:
    best = min(key(m) for m in members)
    return [m for m in members if key(m) == best]


def _oldest_instance(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    return _keep_min(ms, lambda m: m.launched_at)


def _newest_instance(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    return _keep_min(ms, lambda m: -m.launched_at)


def _oldest_lc(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    on_lc = [m for m in ms if m.launch_config]
    if not on_lc:
        return ms
    configs = b.state.launch_configs

    def created(m: Member) -> float:
        lc = configs.get(m.launch_config or "")
        return lc.created if lc else 0.0  # a deleted configuration is the oldest of all

    return _keep_min(on_lc, created)


def _oldest_lt(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    current = (g.launch_template or {}).get("LaunchTemplateId")

    def age(m: Member) -> float:
        lt = m.launch_template or {}
        other = 0 if lt.get("LaunchTemplateId") != current else 1  # another template than the group's: first
        return other * 1e9 + int(lt.get("Version", "0") or 0)

    with_lt = [m for m in ms if m.launch_template]
    return _keep_min(with_lt, age) if with_lt else ms


def _closest_hour(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    return _keep_min(ms, lambda m: 3600 - ((b.now - m.launched_at) % 3600))


def _allocation(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    return ms


def _default(b: AsgBackend, g: Group, ms: list[Member]) -> list[Member]:
    ms = _oldest_lc(b, g, ms)
    if len(ms) > 1 and not any(m.launch_config for m in ms):
        ms = _oldest_lt(b, g, ms)
    if len(ms) > 1:
        ms = _closest_hour(b, g, ms)
    return ms


NARROW: dict[str, Narrow] = {
    "Default": _default,
    "AllocationStrategy": _allocation,
    "OldestLaunchTemplate": _oldest_lt,
    "OldestLaunchConfiguration": _oldest_lc,
    "ClosestToNextInstanceHour": _closest_hour,
    "NewestInstance": _newest_instance,
    "OldestInstance": _oldest_instance,
}


def choose(b: AsgBackend, group: Group, count: int, pool: list[Member] | None = None) -> list[Member]:
    """Up to `count` instances to terminate, one at a time (so AZ balance is kept after each pick)."""
    members = [m for m in group.members.values() if m.lifecycle in ACTIVE]
    chosen: list[Member] = []
    gone: set[str] = set()  # by instance id: members compared as dataclasses made a large scale-in quadratic
    for _ in range(count):
        left = [m for m in members if m.instance_id not in gone]
        ids = {m.instance_id for m in left}
        candidates = [m for m in (pool if pool is not None else left) if m.instance_id in ids and not m.protected]
        if not candidates:
            break
        chosen.append(pick_one(b, group, left, candidates))
        gone.add(chosen[-1].instance_id)
    return chosen


def pick_one(b: AsgBackend, group: Group, members: list[Member], candidates: list[Member]) -> Member:
    """The next instance to terminate among `candidates` (unprotected), AZ balance first."""
    zones = set(group_zones(b, group))
    stray = [m for m in candidates if m.az not in zones]
    if stray:  # instances in a zone the group no longer uses go first (rebalancing)
        candidates = stray
    else:
        counts = Counter(m.az for m in members)
        most = max(counts[m.az] for m in candidates)
        candidates = [m for m in candidates if counts[m.az] == most]
    for policy in [*group.termination_policies, "Default"]:
        if len(candidates) == 1:
            break
        candidates = NARROW.get(policy, _default)(b, group, candidates) or candidates
    if len(candidates) > 1:
        ordered = sorted(candidates, key=lambda m: m.instance_id)
        return ordered[b.world.ids.rng.randrange(len(ordered))]
    return candidates[0]


def group_zones(b: AsgBackend, group: Group) -> list[str]:
    """The group's Availability Zones, in the order of its subnets (or as given)."""
    from awsprep.sim.autoscaling.placement import zone_subnets

    return list(zone_subnets(b, group))
