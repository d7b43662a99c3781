"""The learner's own notes (`awsprep cards import FILE.csv`, the `user` deck); study/cards_io.py parses them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from awsprep.store.db import write

USER_DECK = "user"


@dataclass(frozen=True)
class UserNote:
    note_id: str  # with the `u:` prefix, so it never collides with an authored note id
    front: str
    back: str
    reverse: bool = False
    topic: str = USER_DECK
    tags: str = ""
    source: str = ""


def all_notes(conn: sqlite3.Connection) -> list[UserNote]:
    rows = conn.execute("SELECT * FROM user_notes ORDER BY position")
    return [
        UserNote(r["note_id"], r["front"], r["back"], bool(r["reverse"]), r["topic"], r["tags"], r["source"])
        for r in rows
    ]


def upsert(conn: sqlite3.Connection, notes: Iterable[UserNote], now_ms: int) -> tuple[int, int]:
    """Add new notes at the end, update existing ones in place (their history stays): (added, updated), in one
    transaction."""
    added = updated = 0
    with write(conn):
        position = conn.execute("SELECT coalesce(max(position), 0) FROM user_notes").fetchone()[0]
        for n in notes:
            exists = conn.execute("SELECT 1 FROM user_notes WHERE note_id = ?", (n.note_id,)).fetchone()
            position += 1
            conn.execute(
                "INSERT INTO user_notes (note_id, front, back, reverse, topic, tags, source, position, updated_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (note_id) DO UPDATE SET front = excluded.front, "
                "back = excluded.back, reverse = excluded.reverse, topic = excluded.topic, tags = excluded.tags, "
                "source = excluded.source, updated_ms = excluded.updated_ms",
                (n.note_id, n.front, n.back, int(n.reverse), n.topic, n.tags, n.source, position, now_ms),
            )
            added, updated = (added, updated + 1) if exists else (added + 1, updated)
    return added, updated
