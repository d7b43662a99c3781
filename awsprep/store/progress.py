"""Reading and writing the learner's progress: lessons read, attempts and answers, settings.

Functions take an open connection and plain values; timestamps are UTC epoch milliseconds passed in by the caller.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from awsprep.store.db import write


@dataclass(frozen=True)
class AnswerRecord:
    attempt_id: int
    question_id: str
    topic: str
    chosen: str
    correct: bool
    answered_ms: int
    confidence: str | None = None
    duration_ms: int = 0
    flagged: bool = False


# --- settings ------------------------------------------------------------------------------------------------


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def all_settings(conn: sqlite3.Connection) -> dict[str, str]:
    return {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM settings ORDER BY key")}


def set_setting(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


# --- lessons -------------------------------------------------------------------------------------------------


def mark_read(conn: sqlite3.Connection, topic: str, now_ms: int) -> None:
    conn.execute(
        "INSERT INTO lesson_reads (topic, first_read_ms, last_read_ms) VALUES (?, ?, ?) "
        "ON CONFLICT (topic) DO UPDATE SET last_read_ms = excluded.last_read_ms, times = times + 1",
        (topic, now_ms, now_ms),
    )


def lessons_read(conn: sqlite3.Connection) -> dict[str, int]:
    """Topic id -> times read."""
    return {r["topic"]: r["times"] for r in conn.execute("SELECT topic, times FROM lesson_reads")}


# --- attempts and answers ------------------------------------------------------------------------------------


def start_attempt(
    conn: sqlite3.Connection,
    kind: str,
    question_ids: list[str],
    now_ms: int,
    *,
    seed: int | None = None,
    filters: dict[str, Any] | None = None,
    time_limit_s: int | None = None,
    state: dict[str, Any] | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO attempts (kind, started_ms, seed, question_ids, filters, time_limit_s, state) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            now_ms,
            seed,
            json.dumps(question_ids),
            json.dumps(filters or {}),
            time_limit_s,
            json.dumps(state or {}),
        ),
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def record_answer(conn: sqlite3.Connection, answer: AnswerRecord) -> None:
    """Committed at once (autocommit); an answer to the same question in the same attempt replaces the old one."""
    conn.execute(
        "INSERT INTO answers (attempt_id, question_id, topic, chosen, correct, confidence, duration_ms, "
        "answered_ms, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (attempt_id, question_id) DO UPDATE SET chosen = excluded.chosen, "
        "correct = excluded.correct, confidence = excluded.confidence, "
        "duration_ms = answers.duration_ms + excluded.duration_ms, answered_ms = excluded.answered_ms, "
        "flagged = excluded.flagged",
        (
            answer.attempt_id,
            answer.question_id,
            answer.topic,
            answer.chosen,
            int(answer.correct),
            answer.confidence,
            answer.duration_ms,
            answer.answered_ms,
            int(answer.flagged),
        ),
    )


def update_attempt_state(conn: sqlite3.Connection, attempt_id: int, elapsed_s: float, state: dict[str, Any]) -> None:
    conn.execute(
        "UPDATE attempts SET elapsed_s = ?, state = ? WHERE id = ?",
        (elapsed_s, json.dumps(state), attempt_id),
    )


def finish_attempt(
    conn: sqlite3.Connection,
    attempt_id: int,
    now_ms: int,
    *,
    correct: int,
    total: int,
    score: int | None,
    elapsed_s: float,
    status: str = "submitted",
) -> None:
    with write(conn):
        conn.execute(
            "UPDATE attempts SET finished_ms = ?, status = ?, correct = ?, total = ?, score = ?, elapsed_s = ? "
            "WHERE id = ?",
            (now_ms, status, correct, total, score, elapsed_s, attempt_id),
        )


def submit_attempt(
    conn: sqlite3.Connection,
    attempt_id: int,
    answers: list[AnswerRecord],
    now_ms: int,
    *,
    correct: int,
    total: int,
    score: int | None,
    elapsed_s: float,
    state: dict[str, Any],
    status: str = "submitted",
) -> None:
    """Store an exam's answers and close it in one transaction: a submission is never half-written.
    `status` "abandoned" closes an exam given up unfinished, with the answers it had."""
    with write(conn):
        conn.execute("DELETE FROM answers WHERE attempt_id = ?", (attempt_id,))
        conn.executemany(
            "INSERT INTO answers (attempt_id, question_id, topic, chosen, correct, confidence, duration_ms, "
            "answered_ms, flagged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    a.attempt_id,
                    a.question_id,
                    a.topic,
                    a.chosen,
                    int(a.correct),
                    a.confidence,
                    a.duration_ms,
                    a.answered_ms,
                    int(a.flagged),
                )
                for a in answers
            ],
        )
        conn.execute(
            "UPDATE attempts SET finished_ms = ?, status = ?, correct = ?, total = ?, score = ?, "
            "elapsed_s = ?, state = ? WHERE id = ?",
            (now_ms, status, correct, total, score, elapsed_s, json.dumps(state), attempt_id),
        )


def update_attempt_status(conn: sqlite3.Connection, attempt_id: int, status: str) -> None:
    conn.execute("UPDATE attempts SET status = ? WHERE id = ?", (status, attempt_id))


def attempt_state(row: sqlite3.Row) -> dict[str, Any]:
    """The JSON `state` of an attempt row (what a resumed exam needs)."""
    data = json.loads(row["state"] or "{}")
    return data if isinstance(data, dict) else {}


def attempt(conn: sqlite3.Connection, attempt_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
    return row


def open_attempt(conn: sqlite3.Connection, kind: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM attempts WHERE kind = ? AND status = 'open' ORDER BY id DESC LIMIT 1", (kind,)
    ).fetchone()
    return row


def answers_of(conn: sqlite3.Connection, attempt_id: int) -> list[sqlite3.Row]:
    return list(conn.execute("SELECT * FROM answers WHERE attempt_id = ? ORDER BY id", (attempt_id,)))


def attempts(conn: sqlite3.Connection, kind: str | None = None) -> list[sqlite3.Row]:
    if kind is None:
        return list(conn.execute("SELECT * FROM attempts ORDER BY id"))
    return list(conn.execute("SELECT * FROM attempts WHERE kind = ? ORDER BY id", (kind,)))


def answer_counts(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """Attempt id -> (correct, answered) from its stored answers (what an attempt still open has so far)."""
    rows = conn.execute(
        "SELECT attempt_id, sum(correct) AS c, count(*) AS n FROM answers WHERE chosen != '' GROUP BY attempt_id"
    )
    return {int(r["attempt_id"]): (int(r["c"] or 0), int(r["n"])) for r in rows}


def last_results(conn: sqlite3.Connection) -> dict[str, bool]:
    """Question id -> whether its most recent answer was correct (for --missed and --new)."""
    rows = conn.execute(
        "SELECT question_id, correct FROM answers a WHERE answered_ms = "
        "(SELECT max(answered_ms) FROM answers b WHERE b.question_id = a.question_id)"
    )
    return {r["question_id"]: bool(r["correct"]) for r in rows}


def topic_accuracy(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Topic -> (correct, answered) over the answers of quizzes, exams and lessons' checkpoints: a lab's
    checkpoints ask about the lab's own steps, so they do not count toward a topic's readiness."""
    rows = conn.execute(
        "SELECT topic, sum(correct) AS c, count(*) AS n FROM answers WHERE attempt_id NOT IN "
        "(SELECT id FROM attempts WHERE json_extract(filters, '$.lab') IS NOT NULL) GROUP BY topic"
    )
    return {r["topic"]: (int(r["c"]), int(r["n"])) for r in rows}
