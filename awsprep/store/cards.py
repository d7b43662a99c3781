"""Card scheduling state and the append-only review log.

A card row carries a `version`; saving checks it, so a second terminal holding a stale state cannot overwrite a
newer answer: the loser gets `StaleCard` and re-reads.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from awsprep.errors import AwsprepError
from awsprep.store.db import write
from awsprep.store.records import CardState

_COLUMNS = (
    "card_id, note_id, topic, state, step, stability, difficulty, due_ms, last_review_ms, reps, lapses, "
    "suspended, buried_until_ms, tags, version"
)


class StaleCard(AwsprepError):
    """The card was answered elsewhere since it was read."""


@dataclass(frozen=True)
class CardRef:
    card_id: str
    note_id: str
    topic: str
    content_hash: str


def _row(r: sqlite3.Row | tuple[Any, ...]) -> CardState:
    # positional, in _COLUMNS order: a queue over a large collection maps thousands of rows
    return CardState(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], bool(r[11]), r[12], r[13], r[14]
    )


def sync(conn: sqlite3.Connection, cards: Iterable[CardRef]) -> None:
    """Make sure every card of the catalog has a row; an edited card keeps its row (and history)."""
    rows = [(c.card_id, c.note_id, c.topic, c.content_hash) for c in cards]
    with write(conn):
        conn.executemany(
            "INSERT INTO cards (card_id, note_id, topic, content_hash) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (card_id) DO UPDATE SET topic = excluded.topic, content_hash = excluded.content_hash "
            "WHERE cards.content_hash IS NOT excluded.content_hash OR cards.topic IS NOT excluded.topic",
            rows,
        )


def load(conn: sqlite3.Connection, card_ids: Iterable[str] | None = None) -> dict[str, CardState]:
    if card_ids is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM cards")
        return {r["card_id"]: _row(r) for r in rows}
    ids = list(card_ids)
    out: dict[str, CardState] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT {_COLUMNS} FROM cards WHERE card_id IN ({marks})", chunk):
            out[r["card_id"]] = _row(r)
    return out


def get(conn: sqlite3.Connection, card_id: str) -> CardState | None:
    r = conn.execute(f"SELECT {_COLUMNS} FROM cards WHERE card_id = ?", (card_id,)).fetchone()
    return None if r is None else _row(r)


def record_review(
    conn: sqlite3.Connection,
    before: CardState,
    after: CardState,
    *,
    rating: int,
    reviewed_ms: int,
    utc_offset_min: int,
    duration_ms: int,
    source: str,
) -> tuple[CardState, int]:
    """Store the new state and append the review, atomically; refuse (StaleCard) if the row changed since
    `before` was read. Returns the stored state and the review's id, so a sitting can undo exactly its own answers."""
    with write(conn):
        if source != "cram":
            updated = _store_state(conn, after, before.version)
            if not updated:
                raise StaleCard(f"card {before.card_id} was answered in another session; showing it again")
        cur = conn.execute(
            "INSERT INTO reviews (card_id, rating, reviewed_ms, utc_offset_min, duration_ms, source, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                before.card_id,
                rating,
                reviewed_ms,
                utc_offset_min,
                duration_ms,
                source,
                json.dumps(before.to_dict()),
                json.dumps(after.to_dict()),
            ),
        )
    assert cur.lastrowid is not None
    return (after if source == "cram" else _bump(after, before.version)), cur.lastrowid


def _bump(state: CardState, old_version: int) -> CardState:
    return replace(state, version=old_version + 1)


def _store_state(conn: sqlite3.Connection, s: CardState, expected_version: int) -> bool:
    cur = conn.execute(
        "UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due_ms = ?, last_review_ms = ?, "
        "reps = ?, lapses = ?, suspended = ?, buried_until_ms = ?, tags = ?, version = version + 1 "
        "WHERE card_id = ? AND version = ?",
        (
            s.state,
            s.step,
            s.stability,
            s.difficulty,
            s.due_ms,
            s.last_review_ms,
            s.reps,
            s.lapses,
            int(s.suspended),
            s.buried_until_ms,
            s.tags,
            s.card_id,
            expected_version,
        ),
    )
    if cur.rowcount == 0:
        exists = conn.execute("SELECT 1 FROM cards WHERE card_id = ?", (s.card_id,)).fetchone()
        if exists is None:  # a quiz question's first review: its row is created here
            conn.execute(
                "INSERT INTO cards (card_id, note_id, topic) VALUES (?, ?, ?)",
                (s.card_id, s.note_id, s.topic),
            )
            return _store_state(conn, s, 0)
        return False
    return True


def undo_last(conn: sqlite3.Connection, source: str = "card") -> CardState | None:
    """Put back the state before the most recent not-yet-undone review of `source`; return it (None if none)."""
    r = conn.execute(
        "SELECT id FROM reviews WHERE undone = 0 AND source = ? ORDER BY id DESC LIMIT 1", (source,)
    ).fetchone()
    return None if r is None else undo_review(conn, r["id"])


def undo_review(conn: sqlite3.Connection, review_id: int) -> CardState | None:
    """Take back one answer: mark it undone and put back the card's state before it.

    Refused (StaleCard) when the card changed since that answer (another terminal answered it, or it was
    suspended): restoring then would throw away the newer state. A cram answer never changed the card, so only
    the log entry is marked. Returns the card's state now, or None if there is no such answer left to undo.
    """
    with write(conn):
        r = conn.execute(
            "SELECT card_id, source, before, after FROM reviews WHERE id = ? AND undone = 0", (review_id,)
        ).fetchone()
        if r is None:
            return None
        if r["source"] != "cram":
            current = get(conn, r["card_id"])
            left = CardState(**json.loads(r["after"]))
            # the card must still be exactly as that answer left it (versions aside: undoing an earlier answer
            # of the same card follows undoing the later one); anything else is a newer write to keep
            if current is None or replace(current, version=0) != replace(left, version=0):
                raise StaleCard(f"card {r['card_id']} changed since that answer; it cannot be undone")
            _store_state(conn, CardState(**json.loads(r["before"])), current.version)
        conn.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review_id,))
    return get(conn, r["card_id"])


