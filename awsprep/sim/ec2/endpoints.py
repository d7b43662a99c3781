"""What EC2 puts on the network: one endpoint per instance interface, and the web server the guest runs.

`sshd` listens on 22 on every running Linux instance, RDP on 3389 on Windows; other ports listen when the guest
registered a service (`Ec2Backend.serve_http`, cloud-init's httpd).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import Endpoint, HttpAnswer
from awsprep.sim.ec2 import routing
from awsprep.sim.ec2.catalog import private_dns, public_dns
from awsprep.sim.ec2.state import Instance

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.world import World

_APACHE_TYPE = "text/html; charset=iso-8859-1"


def instance_endpoints(world: World, region: str) -> Iterator[Endpoint]:
    """Every instance that has not ended, as an endpoint (stopped ones answer nothing but are still named)."""
    from awsprep.sim.ec2 import backend

    b = backend(world, region)
    for inst in b.state.instances.values():
        if inst.state != "terminated":
            yield _endpoint(b, region, inst)


def instance_endpoint(world: World, region: str, endpoint_id: str) -> Endpoint | None:
    """One instance's endpoint by id, without building the others' (the data plane's per-request lookup)."""
    from awsprep.sim.ec2 import backend

    b = backend(world, region)
    inst = b.state.instances.get(endpoint_id)
    return None if inst is None or inst.state == "terminated" else _endpoint(b, region, inst)


def _endpoint(b: Ec2Backend, region: str, inst: Instance) -> Endpoint:
    public = b.public_address(inst)
    running = inst.state == "running"
    return Endpoint(
        endpoint_id=inst.instance_id,
        kind="instance",
        service="ec2",
        region=region,
        vpc_id=inst.vpc_id,
        private_ip=inst.private_ip,
        public_ip=public,
        security_group_ids=tuple(inst.security_group_ids),
        public_names=(public_dns(region, public),) if public else (),
        private_names=(private_dns(region, inst.private_ip),),
        up=running,
        down_reason="" if running else f"instance {inst.instance_id} is {inst.state}",
        internet=routing.internet_reaches(b, inst.subnet_id, b.world.meta.laptop_ip),
        listens=partial(_listening, inst),
        serve=partial(serve_page, inst),
    )


def _listening(inst: Instance, port: int, protocol: str) -> bool:
    if protocol != "tcp":
        return False
    if port == 22 and inst.platform != "windows":
        return True  # sshd runs on every Linux AMI
    if port == 3389 and inst.platform == "windows":
        return True
    return str(port) in inst.served


def serve_page(inst: Instance, port: int, method: str = "GET", path: str = "/") -> HttpAnswer:
    """What the instance's web server answers, or None when what listens on the port is not HTTP.

    Apache answers `/` with the index page, or with its test page and 403 when the web root has no index;
    other paths are the files under the web root (`guest["pages"]`, keyed `"80/path"`), or 404.
    """
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


def _apache_page(status: int, reason: str, text: str) -> str:
    return (
        f'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>{status} {reason}</title>\n'
        f"</head><body>\n<h1>{reason}</h1>\n<p>{text}</p>\n</body></html>\n"
    )
