"""Can a packet reach an endpoint, and what does HTTP return? The same rules for every kind of endpoint.

Security groups are stateful and allow-only: a connection is allowed when an inbound rule of one of the
target's groups matches protocol, port and source (a CIDR, or a group the source endpoint carries, for traffic
inside the VPC — an instance, or a load balancer node), and the source's outbound rules allow it. A dropped
packet is a *timeout*; an allowed packet to a port nothing listens on is *refused* — the troubleshooting lesson.
Security groups are EC2's (they belong to the VPC), so this module reads them through EC2's typed API.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from awsprep.sim import ec2
from awsprep.sim.core.endpoint import Endpoint, HttpAnswer, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from awsprep.sim.ec2.state import Rule
    from awsprep.sim.world import World

INTERNET = "internet"


class Outcome(enum.StrEnum):
    """What the client sees."""

    CONNECTED = "connected"
    TIMEOUT = "timeout"  # dropped by a security group, no route, or nothing at that address
    REFUSED = "refused"  # reached the endpoint, nothing listening on the port


@dataclass(frozen=True)
class Reach:
    """The result of `connect`: outcome, the endpoint reached (an instance id for instances) and a reason."""

    outcome: Outcome
    instance_id: str | None
    reason: str

    @property
    def endpoint_id(self) -> str | None:
        """The endpoint reached (the same as `instance_id`, named for any kind of endpoint)."""
        return self.instance_id


@dataclass(frozen=True)
class HttpReply:
    """The result of `http_get`: the connection outcome and, when connected, status and body."""

    reach: Reach
    status: int = 0
    body: str = ""
    content_type: str = ""


def find_endpoint(world: World, host: str, region: str | None = None) -> Endpoint | None:
    """The endpoint a host name or address names (the first that answers to it, in a fixed order)."""
    for ep in world.endpoints(region):
        if ep.answers_to(host):
            return ep
    return None


def endpoint_by_id(world: World, endpoint_id: str, region: str | None = None) -> Endpoint | None:
    """An endpoint by its id (an instance id, a load balancer node id)."""
    return world.endpoint(endpoint_id, region)


def _rule_allows(rule: Rule, protocol: str, port: int, src_ip: str | None, src_groups: tuple[str, ...]) -> bool:
    if rule.protocol not in ("-1", protocol):
        return False
    if rule.protocol in ("tcp", "udp") and not rule.from_port <= port <= rule.to_port:
        return False
    if rule.protocol == "icmp" and rule.from_port not in (-1, 8):  # echo request is ICMP type 8
        return False
    if rule.group_id is not None:
        return rule.group_id in src_groups
    if rule.cidr and src_ip:
        return _in_cidr(src_ip, rule.cidr)
    return False


@lru_cache(maxsize=65536)
def _in_cidr(ip: str, cidr: str) -> bool:
    """Whether an address is in a CIDR block (cached: the data plane asks the same pairs again and again)."""
    return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)


def _rules(world: World, region: str, groups: tuple[str, ...], egress: bool) -> list[Rule]:
    b = ec2.backend(world, region)
    found = b.state.security_groups
    return [r for g in groups if g in found for r in (found[g].egress if egress else found[g].ingress)]


def rules_key(world: World, region: str, groups: tuple[str, ...]) -> tuple[object, ...]:
    """Every rule of `groups` (both directions) with every field `connect` may read, as one value: a caller
    that reuses a connection's outcome (health checks) compares it to know nothing changed."""
    found = ec2.backend(world, region).state.security_groups
    return tuple(
        (
            g,
            tuple(tuple(vars(r).values()) for r in found[g].ingress),
            tuple(tuple(vars(r).values()) for r in found[g].egress),
        )
        if g in found
        else (g,)
        for g in groups
    )


def admits(
    world: World, dest: Endpoint, protocol: str, port: int, src_ip: str, src_groups: tuple[str, ...] = ()
) -> bool:
    """Whether `dest`'s inbound rules admit traffic from `src_ip` (or from a member of `src_groups`): for a
    proxy that forwards traffic with the client's address preserved (a Network Load Balancer)."""
    if dest.unfiltered:
        return True
    ingress = _rules(world, dest.region, dest.security_group_ids, egress=False)
    return any(_rule_allows(r, protocol, port, src_ip, src_groups) for r in ingress)


