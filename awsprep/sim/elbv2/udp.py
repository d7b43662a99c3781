"""The Network Load Balancer's UDP data plane: a UDP or TCP_UDP listener forwards datagrams to its target group.

What AWS documents (network/introduction.html, "Network Load Balancer overview"): for UDP the load balancer
picks a target with a flow hash of the protocol, source address and port, destination address and port; a
flow keeps the same five values, so it stays on one target for its lifetime, while other flows (another source
port, another client) may go to other targets. A flow ends after the UDP idle timeout with no datagram
(120 seconds for UDP flows [INF: the NLB guide's "Connection idle timeout" figure, not re-read this time;
the UDP idle timeout is not configurable in the simulator]). Client IP preservation is always
on for UDP and TCP_UDP target groups (edit-target-group-attributes.html), so the target's security group must
admit the client's address for UDP, while the (TCP or HTTP) health checks come from the nodes' private
addresses. Each node forwards to targets in its own zone unless cross-zone load balancing is on, as for TCP.

Nothing answers a datagram the load balancer cannot deliver (no target, a target's security group dropping
it, nothing listening on the target's port): UDP has no reset, and the target's ICMP port unreachable does
not come back through the load balancer, so the client's query simply times out.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import Datagram, DatagramReply
from awsprep.sim.ec2.metrics import UDP_HEADER
from awsprep.sim.elbv2.endpoints import node_id
from awsprep.sim.elbv2.forward import SAME_ZONE_HOP, eligible
from awsprep.sim.elbv2.metrics import count_udp
from awsprep.sim.elbv2.state import LoadBalancer, Node, Target, TargetGroup, UdpFlow
from awsprep.sim.net import admits, endpoint_by_id, find_endpoint

if TYPE_CHECKING:
    from awsprep.sim.world import World

UDP_IDLE_TIMEOUT = 120.0
LIVE = ("healthy", "unavailable", "initial", "unhealthy", "draining")  # states an existing flow may keep


def handle_datagram(world: World, region: str, lb_arn: str, datagram: Datagram) -> DatagramReply | None:
    """A datagram that reached a node of `lb_arn` (the network applied the load balancer's security groups)."""
    from awsprep.sim.elbv2 import backend

    b = backend(world, region)
    lb = b.state.load_balancers.get(lb_arn)
    if lb is None or not lb.nodes:
        return None
    listener = next(
        (li for li in b.listeners_of(lb_arn) if li.port == datagram.port and li.protocol in ("UDP", "TCP_UDP")),
        None,
    )
    if listener is None:
        return None
    node = _node(lb, datagram.host)
    node_ip = node.public_ip or node.private_ip
    trace = [f"awsprep: {lb.name} node {node_id(lb, node)} ({node_ip}) in {node.zone}"]
    tg = b.state.target_groups[listener.default_rule.actions[-1]["ForwardConfig"]["TargetGroups"][0]["TargetGroupArn"]]
    now = world.now
    key = f"{datagram.client_ip}:{datagram.client_port}>{node_ip}:{datagram.port}"
    target, new_flow = _flow_target(lb, tg, node, key, now)
    if target is None:
        trace.append(f"awsprep: target group {tg.name} has no target: the datagram is dropped")
        return DatagramReply(None, trace=trace)
    port = target.port or tg.port or datagram.port
    trace.append(
        f"awsprep: {listener.protocol} {listener.port} flow {datagram.client_ip}:{datagram.client_port} "
        f"forwarded as UDP to {target.target_id}:{port} in {target.zone}"
    )
    target.served += 1
    target.last_request = now
    target.last_client = datagram.client_ip
    lb.hour_requests += 1
    count_udp(b, lb, new_flow, datagram.size + UDP_HEADER)
    ep = (
        endpoint_by_id(world, target.target_id, region)
        if tg.target_type == "instance"
        else find_endpoint(world, target.target_id, region)
    )
    # Client IP preservation cannot be turned off for UDP: the target's security group judges the client.
    if ep is None or not ep.up or not admits(world, ep, "udp", port, datagram.client_ip, ()):
        trace.append(f"awsprep: {target.target_id} dropped the datagram from {datagram.client_ip} (security group)")
        return DatagramReply(None, trace=trace)
    if not ep.listens(port, "udp") or ep.udp is None:
        trace.append(f"awsprep: nothing listens on UDP {port} of {target.target_id}; no answer comes back")
        return DatagramReply(None, trace=trace)
    trace.append(f"awsprep: the target sees the datagram from {datagram.client_ip}:{datagram.client_port}")
    inner = Datagram(port, datagram.data, datagram.size, datagram.client_ip, datagram.client_port, datagram.client)
    reply = ep.udp(inner)
    if reply is None or reply.data is None:
        trace.append(f"awsprep: {target.target_id} sent no answer")
        return DatagramReply(None, trace=trace)
    count_udp(b, lb, False, reply.size + UDP_HEADER)
    return DatagramReply(
        reply.data,
        reply.size,
        trace + reply.trace,
        answered_by=f"{target.target_id}:{port}",
        elapsed=reply.elapsed + 2 * SAME_ZONE_HOP,
    )


def _node(lb: LoadBalancer, host: str) -> Node:
    """The node the client addressed (each zone's node has its own address); a name: DNS's next address."""
    for node in lb.nodes:
        if host in (node.public_ip, node.private_ip):
            return node
    lb.request_seq += 1
    return lb.nodes[lb.request_seq % len(lb.nodes)]


def _flow_target(lb: LoadBalancer, tg: TargetGroup, node: Node, key: str, now: float) -> tuple[Target | None, bool]:
    """(The flow's target, whether the flow is new): the target it already has while it lives, else the flow
    hash over the node's choices."""
    flow = lb.udp_flows.get(key)
    if flow is not None and now - flow.last_seen <= UDP_IDLE_TIMEOUT:
        found = next((t for t in tg.targets.values() if t.key == flow.target), None)
        if found is not None and found.state in LIVE:
            flow.last_seen = now
            return found, False
    targets = _choices(lb, tg, node)
    if not targets:
        return None, False
    digest = hashlib.sha256(f"udp|{key}".encode()).digest()
    target = targets[int.from_bytes(digest[:8], "big") % len(targets)]
    if len(lb.udp_flows) > 512:  # forget flows idle past the timeout
        lb.udp_flows = {k: f for k, f in lb.udp_flows.items() if now - f.last_seen <= UDP_IDLE_TIMEOUT}
    lb.udp_flows[key] = UdpFlow(target.key, now)
    return target, True


def _choices(lb: LoadBalancer, tg: TargetGroup, node: Node) -> list[Target]:
    """Healthy targets of the node's zone (all zones with cross-zone on), failing open to all when none is
    healthy, and to other zones when the node's zone has none (as the TCP data plane does)."""
    cross = tg.attributes.get("load_balancing.cross_zone.enabled", "use_load_balancer_configuration")
    if cross == "use_load_balancer_configuration":
        cross = lb.attributes.get("load_balancing.cross_zone.enabled", "false")
    targets, _ = eligible(tg, None if cross == "true" else node.zone)
    if not targets and cross != "true":
        targets, _ = eligible(tg, None)
    return targets
