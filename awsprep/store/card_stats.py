"""The queries behind `awsprep cards stats` (study/cards_stats.py turns them into figures).

Each reads plain columns served by the indexes of migrations 2 and 3, so a 100,000-card collection with a year
of history stays well under a second. Quiz questions (`q:<id>`) are left out of the card figures.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

CARDS_ONLY = "card_id NOT LIKE 'q:%'"
DAY_MS = 86_400_000


def state_counts(conn: sqlite3.Connection, now_ms: int) -> list[tuple[int, bool, bool, int]]:
    """(state, suspended, buried now, count) of the flashcards."""
    rows = conn.execute(
        f"SELECT state, suspended, buried_until_ms > ? AS buried, count(*) FROM cards WHERE {CARDS_ONLY} "
        "GROUP BY state, suspended, buried",
        (now_ms,),
    )
    return [(int(r[0]), bool(r[1]), bool(r[2]), int(r[3])) for r in rows]


def due_by_day(conn: sqlite3.Connection, today_ms: int, end_ms: int, now_ms: int) -> list[tuple[int, int]]:
    """(day from today, cards due that day) for studied, open flashcards due before `end_ms`; overdue is day 0."""
    rows = conn.execute(
        f"SELECT (max(due_ms, ?) - ?) / {DAY_MS} AS d, count(*) FROM cards WHERE suspended = 0 AND state != 0 "
        f"AND due_ms < ? AND (buried_until_ms IS NULL OR buried_until_ms <= ?) AND {CARDS_ONLY} GROUP BY d",
        (today_ms, today_ms, end_ms, now_ms),
    )
    return [(int(r[0]), int(r[1])) for r in rows]


def suspended_new(conn: sqlite3.Connection) -> int:
    row = conn.execute(f"SELECT count(*) FROM cards WHERE state = 0 AND suspended = 1 AND {CARDS_ONLY}").fetchone()
    return int(row[0])


def answers_by_day(conn: sqlite3.Connection, day_offset_ms: int, since_ms: int) -> list[tuple[int, int]]:
    """(local study day number since 1970, answers that day): every scheduled answer, cram left out.
    `day_offset_ms` is the hour a study day starts at."""
    rows = conn.execute(
        "SELECT (reviewed_ms + utc_offset_min * 60000 - ?) / ? AS d, count(*) FROM reviews "
        "WHERE reviewed_ms >= ? AND undone = 0 AND source != 'cram' GROUP BY d",
        (day_offset_ms, DAY_MS, since_ms),
    )
    return [(int(r[0]), int(r[1])) for r in rows]


def review_pass_rate(conn: sqlite3.Connection, since_ms: int, state_before: int) -> tuple[int, int]:
    """(passed, total) flashcard answers since `since_ms` to cards that were in `state_before`."""
    passed, total = conn.execute(
        "SELECT coalesce(sum(rating > 1), 0), count(*) FROM reviews WHERE reviewed_ms >= ? AND source = 'card' "
        "AND undone = 0 AND json_extract(before, '$.state') = ?",
        (since_ms, state_before),
    ).fetchone()
    return int(passed), int(total)


def leech_ids(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0] for r in conn.execute("SELECT card_id FROM cards WHERE ' ' || tags || ' ' LIKE '% leech %' ORDER BY 1")
    ]


def answers_since(conn: sqlite3.Connection, since_ms: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM reviews WHERE reviewed_ms >= ? AND undone = 0 AND source != 'cram'", (since_ms,)
    ).fetchone()
    return int(row[0])


def exam_recall(
    conn: sqlite3.Connection, target: float, factor: float, decay: float, exam_ms: int
) -> tuple[int, int, float, int] | None:
    """(cards, studied, summed recall on exam day, studied below target) in one pass inside SQLite; None when
    this SQLite lacks math functions (they are a compile-time option)."""
    try:
        # the plain sqlite3 method: this error is expected, not one to report (StoreConnection translates)
        row = sqlite3.Connection.execute(
            conn,
            "SELECT count(*), count(r), coalesce(sum(r), 0), coalesce(sum(r < :target), 0) FROM ("
            "  SELECT CASE WHEN state = 0 OR stability IS NULL OR last_review_ms IS NULL THEN NULL"
            "  ELSE pow(1 + :factor * max(0, (:exam - last_review_ms) / 86400000) / stability, :decay) END AS r"
            f"  FROM cards WHERE suspended = 0 AND {CARDS_ONLY})",
            {"target": target, "factor": factor, "exam": exam_ms, "decay": decay},
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return int(row[0]), int(row[1]), float(row[2]), int(row[3])


def memory_rows(conn: sqlite3.Connection) -> Iterator[tuple[int, float | None, int | None]]:
    """(state, stability, last_review_ms) of every open flashcard, as plain tuples: this reads every card."""
    cur = conn.cursor()
    cur.row_factory = None
    yield from cur.execute(f"SELECT state, stability, last_review_ms FROM cards WHERE suspended = 0 AND {CARDS_ONLY}")