def set_flags(
    conn: sqlite3.Connection,
    card_ids: Iterable[str],
    *,
    suspended: bool | None = None,
    buried_until_ms: int | None = None,
    unbury: bool = False,
) -> list[str]:
    """Suspend/unsuspend or bury/unbury cards (bumping each version); returns the ids that exist."""
    found = []
    with write(conn):
        for card_id in card_ids:
            sets = ["version = version + 1"]
            args: list[object] = []
            if suspended is not None:
                sets.append("suspended = ?")
                args.append(int(suspended))
            if buried_until_ms is not None or unbury:
                sets.append("buried_until_ms = ?")
                args.append(buried_until_ms)
            cur = conn.execute(f"UPDATE cards SET {', '.join(sets)} WHERE card_id = ?", (*args, card_id))
            if cur.rowcount:
                found.append(card_id)
    return found


# --- queries for today's queue (plain columns, served by the indexes of migration 2) ---------------------------

_OPEN = "suspended = 0 AND (buried_until_ms IS NULL OR buried_until_ms <= :now)"


def learning_states(conn: sqlite3.Connection, horizon_ms: int, now_ms: int) -> list[CardState]:
    """Cards in (re)learning due by `horizon_ms`, not suspended or buried."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM cards WHERE state IN (1, 3) AND suspended = 0 AND due_ms <= :horizon AND {_OPEN}",
        {"horizon": horizon_ms, "now": now_ms},
    )
    return [_row(r) for r in rows]


def due_reviews(conn: sqlite3.Connection, horizon_ms: int, now_ms: int, limit: int, offset: int) -> list[CardState]:
    """One page of review cards due by `horizon_ms`, most overdue first (paged: only the day's limit is needed,
    however large the backlog)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM cards WHERE state = 2 AND suspended = 0 AND due_ms <= :horizon AND {_OPEN} "
        "ORDER BY due_ms LIMIT :limit OFFSET :offset",
        {"horizon": horizon_ms, "now": now_ms, "limit": limit, "offset": offset},
    )
    return [_row(r) for r in rows]


def count_new(conn: sqlite3.Connection) -> int:
    """Unsuspended new cards (flashcards only: quiz questions are not introduced through the card queue)."""
    row = conn.execute("SELECT count(*) FROM cards WHERE state = 0 AND suspended = 0 AND card_id NOT LIKE 'q:%'")
    return int(row.fetchone()[0])


def exam_candidates(
    conn: sqlite3.Connection, exam_ms: int, ms_per_stability: float, now_ms: int
) -> list[tuple[str, int, int, float]]:
    """(card_id, due_ms, last_review_ms, stability) of review cards due after the exam whose recall may sink
    below target by then: a superset, checked by ExamPlan.slot_ms. Plain tuples: there may be many."""
    cur = conn.cursor()
    cur.row_factory = None
    rows = cur.execute(
        f"SELECT card_id, due_ms, last_review_ms, stability FROM cards WHERE state = 2 AND suspended = 0 "
        f"AND due_ms > :exam AND {_OPEN} AND last_review_ms + stability * :k < :exam",
        {"exam": exam_ms, "k": ms_per_stability, "now": now_ms},
    ).fetchall()
    return rows


def topic_review_states(conn: sqlite3.Connection, topic: str, now_ms: int) -> list[CardState]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM cards WHERE topic = :topic AND state = 2 AND {_OPEN}",
        {
            "topic": topic,
            "now": now_ms,
        },
    )
    return [_row(r) for r in rows]


# CROSS JOIN fixes the loop order in SQLite: start from today's few reviews (time index), not from every card
def notes_answered_since(conn: sqlite3.Connection, since_ms: int) -> set[str]:
    rows = conn.execute(
        "SELECT DISTINCT c.note_id FROM reviews r CROSS JOIN cards c ON c.card_id = r.card_id "
        "WHERE r.reviewed_ms >= ? AND r.source = 'card' AND r.undone = 0",
        (since_ms,),
    )
    return {r[0] for r in rows}


def answered_since(conn: sqlite3.Connection, since_ms: int, state_before: int) -> int:
    """Answers (source `card`) since `since_ms` to cards that were in `state_before` when answered."""
    row = conn.execute(
        "SELECT count(*) FROM reviews WHERE reviewed_ms >= ? AND source = 'card' AND undone = 0 "
        "AND json_extract(before, '$.state') = ?",
        (since_ms, state_before),
    ).fetchone()
    return int(row[0])


def quiz_misses_since(conn: sqlite3.Connection, since_ms: int) -> dict[str, int]:
    """Topic -> time of its latest missed quiz question since `since_ms`."""
    rows = conn.execute(
        "SELECT c.topic, max(r.reviewed_ms) FROM reviews r CROSS JOIN cards c ON c.card_id = r.card_id "
        "WHERE r.reviewed_ms >= ? AND r.source = 'quiz' AND r.rating = 1 AND r.undone = 0 GROUP BY c.topic",
        (since_ms,),
    )
    return {r[0]: int(r[1]) for r in rows}


def reviews_between(conn: sqlite3.Connection, start_ms: int, end_ms: int) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            "SELECT * FROM reviews WHERE undone = 0 AND reviewed_ms >= ? AND reviewed_ms < ? ORDER BY id",
            (start_ms, end_ms),
        )
    )
