"""Recurring timers of one period share a heap entry (`core.clock.Run`); they must fire exactly as one heap entry
per timer would: (due, order queued), with handlers that schedule, cancel and end timers, across snapshots."""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field

import pytest

from awsprep.sim import World
from awsprep.sim.core.clock import Run, Timer
from awsprep.sim.core.service import ServiceSpec

PERIODS = (5.0, 10.0, 30.0)


@dataclass
class Reference:
    """The clock before runs: one heap entry per timer, a recurring one queued again after it fires."""

    now: float
    seq: int = 0
    heap: list[tuple[float, int, Timer]] = field(default_factory=list)

    def schedule(self, delay: float, target: str, every: float) -> None:
        self.seq += 1
        t = Timer(self.now + delay, self.seq, "runs-toy", "us-east-1", "t", target, 0, every)
        heapq.heappush(self.heap, (t.due, t.seq, t))

    def cancel(self, target: str) -> None:
        self.heap = [e for e in self.heap if e[2].target != target]
        heapq.heapify(self.heap)

    def advance(self, seconds: float, log: list[tuple[float, str, int]]) -> None:
        until = self.now + seconds
        while self.heap and self.heap[0][0] <= until:
            t = heapq.heappop(self.heap)[2]
            self.now = max(self.now, t.due)
            again = act(self, t, log)
            if t.every > 0 and again is not False:
                self.seq += 1
                t.seq, t.due = self.seq, t.due + t.every
                heapq.heappush(self.heap, (t.due, t.seq, t))
        self.now = until

    def pending(self) -> list[tuple[float, int, str, float]]:
        return [(t.due, t.seq, t.target, t.every) for _, _, t in sorted(self.heap)]


class Real:
    """The same operations on a World."""

    def __init__(self, world: World) -> None:
        self.world = world

    @property
    def now(self) -> float:
        return self.world.now

    def schedule(self, delay: float, target: str, every: float) -> None:
        self.world.schedule(delay, "runs-toy", "us-east-1", "t", target, every=every)

    def cancel(self, target: str) -> None:
        self.world.cancel_timers("runs-toy", "us-east-1", target=target)

    def pending(self) -> list[tuple[float, int, str, float]]:
        return [(t.due, t.seq, t.target, t.every) for t in self.world.clock.timers]


LOGS: dict[int, list[tuple[float, str, int]]] = {}


def act(clock: Reference | Real, timer: Timer, log: list[tuple[float, str, int]]) -> bool | None:
    """A handler whose choices depend only on the firing (so a restored world makes the same ones)."""
    log.append((clock.now, timer.target, timer.seq))
    rng = random.Random(f"{timer.target}/{timer.seq}/{clock.now}")
    roll = rng.random()
    if roll < 0.05:
        clock.schedule(rng.choice([0.0, 5.0, 10.0, 2.5]), f"n{timer.seq}", rng.choice([0.0, *PERIODS]))
    elif roll < 0.08:
        clock.cancel(f"r{rng.randrange(40)}")  # often a member of the run that is firing
    elif roll < 0.10:
        return False
    return None


def _toy(world: World, timer: Timer) -> bool | None:
    return act(Real(world), timer, LOGS[id(world)])


SPEC = ServiceSpec("runs-toy", dict, lambda w, r: {}, lambda w, r: None, on_timer=_toy)  # type: ignore[arg-type,return-value]


def _start(clock: Reference | Real, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(40):
        every = rng.choice([0.0, *PERIODS, *PERIODS, *PERIODS])
        clock.schedule(rng.choice([0.0, 1.0, 5.0, 10.0, rng.uniform(0, 30)]), f"r{i}", every)


def _world() -> World:
    world = World(seed=1, services=[SPEC])
    LOGS[id(world)] = []
    return world


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_runs_fire_in_the_order_of_one_heap_entry_per_timer(seed: int) -> None:
    world = _world()
    real = Real(world)
    ref = Reference(world.now)
    _start(real, seed)
    _start(ref, seed)
    assert any(isinstance(e[2], Run) and len(e[2].members) > 1 for e in world.clock.heap)  # batched, not one each
    expected: list[tuple[float, str, int]] = []
    for step in (0, 3, 7.5, 10, 60, 600):
        world.advance(step)
        ref.advance(step, expected)
        assert LOGS[id(world)] == expected
        assert real.pending() == ref.pending()
    assert len(expected) > 500


def test_batched_timers_survive_a_snapshot_and_keep_their_order() -> None:
    world = _world()
    _start(Real(world), 7)
    world.advance(95)
    saved = world.save()
    loaded = World.load(saved, services=[SPEC])
    LOGS[id(loaded)] = []
    assert any(isinstance(e[2], Run) and len(e[2].members) > 1 for e in loaded.clock.heap)
    assert loaded.clock.timers == world.clock.timers
    LOGS[id(world)] = []
    world.advance(300)
    loaded.advance(300)
    assert LOGS[id(loaded)] == LOGS[id(world)] and len(LOGS[id(world)]) > 100
    assert loaded.snapshot() == world.snapshot()


SAVED: dict[str, object] = {}


def _restoring(world: World, timer: Timer) -> bool | None:
    LOGS[id(world)].append((world.now, timer.target, timer.seq))
    if timer.target == "p2" and "snapshot" in SAVED:
        world.restore(SAVED.pop("snapshot"))  # type: ignore[arg-type]
    return None


def test_a_handler_that_restores_the_world_mid_run_goes_on_with_the_restored_timers() -> None:
    world = World(
        seed=1, services=[ServiceSpec("runs-toy", dict, lambda w, r: {}, lambda w, r: None, on_timer=_restoring)]
    )  # type: ignore[arg-type,return-value]
    LOGS[id(world)] = []
    start = world.now
    for i in (1, 2, 3):
        world.schedule(i, "runs-toy", "us-east-1", "t", f"p{i}", every=10)
    SAVED["snapshot"] = world.snapshot()
    world.advance(12)
    fired = [(now - start, target) for now, target, _ in LOGS[id(world)]]
    assert fired == [(1, "p1"), (2, "p2"), (1, "p1"), (2, "p2"), (3, "p3"), (11, "p1"), (12, "p2")]
    assert world.now - start == 12
