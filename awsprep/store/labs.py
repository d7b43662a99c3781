"""Lab progress: one row per lab in `lab_progress` (lab id, state format, step, state JSON, times).

The state JSON is the lab runner's (a world snapshot, captured values, shell variables); this module stores it
as given and never interprets it, apart from the format number the runner uses to refuse an older save.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from awsprep.store.db import write


@dataclass(frozen=True)
class LabProgress:
    """A saved lab: where the learner is and what the runner needs to resume."""

    lab_id: str
    format: int
    step: int
    state: dict[str, Any]
    updated_ms: int
    completed_ms: int | None


def _row(row: sqlite3.Row) -> LabProgress:
    try:
        state = json.loads(row["state"])
    except (TypeError, ValueError):
        state = {}
    return LabProgress(
        lab_id=str(row["lab_id"]),
        format=int(row["format"]),
        step=int(row["step"]),
        state=state if isinstance(state, dict) else {},
        updated_ms=int(row["updated_ms"]),
        completed_ms=None if row["completed_ms"] is None else int(row["completed_ms"]),
    )


def load_progress(conn: sqlite3.Connection, lab_id: str) -> LabProgress | None:
    """The saved progress of one lab, if any."""
    row = conn.execute("SELECT * FROM lab_progress WHERE lab_id = ?", (lab_id,)).fetchone()
    return None if row is None else _row(row)


def all_progress(conn: sqlite3.Connection) -> dict[str, LabProgress]:
    """Every saved lab, by id."""
    return {p.lab_id: p for p in map(_row, conn.execute("SELECT * FROM lab_progress ORDER BY lab_id"))}


def save_progress(
    conn: sqlite3.Connection,
    lab_id: str,
    fmt: int,
    step: int,
    state: dict[str, Any],
    now_ms: int,
    completed: bool = False,
) -> None:
    """Insert or replace a lab's progress; `completed` stamps the first completion and keeps it."""
    text = json.dumps(state, separators=(",", ":"))
    with write(conn):
        conn.execute(
            "INSERT INTO lab_progress (lab_id, format, step, state, updated_ms, completed_ms) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (lab_id) DO UPDATE SET format = excluded.format, "
            "step = excluded.step, state = excluded.state, updated_ms = excluded.updated_ms, "
            "completed_ms = COALESCE(lab_progress.completed_ms, excluded.completed_ms)",
            (lab_id, fmt, step, text, now_ms, now_ms if completed else None),
        )


def clear_progress(conn: sqlite3.Connection, lab_id: str) -> None:
    """Forget where the learner is in a lab (a restart); a completion stays recorded."""
    with write(conn):
        conn.execute(
            "UPDATE lab_progress SET step = 0, state = '{}' WHERE lab_id = ? AND completed_ms IS NOT NULL", (lab_id,)
        )
        conn.execute("DELETE FROM lab_progress WHERE lab_id = ? AND completed_ms IS NULL", (lab_id,))
