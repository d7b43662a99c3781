"""Requests still in flight to a target, and what cuts them (the ALB troubleshooting page's 502 causes).

An answer that takes time (a slow page) is computed when the request is sent; while it travels, the target
can go away. The ALB troubleshooting page lists, under HTTP 502, "The deregistration delay period elapsed for
a request being handled by a target that was deregistered" and "The target closed the connection with a TCP
RST or a TCP FIN while the load balancer had an outstanding request to the target"
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html).
So a request is cut, and the client gets the ALB's own 502 at that moment, when its target's draining ends or
its instance stops or terminates before the answer is complete; one that completes inside the delay is
answered normally ("allowed to finish", load-balancer-target-groups.html#deregistration-delay).

A request shorter than `TRACKED` is over before anything else can happen (a learner's next command comes
after it), so only slower ones are recorded. Records live on the backend, outside the state, like the check
memo: a restored world has no requests in flight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from awsprep.sim.core.endpoint import HttpResponse

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

TRACKED = 1.0  # simulated seconds [INF]: faster exchanges cannot overlap anything a learner does


@dataclass
class InFlight:
    """One request on its way: to which target, when it was sent and when its answer is complete."""

    tg_arn: str
    key: str
    instance_id: str
    sent: float
    ends: float
    cut: float | None = None
    why: str = ""


def track(b: ElbBackend, tg_arn: str, key: str, instance_id: str, sent: float, ends: float) -> int | None:
    """Record a slow request; its ticket (None for a fast one). Requests already over are forgotten."""
    if ends - sent < TRACKED:
        return None
    now = b.world.now
    for ticket in [t for t, r in b.inflight.items() if r.ends <= now and r.cut is None]:
        del b.inflight[ticket]
    b.inflight_seq += 1
    b.inflight[b.inflight_seq] = InFlight(tg_arn, key, instance_id, sent, ends)
    return b.inflight_seq


def cut(b: ElbBackend, why: str, tg_arn: str | None = None, key: str | None = None, instance_id: str = "") -> None:
    """Cut every request still in flight to a target (by group and target key) or to an instance."""
    now = b.world.now
    for r in b.inflight.values():
        if r.cut is not None or r.ends <= now:
            continue
        same_target = tg_arn is not None and (r.tg_arn, r.key) == (tg_arn, key)
        if same_target or (instance_id and r.instance_id == instance_id):
            r.cut, r.why = now, why


def settler(
    b: ElbBackend, ticket: int, answer: HttpResponse, page: HttpResponse
) -> Callable[[float], HttpResponse | None]:
    """`HttpResponse.settle` for a tracked request's `answer`: the ALB's 502 (`page`) once it was cut, else
    None. The 502's trace is the answer's up to the target, then why it was cut."""

    def settle(now: float) -> HttpResponse | None:
        r = b.inflight.get(ticket)
        if r is None:
            return None
        if r.cut is not None and r.cut <= now:
            del b.inflight[ticket]
            page.elapsed = r.cut - r.sent
            kept = [line for line in answer.trace if not line.startswith(f"awsprep: {answer.answered_by} answered")]
            page.trace = [*kept, f"awsprep: {r.why} after {page.elapsed:g} s, before the answer was complete: 502"]
            return page
        if now >= r.ends:
            del b.inflight[ticket]
        return None

    return settle
