"""Scheduler invariants under random histories (hypothesis): the next due date is never in the past, stability
stays positive, the same history gives the same schedule, and undo puts the stored card back exactly."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from awsprep.content.cards import CardSpec
from awsprep.store import cards as card_store
from awsprep.store.db import connect
from awsprep.store.records import CardState
from awsprep.study.review import QueueItem, ReviewSession, sync_cards
from awsprep.study.scheduler import Rating, Scheduler, to_ms

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SCHED = Scheduler()  # fuzz on: it is seeded per card and review, so still deterministic

steps = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.integers(min_value=0, max_value=60 * 24 * 120)),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(history=steps, card_id=st.text(alphabet="abc-~0123", min_size=1, max_size=12))
def test_due_is_never_before_now_and_stability_stays_positive(history: list[tuple[Rating, int]], card_id: str) -> None:
    state = CardState(card_id, card_id, "t")
    now = START
    for rating, gap_minutes in history:
        now += timedelta(minutes=gap_minutes)
        after = SCHED.review(state, rating, now)
        assert after.due_ms is not None and after.due_ms >= to_ms(now)
        assert after.stability is not None and after.stability > 0
        assert 1 <= (after.difficulty or 0) <= 10
        assert after.reps == state.reps + 1 and after.lapses >= state.lapses
        assert SCHED.review(state, rating, now) == after  # reproducible, fuzz included
        state = after


@settings(max_examples=40, deadline=None)
@given(history=steps, undo=st.integers(min_value=1, max_value=25))
def test_undo_restores_the_stored_card_exactly(history: list[tuple[Rating, int]], undo: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        conn = connect(Path(tmp) / "p.sqlite3")
        spec = CardSpec("c1", "c1", "t", "f", "b", "s")
        sync_cards(conn, [spec])
        session = ReviewSession(conn, SCHED, [], 0)
        snapshots = []
        now = START
        for rating, gap_minutes in history:
            now += timedelta(minutes=gap_minutes)
            current = card_store.get(conn, "c1")
            assert current is not None
            snapshots.append(current)
            session.pending = [QueueItem(spec, current)]
            session.answer(rating, now)
        for _ in range(min(undo, len(history))):
            assert session.undo()
            expected = snapshots.pop()
            restored = card_store.get(conn, "c1")
            assert restored is not None
            assert replace(restored, version=0) == replace(expected, version=0)
            assert restored.version > expected.version  # undo is a new write: stale sessions still lose
        live = conn.execute("SELECT count(*) FROM reviews WHERE undone = 0").fetchone()[0]
        assert live == len(snapshots)
        conn.close()
