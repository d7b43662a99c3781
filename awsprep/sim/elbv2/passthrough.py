"""The Network Load Balancer's data plane: layer 4, no rules (network/load-balancer-listeners.html).

A TCP listener passes the connection through: the target answers itself, and with client IP preservation it
sees the client's address, so its security group must admit the client (not the load balancer). A TLS
listener terminates TLS at the load balancer with the listener's certificate and opens a plain TCP connection
to the target (a TCP target group), so a web server on port 80 answers `curl https://`. A client that does not
speak the listener's protocol gets what curl shows for it: TLS against a plain TCP pass-through to a plain web
server is "wrong version number"; plain HTTP to a TLS listener is an empty reply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import HttpRequest, HttpResponse
from awsprep.sim.elbv2.forward import CONNECT_TIMEOUT, SAME_ZONE_HOP, pick_target
from awsprep.sim.elbv2.state import Listener, LoadBalancer, Node
from awsprep.sim.net import admits, endpoint_by_id

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend


def pass_through(
    b: ElbBackend, lb: LoadBalancer, listener: Listener, node: Node, request: HttpRequest, trace: list[str]
) -> HttpResponse:
    """One connection through an NLB listener, carrying one HTTP exchange with the target."""
    if listener.protocol == "TLS" and not request.tls:
        trace.append(f"awsprep: TLS:{listener.port} expected a TLS handshake; the client sent plain text")
        return HttpResponse(0, failure="empty-reply")
    action = listener.default_rule.actions[-1]
    tg = b.state.target_groups[action["ForwardConfig"]["TargetGroups"][0]["TargetGroupArn"]]
    target, _failed_open, _ = pick_target(b, lb, tg, node, {})
    if target is None:
        trace.append(f"awsprep: target group {tg.name} has no target: the connection is reset")
        return HttpResponse(0, failure="reset")
    if listener.protocol == "TLS":
        cert = listener.certificates[0] if listener.certificates else "?"
        trace.append(f"awsprep: TLS terminated at the load balancer ({listener.ssl_policy}, certificate {cert})")
    trace.append(
        f"awsprep: {listener.protocol} {listener.port} forwarded as TCP to {target.target_id}:{target.port} "
        f"in {target.zone}"
    )
    preserve = tg.attributes.get("preserve_client_ip.enabled", "true") == "true"
    source_ip = request.client_ip if preserve else node.private_ip
    ep = endpoint_by_id(b.world, target.target_id) if tg.target_type == "instance" else None
    port = target.port or 80
    if ep is None or not ep.up or not admits(b.world, ep, "tcp", port, source_ip, ()):
        trace.append(f"awsprep: {target.target_id} did not accept a connection from {source_ip}")
        out = HttpResponse(0, {}, "")
        out.elapsed = CONNECT_TIMEOUT
        return out
    target.served += 1
    target.last_request = b.world.now
    target.last_client = source_ip
    lb.hour_requests += 1
    trace.append(f"awsprep: the target sees the connection from {source_ip}")
    if not ep.listens(port, "tcp"):
        return HttpResponse(0, failure="reset")  # the target refused: the NLB resets the client's connection
    if request.tls and listener.protocol == "TCP":
        trace.append(f"awsprep: TLS passed through to {target.target_id}:{port}, which speaks plain HTTP")
        return HttpResponse(0, failure="tls-mismatch")
    inner = HttpRequest(
        port, request.method, request.path, dict(request.headers), source_ip, request.client, body=request.body
    )
    response = ep.http(inner) if ep.http is not None else None
    if response is None:
        return HttpResponse(0, {}, "")
    headers = dict(response.headers)
    headers["Content-Length"] = str(len(response.body.encode()))
    return HttpResponse(
        response.status,
        headers,
        response.body,
        set_cookies=list(response.set_cookies),
        elapsed=response.elapsed + 2 * SAME_ZONE_HOP,
        answered_by=f"{target.target_id}:{port}",
    )
