"""What ELB puts on the network: one endpoint per load balancer node (one per enabled AZ).

The DNS name resolves only once the load balancer is `active` (as Route 53 answers only then); an
internet-facing node has a public address the laptop can reach, an internal one only a private address.
The node carries the load balancer's security groups, so a target's rule naming that group admits it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import Datagram, DatagramReply, Endpoint, HttpAnswer, HttpRequest, HttpResponse
from awsprep.sim.elbv2.state import LoadBalancer, Node

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend
    from awsprep.sim.world import World


def node_id(lb: LoadBalancer, node: Node) -> str:
    """The endpoint id of a node (`elb-50dc6c495c0c9188-us-east-1a`)."""
    return f"elb-{lb.lb_id}-{node.zone}"


def lb_endpoints(world: World, region: str) -> Iterator[Endpoint]:
    """Every node of every load balancer of the Region."""
    from awsprep.sim.elbv2 import backend

    b = backend(world, region)
    for lb in b.state.load_balancers.values():
        for node in lb.nodes:
            yield node_endpoint(b, lb, node)


def lb_endpoint(world: World, region: str, endpoint_id: str) -> Endpoint | None:
    """One node by its endpoint id (`elb-LBID-ZONE`), without building the others."""
    from awsprep.sim.elbv2 import backend

    if not endpoint_id.startswith("elb-"):
        return None
    b = backend(world, region)
    for lb in b.state.load_balancers.values():
        if endpoint_id.startswith(f"elb-{lb.lb_id}-"):
            node = next((n for n in lb.nodes if node_id(lb, n) == endpoint_id), None)
            return None if node is None else node_endpoint(b, lb, node)
    return None


def node_endpoint(b: ElbBackend, lb: LoadBalancer, node: Node) -> Endpoint:
    """A node as the network sees it (its addresses, the load balancer's security groups, its listeners)."""
    world, region = b.world, b.region
    active = b.is_active(lb)
    public = lb.scheme == "internet-facing"
    ports = {li.port: li.protocol for li in b.listeners_of(lb.arn)}
    names = (lb.dns_name,) if active else ()
    return Endpoint(
        endpoint_id=node_id(lb, node),
        kind="load-balancer-node",
        service="elbv2",
        region=region,
        vpc_id=lb.vpc_id,
        private_ip=node.private_ip,
        public_ip=node.public_ip if public else None,
        security_group_ids=tuple(lb.security_groups),
        public_names=names if public else (),
        private_names=() if public else names,
        up=active,
        down_reason="" if active else f"load balancer {lb.name} is provisioning",
        internet=public,
        unfiltered=not lb.security_groups,
        listens=partial(_listens, ports),
        serve=partial(_serve, world, region, lb.arn, node.zone),
        http=partial(_http, world, region, lb.arn, node.zone),
        udp=partial(_udp, world, region, lb.arn) if lb.lb_type == "network" else None,
    )


def node_source(b: ElbBackend, lb: LoadBalancer, node: Node) -> Endpoint:
    """A node as the source of a connection to a target: only what `net.connect` reads of a source (its
    addresses, VPC and security groups), built without its listeners and names, once per set of values."""
    key = (lb.arn, node.zone, b.region, lb.vpc_id, node.private_ip, node.public_ip, lb.scheme, *lb.security_groups)
    found = _SOURCES.get(key)
    if found is None:
        if len(_SOURCES) > 10_000:
            _SOURCES.clear()
        found = _SOURCES[key] = _source(b, lb, node)
    return found


_SOURCES: dict[tuple[str | None, ...], Endpoint] = {}


def _source(b: ElbBackend, lb: LoadBalancer, node: Node) -> Endpoint:
    return Endpoint(
        endpoint_id=node_id(lb, node),
        kind="load-balancer-node",
        service="elbv2",
        region=b.region,
        vpc_id=lb.vpc_id,
        private_ip=node.private_ip,
        public_ip=node.public_ip if lb.scheme == "internet-facing" else None,
        security_group_ids=tuple(lb.security_groups),
        unfiltered=not lb.security_groups,
    )


def _listens(ports: dict[int, str], port: int, protocol: str) -> bool:
    found = ports.get(port)
    if found is None:
        return False
    if found == "TCP_UDP":
        return protocol in ("tcp", "udp")
    return protocol == "tcp" if found != "UDP" else protocol == "udp"


def _serve(world: World, region: str, lb_arn: str, zone: str, port: int, method: str, path: str) -> HttpAnswer:
    reply = _http(world, region, lb_arn, zone, HttpRequest(port, method, path))
    return None if reply is None else (reply.status, reply.body, reply.headers.get("Content-Type", ""))


def _http(world: World, region: str, lb_arn: str, zone: str, request: HttpRequest) -> HttpResponse | None:
    from awsprep.sim.elbv2.dataplane import handle_request

    return handle_request(world, region, lb_arn, zone, request)


def _udp(world: World, region: str, lb_arn: str, datagram: Datagram) -> DatagramReply | None:
    from awsprep.sim.elbv2.udp import handle_datagram

    return handle_datagram(world, region, lb_arn, datagram)
