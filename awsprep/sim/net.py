"""The data plane the sandbox shell needs: can a packet reach an instance, and what does HTTP return?

Security groups are stateful and allow-only: a connection is allowed when an inbound rule of one of
the target's groups matches protocol, port and source (a CIDR, or a group the source instance belongs
to for traffic inside the VPC), and the source's outbound rules allow it. A dropped packet is a
*timeout*; an allowed packet to a port nothing listens on is *refused* — the troubleshooting lesson.
"""

from __future__ import annotations

import enum
import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from awsprep.sim.ec2.state import Instance, Rule

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.world import World

INTERNET = "internet"


class Outcome(enum.StrEnum):
    """What the client sees."""

    CONNECTED = "connected"
    TIMEOUT = "timeout"  # dropped by a security group, no route, or nothing at that address
    REFUSED = "refused"  # reached the instance, nothing listening on the port


@dataclass(frozen=True)
class Reach:
    """The result of `connect`: outcome, the instance reached (if any) and a one-line reason for labs."""

    outcome: Outcome
    instance_id: str | None
    reason: str


@dataclass(frozen=True)
class HttpReply:
    """The result of `http_get`: the connection outcome and, when connected, status and body."""

    reach: Reach
    status: int = 0
    body: str = ""
    content_type: str = ""


def _find(world: World, host: str, region: str | None) -> tuple[Ec2Backend, Instance] | None:
    for r in [region] if region else world.regions_in_use():
        b = world.ec2(r)
        inst = b.find_by_ip(host) or _by_dns(b, host)
        if inst is not None:
            return b, inst
    return None


def _by_dns(b: Ec2Backend, host: str) -> Instance | None:
    from awsprep.sim.ec2.catalog import private_dns, public_dns

    for inst in b.state.instances.values():
        pub = b.public_address(inst)
        if (pub and host == public_dns(b.region, pub)) or host == private_dns(b.region, inst.private_ip):
            return inst
    return None


def _rule_allows(rule: Rule, protocol: str, port: int, src_ip: str | None, src_groups: list[str]) -> bool:
    if rule.protocol not in ("-1", protocol):
        return False
    if rule.protocol in ("tcp", "udp") and not rule.from_port <= port <= rule.to_port:
        return False
    if rule.protocol == "icmp" and rule.from_port not in (-1, 8):  # echo request is ICMP type 8
        return False
    if rule.group_id is not None:
        return rule.group_id in src_groups
    if rule.cidr and src_ip:
        return ipaddress.ip_address(src_ip) in ipaddress.ip_network(rule.cidr, strict=False)
    return False


def connect(
    world: World,
    host: str,
    port: int = 0,
    protocol: str = "tcp",
    source: str = INTERNET,
    region: str | None = None,
) -> Reach:
    """Would a `protocol` connection from `source` (INTERNET = the learner's laptop, or an instance id)
    to `host` (public/private IP or DNS name) on `port` get through? ICMP ignores `port`."""
    found = _find(world, host, region)
    if found is None:
        return Reach(Outcome.TIMEOUT, None, f"nothing answers at {host}")
    b, inst = found
    if inst.state != "running":
        return Reach(Outcome.TIMEOUT, inst.instance_id, f"instance {inst.instance_id} is {inst.state}")
    src_ip: str | None
    src_groups: list[str] = []
    if source == INTERNET:
        src_ip = world.meta.laptop_ip
        public = b.public_address(inst)
        if host in (inst.private_ip,) or not public or not b.state.vpcs[inst.vpc_id].has_internet_gateway:
            return Reach(Outcome.TIMEOUT, inst.instance_id, "no route from the internet to that address")
    else:
        src = b.state.instances.get(source)
        if src is None or src.state != "running":
            return Reach(Outcome.TIMEOUT, inst.instance_id, f"source {source} is not running")
        same_vpc = src.vpc_id == inst.vpc_id and host in (inst.private_ip, *_dns_private(b, inst))
        src_ip = src.private_ip if same_vpc else b.public_address(src)
        src_groups = list(src.security_group_ids) if same_vpc else []
        egress = [
            r for g in src.security_group_ids if g in b.state.security_groups for r in b.state.security_groups[g].egress
        ]
        dest_ip = inst.private_ip if same_vpc else (b.public_address(inst) or "")
        dest_groups = list(inst.security_group_ids) if same_vpc else []
        if not any(_rule_allows(r, protocol, port, dest_ip, dest_groups) for r in egress):
            return Reach(Outcome.TIMEOUT, inst.instance_id, "the source's security group blocks outbound traffic")
    ingress = [
        r for g in inst.security_group_ids if g in b.state.security_groups for r in b.state.security_groups[g].ingress
    ]
    if not any(_rule_allows(r, protocol, port, src_ip, src_groups) for r in ingress):
        return Reach(
            Outcome.TIMEOUT,
            inst.instance_id,
            f"no inbound rule of {', '.join(inst.security_group_ids)} allows {protocol}/{port}",
        )
    if protocol == "icmp" or _listening(b, inst, port, protocol):
        return Reach(Outcome.CONNECTED, inst.instance_id, "connected")
    return Reach(Outcome.REFUSED, inst.instance_id, f"nothing listens on port {port}")


