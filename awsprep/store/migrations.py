"""Numbered, append-only schema migrations. Never edit one that has shipped: append a new function.

Each runs inside `BEGIN IMMEDIATE … COMMIT` (see db.migrate), so statements are executed one by one; not
`executescript`, which would commit half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


def _run(conn: sqlite3.Connection, script: str) -> None:
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    for statement in code.split(";"):
        if statement.strip():
            conn.execute(statement)


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE lesson_reads (
            topic TEXT PRIMARY KEY,
            first_read_ms INTEGER NOT NULL,
            last_read_ms INTEGER NOT NULL,
            times INTEGER NOT NULL DEFAULT 1
        );

        -- a quiz, an exam or a lesson's checkpoint; state holds what a resumed exam needs
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('quiz', 'exam', 'checkpoint')),
            started_ms INTEGER NOT NULL,
            finished_ms INTEGER,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'abandoned')),
            seed INTEGER,
            question_ids TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            time_limit_s INTEGER,
            elapsed_s REAL NOT NULL DEFAULT 0,
            correct INTEGER,
            total INTEGER,
            score INTEGER,
            state TEXT NOT NULL DEFAULT '{}'
        );

        -- every answer, committed when given; an exam answer may be changed before submitting (upsert)
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            chosen TEXT NOT NULL,
            correct INTEGER NOT NULL,
            confidence TEXT CHECK (confidence IN ('sure', 'unsure', 'guess')),
            duration_ms INTEGER NOT NULL DEFAULT 0,
            answered_ms INTEGER NOT NULL,
            flagged INTEGER NOT NULL DEFAULT 0,
            UNIQUE (attempt_id, question_id)
        );
        CREATE INDEX answers_question ON answers (question_id, answered_ms);

        -- scheduling state of one card (a flashcard, or `q:<id>` for a quiz question); version guards against
        -- a stale second terminal overwriting a newer state
        CREATE TABLE cards (
            card_id TEXT PRIMARY KEY,
            note_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            state INTEGER NOT NULL DEFAULT 0,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due_ms INTEGER,
            last_review_ms INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0,
            suspended INTEGER NOT NULL DEFAULT 0,
            buried_until_ms INTEGER,
            tags TEXT NOT NULL DEFAULT '',
            content_hash TEXT,
            version INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX cards_due ON cards (due_ms) WHERE suspended = 0;
        CREATE INDEX cards_topic ON cards (topic);

        -- append-only: the state before and after each answer, for undo, rebuilding and statistics
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            reviewed_ms INTEGER NOT NULL,
            utc_offset_min INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL CHECK (source IN ('card', 'quiz', 'cram')),
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX reviews_card ON reviews (card_id, reviewed_ms);
        CREATE INDEX reviews_time ON reviews (reviewed_ms);

        CREATE TABLE lab_progress (
            lab_id TEXT PRIMARY KEY,
            format INTEGER NOT NULL,
            step INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT '{}',
            updated_ms INTEGER NOT NULL,
            completed_ms INTEGER
        )
        """,
    )


@migration
def m002_user_cards_and_queue_indexes(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        """
        -- the learner's own cards (`awsprep cards import FILE.csv`): the `user` deck. Their cards get rows in
        -- `cards` like the bundled ones (ids `u:<note>` and `u:<note>~r`), so they join review and statistics.
        CREATE TABLE user_notes (
            note_id TEXT PRIMARY KEY,
            front TEXT NOT NULL,
            back TEXT NOT NULL,
            reverse INTEGER NOT NULL DEFAULT 0,
            topic TEXT NOT NULL DEFAULT 'user',
            tags TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        );

        -- today's new cards without scanning every reviewed card
        CREATE INDEX cards_new ON cards (card_id) WHERE state = 0 AND suspended = 0;
        -- the review heatmap, true retention and today's counts read only this index, not the JSON columns
        CREATE INDEX reviews_stats ON reviews (reviewed_ms, source, undone, rating, utc_offset_min)
        """,
    )


@migration
def m003_cards_by_state_and_due(conn: sqlite3.Connection) -> None:
    # today's queue reads learning cards, then due review cards in due order, page by page: both are ranges of
    # this index, so a 100,000-card collection with a big backlog costs a few pages, not a scan
    conn.execute("CREATE INDEX cards_state_due ON cards (state, due_ms) WHERE suspended = 0")
