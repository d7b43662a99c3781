"""A virtual clock: time moves only when the world is told to `advance`, so every test is deterministic."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from awsprep.sim.core import codec

# 2025-01-06 09:00:00 UTC, a Monday morning: a fixed start so seeded worlds print the same timestamps.
EPOCH = 1736154000.0


@dataclass(slots=True)
class Timer:
    """A scheduled state change. Timers are plain data (no callables) so the world can be snapshotted.

    `token` lets the owner ignore a timer that a later call made obsolete (e.g. stop during pending).
    `every` > 0 makes it recurring: it is queued again `every` seconds after it fires (health checks,
    metric publication) until its handler returns False or the owner cancels it.
    Timers fire in (due, seq) order: seq is the order they were queued in, so equal due times stay deterministic.
    """

    due: float
    seq: int
    service: str
    region: str
    kind: str
    target: str
    token: int = 0
    every: float = 0.0


# The heap holds (due, seq, timer): tuples compare in C, and seq is unique, so the timer itself is never compared.
# (A Python __lt__ on Timer cost ~20 Python calls per firing; with 1,000 recurring timers that was most of advance.)
Entry = tuple[float, int, Timer]


class ClockState:
    """Current simulated time (seconds since the Unix epoch) and the pending timers (a heap).

    Not a codec dataclass: `to_json`/`from_json` give the snapshot form (timers in firing order).
    """

    __slots__ = ("heap", "now", "seq")

    def __init__(self, now: float = EPOCH, seq: int = 0, timers: list[Timer] | None = None) -> None:
        self.now = now
        self.seq = seq
        self.heap: list[Entry] = [(t.due, t.seq, t) for t in timers or []]
        heapq.heapify(self.heap)

    @property
    def timers(self) -> list[Timer]:
        """Every queued timer, in the order they will fire."""
        return [entry[2] for entry in sorted(self.heap)]

    def schedule(
        self, delay: float, service: str, region: str, kind: str, target: str, token: int = 0, every: float = 0.0
    ) -> None:
        """Queue a timer `delay` seconds from now (recurring every `every` seconds when > 0)."""
        if every < 0 or delay < 0:
            raise ValueError("timers cannot be due in the past")
        self.seq += 1
        due = self.now + delay
        heapq.heappush(self.heap, (due, self.seq, Timer(due, self.seq, service, region, kind, target, token, every)))

    def again(self, timer: Timer) -> None:
        """Queue a recurring timer's next firing (ordered after timers already queued for that instant)."""
        self.seq += 1
        timer.due += timer.every
        timer.seq = self.seq
        heapq.heappush(self.heap, (timer.due, timer.seq, timer))

    def cancel(self, service: str, region: str, kind: str | None = None, target: str | None = None) -> int:
        """Drop matching timers (rare, so a rebuild of the heap is fine); returns how many went."""
        keep = [
            e
            for e in self.heap
            if not (
                e[2].service == service
                and e[2].region == region
                and (kind is None or e[2].kind == kind)
                and (target is None or e[2].target == target)
            )
        ]
        gone = len(self.heap) - len(keep)
        if gone:
            heapq.heapify(keep)
            self.heap = keep
        return gone

    def pop_due(self, until: float) -> Timer | None:
        """Remove and return the earliest timer due at or before `until`, moving `now` to its due time."""
        heap = self.heap
        if heap and heap[0][0] <= until:
            timer = heapq.heappop(heap)[2]
            self.now = max(self.now, timer.due)
            return timer
        return None

    def to_json(self) -> dict[str, Any]:
        """The snapshot form."""
        return {"now": self.now, "seq": self.seq, "timers": [codec.dump(t) for t in self.timers]}

    @classmethod
    def from_json(cls, data: Any) -> ClockState:
        """Back from `to_json` (raises TypeError/KeyError/ValueError on a damaged snapshot)."""
        if not isinstance(data, dict):
            raise TypeError("expected an object for the clock")
        timers = codec.load(list[Timer], data.get("timers", []))
        return cls(float(data["now"]), int(data["seq"]), timers)


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
