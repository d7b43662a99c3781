"""The data plane (spec §4): a request reaches a node, the listener on its port, the rules in priority order
(first match wins), then the action: forward (weights, stickiness, round robin or least outstanding requests,
slow start, cross-zone), redirect or fixed-response. Targets are reached from the node's address and security
groups through the core's network; what goes wrong becomes the status codes AWS returns (502, 503, 504).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from email.utils import formatdate
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.endpoint import HttpRequest, HttpResponse
from awsprep.sim.elbv2 import inflight
from awsprep.sim.elbv2.endpoints import node_id
from awsprep.sim.elbv2.forward import choose_group, exchange, pick_target, stickiness_cookies
from awsprep.sim.elbv2.metrics import publish_request
from awsprep.sim.elbv2.models import ElbBackend
from awsprep.sim.elbv2.passthrough import pass_through
from awsprep.sim.elbv2.state import Listener, LoadBalancer, Node, Rule, TargetGroup

if TYPE_CHECKING:
    from awsprep.sim.world import World

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}


# What an ALB's HTTPS listener answers a plain-HTTP request with (the page nginx-based proxies send) [OBS].
PLAIN_TO_HTTPS = (
    "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n"
    "<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def error_page(status: int) -> str:
    """The page an ALB itself answers with (502/503/504)."""
    title = f"{status} {REASONS.get(status, '')}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
    )


def _elb_response(status: int, body: str | None = None, content_type: str = "text/html") -> HttpResponse:
    text = error_page(status) if body is None else body
    headers = {"Server": "awselb/2.0", "Content-Type": content_type, "Content-Length": str(len(text.encode()))}
    return HttpResponse(status, headers, text)


@lru_cache(maxsize=4096)
def _wildcard(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z", flags)


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    raw = next((v for k, v in headers.items() if k.lower() == "cookie"), "")
    out = {}
    for part in raw.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            out[name] = value
    return out


def _header(headers: dict[str, str], name: str) -> str | None:
    low = name.lower()
    return next((v for k, v in headers.items() if k.lower() == low), None)


def condition_matches(cond: dict[str, Any], request: HttpRequest, host: str) -> bool:
    """One condition: OR across its values (spec §4's matching table)."""
    field = cond["Field"]
    path, _, query = request.path.partition("?")
    if field == "path-pattern":
        return any(_wildcard(v, 0).match(path) for v in cond["PathPatternConfig"]["Values"])
    if field == "host-header":
        name = host.split(":", 1)[0]
        return any(_wildcard(v, re.IGNORECASE).match(name) for v in cond["HostHeaderConfig"]["Values"])
    if field == "http-request-method":
        return request.method in cond["HttpRequestMethodConfig"]["Values"]
    if field == "http-header":
        config = cond["HttpHeaderConfig"]
        value = _header(request.headers, config["HttpHeaderName"])
        return value is not None and any(_wildcard(v, re.IGNORECASE).match(value) for v in config["Values"])
    if field == "query-string":
        pairs = [p.partition("=") for p in query.split("&") if p]
        for want in cond["QueryStringConfig"]["Values"]:
            for key, _, value in pairs:
                key_ok = want.get("Key") is None or _wildcard(want["Key"], re.IGNORECASE).match(key)
                if key_ok and _wildcard(want.get("Value", ""), re.IGNORECASE).match(value):
                    return True
        return False
    if field == "source-ip":
        try:
            ip = ipaddress.ip_address(request.client_ip)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(c, strict=False) for c in cond["SourceIpConfig"]["Values"])
    return False


Predicate = Callable[[HttpRequest, str], bool]


def _path_check(pattern: re.Pattern[str]) -> Predicate:
    def check(r: HttpRequest, h: str) -> bool:
        return pattern.match(r.path.partition("?")[0]) is not None

    return check


def _generic_check(cond: dict[str, Any]) -> Predicate:
    def check(r: HttpRequest, h: str) -> bool:
        return condition_matches(cond, r, h)

    return check


def _compile(conditions: list[dict[str, Any]]) -> Predicate:
    """One predicate for a rule (AND across conditions); path patterns become one regular expression."""
    checks: list[Predicate] = []
    for cond in conditions:
        if cond["Field"] == "path-pattern":
            pattern = re.compile("|".join(_wildcard(v, 0).pattern for v in cond["PathPatternConfig"]["Values"]))
            checks.append(_path_check(pattern))
        else:
            checks.append(_generic_check(cond))
    if len(checks) == 1:
        return checks[0]

    def every(r: HttpRequest, h: str) -> bool:
        return all(check(r, h) for check in checks)

    return every


