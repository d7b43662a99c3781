"""Card scheduling state and the append-only review log.

A card row carries a `version`; saving checks it, so a second terminal holding a stale state cannot overwrite a
newer answer: the loser gets `StaleCard` and re-reads.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

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


def _row(r: sqlite3.Row) -> CardState:
    return CardState(
        card_id=r["card_id"],
        note_id=r["note_id"],
        topic=r["topic"],
        state=r["state"],
        step=r["step"],
        stability=r["stability"],
        difficulty=r["difficulty"],
        due_ms=r["due_ms"],
        last_review_ms=r["last_review_ms"],
        reps=r["reps"],
        lapses=r["lapses"],
        suspended=bool(r["suspended"]),
        buried_until_ms=r["buried_until_ms"],
        tags=r["tags"],
        version=r["version"],
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


def save_review(
    conn: sqlite3.Connection,
    before: CardState,
    after: CardState,
    *,
    rating: int,
    reviewed_ms: int,
    utc_offset_min: int,
    duration_ms: int,
    source: str,
) -> CardState:
    """Store the new state and append the review, atomically; refuse if the row changed since `before` was read."""
    with write(conn):
        if source != "cram":
            updated = _store_state(conn, after, before.version)
            if not updated:
                raise StaleCard(f"card {before.card_id} was answered in another session; showing it again")
        conn.execute(
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
    return after if source == "cram" else _bump(after, before.version)


def _bump(state: CardState, old_version: int) -> CardState:
    from dataclasses import replace

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
    with write(conn):
        r = conn.execute(
            "SELECT id, card_id, before FROM reviews WHERE undone = 0 AND source = ? ORDER BY id DESC LIMIT 1",
            (source,),
        ).fetchone()
        if r is None:
            return None
        data = json.loads(r["before"])
        restored = CardState(**data)
        current = conn.execute("SELECT version FROM cards WHERE card_id = ?", (r["card_id"],)).fetchone()
        _store_state(conn, restored, current["version"] if current else 0)
        conn.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (r["id"],))
    return get(conn, r["card_id"])


def reviews_between(conn: sqlite3.Connection, start_ms: int, end_ms: int) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            "SELECT * FROM reviews WHERE undone = 0 AND reviewed_ms >= ? AND reviewed_ms < ? ORDER BY id",
            (start_ms, end_ms),
        )
    )
