"""What EC2 puts on the network: one endpoint per instance interface, and the web server the guest runs.

`sshd` listens on 22 on every running Linux instance, RDP on 3389 on Windows; other ports listen when the guest
registered a service (`Ec2Backend.serve_http`, cloud-init's httpd).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import Endpoint, HttpAnswer, HttpRequest, HttpResponse
from awsprep.sim.ec2 import php, routing
from awsprep.sim.ec2.catalog import private_dns, public_dns
from awsprep.sim.ec2.state import Instance

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.world import World

_APACHE_TYPE = "text/html; charset=iso-8859-1"
STATIC_SECONDS = 0.0005  # httpd answering a small file from the page cache [INF]
_SERVERS = {"httpd": "Apache/2.4.62 (Amazon Linux)", "nginx": "nginx/1.26.2"}


def instance_endpoints(world: World, region: str) -> Iterator[Endpoint]:
    """Every instance that has not ended, as an endpoint (stopped ones answer nothing but are still named)."""
    from awsprep.sim.ec2 import backend

    b = backend(world, region)
    for inst in b.state.instances.values():
        if inst.state != "terminated":
            yield _endpoint(b, region, inst)


def instance_endpoint(world: World, region: str, endpoint_id: str, inside: bool = False) -> Endpoint | None:
    """One instance's endpoint by id, without building the others' (the data plane's per-request lookup).
    `inside`: as seen from within its VPC (a load balancer's node): no internet route or public names."""
    from awsprep.sim.ec2 import backend

    b = backend(world, region)
    inst = b.state.instances.get(endpoint_id)
    if inst is None or inst.state == "terminated":
        return None
    if not inside:
        return _endpoint(b, region, inst)
    # A load balancer asks for its targets on every request: reuse the endpoint while what it copies is the
    # same (its callables read the live instance). The cache holds the instance, so its id is not reused.
    key = (id(inst), region, inst.state, tuple(inst.security_group_ids), inst.private_ip, b.public_address(inst))
    found = _INSIDE.get(key)
    if found is None:
        if len(_INSIDE) > 10_000:
            _INSIDE.clear()
        found = _INSIDE[key] = _endpoint(b, region, inst, inside)
    return found


_INSIDE: dict[tuple[object, ...], Endpoint] = {}


def _endpoint(b: Ec2Backend, region: str, inst: Instance, inside: bool = False) -> Endpoint:
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
        public_names=(public_dns(region, public),) if public and not inside else (),
        private_names=(private_dns(region, inst.private_ip),),
        up=running,
        down_reason="" if running else f"instance {inst.instance_id} is {inst.state}",
        internet=not inside and routing.internet_reaches(b, inst.subnet_id, b.world.meta.laptop_ip),
        listens=partial(_listening, inst),
        serve=partial(serve_page, inst),
        http=partial(http_exchange, b, inst),
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


def answer_key(inst: Instance, port: int, path: str) -> tuple[object, ...] | None:
    """Everything `_listening` and `http_exchange` read to answer a GET of `path` on `port`, as one value
    (health checks reuse a result while it is equal): what listens, the page the path names. None when the
    answer may differ between two equal requests: with PHP installed a script sees the time and counts its runs."""
    if inst.guest.get("php"):
        return None
    svc = inst.served.get(str(port))
    if svc is None:
        return (inst.platform,)  # nothing serves the port: only sshd/RDP may listen
    path = path.split("?", maxsplit=1)[0]
    page: object = None
    index: object = None
    if path not in ("", "/"):
        pages = inst.guest.get("pages", {})
        if isinstance(pages, dict):
            page = pages.get(f"{port}{path}")
            index = pages.get(f"{port}{path}index.html") if path.endswith("/") else None
        if not isinstance(page, str | None) or not isinstance(index, str | None):
            return None  # not a file's text: it could change in place
    return (inst.platform, svc.status, svc.body, svc.content_type, page, index)


def http_exchange(b: Ec2Backend, inst: Instance, request: HttpRequest) -> HttpResponse | None:
    """A whole request to the instance's web server: headers and cookies in and out, and the time it takes
    (a PHP page that sleeps is slow; httpd's proxy to php-fpm gives up after its 60 s Timeout with a 504)."""
    port = request.port
    svc = inst.served.get(str(port))
    if svc is None:
        return None
    owner = inst.guest.get("port_owner", {}).get(str(port)) if isinstance(inst.guest.get("port_owner"), dict) else None
    server = {"Server": _SERVERS.get(str(owner), _SERVERS["httpd"])}
    script = _script(inst, port, request.path.split("?", maxsplit=1)[0])
    if script is not None and request.method in ("GET", "HEAD", "POST"):
        count = int(inst.guest.get("php_runs", 0)) + 1
        inst.guest["php_runs"] = count
        sid = hashlib.sha256(f"{inst.instance_id}/{count}".encode()).digest()
        env = php.Env(
            request,
            private_dns(b.region, inst.private_ip),
            inst.private_ip or "",
            "".join(_SID_CHARS[c % 32] for c in sid[:26]),
            b.now,
        )
        ran = php.run(script, env)
        for path, text, append in ran.writes:
            _php_write(inst, path, text, append, b.now)
        if ran.seconds > php.PROXY_TIMEOUT:
            text = _apache_page(
                504,
                "Gateway Timeout",
                "The gateway did not receive a timely response from the upstream server or application.",
            )
            headers = {**server, "Content-Type": _APACHE_TYPE}
            return HttpResponse(504, headers, text, elapsed=php.PROXY_TIMEOUT)
        headers = {**server, "Content-Type": "text/html; charset=UTF-8", **ran.headers}
        return HttpResponse(ran.status, headers, ran.body, set_cookies=ran.cookies, elapsed=ran.seconds)
    answer = serve_page(inst, port, request.method, request.path)
    if answer is None:
        return None
    status, body, content_type = answer
    return HttpResponse(status, {**server, "Content-Type": content_type}, body, elapsed=STATIC_SECONDS)


def _php_write(inst: Instance, path: str, text: str, append: bool, now: float) -> None:
    """A file a PHP page writes, as the `apache` user: /tmp and its own error log only (anything else is PHP's
    "Failed to open stream: Permission denied", which goes to the error log). [INF] php-fpm's PrivateTmp is not
    simulated: /tmp is the instance's own."""
    files = inst.guest.setdefault("files", {})
    if not (path.startswith("/tmp/") or path == php.ERROR_LOG):
        stamp = time.strftime("%d-%b-%Y %H:%M:%S", time.gmtime(now))
        text = f"[{stamp} UTC] PHP Warning:  file_put_contents({path}): Failed to open stream: Permission denied\n"
        path, append = php.ERROR_LOG, True
    folder = path.rsplit("/", 1)[0]
    dirs = inst.guest.setdefault("dirs", [])
    if isinstance(dirs, list) and folder not in dirs:
        dirs.append(folder)
    entry = files.get(path)
    if entry is None:
        entry = files[path] = {"content": "", "mode": 0o644, "owner": "apache"}
    entry["content"] = (str(entry["content"]) if append else "") + text


_SID_CHARS = "0123456789abcdefghijklmnopqrstuv"  # PHP 8's session ids: 26 characters, 5 bits each


def _script(inst: Instance, port: int, path: str) -> str | None:
    """The PHP source a path runs, when PHP is installed (`index.php` answers `/` when there is no index.html)."""
    pages = inst.guest.get("pages")
    if not inst.guest.get("php") or not isinstance(pages, dict):
        return None
    if path.endswith("/") or path == "":
        if f"{port}{path or '/'}index.html" in pages:
            return None
        path = (path or "/") + "index.php"
    if not path.endswith(".php"):
        return None
    found = pages.get(f"{port}{path}")
    return None if found is None else str(found)


def _apache_page(status: int, reason: str, text: str) -> str:
    return (
        f'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>{status} {reason}</title>\n'
        f"</head><body>\n<h1>{reason}</h1>\n<p>{text}</p>\n</body></html>\n"
    )
