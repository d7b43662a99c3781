"""The forward action (spec §4): which target group (weights, AWSALBTG), which target (round robin or least
outstanding requests, slow start, cross-zone, stickiness with AWSALB or AWSALBAPP), and the exchange with the
target through the core's network, timed on the simulated clock.

Status codes as the ALB troubleshooting page lists them
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html):
no registered target is a 503; a target that refuses the connection or does not speak HTTP is a 502; no
connection within 10 s, or no answer within the load balancer's idle timeout
(`idle_timeout.timeout_seconds`, default 60), is a 504. Every one the ALB makes itself carries
`Server: awselb/2.0`.
"""

from __future__ import annotations

import base64
import heapq
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.endpoint import HttpRequest, HttpResponse
from awsprep.sim.ec2.endpoints import instance_endpoint
from awsprep.sim.elbv2.endpoints import node_source
from awsprep.sim.elbv2.state import LoadBalancer, Node, Target, TargetGroup
from awsprep.sim.net import Outcome, connect, endpoint_by_id

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

_PHI = 0.6180339887498949  # a low-discrepancy sequence spreads weighted choices evenly and deterministically
CONNECT_TIMEOUT = 10.0  # an ALB gives up connecting to a target after 10 s, then answers 504
SAME_ZONE_HOP = 0.0002  # one way, node to target in its AZ [INF]
CROSS_ZONE_HOP = 0.0008  # one way, to a target in another AZ [INF]
APP_COOKIE = "AWSALBAPP-0"
APP_COOKIE_SECONDS = 7 * 86400  # "It has its own expiry of 7 days which is non-configurable" (sticky-sessions.html)


def encode(text: str) -> str:
    """A stickiness cookie's value (AWS encrypts it; the simulator only encodes it)."""
    return base64.b64encode(text.encode()).decode()


