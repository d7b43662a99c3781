"""Target health as timers (spec §4b): one recurring check timer per target group, the drain timers, and
the states describe-target-health reports.

Each check goes from a load balancer node (its address and security groups) to the target through the core's
network (`net.connect`, then `net.serve` for HTTP), so a security group that admits only the laptop, or a
stopped web server, fails the check exactly as it would on AWS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.sim import ec2
from awsprep.sim.core.endpoint import HttpRequest
from awsprep.sim.core.events import SimEvent
from awsprep.sim.elbv2 import inflight
from awsprep.sim.elbv2.checkmemo import Round, check_key, recall, remember
from awsprep.sim.elbv2.state import LoadBalancer, Target, TargetGroup

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.elbv2.models import ElbBackend
    from awsprep.sim.world import World

REGISTERING = ("Elb.RegistrationInProgress", "Target registration is in progress")
INITIAL = ("Elb.InitialHealthChecking", "Initial health checks in progress")
NOT_IN_USE = ("Target.NotInUse", "Target group is not configured to receive traffic from the load balancer")
ZONE_NOT_IN_USE = ("Target.NotInUse", "Target is in an Availability Zone that is not enabled for the load balancer")
DISABLED = ("Target.HealthCheckDisabled", "Health checks are disabled")


def _backend(world: World, region: str) -> ElbBackend:
    from awsprep.sim.elbv2 import backend

    return backend(world, region)


def start_checks(b: ElbBackend, tg: TargetGroup) -> None:
    """(Re)start a group's recurring health-check timer at its interval."""
    b.world.cancel_timers("elbv2", b.region, kind="health", target=tg.arn)
    tg.check_token += 1
    if tg.health.enabled:
        every = float(tg.health.interval)
        b.world.schedule(every, "elbv2", b.region, "health", tg.arn, tg.check_token, every=every)


def _set(target: Target, state: str, why: tuple[str, str] | None) -> None:
    target.state = state
    target.reason, target.description = why if why else (None, None)


def balancers_of(b: ElbBackend, tg: TargetGroup) -> list[LoadBalancer]:
    """The load balancers forwarding to a group."""
    return [b.state.load_balancers[a] for a in b.lb_arns_of(tg.arn) if a in b.state.load_balancers]


def _static_state(
    b: ElbBackend, tg: TargetGroup, target: Target, lbs: list[LoadBalancer], rnd: Round | None = None
) -> bool:
    """Set the states that need no check (not in use, stopped, zone not enabled); True when one applied.
    `rnd`: a round of checks that looked the instances and zones up once for every target."""
    if target.state == "draining":
        return True
    if not lbs:
        _set(target, "unused", NOT_IN_USE)
        return True
    if tg.target_type == "instance":
        tid = target.target_id
        inst = rnd.instances.get(tid) if rnd is not None else ec2.instance(b.world, b.region, tid)
        if inst is None or inst.state != "running":
            state = inst.state if inst is not None else "terminated"
            _set(target, "unused", ("Target.InvalidState", f"Target is in the {state} state"))
            return True
    zones = rnd.zones if rnd is not None else {n.zone for lb in lbs for n in lb.nodes}
    if target.zone not in (None, "all") and target.zone not in zones:
        _set(target, "unused", ZONE_NOT_IN_USE)
        return True
    if not tg.health.enabled:
        _set(target, "unavailable", DISABLED)
        return True
    if target.state in ("unused", "unavailable"):
        target.passes = target.fails = target.checks = 0
        _set(target, "initial", REGISTERING)
    return False


def initial_state(b: ElbBackend, tg: TargetGroup, target: Target) -> None:
    """The state of a newly registered target (initial, or unused when nothing routes to it)."""
    lbs = balancers_of(b, tg)
    if not _static_state(b, tg, target, lbs):
        _set(target, "initial", REGISTERING)


def refresh_usage(b: ElbBackend) -> None:
    """After listeners or rules change: groups that gained or lost a load balancer change state."""
    for tg in b.state.target_groups.values():
        lbs = balancers_of(b, tg)
        for target in tg.targets.values():
            _static_state(b, tg, target, lbs)


