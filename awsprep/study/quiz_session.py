"""A quiz run: grades each answer, commits it at once, and logs it as a review of that question.

The terminal loop lives in the CLI; this object only receives answers. Each answer is committed before the next
question is shown, so an interrupted quiz loses nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from awsprep.store import progress
from awsprep.store.cards import StaleCard, record_review
from awsprep.store.cards import get as get_card
from awsprep.store.db import write
from awsprep.store.records import CardState
from awsprep.study.quiz import AttemptLine, History, ItemResult, Presented, Summary, grade, history, summarise
from awsprep.study.scheduler import Rating, Scheduler


def question_card_id(question_id: str) -> str:
    return f"q:{question_id}"


def log_question_review(
    conn: sqlite3.Connection, scheduler: Scheduler, presented: Presented, correct: bool, now: datetime, offset: int
) -> None:
    """One memory model: a quiz answer is a review of the question (pass/fail rating). Inside the caller's write
    transaction; if the question was answered in another terminal since it was read, the state is read again
    (the lock is held, so nobody can change it meanwhile) and this answer applied on top."""
    card_id = question_card_id(presented.id)
    rating = Rating.GOOD if correct else Rating.AGAIN
    with write(conn):
        for _ in range(2):
            before = get_card(conn, card_id) or CardState(card_id=card_id, note_id=card_id, topic=presented.topic)
            after = scheduler.review(before, rating, now)
            try:
                record_review(
                    conn,
                    before,
                    after,
                    rating=int(rating),
                    reviewed_ms=int(now.timestamp() * 1000),
                    utc_offset_min=offset,
                    duration_ms=0,
                    source="quiz",
                )
                return
            except StaleCard:
                continue
        raise StaleCard(f"question {presented.id} keeps changing in another session; answer it again")


@dataclass
class QuizRun:
    conn: sqlite3.Connection
    presented: list[Presented]
    attempt_id: int
    clock: Callable[[], datetime]
    scheduler: Scheduler
    utc_offset_min: int = 0
    results: list[ItemResult] = field(default_factory=list)
    started_ms: int = 0
    # ids answered without a review of their question card: a lab's own checkpoint questions, which nothing
    # draws again (their answers are still stored, with the attempt)
    unreviewed: frozenset[str] = frozenset()

    @classmethod
    def start(
        cls,
        conn: sqlite3.Connection,
        presented: list[Presented],
        clock: Callable[[], datetime],
        scheduler: Scheduler,
        *,
        seed: int | None,
        filters: dict[str, object],
        utc_offset_min: int = 0,
        kind: str = "quiz",
        unreviewed: frozenset[str] = frozenset(),
    ) -> QuizRun:
        started = int(clock().timestamp() * 1000)
        attempt_id = progress.start_attempt(conn, kind, [p.id for p in presented], started, seed=seed, filters=filters)
        return cls(
            conn, presented, attempt_id, clock, scheduler, utc_offset_min, started_ms=started, unreviewed=unreviewed
        )

    def answer(
        self, presented: Presented, letters: str, *, confidence: str | None = None, duration_ms: int = 0
    ) -> ItemResult:
        correct = grade(presented, letters)
        now = self.clock()
        with write(self.conn):  # the answer and its review are one learner action: both are saved or neither
            progress.record_answer(
                self.conn,
                progress.AnswerRecord(
                    attempt_id=self.attempt_id,
                    question_id=presented.id,
                    topic=presented.topic,
                    chosen=letters,
                    correct=correct,
                    answered_ms=int(now.timestamp() * 1000),
                    confidence=confidence,
                    duration_ms=duration_ms,
                ),
            )
            if presented.id not in self.unreviewed:
                log_question_review(self.conn, self.scheduler, presented, correct, now, self.utc_offset_min)
        result = ItemResult(presented, letters, correct, confidence)
        self.results.append(result)
        return result

    def finish(self, *, interrupted: bool = False) -> Summary:
        summary = summarise(self.results)
        now_ms = int(self.clock().timestamp() * 1000)
        progress.finish_attempt(
            self.conn,
            self.attempt_id,
            now_ms,
            correct=summary.correct,
            total=len(self.results),
            score=None,
            elapsed_s=max(0.0, (now_ms - self.started_ms) / 1000) if self.started_ms else 0.0,
            status="abandoned" if interrupted else "submitted",
        )
        return summary


def load_history(conn: sqlite3.Connection, kinds: tuple[str, ...] = ("quiz", "exam")) -> History:
    """Every quiz and exam attempt, oldest first, with the trend of the percent correct. An open quiz counts
    the answers it has saved so far (correct / answered)."""
    rows = progress.attempts(conn)
    numbers = kind_numbers(rows)
    so_far = progress.answer_counts(conn)  # a quiz killed mid-way is still open: show what it has saved
    lines = [
        AttemptLine(
            id=int(r["id"]),
            kind=str(r["kind"]),
            started_ms=int(r["started_ms"]),
            status=str(r["status"]),
            correct=int(r["correct"] or 0) if r["status"] != "open" else so_far.get(int(r["id"]), (0, 0))[0],
            total=int(r["total"] or 0) if r["status"] != "open" else so_far.get(int(r["id"]), (0, 0))[1],
            score=None if r["score"] is None else int(r["score"]),
            elapsed_s=float(r["elapsed_s"] or 0),
            number=numbers[int(r["id"])],
        )
        for r in rows
        if r["kind"] in kinds
    ]
    return history(lines)


def kind_numbers(rows: Sequence[sqlite3.Row]) -> dict[int, int]:
    """Attempt id -> its number among attempts of the same kind (ids are shared by quizzes, checkpoints and
    exams, so the first exam after two quizzes has id 3; learners count it as exam 1)."""
    seen: dict[str, int] = {}
    numbers = {}
    for r in sorted(rows, key=lambda r: int(r["id"])):
        seen[str(r["kind"])] = seen.get(str(r["kind"]), 0) + 1
        numbers[int(r["id"])] = seen[str(r["kind"])]
    return numbers


def exam_number(conn: sqlite3.Connection, attempt_id: int) -> int:
    return kind_numbers(progress.attempts(conn, "exam")).get(attempt_id, 0)