def decode(text: str) -> str:
    """The target key a stickiness cookie names ("" when it is not one of ours)."""
    try:
        return base64.b64decode(text.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return ""


def outstanding(target: Target, now: float) -> int:
    """Requests sent to the target that have not been answered yet at `now`."""
    inflight = target.inflight
    while inflight and inflight[0] <= now:
        heapq.heappop(inflight)
    return len(inflight)


def _track(target: Target, now: float, seconds: float) -> None:
    outstanding(target, now)
    heapq.heappush(target.inflight, now + seconds)


def choose_group(
    b: ElbBackend, lb: LoadBalancer, action: dict[str, Any], cookies: dict[str, str]
) -> tuple[TargetGroup, str | None]:
    """The target group of a (weighted) forward, and the AWSALBTG cookie to set when group stickiness is on."""
    config = action["ForwardConfig"]
    groups = [(g["TargetGroupArn"], int(g.get("Weight", 1))) for g in config["TargetGroups"]]
    stick = config.get("TargetGroupStickinessConfig") or {}
    if stick.get("Enabled") and "AWSALBTG" in cookies:
        pinned = decode(cookies["AWSALBTG"])
        for arn, weight in groups:
            if arn.endswith(pinned) and weight > 0:
                return b.state.target_groups[arn], None
    total = sum(w for _, w in groups)
    chosen = groups[0][0]
    if len(groups) > 1 and total > 0:
        point = (lb.request_seq * _PHI) % 1.0 * total
        for arn, weight in groups:
            if point < weight:
                chosen = arn
                break
            point -= weight
    cookie = None
    if stick.get("Enabled"):
        cookie = (
            f"AWSALBTG={encode(chosen.rsplit('/', 1)[1])}; Max-Age={int(stick.get('DurationSeconds') or 3600)}; Path=/"
        )
    return b.state.target_groups[chosen], cookie


def eligible(tg: TargetGroup, zone: str | None) -> tuple[list[Target], bool]:
    """Targets a request may go to, and whether the group failed open (no healthy target: all of them)."""
    every = tg.targets
    ordered = [every[k] for k in sorted(every)]  # by target key, so round robin's order is the same every run
    live = [t for t in ordered if t.state in ("healthy", "unavailable") and (zone is None or t.zone in (zone, "all"))]
    if live:
        return live, False
    candidates = [
        t for t in ordered if t.state in ("unhealthy", "initial") and (zone is None or t.zone in (zone, "all"))
    ]
    return candidates, bool(candidates)


def _app_session(b: ElbBackend, tg: TargetGroup, cookies: dict[str, str]) -> str | None:
    """The target key of a live application-based session: an AWSALBAPP-0 cookie within the configured
    duration, sent together with the application's own cookie (sticky-sessions.html); None otherwise."""
    name = tg.attributes.get("stickiness.app_cookie.cookie_name", "")
    key, _, until = decode(cookies.get(APP_COOKIE, "")).rpartition("|")
    if not key or not name or name not in cookies:
        return None
    try:
        return key if float(until) >= b.world.now else None
    except ValueError:
        return None


def _sticky_target(b: ElbBackend, tg: TargetGroup, targets: list[Target], cookies: dict[str, str]) -> Target | None:
    """The target a valid stickiness cookie names (lb_cookie: AWSALB; app_cookie: a live AWSALBAPP session),
    when it may still take requests."""
    if tg.attributes.get("stickiness.enabled") != "true":
        return None
    if tg.attributes.get("stickiness.type", "lb_cookie") == "lb_cookie":
        key: str | None = decode(cookies.get("AWSALB", ""))
    else:
        key = _app_session(b, tg, cookies)
    return next((t for t in targets if t.key == key), None) if key else None


def pick_target(
    b: ElbBackend, lb: LoadBalancer, tg: TargetGroup, node: Node, cookies: dict[str, str]
) -> tuple[Target | None, bool, bool]:
    """(target, failed open, from a stickiness cookie)."""
    cross = tg.attributes.get("load_balancing.cross_zone.enabled", "use_load_balancer_configuration")
    if cross == "use_load_balancer_configuration":
        cross = lb.attributes.get("load_balancing.cross_zone.enabled", "true")
    targets, failed_open = eligible(tg, None if cross == "true" else node.zone)
    if not targets and cross != "true":
        targets, failed_open = eligible(tg, None)
    if not targets:
        return None, False, False
    if cookies:
        found = _sticky_target(b, tg, targets, cookies)
        if found is not None:
            return found, failed_open, True
    if len(targets) > 1 and tg.attributes.get("load_balancing.algorithm.type") == "least_outstanding_requests":
        now = b.world.now
        counts = [outstanding(t, now) for t in targets]
        fewest = min(counts)
        targets = [t for t, n in zip(targets, counts, strict=True) if n == fewest]
    slow = int(tg.attributes.get("slow_start.duration_seconds", "0") or 0)
    for _ in range(len(targets)):
        tg.rr_next = (tg.rr_next + 1) % len(targets)
        target = targets[tg.rr_next]
        if slow and target.healthy_since and b.world.now - target.healthy_since < slow:
            ramp = (b.world.now - target.healthy_since) / slow
            if (target.served * _PHI) % 1.0 >= ramp:
                target.served += 1  # skipped this turn: its share grows linearly over the slow-start window
                continue
        return target, failed_open, False
    return targets[tg.rr_next], failed_open, False


def _forwarded(request: HttpRequest, node: Node, protocol: str, trace_id: str, port: int) -> HttpRequest:
    """The request as the target receives it: from the node's address, with the X-Forwarded-* headers and
    X-Amzn-Trace-Id an ALB adds (x-forwarded-headers.html, load-balancer-request-tracing.html)."""
    headers = dict(request.headers)
    xff = next((v for k, v in headers.items() if k.lower() == "x-forwarded-for"), None)
    headers["X-Forwarded-For"] = f"{xff}, {request.client_ip}" if xff else request.client_ip
    headers["X-Forwarded-Proto"] = protocol.lower()
    headers["X-Forwarded-Port"] = str(request.port)
    headers["X-Amzn-Trace-Id"] = trace_id
    return HttpRequest(port, request.method, request.path, headers, node.private_ip, request.client, body=request.body)


def exchange(
    b: ElbBackend,
    lb: LoadBalancer,
    tg: TargetGroup,
    target: Target,
    node: Node,
    request: HttpRequest,
    protocol: str,
    trace: list[str],
) -> tuple[HttpResponse | None, int, float]:
    """Send the request to the target: (its response or None, the status the ALB answers instead (0 when
    the target's stands), simulated seconds it took)."""
    now = b.world.now
    port = target.port or 80
    dest = instance_endpoint(b.world, b.region, target.target_id, inside=True) if tg.target_type == "instance" else None
    host = dest.private_ip or target.target_id if dest is not None else target.target_id
    src = node_source(b, lb, node)
    reach = connect(b.world, host, port, "tcp", src.endpoint_id, b.region, dest=dest, src=src)
    hop = SAME_ZONE_HOP if target.zone in (node.zone, None) else CROSS_ZONE_HOP
    if reach.outcome is Outcome.TIMEOUT:
        trace.append(f"awsprep: no answer from {host}:{port} within {int(CONNECT_TIMEOUT)} s ({reach.reason}): 504")
        return None, 504, CONNECT_TIMEOUT
    response = None
    if reach.outcome is Outcome.CONNECTED:
        ep = dest if dest is not None else endpoint_by_id(b.world, reach.endpoint_id or "")
        trace_id = f"Root=1-{int(now):08x}-{lb.lb_id}{lb.request_seq:08x}"
        forwarded = _forwarded(request, node, protocol, trace_id, port)
        if ep is not None and ep.http is not None:
            response = ep.http(forwarded)
        elif ep is not None:
            answer = ep.serve(port, request.method, request.path)
            if answer is not None:
                response = HttpResponse(answer[0], {"Content-Type": answer[2]}, answer[1])
    if response is None or response.status == 0:
        trace.append(f"awsprep: {host}:{port} refused the connection or is not HTTP: 502")
        return None, 502, 2 * hop
    taken = 2 * hop + response.elapsed
    idle = float(lb.attributes.get("idle_timeout.timeout_seconds", "60"))
    if taken > idle:
        _track(target, now, idle)
        trace.append(
            f"awsprep: {target.target_id}:{port} took {taken:g} s, longer than the idle timeout ({idle:g} s): 504"
        )
        return None, 504, idle
    _track(target, now, taken)
    target.last_client = node.private_ip
    trace.append(f"awsprep: {target.target_id}:{port} answered {response.status} in {taken * 1000:.1f} ms")
    return response, 0, taken


def stickiness_cookies(
    b: ElbBackend, tg: TargetGroup, target: Target, response: HttpResponse, cookies: dict[str, str]
) -> list[str]:
    """The cookies the ALB adds to a target's response: AWSALB/AWSALBCORS (duration-based, after every
    request); or AWSALBAPP-0 when the application set its configured cookie, and on every response of a live
    session (its duration starts over; a session whose target failed is stuck to the new one)."""
    if tg.attributes.get("stickiness.enabled") != "true":
        return []
    value = encode(target.key)
    if tg.attributes.get("stickiness.type", "lb_cookie") == "lb_cookie":
        age = int(tg.attributes.get("stickiness.lb_cookie.duration_seconds", "86400"))
        return [
            f"AWSALB={value}; Max-Age={age}; Path=/",
            f"AWSALBCORS={value}; Max-Age={age}; Path=/; SameSite=None; Secure",
        ]
    name = tg.attributes.get("stickiness.app_cookie.cookie_name", "")
    sets_it = any(c.split("=", 1)[0].strip() == name for c in response.set_cookies)
    if not name or not (sets_it or _app_session(b, tg, cookies) is not None):
        return []
    until = b.world.now + int(tg.attributes.get("stickiness.app_cookie.duration_seconds", "86400"))
    expires = formatdate(b.world.now + APP_COOKIE_SECONDS, usegmt=True)
    return [f"{APP_COOKIE}={encode(f'{target.key}|{until:.3f}')}; Expires={expires}; Path=/"]
