"""The Auto Scaling backend of one Region, the lookups and bookkeeping every operation shares, and `SPEC`.

Auto Scaling acts on other services only through their typed APIs (`ec2.launch`, `ec2.terminate`,
`elbv2.register`, …) and always as its service-linked role (`AUTOSCALING_ROLE`), so a learner who denies that
role an action sees the activity fail with AWS's access-denied reason.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.state import Activity, AsgRegionState, Group, Member
from awsprep.sim.core.clock import to_datetime
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.responses import Handler
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.core.events import SimEvent
    from awsprep.sim.world import World

TICK = 60.0  # health checks, target tracking, scheduled actions and refreshes are looked at every minute
RECONCILE_DELAY = 10.0  # a changed group acts within seconds, as AWS does
ACTIVITY_LIMIT = 1000  # kept per Region, newest first (AWS keeps six weeks)


class AsgBackend:
    """EC2 Auto Scaling in one Region."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> AsgRegionState:
        """The Region's state (looked up each time: a restore replaces it)."""
        found: AsgRegionState = self.world.region_state("autoscaling", self.region)
        return found

    @property
    def now(self) -> float:
        """The simulated time."""
        return self.world.now

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions before)."""
        handler = handler_for("autoscaling", _operations(), operation)
        return handler(self, params)

    # ----- names and ids --------------------------------------------------------------------------------
    def arn(self, resource: str) -> str:
        """`arn:aws:autoscaling:REGION:ACCOUNT:resource`."""
        return f"arn:aws:autoscaling:{self.region}:{self.world.account_id}:{resource}"

    def uuid(self) -> str:
        """A random UUID from the world's seeded generator (activity ids, group ARNs, hook tokens)."""
        n = self.world.ids.rng.getrandbits(128)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    # ----- lookups -----------------------------------------------------------------------------------------
    def group(self, name: str | None) -> Group:
        """A group by name or ARN (ValidationError when there is none)."""
        found = self.find_group(name or "")
        if found is None:
            raise E("GroupNotFound", name=name)
        return found

    def find_group(self, name: str) -> Group | None:
        """A group by name or ARN (None when there is none)."""
        if name.startswith("arn:"):
            name = name.rsplit("autoScalingGroupName/", 1)[-1]
        return self.state.groups.get(name)

    def member(self, instance_id: str) -> tuple[Group, Member] | None:
        """The group and membership of an instance (None when it is in no group of this Region)."""
        name = self.state.member_index.get(instance_id)
        group = self.state.groups.get(name or "")
        if group is None or instance_id not in group.members:
            return None
        return group, group.members[instance_id]

    def member_of(self, group: Group, instance_id: str) -> Member:
        """A member of a given group (ValidationError when the instance is not in it)."""
        found = group.members.get(instance_id)
        if found is None:
            raise E("InstanceNotInThisGroup", iid=instance_id, group=group.name)
        return found

    # ----- activities and the clock -------------------------------------------------------------------------
    def stamp(self, ts: float | None = None) -> str:
        """`2025-01-06T09:00:00Z`: how a Cause writes the time."""
        return to_datetime(self.now if ts is None else ts).strftime("%Y-%m-%dT%H:%M:%SZ")

    def activity(self, group: Group, description: str, cause: str, status: str = "InProgress", **kw: Any) -> Activity:
        """Record an activity (newest first)."""
        act = Activity(self.uuid(), group.name, description, cause, self.now, status, **kw)
        if status not in ("InProgress", "PreInService", "WaitingForELBConnectionDraining", "MidLifecycleAction"):
            act.end, act.progress = self.now, 100
        acts = self.state.activities
        acts.insert(0, act)
        del acts[ACTIVITY_LIMIT:]
        return act

    def find_activity(self, activity_id: str) -> Activity | None:
        """An activity by id."""
        return next((a for a in self.state.activities if a.activity_id == activity_id), None)

    def finish(self, activity_id: str, status: str = "Successful", message: str = "") -> None:
        """End an activity."""
        act = self.find_activity(activity_id)
        if act is not None and act.end is None:
            act.status, act.end, act.progress = status, self.now, 100
            if message:
                act.message = message

    def desired_change(self, group: Group, cause: str, desired: int) -> None:
        """Change the desired capacity; `cause` ("a user request explicitly set group desired capacity") is
        written as AWS does, and prefixes the activities that follow."""
        if desired != group.desired:
            group.cause = f"At {self.stamp()} {cause} changing the desired capacity from {group.desired} to {desired}."
        group.desired = desired
        self.queue(group)

    def queue(self, group: Group, delay: float = RECONCILE_DELAY) -> None:
        """Ask for the group to be reconciled soon (once, however often it is asked)."""
        self.ensure_ticking()
        if not group.reconcile_queued:
            group.reconcile_queued = True
            self.world.schedule(delay, "autoscaling", self.region, "reconcile", group.name)

    def ensure_ticking(self) -> None:
        """Start the Region's minute timer (once)."""
        if not self.state.ticking:
            self.state.ticking = True
            offset = self.now % TICK
            self.world.schedule(TICK - offset if offset else TICK, "autoscaling", self.region, "tick", "", 0, TICK)


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.autoscaling.responses import OPERATIONS

    return OPERATIONS


def backend(world: World, region: str | None = None) -> AsgBackend:
    """The typed Auto Scaling backend of a Region (the default Region when None)."""
    found = world.backend("autoscaling", region)
    assert isinstance(found, AsgBackend)
    return found


def _on_timer(world: World, timer: Timer) -> bool | None:
    from awsprep.sim.autoscaling.timers import on_timer

    return on_timer(world, timer)


def _on_instance_state(world: World, event: SimEvent) -> None:
    if not world.has_region_state("autoscaling", event.region):
        return  # every EC2 state change comes here: no group in that Region, nothing to do (and no import)
    from awsprep.sim.autoscaling.health import on_instance_state

    on_instance_state(world, event)


def _on_target_health(world: World, event: SimEvent) -> None:
    from awsprep.sim.autoscaling.health import on_target_health

    on_target_health(world, event)


def _lab_lookup(world: World, region: str, ident: str) -> Any:
    if not world.has_region_state("autoscaling", region):
        return None
    return backend(world, region).find_group(ident)


def _lab_fields() -> dict[str, Any]:
    from awsprep.sim.autoscaling.lab import FIELDS

    return FIELDS


SPEC = ServiceSpec(
    name="autoscaling",
    iam_prefix="autoscaling",
    title="Amazon EC2 Auto Scaling",
    state_type=AsgRegionState,
    new_state=lambda world, region: AsgRegionState(region=region),
    make_backend=AsgBackend,
    on_timer=_on_timer,
    handlers=(("instance-state", _on_instance_state), ("target-health", _on_target_health)),
    lab_resources={"auto_scaling_group": LabResource(_lab_lookup, _lab_fields())},
)