# A listener's rules as steps, built once per version of its rules (rules.py bumps `rules_version`): a run
# of rules whose only condition is a path pattern becomes one regular expression whose matching group names
# the first rule that matches (Python's alternation tries alternatives in order); other rules keep their own
# predicate. The entry holds the listener, so the id in its key cannot be reused while it lives.
_Step = tuple[re.Pattern[str] | None, list[Rule], Predicate | None]
_PLANS: dict[str, tuple[tuple[int, int, int], Listener, list[_Step]]] = {}


def _plan(listener: Listener) -> list[_Step]:
    rules = listener.rules
    key = (id(listener), listener.rules_version, len(rules))
    cached = _PLANS.get(listener.arn)
    if cached is not None and cached[0] == key:
        return cached[2]
    steps: list[_Step] = []
    group: list[Rule] = []

    def flush() -> None:
        if group:
            alternatives = (
                "(" + "|".join(_wildcard(v, 0).pattern for v in r.conditions[0]["PathPatternConfig"]["Values"]) + ")"
                for r in group
            )
            steps.append((re.compile("|".join(alternatives)), list(group), None))
            group.clear()

    for rule in rules:
        if rule.is_default:
            flush()
            steps.append((None, [rule], None))
            break
        if len(rule.conditions) == 1 and rule.conditions[0]["Field"] == "path-pattern":
            group.append(rule)
            continue
        flush()
        steps.append((None, [rule], _compile(rule.conditions)))
    flush()
    if len(_PLANS) > 2_000:
        _PLANS.clear()
    _PLANS[listener.arn] = (key, listener, steps)
    return steps


def match_rule(listener: Listener, request: HttpRequest, host: str) -> Rule:
    """The first rule (by priority) whose conditions all match; the default rule last."""
    path = request.path.partition("?")[0]
    for pattern, rules, predicate in _plan(listener):
        if pattern is not None:
            m = pattern.match(path)
            if m is not None:
                return rules[(m.lastindex or 1) - 1]
        elif predicate is None or predicate(request, host):
            return rules[0]
    return listener.rules[-1]


def handle_request(world: World, region: str, lb_arn: str, zone: str, request: HttpRequest) -> HttpResponse | None:
    """A request that reached a node of `lb_arn` (the network has applied the LB's security groups)."""
    from awsprep.sim.elbv2 import backend

    b = backend(world, region)
    lb = b.state.load_balancers.get(lb_arn)
    if lb is None:
        return None
    listener = next((li for li in b.listeners_of(lb_arn) if li.port == request.port), None)
    if listener is None:
        return None
    lb.request_seq += 1
    node = lb.nodes[lb.request_seq % len(lb.nodes)]  # DNS hands out every node's address in turn
    trace = [f"awsprep: {lb.name} node {node_id(lb, node)} ({node.public_ip or node.private_ip}) in {node.zone}"]
    if lb.lb_type == "network":
        response = pass_through(b, lb, listener, node, request, trace)
    else:
        response = _route(b, lb, listener, node, request, trace)
    response.trace = trace + response.trace
    if response.headers.get("Server") == "awselb/2.0":
        response.headers = _elb_headers(world.now, response.headers)
    return response


def _elb_headers(now: float, headers: dict[str, str]) -> dict[str, str]:
    """The head of an answer the ALB makes itself, in its order: Server, Date, Content-Type, Content-Length,
    Connection, then the rest (a redirect's Location)."""
    first = ("Server", "Date", "Content-Type", "Content-Length", "Connection")
    out = {"Server": "awselb/2.0", "Date": formatdate(now, usegmt=True)}
    out |= {k: headers[k] for k in first[2:4] if k in headers} | {"Connection": "keep-alive"}
    return out | {k: v for k, v in headers.items() if k not in first}


def _route(
    b: ElbBackend, lb: LoadBalancer, listener: Listener, node: Node, request: HttpRequest, trace: list[str]
) -> HttpResponse:
    if request.tls and listener.protocol == "HTTP":
        trace.append(f"awsprep: listener HTTP:{listener.port} speaks plain HTTP; the client started TLS")
        return HttpResponse(0, failure="tls-mismatch")
    if not request.tls and listener.protocol == "HTTPS":
        out = _elb_response(400, PLAIN_TO_HTTPS)
        _metric(b, lb, None, 400, False, out)
        return out
    host = _header(request.headers, "Host") or lb.dns_name
    rule = match_rule(listener, request, host)
    which = "default" if rule.is_default else rule.priority
    trace.append(f"awsprep: listener {listener.protocol}:{listener.port}, rule {which} matched")
    action = rule.actions[-1]
    kind = action["Type"]
    if kind == "fixed-response":
        config = action["FixedResponseConfig"]
        status = int(config["StatusCode"])
        out = _elb_response(status, config.get("MessageBody") or "", config.get("ContentType") or "text/plain")
        _metric(b, lb, None, status, False, out)
        return out
    if kind == "redirect":
        out = _redirect(action["RedirectConfig"], listener, request, host)
        _metric(b, lb, None, out.status, False, out)
        return out
    return _forward(b, lb, listener, node, action, request, trace)


