"""The Classic Load Balancer backend of one Region, its health checks (one per load balancer, a recurring
timer), and the service's `SPEC` (`aws elb …`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.pricing import flat
from awsprep.sim.core.registry import not_simulated_message
from awsprep.sim.core.service import ServiceSpec
from awsprep.sim.elb.errors import CLB_ERRORS as E
from awsprep.sim.elb.state import ClassicLb, ClbInstance, ClbRegionState
from awsprep.sim.elbv2 import constraints

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.world import World

CLB_HOUR = 0.025  # us-east-1, https://aws.amazon.com/elasticloadbalancing/pricing/ (Classic Load Balancer)
OUT_REGISTERING = "Instance registration is still in progress."
OUT_FAILED = "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."
OUT_NOT_REGISTERED = "Instance is not currently registered with the LoadBalancer."
IN_DRAINING = "Instance deregistration currently in progress."


class ClbBackend:
    """Classic Load Balancing in one Region."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> ClbRegionState:
        """The Region's state."""
        found: ClbRegionState = self.world.region_state("elb", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation."""
        from awsprep.sim.elb.responses import OPERATIONS

        handler = OPERATIONS.get(operation)
        if handler is None:
            raise AwsError("UnsupportedOperation", not_simulated_message("elb", operation))
        constraints.check(operation, params, constraints.CLASSIC_LIMITS)  # the model's ranges, as ELBv2 words them
        return handler(self, params)

    def lb(self, name: str) -> ClassicLb:
        """A load balancer by name (LoadBalancerNotFound)."""
        found = self.state.load_balancers.get(name)
        if found is None:
            raise E("LoadBalancerNotFound", name=name)
        return found

    def start_checks(self, lb: ClassicLb) -> None:
        """(Re)start the load balancer's health-check timer at its interval."""
        self.world.cancel_timers("elb", self.region, kind="health", target=lb.name)
        self.world.schedule(lb.interval, "elb", self.region, "health", lb.name, every=float(lb.interval))

    def check(self, lb: ClassicLb, inst: ClbInstance) -> bool:
        """One health check from a node (its address and the load balancer's groups), as the target says:
        `TCP:80` connects; `HTTP:80/index.html` must answer 200."""
        from awsprep.sim.net import Outcome, connect

        protocol, _, rest = lb.health_target.partition(":")
        port_text, _, path = rest.partition("/")
        dest = self.world.endpoint(inst.instance_id, self.region)
        if dest is None or not dest.up:
            return False
        reach = connect(
            self.world, dest.private_ip or "", int(port_text), "tcp", node_ids(lb)[0], self.region, dest=dest
        )
        if reach.outcome is not Outcome.CONNECTED:
            return False
        if protocol.upper() in ("HTTP", "HTTPS"):
            answer = dest.serve(int(port_text), "GET", "/" + path)
            return answer is not None and answer[0] == 200
        return True

    def run_checks(self, lb: ClassicLb) -> None:
        """A round of checks: InService after `healthy` passes in a row, OutOfService after `unhealthy` fails."""
        for inst in list(lb.instances.values()):
            if inst.drain_until:
                if self.world.now >= inst.drain_until:
                    del lb.instances[inst.instance_id]
                continue
            if self.check(lb, inst):
                inst.passes, inst.fails = inst.passes + 1, 0
                if inst.state == "OutOfService" and inst.passes >= lb.healthy:
                    inst.state, inst.reason, inst.description = "InService", "N/A", "N/A"
            else:
                inst.passes, inst.fails = 0, inst.fails + 1
                if inst.state == "InService" and inst.fails >= lb.unhealthy:
                    inst.state, inst.reason, inst.description = "OutOfService", "Instance", OUT_FAILED
                elif inst.state == "OutOfService" and inst.fails >= lb.unhealthy:
                    inst.reason, inst.description = "Instance", OUT_FAILED


def node_ids(lb: ClassicLb) -> list[str]:
    """Endpoint ids of the load balancer's nodes, one per subnet."""
    return [f"clb-{lb.name}-{i}" for i in range(len(lb.node_ips))]


def _on_timer(world: World, timer: Timer) -> bool | None:
    b = backend(world, timer.region)
    lb = b.state.load_balancers.get(timer.target)
    if lb is None:
        return False
    b.run_checks(lb)
    return None


def backend(world: World, region: str | None = None) -> ClbBackend:
    """The typed Classic Load Balancing backend of a Region."""
    found = world.backend("elb", region)
    assert isinstance(found, ClbBackend)
    return found


def _endpoints(world: World, region: str) -> Any:
    from awsprep.sim.elb.dataplane import clb_endpoints

    return clb_endpoints(world, region)


def default_subnets(world: World, region: str, zones: list[str]) -> list[str]:
    """The default subnets of the given zones (a CLB created with --availability-zones)."""
    vpc = ec2.default_vpc(world, region).vpc_id
    return [s.subnet_id for z in zones for s in ec2.subnets(world, region, vpc) if s.az == z and s.default_for_az]


SPEC = ServiceSpec(
    name="elb",
    iam_prefix="elasticloadbalancing",
    title="Elastic Load Balancing (Classic)",
    state_type=ClbRegionState,
    new_state=lambda world, region: ClbRegionState(region=region),
    make_backend=ClbBackend,
    on_timer=_on_timer,
    prices={"clb": flat(CLB_HOUR)},
    endpoints=_endpoints,
)
