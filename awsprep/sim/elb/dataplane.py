"""Classic Load Balancer nodes on the network, and how they route: InService instances in turn, the `AWSELB`
cookie of a duration-based stickiness policy, 503 when no instance is in service."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import Endpoint, HttpAnswer, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from awsprep.sim.world import World

_503 = "<html><body><b>Http/1.1 Service Unavailable</b></body> </html>"


def clb_endpoints(world: World, region: str) -> Iterator[Endpoint]:
    """One endpoint per node (per subnet) of every Classic Load Balancer."""
    from awsprep.sim.elb.models import backend, node_ids

    b = backend(world, region)
    for lb in b.state.load_balancers.values():
        public = lb.scheme == "internet-facing"
        ports = {li.port for li in lb.listeners}
        for i, ep_id in enumerate(node_ids(lb)):
            names = (lb.dns_name,)
            yield Endpoint(
                endpoint_id=ep_id,
                kind="load-balancer-node",
                service="elb",
                region=region,
                vpc_id=lb.vpc_id,
                private_ip=lb.node_ips[i],
                public_ip=lb.public_ips[i] if public else None,
                security_group_ids=tuple(lb.security_groups),
                public_names=names if public else (),
                private_names=() if public else names,
                internet=public,
                listens=partial(_listens, frozenset(ports)),
                serve=partial(_serve, world, region, lb.name),
                http=partial(route, world, region, lb.name),
            )


def _listens(ports: frozenset[int], port: int, protocol: str) -> bool:
    return protocol == "tcp" and port in ports


def _serve(world: World, region: str, name: str, port: int, method: str, path: str) -> HttpAnswer:
    reply = route(world, region, name, HttpRequest(port, method, path, {}, world.meta.laptop_ip))
    return None if reply is None else (reply.status, reply.body, reply.headers.get("Content-Type", ""))


def route(world: World, region: str, name: str, request: HttpRequest) -> HttpResponse | None:
    """A request on a listener port: to an InService instance (sticky when a cookie policy is set)."""
    from awsprep.sim.elb.models import backend, node_ids
    from awsprep.sim.net import Outcome, connect

    b = backend(world, region)
    lb = b.state.load_balancers.get(name)
    listener = next((li for li in lb.listeners if li.port == request.port), None) if lb else None
    if lb is None or listener is None:
        return None
    live = sorted(i.instance_id for i in lb.instances.values() if i.state == "InService" and not i.drain_until)
    trace = [f"awsprep: classic load balancer {lb.name}, listener {listener.protocol}:{listener.port}"]
    if not live:
        trace.append("awsprep: no instance is InService: 503")
        return HttpResponse(503, {"Content-Type": "text/html", "Content-Length": str(len(_503))}, _503, trace)
    sticky = next((lb.cookie_policies[p] for p in listener.policies if p in lb.cookie_policies), None)
    cookie = _cookie(request.headers)
    chosen = cookie if sticky is not None and cookie in live else None
    if chosen is None:
        lb.rr_next = (lb.rr_next + 1) % len(live)
        chosen = live[lb.rr_next]
    dest = world.endpoint(chosen, region)
    trace.append(f"awsprep: to {chosen}:{listener.instance_port}")
    reach = (
        connect(world, dest.private_ip or "", listener.instance_port, "tcp", node_ids(lb)[0], region, dest=dest)
        if dest
        else None
    )
    if reach is None or reach.outcome is not Outcome.CONNECTED or dest is None:
        return HttpResponse(504, {"Content-Length": "0"}, "", [*trace, "awsprep: the instance did not answer: 504"])
    out = _exchange(dest, lb.node_ips[0], listener.instance_port, request, trace)
    if out is None:
        return HttpResponse(502, {"Content-Length": "0"}, "", trace)
    out.answered_by = f"{chosen}:{listener.instance_port}"
    if sticky is not None:
        value = base64.b64encode(chosen.encode()).decode()
        out.set_cookies.append(f"AWSELB={value}; Path=/" + (f"; Max-Age={sticky}" if sticky else ""))
    return out


def _exchange(dest: Endpoint, node_ip: str, port: int, request: HttpRequest, trace: list[str]) -> HttpResponse | None:
    """The instance's whole answer (its headers, PHP, its NetworkIn/Out), from the node's address with
    X-Forwarded-For (classic x-forwarded-headers.html); None when what listens is not HTTP."""
    if dest.http is None:
        answer = dest.serve(port, request.method, request.path)
        if answer is None:
            return None
        status, body, content_type = answer
        return HttpResponse(
            status, {"Content-Type": content_type, "Content-Length": str(len(body.encode()))}, body, trace
        )
    headers = {k: v for k, v in request.headers.items() if k.lower() != "x-forwarded-for"}
    xff = next((v for k, v in request.headers.items() if k.lower() == "x-forwarded-for"), None)
    headers["X-Forwarded-For"] = f"{xff}, {request.client_ip}" if xff else request.client_ip
    forwarded = HttpRequest(port, request.method, request.path, headers, node_ip, request.client, body=request.body)
    response = dest.http(forwarded)
    if response is None or response.status == 0:
        return None
    head = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    head["Content-Length"] = str(len(response.body.encode()))
    return HttpResponse(response.status, head, response.body, trace, list(response.set_cookies), response.elapsed)


def _cookie(headers: dict[str, str]) -> str | None:
    raw = next((v for k, v in headers.items() if k.lower() == "cookie"), "")
    for part in raw.split(";"):
        key, _, value = part.strip().partition("=")
        if key == "AWSELB":
            try:
                return base64.b64decode(value.encode(), validate=True).decode()
            except (ValueError, UnicodeDecodeError):
                return None
    return None
