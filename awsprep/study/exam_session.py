"""A running mock exam: answers, flags and time, saved in the attempt after every action so it can be resumed.

The terminal loop lives in the CLI; this object only receives actions. Time is measured with an injected
monotonic `ticker` and counts only while the exam is open in a terminal, so a resumed exam has the time that was
left when it stopped (at most the last few seconds since the last save are lost after a kill -9).

Resuming after the content changed (documented choice): a question that no longer exists is dropped from the
exam (the exam gets shorter and is scored out of what is left); a question whose text changed is shown in its new
wording with its answer cleared, because the old letters may now mean something else. One line says what happened.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from awsprep.content.records import Blueprint, Question
from awsprep.errors import StoreError, UsageError
from awsprep.store import progress
from awsprep.study.exam import Draw, ExamItem, ExamResult, grade_exam
from awsprep.study.exam_nav import ExamNav, Outcome, Overview
from awsprep.study.exam_state import STATE_FORMAT, load_state
from awsprep.study.quiz import Presented, grade, present
from awsprep.study.scheduler import Scheduler

SAVE_EVERY_S = 2.0  # a killed exam loses at most this much of its clock (plus nothing after a key press)


def question_hash(q: Question) -> str:
    """A fingerprint of everything a learner sees and is graded on; it changes when an author edits the item."""
    return hashlib.sha256(q.to_json().encode()).hexdigest()[:16]


@dataclass
class ExamRun:
    conn: sqlite3.Connection
    attempt_id: int
    presented: list[Presented]
    limit_s: int
    ticker: Callable[[], float]
    elapsed_before: float = 0.0
    nav: ExamNav | None = None  # navigation state (answers, flags, position); None = a fresh one
    seconds: dict[int, float] = field(default_factory=dict)
    note: str | None = None

    def __post_init__(self) -> None:
        if self.nav is None:
            self.nav = ExamNav(self.presented)
        self._tick0 = self.ticker()
        self._viewing_since = self._tick0
        self._saved_at = self._tick0

    @property
    def state_nav(self) -> ExamNav:
        assert self.nav is not None
        return self.nav

    @property
    def answers(self) -> dict[int, str]:
        return self.state_nav.answers

    @property
    def flags(self) -> set[int]:
        return self.state_nav.flags

    @property
    def current(self) -> int:
        return self.state_nav.current

    # --- starting and resuming ------------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        conn: sqlite3.Connection,
        draw: Draw,
        *,
        limit_s: int,
        now: datetime,
        ticker: Callable[[], float],
        seed: int | None,
        options: Mapping[str, object],
    ) -> ExamRun:
        state = {"format": STATE_FORMAT, "items": _items_state(draw.presented), "note": draw.shortfall_note}
        attempt_id = progress.start_attempt(
            conn,
            "exam",
            [p.id for p in draw.presented],
            int(now.timestamp() * 1000),
            seed=seed,
            filters=dict(options),
            time_limit_s=limit_s,
            state=state,
        )
        return cls(conn, attempt_id, draw.presented, limit_s, ticker, note=draw.shortfall_note)

    @classmethod
    def resume(
        cls,
        conn: sqlite3.Connection,
        questions: Mapping[str, tuple[str, Question]],
        ticker: Callable[[], float],
        rng: random.Random,
    ) -> tuple[ExamRun, str | None]:
        """The open exam with the time that was left, and one line if its questions changed since (else None)."""
        row = progress.open_attempt(conn, "exam")
        if row is None:
            raise UsageError("there is no unfinished exam to resume", hint="start one with `awsprep exam`")
        try:
            state = load_state(row["state"], int(row["id"]))
        except StoreError:
            progress.update_attempt_status(conn, int(row["id"]), "abandoned")
            raise
        presented: list[Presented] = []
        answers: dict[int, str] = {}
        flags: set[int] = set()
        seconds: dict[int, float] = {}
        removed = edited = 0
        new_current = 0
        for old, item in enumerate(state.items):
            found = questions.get(item.id)
            if found is None:
                removed += 1
                continue
            topic, q = found
            new = len(presented)
            order = tuple(item.order)
            same = item.hash == question_hash(q)
            if same and sorted(order) == list(range(len(q.options))):
                presented.append(Presented(topic, q, order))
                if old in state.answers and set(state.answers[old]) <= set(presented[-1].letters()):
                    answers[new] = state.answers[old]
            else:
                edited += 1
                presented.append(present(topic, q, rng))
            if old in state.flags:
                flags.add(new)
            if old in state.seconds:
                seconds[new] = state.seconds[old]
            if old <= state.current:
                new_current = new
        if not presented:
            progress.update_attempt_status(conn, int(row["id"]), "abandoned")
            raise UsageError(
                "every question of the unfinished exam has been removed from the bank since; it was abandoned",
                hint="start a new one with `awsprep exam`",
            )
        run = cls(
            conn,
            int(row["id"]),
            presented,
            int(row["time_limit_s"]),
            ticker,
            elapsed_before=float(row["elapsed_s"]),
            nav=ExamNav(presented, answers, flags, new_current),
            seconds=seconds,
            note=state.note,
        )
        run.save()
        return run, _changes_line(removed, edited, len(presented))

    # --- time -----------------------------------------------------------------------------------------------

    def elapsed(self) -> float:
        return self.elapsed_before + (self.ticker() - self._tick0)

    def remaining(self) -> float:
        return max(0.0, self.limit_s - self.elapsed())

    def start_clock(self) -> None:
        """The exam's screen is about to show: count from now. The time since the run was made (loading, the
        resume question, a busy machine) was not the learner's; counting it could end a resumed exam with a few
        seconds left before its question was ever on screen."""
        self._tick0 = self._viewing_since = self._saved_at = self.ticker()

    def _account(self) -> None:
        now = self.ticker()
        if now > self._viewing_since:
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + (now - self._viewing_since)
        self._viewing_since = now

    # --- actions (each one saved at once) -------------------------------------------------------------------

    def handle(self, text: str) -> Outcome:
        """One entry of the learner's (see `study.exam_nav`), applied and saved at once."""
        self._account()
        outcome = self.state_nav.handle(text)
        if outcome.action != "refused":
            self.save()
        return outcome

    def go(self, index: int) -> None:
        if not 0 <= index < len(self.presented):
            raise UsageError(f"there is no question {index + 1}; choose 1 to {len(self.presented)}")
        self._account()
        self.state_nav.current = index
        self.save()

    def answer(self, index: int, letters: str) -> None:
        if letters:
            self.answers[index] = letters
        else:
            self.answers.pop(index, None)
        self.save()

    def answer_all(self, letters: list[str]) -> None:
        """Answers for every question in order ("" leaves one unanswered), saved once."""
        self.answers.clear()
        self.answers.update({i: given for i, given in enumerate(letters) if given})
        self.save()

    def toggle_flag(self, index: int) -> bool:
        flagged = self.state_nav.toggle_flag(index)
        self.save()
        return flagged

    def overview(self) -> Overview:
        return self.state_nav.overview()

    def state(self) -> dict[str, object]:
        return {
            "format": STATE_FORMAT,
            "items": _items_state(self.presented),
            "answers": {str(k): v for k, v in sorted(self.answers.items())},
            "flags": sorted(self.flags),
            "seconds": {str(k): round(v, 3) for k, v in sorted(self.seconds.items())},
            "current": self.current,
            "note": self.note,
        }

    def save(self) -> None:
        self._account()
        progress.update_attempt_state(self.conn, self.attempt_id, self.elapsed(), self.state())
        self._saved_at = self.ticker()

    def save_if_due(self, every_s: float = SAVE_EVERY_S) -> None:
        """Called while a prompt waits, so a killed exam loses at most `every_s` of its clock."""
        if self.ticker() - self._saved_at >= every_s:
            self.save()

    # --- the end --------------------------------------------------------------------------------------------

    def items(self) -> list[ExamItem]:
        out = []
        for i, p in enumerate(self.presented):
            chosen = self.answers.get(i, "")
            out.append(
                ExamItem(i + 1, p, chosen, bool(chosen) and grade(p, chosen), i in self.flags, self.seconds.get(i, 0))
            )
        return out

    def submit(
        self,
        blueprint: Blueprint,
        *,
        now: datetime,
        scheduler: Scheduler,
        utc_offset_min: int = 0,
        timed_out: bool = False,
    ) -> ExamResult:
        """Grade, store every answer (unanswered ones as wrong) and log the answered ones as question reviews."""
        self._account()
        elapsed = min(self.elapsed(), float(self.limit_s))
        result = grade_exam(self.items(), blueprint, elapsed_s=elapsed, limit_s=self.limit_s, timed_out=timed_out)
        self._store(result.items, "submitted", now, scheduler, utc_offset_min, score=result.score, elapsed=elapsed)
        return result

    def abandon(self, *, now: datetime, scheduler: Scheduler, utc_offset_min: int = 0) -> tuple[int, int]:
        """Close the exam unfinished. What was answered is kept: stored as answers (so `quiz history` shows it as
        correct/answered) and logged as question reviews like any answer. Returns (correct, answered)."""
        self._account()
        answered = [item for item in self.items() if item.chosen]
        elapsed = min(self.elapsed(), float(self.limit_s))
        self._store(answered, "abandoned", now, scheduler, utc_offset_min, score=None, elapsed=elapsed)
        return sum(1 for item in answered if item.correct), len(answered)

    def _store(
        self,
        items: list[ExamItem],
        status: str,
        now: datetime,
        scheduler: Scheduler,
        utc_offset_min: int,
        *,
        score: int | None,
        elapsed: float,
    ) -> None:
        from awsprep.store.db import write
        from awsprep.study.quiz_session import log_question_review

        now_ms = int(now.timestamp() * 1000)
        records = [
            progress.AnswerRecord(
                attempt_id=self.attempt_id,
                question_id=item.presented.id,
                topic=item.presented.topic,
                chosen=item.chosen,
                correct=item.correct,
                answered_ms=now_ms,
                duration_ms=int(item.seconds * 1000),
                flagged=item.flagged,
            )
            for item in items
        ]
        with write(self.conn):  # the answers, the status and their reviews: all saved, or (a full disk) none
            progress.submit_attempt(
                self.conn,
                self.attempt_id,
                records,
                now_ms,
                correct=sum(1 for item in items if item.correct),
                total=len(items),
                score=score,
                elapsed_s=elapsed,
                state=self.state(),
                status=status,
            )
            for item in items:
                if item.chosen:  # an unanswered question may never have been read: it is not a review
                    log_question_review(self.conn, scheduler, item.presented, item.correct, now, utc_offset_min)


def _items_state(presented: list[Presented]) -> list[dict[str, object]]:
    return [
        {"id": p.id, "topic": p.topic, "order": list(p.order), "hash": question_hash(p.question)} for p in presented
    ]


def _changes_line(removed: int, edited: int, left: int) -> str | None:
    parts = []
    if removed:
        parts.append(
            f"{removed} question{'s were' if removed != 1 else ' was'} removed (dropped: the exam now has {left})"
        )
    if edited:
        parts.append(
            f"{edited} {'were' if edited != 1 else 'was'} edited (shown in the new wording, "
            f"{'their answers' if edited != 1 else 'its answer'} cleared)"
        )
    if not parts:
        return None
    return "Since this exam started, " + " and ".join(parts) + "."
