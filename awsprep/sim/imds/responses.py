"""IMDS requests: `imds_request(world, instance_id, method, path, headers) -> ImdsResponse`.

Rules (spec §3): PUT /latest/api/token with a TTL header of 1–21600 returns a token (400 otherwise,
403 on a versioned token path or with X-Forwarded-For); GET/HEAD only for data; 401 for a missing or
expired token when HttpTokens=required and for an invalid token at any time; 403 when the endpoint is
disabled; 404 for paths that do not exist; directories list their children, sub-directories with `/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsprep.sim import ec2
from awsprep.sim.imds.models import Tree, identity_document, metadata_tree

if TYPE_CHECKING:
    from awsprep.sim.world import World

TOKEN_HEADER = "x-aws-ec2-metadata-token"
TTL_HEADER = "x-aws-ec2-metadata-token-ttl-seconds"
MAX_TTL = 21600
# The metadata builds `curl http://169.254.169.254/` lists (EC2 User Guide, "Retrieve instance metadata"), plus
# 2021-07-15, the build that added instance tags. A dated prefix serves the same tree as `latest`: the simulator
# keeps one tree (on AWS an older build lacks the categories released after it).
VERSIONS = [
    "1.0",
    "2007-01-19",
    "2007-03-01",
    "2007-08-29",
    "2007-10-10",
    "2007-12-15",
    "2008-02-01",
    "2008-09-01",
    "2009-04-04",
    "2011-01-01",
    "2011-05-01",
    "2012-01-12",
    "2014-02-25",
    "2014-11-05",
    "2015-10-20",
    "2016-04-19",
    "2016-06-30",
    "2016-09-02",
    "2018-03-28",
    "2018-08-17",
    "2018-09-24",
    "2019-10-01",
    "2020-10-27",
    "2021-01-03",
    "2021-03-23",
    "2021-07-15",
]
_VERSIONS = "\n".join([*VERSIONS, "latest"])
_KNOWN_PREFIXES = frozenset([*VERSIONS, "latest"])


@dataclass(frozen=True)
class ImdsResponse:
    """An HTTP reply from IMDS."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Unpack as `(status, headers, body)`."""
        return iter((self.status, self.headers, self.body))


_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}


def _error(status: int) -> ImdsResponse:
    text = _REASONS[status]
    body = (
        f'<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html>\n<html>\n <head>\n  '
        f"<title>{status} - {text}</title>\n </head>\n <body>\n  <h1>{status} - {text}</h1>\n </body>\n</html>\n"
    )
    return ImdsResponse(status, {"Content-Type": "text/html"}, body)


def _ok(body: str, content_type: str = "text/plain") -> ImdsResponse:
    return ImdsResponse(200, {"Content-Type": content_type}, body)


def imds_request(
    world: World,
    instance_id: str,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    region: str | None = None,
) -> ImdsResponse:
    """Serve one request made from inside `instance_id` to http://169.254.169.254`path`."""
    b = ec2.backend(world, region)
    inst = b.state.instances.get(instance_id)
    if inst is None or inst.state != "running":
        return _error(404)  # nothing answers outside a running instance (the shell sees a timeout)
    h = {k.lower(): v for k, v in (headers or {}).items()}
    method = method.upper()
    path = "/" + re.sub(r"^https?://169\.254\.169\.254", "", path).lstrip("/")
    if inst.metadata.http_endpoint == "disabled":
        return _error(403)
    now = world.now
    inst.imds_tokens = {t: exp for t, exp in inst.imds_tokens.items() if exp > now}
    if path.rstrip("/").endswith("/api/token"):
        if method != "PUT":
            return _error(405)
        if path.rstrip("/") != "/latest/api/token" or "x-forwarded-for" in h:
            return _error(403)
        try:
            ttl = int(h.get(TTL_HEADER, ""))
        except ValueError:
            return _error(400)
        if not 1 <= ttl <= MAX_TTL:
            return _error(400)
        token = world.ids.token(56) + "=="
        inst.imds_tokens[token] = now + ttl
        return ImdsResponse(200, {"Content-Type": "text/plain", TTL_HEADER: str(ttl)}, token)
    if method == "PUT":
        return _error(403)
    if method not in ("GET", "HEAD"):
        return _error(405)
    presented = h.get(TOKEN_HEADER)
    if presented is not None and presented not in inst.imds_tokens:
        return _error(401)
    if presented is None and inst.metadata.http_tokens == "required":
        return _error(401)
    reply = _resolve(world, instance_id, path, region)
    if method == "HEAD":
        return ImdsResponse(reply.status, reply.headers, "")
    return reply


def _resolve(world: World, instance_id: str, path: str, region: str | None) -> ImdsResponse:
    b = ec2.backend(world, region)
    inst = b.state.instances[instance_id]
    if path in ("/", ""):
        return _ok(_VERSIONS)
    parts = [p for p in path.split("/") if p]
    if parts[0] not in _KNOWN_PREFIXES:
        return _error(404)
    rest = parts[1:]
    if not rest:
        return _ok("dynamic\nmeta-data\nuser-data" if inst.user_data_b64 else "dynamic\nmeta-data")
    if rest == ["user-data"]:
        raw = b.user_data(instance_id)
        if raw is None:
            return _error(404)
        return ImdsResponse(200, {"Content-Type": "application/octet-stream"}, raw.decode(errors="replace"))
    if rest[0] == "dynamic":
        tree: Tree = {
            "instance-identity": {
                "document": identity_document(b, inst),
                "signature": "c2ltdWxhdGVk",
                "pkcs7": "c2ltdWxhdGVk",
                "rsa2048": "c2ltdWxhdGVk",
            }
        }
        return _walk(tree, rest[1:], path.endswith("/"))
    if rest[0] == "meta-data":
        return _walk(metadata_tree(b, inst), rest[1:], path.endswith("/"))
    return _error(404)


def _walk(tree: Tree, parts: list[str], trailing_slash: bool) -> ImdsResponse:
    node: str | Tree = tree
    for part in parts:
        if not isinstance(node, dict):
            return _error(404)
        key = part
        if key not in node:
            # public-keys/0 is reached by index although it is listed as "0=name"
            key = next((k for k in node if k.split("=")[0] == part), part)
        if key not in node:
            return _error(404)
        node = node[key]
    if isinstance(node, dict):
        names = sorted(k + ("/" if isinstance(v, dict) else "") for k, v in node.items())
        return _ok("\n".join(names))
    if trailing_slash:
        return _error(404)
    return _ok(node, "application/json" if node.startswith("{") else "text/plain")
