"""The ELBv2 backend of one Region, the lookups every operation shares, and the service's `SPEC`."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import not_simulated_message
from awsprep.sim.core.service import LabResource, ServiceSpec
from awsprep.sim.elbv2 import constraints
from awsprep.sim.elbv2.catalog import PRICES
from awsprep.sim.elbv2.errors import ELB_ERRORS as E
from awsprep.sim.elbv2.state import ElbRegionState, Listener, LoadBalancer, Rule, TargetGroup

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.elbv2.inflight import InFlight
    from awsprep.sim.elbv2.responses import Handler
    from awsprep.sim.world import World


class ElbBackend:
    """ELBv2 in one Region. `handle()` serves the API; the lookups raise the API's not-found errors."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region
        # health checks' last results by (group, target id, port), outside the state (elbv2/checkmemo.py)
        self.check_memo: dict[tuple[str, str, int | None], tuple[tuple[object, ...], tuple[bool, tuple[str, str]]]] = {}
        # slow requests still on their way to a target, by ticket (elbv2/inflight.py)
        self.inflight: dict[int, InFlight] = {}
        self.inflight_seq = 0

    @property
    def state(self) -> ElbRegionState:
        """The Region's state (looked up each time: a restore replaces it)."""
        found: ElbRegionState = self.world.region_state("elbv2", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions before)."""
        handler = _operations().get(operation)
        if handler is None:
            raise AwsError("UnsupportedOperation", not_simulated_message("elbv2", operation))
        constraints.check(operation, params)
        return handler(self, params)

    # ----- ARNs -----------------------------------------------------------------------------------------------
    def arn(self, resource: str) -> str:
        """`arn:aws:elasticloadbalancing:REGION:ACCOUNT:resource`."""
        return f"arn:aws:elasticloadbalancing:{self.region}:{self.world.account_id}:{resource}"

    def new_hex(self) -> str:
        """A 16-hex-digit resource id, as ELB uses in ARNs."""
        return f"{self.world.ids.rng.getrandbits(64):016x}"

    # ----- lookups ---------------------------------------------------------------------------------------------
    def load_balancer(self, arn: str) -> LoadBalancer:
        """A load balancer by ARN (LoadBalancerNotFound)."""
        found = self.state.load_balancers.get(arn)
        if found is None:
            raise E("LoadBalancerNotFound")
        return found

    def listener(self, arn: str) -> Listener:
        """A listener by ARN (ListenerNotFound)."""
        found = self.state.listeners.get(arn)
        if found is None:
            raise E("ListenerNotFound")
        return found

    def target_group(self, arn: str) -> TargetGroup:
        """A target group by ARN (TargetGroupNotFound)."""
        found = self.state.target_groups.get(arn)
        if found is None:
            raise E("TargetGroupNotFound")
        return found

    def rule(self, arn: str) -> tuple[Listener, Rule]:
        """A rule and its listener by rule ARN (RuleNotFound)."""
        listener_arn = self.state.rule_index.get(arn)
        listener = self.state.listeners.get(listener_arn or "")
        if listener is None:
            raise E("RuleNotFound")
        for rule in listener.rules:
            if rule.arn == arn:
                return listener, rule
        raise E("RuleNotFound")

    def listeners_of(self, lb_arn: str) -> list[Listener]:
        """The listeners of a load balancer, by port."""
        return sorted((li for li in self.state.listeners.values() if li.lb_arn == lb_arn), key=lambda li: li.port)

    def lb_arns_of(self, tg_arn: str) -> list[str]:
        """The load balancers whose listeners or rules forward to a target group."""
        found: list[str] = []
        for listener in self.state.listeners.values():
            if listener.lb_arn in found:
                continue
            if any(tg_arn in forward_targets(r.actions) for r in listener.rules):
                found.append(listener.lb_arn)
        return found

    def is_active(self, lb: LoadBalancer) -> bool:
        """Whether a load balancer has finished provisioning."""
        return self.world.now >= lb.active_at


def forward_targets(actions: list[dict[str, Any]]) -> list[str]:
    """Target group ARNs an action list forwards to."""
    out: list[str] = []
    for action in actions:
        if action.get("Type") != "forward":
            continue
        if action.get("TargetGroupArn"):
            out.append(action["TargetGroupArn"])
        for tg in action.get("ForwardConfig", {}).get("TargetGroups", []):
            if tg["TargetGroupArn"] not in out:
                out.append(tg["TargetGroupArn"])
    return out


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.elbv2.responses import OPERATIONS

    return OPERATIONS


def new_region_state(world: World, region: str) -> ElbRegionState:
    """An empty Region."""
    return ElbRegionState(region=region)


def _on_timer(world: World, timer: Timer) -> bool | None:
    from awsprep.sim.elbv2.health import on_timer

    return on_timer(world, timer)


def _lab_lookup(kind: str) -> Any:
    def find(world: World, region: str, ident: str) -> Any:
        from awsprep.sim.elbv2.lab import lookup

        return lookup(world, region, kind, ident)

    return find


def _lab_fields(kind: str) -> dict[str, Any]:
    from awsprep.sim.elbv2 import lab

    return lab.FIELDS.get(kind, {})


def _endpoints(world: World, region: str) -> Any:
    from awsprep.sim.elbv2.endpoints import lb_endpoints

    return lb_endpoints(world, region)


def _endpoint(world: World, region: str, endpoint_id: str) -> Any:
    from awsprep.sim.elbv2.endpoints import lb_endpoint

    return lb_endpoint(world, region, endpoint_id)


def _instance_state(world: World, event: Any) -> None:
    # Every EC2 state change comes here: without ELB state in the instance's Region (a target group takes only
    # instances of its own Region) there is nothing to update, so bail out before the import.
    if not world.has_region_state("elbv2", event.region):
        return
    from awsprep.sim.elbv2.health import on_instance_state

    on_instance_state(world, event)


SPEC = ServiceSpec(
    name="elbv2",
    iam_prefix="elasticloadbalancing",
    title="Elastic Load Balancing",
    state_type=ElbRegionState,
    new_state=new_region_state,
    make_backend=ElbBackend,
    on_timer=_on_timer,
    handlers=(("instance-state", _instance_state),),
    prices=PRICES,
    endpoints=_endpoints,
    endpoint=_endpoint,
    lab_resources={
        "load_balancer": LabResource(_lab_lookup("load_balancer"), _lab_fields("load_balancer")),
        "target_group": LabResource(_lab_lookup("target_group"), _lab_fields("target_group")),
        "listener": LabResource(_lab_lookup("listener"), _lab_fields("listener")),
    },
)
