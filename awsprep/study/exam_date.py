"""Scheduling aimed at the exam day.

Plain FSRS spaces each card for long-term memory: a card reviewed three weeks before the exam may next be due a
month after it, and on exam day its recall has sunk from ~0.97 to ~0.91. Raising desired retention for every
card fixes that at the price of many more reviews all along. With an exam date set, awsprep instead:

- gives one extra review, in the last `WINDOW_DAYS` before the exam, to each review card whose next due date
  falls after the exam and whose predicted recall on exam day is below the target (0.95 by default). The day in
  that window is chosen from the card id, so the extra reviews spread evenly instead of piling up on the eve;
- raises the day's new-card allowance when needed so that every card has been seen a week before the exam.

Nothing here is stored: the plan is applied when the queue is built, so changing or removing the exam date takes
effect at once, and undoing an answer needs no special case. `scripts/bench_cards.py` simulates a learner to
show the saving against plain FSRS at a higher retention.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from awsprep.store.records import REVIEW, CardState
from awsprep.study.scheduler import DAY_MS, ForgettingCurve, to_ms

WINDOW_DAYS = 7
ALL_SEEN_DAYS_BEFORE = 7


def exam_start_ms(exam: date, utc_offset_min: int, day_starts_at_hour: int) -> int:
    """The exam day's start (the study-day boundary, local time): recall is predicted for that moment."""
    local = datetime.combine(exam, time(day_starts_at_hour), tzinfo=timezone(timedelta(minutes=utc_offset_min)))
    return to_ms(local)


def _spread(card_id: str, days: int) -> int:
    digest = hashlib.blake2b(card_id.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % days


@dataclass(frozen=True)
class ExamPlan:
    exam_ms: int
    target: float
    curve: ForgettingCurve

    def active(self, now_ms: int) -> bool:
        return now_ms < self.exam_ms

    def recall_on_exam_day(self, s: CardState) -> float:
        return self.curve.recall(s.stability, s.last_review_ms, self.exam_ms)

    @property
    def ms_per_stability(self) -> float:
        """A card needs an exam review when (exam − last review) exceeds this × stability (for SQL prefilters)."""
        return self.curve.days_until(self.target) * DAY_MS

    def review_slot_ms(self, s: CardState) -> int | None:
        """When the card's extra pre-exam review is due, or None if it needs none."""
        if s.state != REVIEW or s.due_ms is None or s.last_review_ms is None or s.stability is None:
            return None
        return self.slot_ms(s.card_id, s.due_ms, s.last_review_ms, s.stability)

    def slot_ms(self, card_id: str, due_ms: int, last_review_ms: int, stability: float) -> int | None:
        """`review_slot_ms` on plain values (a review card's), for callers that scan many rows."""
        if due_ms <= self.exam_ms or self.curve.recall(stability, last_review_ms, self.exam_ms) >= self.target:
            return None
        slot = self.exam_ms - (1 + _spread(card_id, WINDOW_DAYS)) * DAY_MS
        # never twice in one day: a card reviewed inside the window waits at least a day
        slot = max(slot, last_review_ms + DAY_MS)
        return slot if slot < self.exam_ms else None

    @property
    def first_slot_ms(self) -> int:
        """No extra review falls before this: before it, the candidates need not even be read."""
        return self.exam_ms - WINDOW_DAYS * DAY_MS

    def new_quota(self, unseen_now: int, introduced_today: int, day_start_ms: int, configured: int) -> int:
        """Today's new-card allowance: at least `configured`, more if the rest would not be seen in time."""
        deadline = self.exam_ms - ALL_SEEN_DAYS_BEFORE * DAY_MS
        days_left = max(1, math.ceil((deadline - day_start_ms) / DAY_MS))
        return max(configured, math.ceil((unseen_now + introduced_today) / days_left))
