"""A virtual clock: time moves only when the world is told to `advance`, so every test is deterministic."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

# 2025-01-06 09:00:00 UTC, a Monday morning: a fixed start so seeded worlds print the same timestamps.
EPOCH = 1736154000.0


@dataclass(slots=True)
class Timer:
    """A scheduled state change. Timers are plain data (no callables) so the world can be snapshotted.

    `token` lets the owner ignore a timer that a later call made obsolete (e.g. stop during pending).
    `every` > 0 makes it recurring: it is queued again `every` seconds after it fires (health checks,
    metric publication) until its handler returns False or the owner cancels it.
    Timers order by (due, seq): the heap's only comparison, written out because the generated one
    builds two tuples per comparison and the heap compares a lot.
    """

    due: float
    seq: int
    service: str
    region: str
    kind: str
    target: str
    token: int = 0
    every: float = 0.0

    def __lt__(self, other: Timer) -> bool:
        return self.due < other.due or (self.due == other.due and self.seq < other.seq)


@dataclass
class ClockState:
    """Current simulated time (seconds since the Unix epoch) and the pending timers (a heap)."""

    now: float = EPOCH
    seq: int = 0
    timers: list[Timer] = field(default_factory=list)

    def schedule(
        self, delay: float, service: str, region: str, kind: str, target: str, token: int = 0, every: float = 0.0
    ) -> None:
        """Queue a timer `delay` seconds from now (recurring every `every` seconds when > 0)."""
        if every < 0 or delay < 0:
            raise ValueError("timers cannot be due in the past")
        self.seq += 1
        heapq.heappush(self.timers, Timer(self.now + delay, self.seq, service, region, kind, target, token, every))

    def again(self, timer: Timer) -> None:
        """Queue a recurring timer's next firing (ordered after timers already queued for that instant)."""
        self.seq += 1
        timer.due += timer.every
        timer.seq = self.seq
        heapq.heappush(self.timers, timer)

    def cancel(self, service: str, region: str, kind: str | None = None, target: str | None = None) -> int:
        """Drop matching timers (rare, so a rebuild of the heap is fine); returns how many went."""
        keep = [
            t
            for t in self.timers
            if not (
                t.service == service
                and t.region == region
                and (kind is None or t.kind == kind)
                and (target is None or t.target == target)
            )
        ]
        gone = len(self.timers) - len(keep)
        if gone:
            heapq.heapify(keep)
            self.timers = keep
        return gone

    def pop_due(self, until: float) -> Timer | None:
        """Remove and return the earliest timer due at or before `until`, moving `now` to its due time."""
        if self.timers and self.timers[0].due <= until:
            timer = heapq.heappop(self.timers)
            self.now = max(self.now, timer.due)
            return timer
        return None


# Datetimes are immutable and a world renders the same few timestamps (launch and attach times) over and
# over, so converting and formatting each distinct one once is enough.
@lru_cache(maxsize=4096)
def to_datetime(ts: float) -> datetime:
    """A simulated timestamp as an aware UTC datetime (what botocore's parsers produce)."""
    return datetime.fromtimestamp(ts, tz=UTC)


@lru_cache(maxsize=4096)
def iso_z(ts: float) -> str:
    """A simulated timestamp in the `2025-01-06T09:00:00.000Z` form AWS uses inside string fields."""
    return to_datetime(ts).strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ts * 1000) % 1000:03d}Z"


@lru_cache(maxsize=4096)
def gmt_stamp(ts: float) -> str:
    """`2025-01-06 09:00:00 GMT`, the form of EC2's StateTransitionReason."""
    return to_datetime(ts).strftime("%Y-%m-%d %H:%M:%S GMT")
