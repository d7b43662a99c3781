"""A virtual clock: time moves only when the world is told to `advance`, so every test is deterministic."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Mapping
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


class Run:
    """Recurring timers of one period queued back to back, as one heap entry keyed by its first member.

    Members are in (due, seq) order and all fall due within one period of the first, so a member that fires
    is queued again at the end (its next due, with the newest seq, comes after every other member's). Nothing
    else in the heap can fall between two members: a timer queued later has a larger seq, and it joins the
    run only at its end. So firing members back to back, while the heap holds nothing earlier, is exactly the
    (due, seq) order of one heap entry per timer, for one heap operation per run instead of two per firing.
    """

    __slots__ = ("every", "members")

    def __init__(self, every: float) -> None:
        self.every = every
        self.members: deque[Timer] = deque()


# The heap holds (due, seq, timer or run): tuples compare in C, and seq is unique, so neither the timer nor the
# run is ever compared. (A Python __lt__ on Timer cost ~20 Python calls per firing.)
Entry = tuple[float, int, "Timer | Run"]
Handler = Callable[[Any, Timer], "bool | None"]  # (world, timer); False ends a recurring timer


def _drop(world: Any, timer: Timer) -> bool:
    """The handler of a timer whose service the world does not have (a toy in a test): not run, not again."""
    return False


_DROP: Handler = _drop


class ClockState:
    """Current simulated time (seconds since the Unix epoch) and the pending timers (a heap, recurring timers of
    one period in `Run`s). Timers fire in (due, seq) order, seq being the order they were queued in.

    Not a codec dataclass: `to_json`/`from_json` give the snapshot form (every timer, in firing order, the same
    whether or not it sat in a run).
    """

    __slots__ = ("firing", "heap", "now", "retired", "runs", "seq")

    def __init__(self, now: float = EPOCH, seq: int = 0, timers: list[Timer] | None = None) -> None:
        self.now = now
        self.seq = seq
        self.heap: list[Entry] = []
        self.runs: dict[float, Run] = {}  # the run a recurring timer of that period may join
        self.firing: Run | None = None  # the run out of the heap while its members fire
        self.retired = False  # the world replaced this clock (reset, restore): stop firing its timers
        for timer in sorted(timers or [], key=lambda t: (t.due, t.seq)):
            self._queue(timer)

    @property
    def timers(self) -> list[Timer]:
        """Every queued timer, in the order they will fire."""
        found = [t for entry in self.heap for t in (entry[2].members if isinstance(entry[2], Run) else [entry[2]])]
        if self.firing is not None:
            found.extend(self.firing.members)
        return sorted(found, key=lambda t: (t.due, t.seq))

    def _queue(self, timer: Timer) -> None:
        """Into the heap, or at the end of its period's run when that keeps the run's order."""
        every = timer.every
        if every > 0:
            run = self.runs.get(every)
            if run is None:
                run = self.runs[every] = Run(every)
                run.members.append(timer)
                heapq.heappush(self.heap, (timer.due, timer.seq, run))
                return
            members = run.members
            if run is not self.firing and members:
                tail = members[-1]
                later = timer.due > tail.due or (timer.due == tail.due and timer.seq > tail.seq)
                if later and timer.due <= members[0].due + every:
                    members.append(timer)
                    return
        heapq.heappush(self.heap, (timer.due, timer.seq, timer))

    def schedule(
        self, delay: float, service: str, region: str, kind: str, target: str, token: int = 0, every: float = 0.0
    ) -> None:
        """Queue a timer `delay` seconds from now (recurring every `every` seconds when > 0)."""
        if every < 0 or delay < 0:
            raise ValueError("timers cannot be due in the past")
        self.seq += 1
        self._queue(Timer(self.now + delay, self.seq, service, region, kind, target, token, every))

    def cancel(self, service: str, region: str, kind: str | None = None, target: str | None = None) -> int:
        """Drop matching timers (rare, so a rebuild of the heap is fine); returns how many went."""

        def gone(t: Timer) -> bool:
            return (
                t.service == service
                and t.region == region
                and (kind is None or t.kind == kind)
                and (target is None or t.target == target)
            )

        count = 0
        keep: list[Entry] = []
        for entry in self.heap:
            item = entry[2]
            if isinstance(item, Timer):
                if gone(item):
                    count += 1
                else:
                    keep.append(entry)
                continue
            count += _drop_members(item, gone)
            if item.members:
                keep.append((item.members[0].due, item.members[0].seq, item))
        if self.firing is not None:
            count += _drop_members(self.firing, gone)
        if count:
            heapq.heapify(keep)
            self.heap[:] = keep  # in place: a run that is firing holds this list
            for every, run in list(self.runs.items()):
                if not run.members and run is not self.firing:
                    del self.runs[every]
        return count

    def run(self, until: float, world: Any, handlers: Mapping[str, Handler | None]) -> None:
        """Fire every timer due at or before `until`, in (due, seq) order, moving `now` to each one's due time:
        `handlers[timer.service](world, timer)`, which returns False to end a recurring timer. A timer of a
        service without an entry is dropped; one whose entry is None only recurs. Stops early when the world
        retires this clock (a handler reset or restored the world)."""
        heap = self.heap
        while heap and heap[0][0] <= until:
            due, _, item = heapq.heappop(heap)
            if due > self.now:  # noqa: PLR1730 (a builtin call per firing costs more than the test)
                self.now = due
            if isinstance(item, Run):
                self._fire_run(item, until, world, handlers)
                if self.retired:
                    return
                continue
            handler = handlers.get(item.service, _DROP)
            again = handler(world, item) if handler is not None else None
            if self.retired:
                return
            if item.every > 0 and again is not False:
                self.seq += 1
                item.seq = self.seq
                item.due += item.every
                self._queue(item)

    def _fire_run(self, run: Run, until: float, world: Any, handlers: Mapping[str, Handler | None]) -> None:
        """Fire a run's members back to back until one is not due or the heap holds an earlier timer."""
        heap = self.heap
        members = run.members
        popleft, append = members.popleft, members.append
        self.firing = run
        try:
            while members:
                timer = members[0]
                due = timer.due
                if due > until:
                    break
                if heap:
                    top = heap[0]
                    if top[0] < due or (top[0] == due and top[1] < timer.seq):
                        break
                popleft()
                if due > self.now:  # noqa: PLR1730
                    self.now = due
                handler = handlers.get(timer.service, _DROP)
                again = handler(world, timer) if handler is not None else None
                if self.retired:
                    return
                if again is not False:  # members recur (every > 0)
                    self.seq += 1
                    timer.seq = self.seq
                    timer.due = due = due + timer.every
                    if members and due < members[-1].due:  # cannot happen (see Run); kept exact anyway
                        heapq.heappush(heap, (due, timer.seq, timer))
                    else:
                        append(timer)
        finally:
            self.firing = None
        if members:
            heapq.heappush(heap, (members[0].due, members[0].seq, run))
        elif self.runs.get(run.every) is run:
            del self.runs[run.every]

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


def _drop_members(run: Run, gone: Callable[[Timer], bool]) -> int:
    """Remove a run's members that `gone` matches, in place (a firing run's loop holds the deque)."""
    kept = [t for t in run.members if not gone(t)]
    count = len(run.members) - len(kept)
    if count:
        run.members.clear()
        run.members.extend(kept)
    return count


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