def _redirect(config: dict[str, Any], listener: Listener, request: HttpRequest, host: str) -> HttpResponse:
    path, _, query = request.path.partition("?")
    values = {
        "#{protocol}": listener.protocol.lower(),
        "#{host}": host.split(":", 1)[0],
        "#{port}": str(listener.port),
        "#{path}": path.lstrip("/"),
        "#{query}": query,
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    protocol = fill(config["Protocol"]).lower()
    q = fill(config["Query"])
    # The ALB writes the port even when it is the scheme's default (`https://example.com:443/`: users of the
    # AWS Load Balancer Controller ask how to stop ":443 from being prepended", issue #487), and its own small
    # page as the body (134 bytes for a 301, like its error pages).
    location = f"{protocol}://{fill(config['Host'])}:{fill(config['Port'])}{fill(config['Path'])}" + (
        f"?{q}" if q else ""
    )
    status = 301 if config["StatusCode"] == "HTTP_301" else 302
    out = _elb_response(status)
    out.headers["Location"] = location
    return out


def _forward(
    b: ElbBackend,
    lb: LoadBalancer,
    listener: Listener,
    node: Node,
    action: dict[str, Any],
    request: HttpRequest,
    trace: list[str],
) -> HttpResponse:
    cookies = _cookies(request.headers)
    tg, tg_cookie = choose_group(b, lb, action, cookies)
    target, failed_open, sticky = pick_target(b, lb, tg, node, cookies)
    if target is None:
        trace.append(f"awsprep: target group {tg.name} has no registered targets: 503")
        out = _elb_response(503)
        _metric(b, lb, tg, 503, False, out)
        return out
    note = " (failing open: no target is healthy)" if failed_open else " (sticky)" if sticky else ""
    trace.append(
        f"awsprep: forward to target group {tg.name} -> {target.target_id}:{target.port} [{target.state}]{note}"
    )
    target.served += 1
    target.last_request = b.world.now
    if tg.target_type == "lambda":
        from awsprep.sim.elbv2.api import invoke_lambda

        out = invoke_lambda(b.world, target.target_id, request)
        out.answered_by = out.answered_by or target.target_id
        _metric(b, lb, tg, out.status, True, out)
        return out
    response, lb_status, taken = exchange(b, lb, tg, target, node, request, listener.protocol, trace)
    if response is None:
        out = _elb_response(lb_status)
        out.elapsed = taken
        _metric(b, lb, tg, lb_status, False, out)
        return out
    headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "connection")}
    headers["Content-Length"] = str(len(response.body.encode()))
    out = HttpResponse(
        response.status,
        headers,
        response.body,
        set_cookies=[*response.set_cookies, *stickiness_cookies(b, tg, target, response, cookies)],
        elapsed=taken,
        answered_by=f"{target.target_id}:{target.port or 80}",
    )
    if tg_cookie:
        out.set_cookies.append(tg_cookie)
    iid = target.target_id if tg.target_type == "instance" else ""
    ticket = inflight.track(b, tg.arn, target.key, iid, b.world.now, b.world.now + taken)
    if ticket is not None:  # a slow answer: the target may go away before it is complete
        out.settle = inflight.settler(b, ticket, out, _elb_response(502))
    _metric(b, lb, tg, response.status, True, out)
    return out


def _metric(
    b: ElbBackend, lb: LoadBalancer, tg: TargetGroup | None, status: int, from_target: bool, out: HttpResponse
) -> None:
    publish_request(b, lb, tg, status, from_target, out.elapsed, len(out.body))


def request(
    world: World,
    lb_arn: str,
    path: str = "/",
    headers: dict[str, str] | None = None,
    port: int = 80,
    method: str = "GET",
    region: str | None = None,
    client_ip: str | None = None,
) -> HttpResponse:
    """Send one request straight to a load balancer (the Python API the bench and the labs' checks use)."""
    from awsprep.sim.elbv2 import backend

    b = backend(world, region)
    lb = b.load_balancer(lb_arn)
    req = HttpRequest(port, method, path, dict(headers or {}), client_ip or world.meta.laptop_ip)
    out = handle_request(world, b.region, lb_arn, lb.nodes[0].zone, req)
    return out if out is not None else HttpResponse(0)
