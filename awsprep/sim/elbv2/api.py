"""ELBv2's typed API for other services (Auto Scaling registers instances, Lambda answers invocations).

Every call that changes something takes the calling principal and is authorised like the API action it
stands for (`elasticloadbalancing:RegisterTargets`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from awsprep.sim.core.account import LEARNER, Principal
from awsprep.sim.core.endpoint import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend
    from awsprep.sim.elbv2.state import LoadBalancer, TargetGroup
    from awsprep.sim.world import World

# A Lambda service answers ALB invocations by registering `fn(world, function_arn, request) -> HttpResponse`.
LambdaInvoker = Callable[["World", str, HttpRequest], HttpResponse]
_LAMBDA: list[LambdaInvoker] = []


def backend(world: World, region: str | None = None) -> ElbBackend:
    """The typed ELBv2 backend of a Region (the default Region when None)."""
    from awsprep.sim.elbv2.models import ElbBackend

    found = world.backend("elbv2", region)
    assert isinstance(found, ElbBackend)
    return found


def set_lambda_invoker(fn: LambdaInvoker) -> None:
    """Let a Lambda package answer requests forwarded to `lambda` target groups."""
    _LAMBDA[:] = [fn]


def invoke_lambda(world: World, function_arn: str, request: HttpRequest) -> HttpResponse:
    """Forward a request to a Lambda target (502 from the load balancer while no Lambda service answers)."""
    if _LAMBDA:
        return _LAMBDA[0](world, function_arn, request)
    from awsprep.sim.elbv2.dataplane import _elb_response

    out = _elb_response(502)
    out.trace.append("awsprep: no Lambda service answers this function yet: 502")
    return out


def target_group(world: World, region: str, arn: str) -> TargetGroup | None:
    """A target group (None when there is none)."""
    return backend(world, region).state.target_groups.get(arn)


def load_balancer(world: World, region: str, arn: str) -> LoadBalancer | None:
    """A load balancer (None when there is none)."""
    return backend(world, region).state.load_balancers.get(arn)


def register(world: World, region: str, tg_arn: str, instance_ids: list[str], principal: Principal = LEARNER) -> None:
    """RegisterTargets as `principal` (Auto Scaling's role attaches its instances this way)."""
    from awsprep.sim.elbv2.targets import register_targets

    world.authorize("elbv2", "RegisterTargets", principal)
    b = backend(world, region)
    register_targets(b, b.target_group(tg_arn), [{"Id": i} for i in instance_ids])


def deregister(world: World, region: str, tg_arn: str, instance_ids: list[str], principal: Principal = LEARNER) -> None:
    """DeregisterTargets as `principal` (the targets drain for the deregistration delay)."""
    from awsprep.sim.elbv2.targets import deregister_targets

    world.authorize("elbv2", "DeregisterTargets", principal)
    b = backend(world, region)
    deregister_targets(b, b.target_group(tg_arn), [{"Id": i} for i in instance_ids])


def target_states(world: World, region: str, tg_arn: str) -> dict[str, str]:
    """Target id -> health state of a group."""
    tg = backend(world, region).target_group(tg_arn)
    return {t.target_id: t.state for t in tg.targets.values()}
