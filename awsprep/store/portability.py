"""Backing up, exporting, importing and resetting the learner's progress: the learner owns their data."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from awsprep.errors import StoreError, UsageError
from awsprep.store.db import backup_to, connect
from awsprep.store.migrations import MIGRATIONS

TABLES = ("settings", "lesson_reads", "attempts", "answers", "cards", "reviews", "lab_progress", "user_notes")
EXPORT_FORMAT = "awsprep-progress"


def default_backup_path(db: Path) -> Path:
    return db.parent / "backups" / f"awsprep-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3"


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    if target.exists():
        raise UsageError(f"{target} already exists; choose another file name")
    backup_to(conn, target)
    return target


def export(conn: sqlite3.Connection) -> dict[str, Any]:
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "schema": len(MIGRATIONS), "tables": {}}
    for table in TABLES:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        data["tables"][table] = [dict(r) for r in rows]
    return data


def import_file(db: Path, source: Path) -> Path:
    """Replace the progress with a JSON export or a SQLite backup; the current database is backed up first."""
    if not source.is_file():
        raise UsageError(f"no such file: {source}")
    with source.open("rb") as fh:
        head = fh.read(16)
    incoming = db.with_suffix(".incoming")
    incoming.unlink(missing_ok=True)
    try:
        if head.startswith(b"SQLite format 3"):
            shutil.copyfile(source, incoming)
            connect(incoming).close()  # validates and migrates a backup from an older awsprep
        else:
            _load_json(incoming, source)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    saved = default_backup_path(db)
    if db.exists():
        current = connect(db)
        try:
            backup_to(current, saved)
        finally:
            current.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    incoming.replace(db)
    return saved


def _load_json(target: Path, source: Path) -> None:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{source} is neither an awsprep JSON export nor a SQLite backup ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UsageError(f'{source} is not an awsprep progress export (no "format": "{EXPORT_FORMAT}")')
    if int(data.get("schema", 0)) > len(MIGRATIONS):
        raise StoreError(f"{source} was exported by a newer awsprep; upgrade awsprep to import it")
    conn = connect(target)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for table, rows in data.get("tables", {}).items():
            if table not in TABLES:
                raise UsageError(f"{source}: unknown table {table!r}")
            for row in rows:
                cols = ", ".join(row)
                marks = ", ".join("?" * len(row))
                conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        raise UsageError(f"{source}: cannot import: {exc}") from None
    finally:
        conn.close()


def reset(db: Path) -> Path | None:
    """Start over; the old database is kept as a backup (and its path returned)."""
    if not db.exists():
        return None
    current = connect(db)
    saved = default_backup_path(db)
    try:
        backup_to(current, saved)
    finally:
        current.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return saved
