"""Health checks reuse a target's last result while nothing the check reads has changed.

A check of an instance target walks the whole network path (the node as source, security groups both ways,
the guest's web server) and a 100-instance group checked every 30 s spent most of a simulated day there. For an
instance in the load balancer's VPC serving files (no PHP), that check is a pure function of the values
`check_key` gathers: the group's health-check settings, the load balancer (VPC, scheme, security groups, nodes),
the rules of every security group involved, the target's zone and port, the instance's state, address and
groups, and what its web server would answer for the path (`ec2.endpoints.answer_key`). Equal keys give the
same result, so each target keeps its last (key, result) and a changed value (a file edited to answer 500, a
changed matcher, a revoked rule, `systemctl stop httpd`) is seen at the very next check. Counting stays check by
check in `health.run_checks`. Targets the key cannot describe (IP, Lambda and ALB targets, PHP pages, an
instance in another VPC) are checked in full every time. The memo lives on the backend, outside the state:
a restore or reset builds new backends and so starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.sim import ec2
from awsprep.sim.ec2.endpoints import answer_key
from awsprep.sim.net.reach import rules_key

if TYPE_CHECKING:
    from awsprep.sim.ec2.state import Instance
    from awsprep.sim.elbv2.models import ElbBackend
    from awsprep.sim.elbv2.state import LoadBalancer, Target, TargetGroup

Result = tuple[bool, tuple[str, str]]


class Round:
    """What one round of a group's checks looks up once instead of per target."""

    __slots__ = ("_bases", "_rules", "b", "instances", "zones")

    def __init__(self, b: ElbBackend, lbs: list[LoadBalancer]) -> None:
        self.b = b
        self.instances: dict[str, Instance] = ec2.backend(b.world, b.region).state.instances
        self.zones = {n.zone for lb in lbs for n in lb.nodes}
        self._rules: dict[tuple[str, ...], tuple[object, ...]] = {}
        self._bases: dict[str, tuple[object, ...]] = {}

    def rules(self, groups: tuple[str, ...]) -> tuple[object, ...]:
        found = self._rules.get(groups)
        if found is None:
            found = self._rules[groups] = rules_key(self.b.world, self.b.region, groups)
        return found

    def base(self, tg: TargetGroup, lb: LoadBalancer) -> tuple[object, ...]:
        """The part of every target's key that the group and the load balancer give."""
        found = self._bases.get(lb.arn)
        if found is None:
            hc = tg.health
            groups = tuple(lb.security_groups)
            nodes = tuple((n.zone, n.private_ip, n.public_ip) for n in lb.nodes)
            found = (hc.protocol, hc.port, hc.path, hc.matcher, hc.timeout, lb.arn, lb.vpc_id, lb.scheme, groups)
            found = self._bases[lb.arn] = (*found, self.rules(groups), nodes, self.b.region)
        return found


def check_key(rnd: Round, tg: TargetGroup, target: Target, lb: LoadBalancer) -> tuple[object, ...] | None:
    """Everything a check of `target` from `lb` reads, or None when it must run in full."""
    if tg.target_type != "instance":
        return None
    inst = rnd.instances.get(target.target_id)
    if inst is None or not inst.private_ip or inst.vpc_id != lb.vpc_id:
        return None
    hc = tg.health
    port = (target.port if hc.port == "traffic-port" else int(hc.port)) or 80
    answer = answer_key(inst, port, hc.path or "/")
    if answer is None:
        return None
    groups = tuple(inst.security_group_ids)
    return (rnd.base(tg, lb), target.zone, port, inst.state, inst.private_ip, groups, rnd.rules(groups), answer)


def recall(b: ElbBackend, tg: TargetGroup, target: Target, key: tuple[object, ...]) -> Result | None:
    """The target's last result when it was reached with an equal key."""
    last = b.check_memo.get((tg.arn, target.target_id, target.port))
    return last[1] if last is not None and last[0] == key else None


def remember(b: ElbBackend, tg: TargetGroup, target: Target, key: tuple[object, ...], result: Result) -> None:
    """Keep a full check's result for the next check with the same key."""
    memo = b.check_memo
    if len(memo) > 100_000:  # targets long deregistered: cheaper to forget all than to track them
        memo.clear()
    memo[(tg.arn, target.target_id, target.port)] = (key, result)