def connect(
    world: World,
    host: str,
    port: int = 0,
    protocol: str = "tcp",
    source: str = INTERNET,
    region: str | None = None,
    dest: Endpoint | None = None,
    src: Endpoint | None = None,
) -> Reach:
    """Would a `protocol` connection from `source` (INTERNET = the learner's laptop, or an endpoint id such as
    an instance id) to `host` (public/private IP or DNS name) on `port` get through? ICMP ignores `port`.
    A caller that already holds the endpoint `host` names passes it as `dest` (no name lookup), and the
    endpoint `source` names as `src`."""
    dest = dest if dest is not None else find_endpoint(world, host, region)
    if dest is None:
        return Reach(Outcome.TIMEOUT, None, f"nothing answers at {host}")
    if not dest.up:
        return Reach(Outcome.TIMEOUT, dest.endpoint_id, dest.down_reason or f"{dest.endpoint_id} is not up")
    src_groups: tuple[str, ...] = ()
    if source == INTERNET:
        src_ip: str | None = world.meta.laptop_ip
        if dest.is_private_name(host) or not dest.public_ip or not dest.internet:
            return Reach(Outcome.TIMEOUT, dest.endpoint_id, "no route from the internet to that address")
    else:
        src = src if src is not None else endpoint_by_id(world, source)
        if src is None or not src.up:
            return Reach(Outcome.TIMEOUT, dest.endpoint_id, f"source {source} is not running")
        same_vpc = src.vpc_id == dest.vpc_id and src.region == dest.region and dest.is_private_name(host)
        src_ip = src.private_ip if same_vpc else src.public_ip
        src_groups = src.security_group_ids if same_vpc else ()
        dest_ip = dest.private_ip if same_vpc else (dest.public_ip or "")
        dest_groups = dest.security_group_ids if same_vpc else ()
        egress = _rules(world, src.region, src.security_group_ids, egress=True)
        if not src.unfiltered and not any(_rule_allows(r, protocol, port, dest_ip, dest_groups) for r in egress):
            return Reach(Outcome.TIMEOUT, dest.endpoint_id, "the source's security group blocks outbound traffic")
    ingress = _rules(world, dest.region, dest.security_group_ids, egress=False)
    if not dest.unfiltered and not any(_rule_allows(r, protocol, port, src_ip, src_groups) for r in ingress):
        return Reach(
            Outcome.TIMEOUT,
            dest.endpoint_id,
            f"no inbound rule of {', '.join(dest.security_group_ids)} allows {protocol}/{port}",
        )
    if protocol == "icmp" or dest.listens(port, protocol):
        return Reach(Outcome.CONNECTED, dest.endpoint_id, "connected")
    return Reach(Outcome.REFUSED, dest.endpoint_id, f"nothing listens on port {port}")


def serve(world: World, endpoint_id: str, port: int, method: str = "GET", path: str = "/") -> HttpAnswer:
    """What the web server on an endpoint answers: (status, body, content type), or None when what listens on
    the port is not HTTP (sshd on 22). The one place curl and lab checks get a page from."""
    ep = endpoint_by_id(world, endpoint_id)
    if ep is None:
        return None
    return ep.serve(port, method, path)


def http_get(
    world: World, host: str, port: int = 80, path: str = "/", source: str = INTERNET, region: str | None = None
) -> HttpReply:
    """An HTTP GET to an endpoint: connect through the security groups, then ask what serves the port (the
    endpoint's whole-request handler when it has one, so a load balancer sees the client's address)."""
    reach, response = http_request(world, host, port, "GET", path, None, source, region)
    if reach.outcome is not Outcome.CONNECTED or reach.instance_id is None:
        return HttpReply(reach)
    if response is None or (response.status == 0 and not response.elapsed):  # e.g. sshd on 22: not HTTP
        return HttpReply(Reach(Outcome.REFUSED, reach.instance_id, "not an HTTP server"))
    if response.status == 0:  # a pass-through proxy whose target never answered
        return HttpReply(Reach(Outcome.TIMEOUT, reach.instance_id, "the target did not answer"))
    return HttpReply(reach, response.status, response.body, response.headers.get("Content-Type", ""))


def http_request(
    world: World,
    host: str,
    port: int = 80,
    method: str = "GET",
    path: str = "/",
    headers: dict[str, str] | None = None,
    source: str = INTERNET,
    region: str | None = None,
    tls: bool = False,
    body: str = "",
) -> tuple[Reach, HttpResponse | None]:
    """A whole HTTP exchange: connect through the security groups, then the endpoint's `http` handler (with
    headers and the client's address) or its `serve`. The response is None when nothing HTTP answered.
    `tls`: the client starts TLS (https://); only a listener that terminates TLS answers it (instances here
    serve plain HTTP only)."""
    reach = connect(world, host, port, "tcp", source, region)
    if reach.outcome is not Outcome.CONNECTED or reach.endpoint_id is None:
        return reach, None
    ep = endpoint_by_id(world, reach.endpoint_id)
    if ep is None:
        return reach, None
    if ep.http is not None:
        if source == INTERNET:
            client_ip = world.meta.laptop_ip
        else:
            src = endpoint_by_id(world, source)
            client_ip = (src.private_ip if src and src.vpc_id == ep.vpc_id else src.public_ip if src else "") or ""
        if tls and ep.kind == "instance":
            return reach, HttpResponse(0, failure="tls-mismatch")
        request = HttpRequest(port, method, path, dict(headers or {}), client_ip, source, tls, body)
        return reach, ep.http(request)
    answer = ep.serve(port, method, path)
    if answer is None:
        return reach, None
    status, body, content_type = answer
    return reach, HttpResponse(status, {"Content-Type": content_type} if content_type else {}, body)