def _dns_private(b: Ec2Backend, inst: Instance) -> tuple[str, ...]:
    from awsprep.sim.ec2.catalog import private_dns

    return (private_dns(b.region, inst.private_ip),)


def _listening(b: Ec2Backend, inst: Instance, port: int, protocol: str) -> bool:
    if protocol != "tcp":
        return False
    if port == 22 and inst.platform != "windows":
        return True  # sshd runs on every Linux AMI
    if port == 3389 and inst.platform == "windows":
        return True
    return str(port) in inst.served


def home_region(world: World, instance_id: str) -> str | None:
    """The Region an instance lives in (instance ids are unique across Regions)."""
    return next((r for r in world.regions_in_use() if instance_id in world.ec2(r).state.instances), None)


def serve(
    world: World, instance_id: str, port: int, method: str = "GET", path: str = "/"
) -> tuple[int, str, str] | None:
    """What the web server on an instance answers: (status, body, content type), or None when what listens on
    the port is not HTTP (sshd on 22). The one place that plays the web server, for `curl` and for lab checks.

    Apache answers `/` with the index page, or with its test page and 403 when the web root has no index;
    other paths are the files under the web root (`guest["pages"]`, keyed `"80/path"`), or 404.
    """
    region = home_region(world, instance_id)
    if region is None:
        return None
    inst = world.ec2(region).instance(instance_id)
    svc = inst.served.get(str(port))
    if svc is None:
        return None
    if method not in ("GET", "HEAD"):
        return (
            405,
            _apache_page(405, "Method Not Allowed", f"The requested method {method} is not allowed for this URL."),
            _APACHE_TYPE,
        )
    path = path.split("?", maxsplit=1)[0]
    if path in ("", "/"):
        return svc.status, svc.body, svc.content_type
    pages = inst.guest.get("pages", {})
    page = pages.get(f"{port}{path}") if isinstance(pages, dict) else None
    if page is None and path.endswith("/") and isinstance(pages, dict):
        page = pages.get(f"{port}{path}index.html")
    if page is None:
        return (
            404,
            _apache_page(404, "Not Found", f"The requested URL {path} was not found on this server."),
            _APACHE_TYPE,
        )
    return 200, str(page), svc.content_type


_APACHE_TYPE = "text/html; charset=iso-8859-1"


def _apache_page(status: int, reason: str, text: str) -> str:
    return (
        f'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>{status} {reason}</title>\n'
        f"</head><body>\n<h1>{reason}</h1>\n<p>{text}</p>\n</body></html>\n"
    )


def http_get(
    world: World, host: str, port: int = 80, path: str = "/", source: str = INTERNET, region: str | None = None
) -> HttpReply:
    """An HTTP GET to an instance: the page a lab's cloud-init registered with `serve_http`."""
    reach = connect(world, host, port, "tcp", source, region)
    if reach.outcome is not Outcome.CONNECTED or reach.instance_id is None:
        return HttpReply(reach)
    answer = serve(world, reach.instance_id, port, "GET", path)
    if answer is None:  # e.g. port 22 answered by sshd: not HTTP
        return HttpReply(Reach(Outcome.REFUSED, reach.instance_id, "not an HTTP server"))
    return HttpReply(reach, *answer)
