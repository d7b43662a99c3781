"""FSRS-6 scheduling through the `fsrs` package, behind a small interface so it could be swapped.

awsprep keeps its own plain `CardState` (fsrs has no "new" state, and the store keeps plain columns, not JSON, on
the hot path). Fuzz is seeded from the card id and its review count, so the same history always gives the same
schedule.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Any

from awsprep.store.records import NEW, REVIEW, CardState


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


def to_dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def to_ms(when: datetime) -> int:
    return int(when.timestamp() * 1000)


_FUZZ_LOCK = threading.Lock()


@contextmanager
def _seeded_fuzz(seed: int) -> Iterator[None]:
    """fsrs draws its fuzz from the module-level, unseeded `random()`; swap in a seeded one for one review."""
    import fsrs.scheduler as fs

    rng = random.Random(seed)
    with _FUZZ_LOCK:
        saved = fs.random  # type: ignore[attr-defined]
        fs.random = rng.random  # type: ignore[attr-defined]
        try:
            yield
        finally:
            fs.random = saved  # type: ignore[attr-defined]


def _seed(card_id: str, reps: int) -> int:
    return int.from_bytes(hashlib.blake2b(f"{card_id}#{reps}".encode(), digest_size=8).digest(), "big")


@dataclass(frozen=True)
class SchedulerConfig:
    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    fuzz: bool = True
    leech_lapses: int = 8
    leech_action: str = "suspend"  # or "tag": keep showing a leech, only mark it

    def __post_init__(self) -> None:
        if not 0.70 <= self.desired_retention <= 0.97:
            from awsprep.errors import UsageError

            raise UsageError("desired retention must be between 0.70 and 0.97")


class Scheduler:
    def __init__(self, config: SchedulerConfig | None = None) -> None:
        import fsrs

        self.config = config or SchedulerConfig()
        self._fsrs = fsrs.Scheduler(
            desired_retention=self.config.desired_retention,
            learning_steps=self.config.learning_steps,
            relearning_steps=self.config.relearning_steps,
            maximum_interval=self.config.maximum_interval_days,
            enable_fuzzing=self.config.fuzz,
        )

    def _to_fsrs(self, s: CardState, now: datetime) -> Any:
        import fsrs

        if s.state == NEW:
            return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
        return fsrs.Card(
            card_id=1,
            state=fsrs.State(s.state),
            step=s.step,
            stability=s.stability,
            difficulty=s.difficulty,
            due=to_dt(s.due_ms) if s.due_ms is not None else now,
            last_review=to_dt(s.last_review_ms) if s.last_review_ms is not None else None,
        )

    def review(self, s: CardState, rating: Rating, now: datetime) -> CardState:
        """The card's state after answering `rating` at `now` (a new object; the input is unchanged)."""
        import fsrs

        before = self._to_fsrs(s, now)
        with _seeded_fuzz(_seed(s.card_id, s.reps)):
            after, _log = self._fsrs.review_card(before, fsrs.Rating(int(rating)), review_datetime=now)
        lapse = s.state == REVIEW and rating == Rating.AGAIN
        return replace(
            s,
            state=int(after.state),
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due_ms=to_ms(after.due),
            last_review_ms=to_ms(now),
            reps=s.reps + 1,
            lapses=s.lapses + int(lapse),
        )

    def preview(self, s: CardState, now: datetime) -> dict[Rating, timedelta]:
        """The interval each button would give, for showing on the buttons."""
        return {r: to_dt(self.review(s, r, now).due_ms or 0) - now for r in Rating}

    def retrievability(self, s: CardState, when: datetime) -> float:
        if s.state == NEW or s.stability is None or s.last_review_ms is None:
            return 0.0
        return float(self._fsrs.get_card_retrievability(self._to_fsrs(s, when), when))

    @property
    def forgetting_curve(self) -> ForgettingCurve:
        return ForgettingCurve(decay=float(self._fsrs._DECAY), factor=float(self._fsrs._FACTOR))


DAY_MS = 86_400_000


@dataclass(frozen=True)
class ForgettingCurve:
    """FSRS-6's power forgetting curve R(t) = (1 + factor·t/S)^decay, without building fsrs objects.

    Statistics and queue building evaluate it for up to 100,000 cards, where fsrs's own
    `get_card_retrievability` (a Card per call) would dominate; the result is the same: elapsed time counts in
    whole days, as fsrs counts it.
    """

    decay: float
    factor: float

    def recall(self, stability: float | None, last_review_ms: int | None, at_ms: int) -> float:
        if stability is None or last_review_ms is None or stability <= 0:
            return 0.0
        days = max(0, (at_ms - last_review_ms) // DAY_MS)
        return float((1 + self.factor * days / stability) ** self.decay)

    def days_until(self, recall: float) -> float:
        """Elapsed days, per day of stability, after which recall drops below `recall` (t/S where R(t) = recall)."""
        return float((recall ** (1 / self.decay) - 1) / self.factor)


def describe_interval(delta: timedelta) -> str:
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 31:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30.4:.1f}mo"
    return f"{days / 365:.1f}y"