def check_target(b: ElbBackend, tg: TargetGroup, target: Target, lb: LoadBalancer) -> tuple[bool, tuple[str, str]]:
    """One health check from a node of `lb`: (passed, (reason, description) when it failed)."""
    from awsprep.sim.ec2.endpoints import instance_endpoint
    from awsprep.sim.elbv2.endpoints import node_source
    from awsprep.sim.net import Outcome, connect, endpoint_by_id, serve

    if tg.target_type == "lambda":
        return True, ("", "")  # invoking the function is Lambda's part (a typed call, once Lambda exists)
    node = next((n for n in lb.nodes if n.zone == target.zone), lb.nodes[0])
    port = target.port if tg.health.port == "traffic-port" else int(tg.health.port)
    dest = instance_endpoint(b.world, b.region, target.target_id, inside=True) if tg.target_type == "instance" else None
    host = dest.private_ip or target.target_id if dest is not None else target.target_id
    src = node_source(b, lb, node)
    reach = connect(b.world, host, port or 80, "tcp", src.endpoint_id, b.region, dest=dest, src=src)
    if reach.outcome is Outcome.TIMEOUT:
        return False, ("Target.Timeout", "Request timed out")
    if reach.outcome is Outcome.REFUSED:
        return False, ("Target.FailedHealthChecks", "Health checks failed")
    if tg.health.protocol not in ("HTTP", "HTTPS") or reach.endpoint_id is None:
        return True, ("", "")
    ep = dest if dest is not None else endpoint_by_id(b.world, reach.endpoint_id)
    if ep is not None and ep.http is not None:
        headers = {"User-Agent": "ELB-HealthChecker/2.0"}
        response = ep.http(HttpRequest(port or 80, "GET", tg.health.path or "/", headers, node.private_ip))
        if response is not None and response.elapsed >= tg.health.timeout:
            return False, ("Target.Timeout", "Request timed out")  # a page slower than the check's timeout
        answer = None if response is None or not response.status else (response.status, response.body, "")
    else:
        answer = serve(b.world, reach.endpoint_id, port or 80, "GET", tg.health.path or "/")
    if answer is None:
        return False, ("Target.FailedHealthChecks", "Health checks failed")
    status = answer[0]
    if not matches(tg.health.matcher or "200", status):
        return False, ("Target.ResponseCodeMismatch", f"Health checks failed with these codes: [{status}]")
    return True, ("", "")


def matches(matcher: str, status: int) -> bool:
    """Whether an HTTP status is in a matcher (`200`, `200,202`, `200-299`)."""
    for part in matcher.split(","):
        low, _, high = part.partition("-")
        if int(low) <= status <= int(high or low):
            return True
    return False


def run_checks(b: ElbBackend, tg: TargetGroup) -> None:
    """One round of health checks on every target of a group (the timer's work). A target whose check would
    read exactly what its last one read reuses that result (elbv2/checkmemo.py); each check still counts."""
    lbs = balancers_of(b, tg)
    active = [lb for lb in lbs if b.is_active(lb)]
    rnd = Round(b, lbs)
    for target in list(tg.targets.values()):
        if _static_state(b, tg, target, lbs, rnd) or not active:
            continue
        before = target.state
        key = check_key(rnd, tg, target, active[0])
        found = recall(b, tg, target, key) if key is not None else None
        if found is None:
            found = check_target(b, tg, target, active[0])
            if key is not None:
                remember(b, tg, target, key, found)
        passed, why = found
        target.checks += 1
        if passed:
            target.passes += 1
            target.fails = 0
            if target.state == "initial" or (target.state == "unhealthy" and target.passes >= tg.health.healthy):
                _set(target, "healthy", None)
                target.healthy_since = b.world.now
        else:
            target.fails += 1
            target.passes = 0
            if target.fails >= tg.health.unhealthy:
                _set(target, "unhealthy", why)
            elif target.state == "initial":
                _set(target, "initial", INITIAL)
        if target.state != before and b.world.listening:
            b.world.emit(
                SimEvent(
                    "target-health",
                    "elbv2",
                    b.region,
                    target.target_id,
                    {
                        "target_group": tg.arn,
                        "previous": before,
                        "current": target.state,
                        "reason": target.reason or "",
                    },
                )
            )
    from awsprep.sim.elbv2.metrics import publish_health

    publish_health(b, tg, lbs)


def on_timer(world: World, timer: Timer) -> bool | None:
    """Health-check rounds and the end of draining."""
    b = _backend(world, timer.region)
    if timer.kind == "health":
        tg = b.state.target_groups.get(timer.target)
        if tg is None or timer.token != tg.check_token:
            return False
        run_checks(b, tg)
        return None
    if timer.kind == "drained":
        tg_arn, _, key = timer.target.partition("|")
        tg = b.state.target_groups.get(tg_arn)
        if tg is not None and key in tg.targets and tg.targets[key].state == "draining":
            inflight.cut(b, "the deregistration delay ended", tg_arn, key)
            del tg.targets[key]
        return None
    if timer.kind == "metrics":
        from awsprep.sim.elbv2.metrics import flush_minute

        flush_minute(b, timer.target)
        return None
    if timer.kind == "lcu":
        from awsprep.sim.elbv2.metrics import bill_lcus

        return bill_lcus(b, timer.target)
    return None


_GONE = ("stopping", "stopped", "shutting-down", "terminated")


def on_instance_state(world: World, event: SimEvent) -> None:
    """A stopped or terminated instance becomes `unused` in every group it is registered in (groups of its own
    Region: RegisterTargets takes only instances of the group's Region)."""
    if world.has_region_state("elbv2", event.region):
        b = _backend(world, event.region)
        if event.detail.get("current") in _GONE:  # its web server goes with it: requests in flight are cut
            inflight.cut(b, "the target closed the connection", instance_id=event.resource_id)
        for tg in b.state.target_groups.values():
            if tg.target_type != "instance":
                continue
            hit = [t for t in tg.targets.values() if t.target_id == event.resource_id]
            if hit:
                lbs = balancers_of(b, tg)
                for t in hit:
                    _static_state(b, tg, t, lbs)
