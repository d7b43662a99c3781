"""Backing up, exporting, importing and resetting the learner's progress: the learner owns their data.

An import is validated completely (a SQLite backup: an awsprep schema with every table, intact; a JSON export:
the format, a known schema number, every table with rows of known columns) in a file of its own before the
current store is touched. A damaged current store is set aside under a new name, never deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from awsprep.errors import StoreError, UsageError
from awsprep.store import backups
from awsprep.store.db import TABLES, DamagedStore, connect, shown
from awsprep.store.migrations import MIGRATIONS

EXPORT_FORMAT = "awsprep-progress"
# the tables an export of each schema holds (user_notes came with migration 2)
TABLES_OF_SCHEMA = {1: TABLES[:-1]}
MAX_JSON_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Replaced:
    """Where the progress that was replaced went: a backup of it, or the damaged file set aside as it was."""

    path: Path | None
    damaged: bool = False


def default_backup_path(db: Path) -> Path:
    return backups.free_name(backups.folder(db), f"awsprep-{time.strftime('%Y%m%d-%H%M%S')}")


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    return backups.write(conn, target)


def export(conn: sqlite3.Connection) -> dict[str, Any]:
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "schema": len(MIGRATIONS), "tables": {}}
    for table in TABLES:
        rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
        data["tables"][table] = [dict(r) for r in rows]
    return data


def find_source(db: Path, source: Path) -> Path:
    """The file to import: a path, or the name of a backup as `awsprep data backup --list` shows it."""
    try:
        if source.is_file():
            return source
        found = backups.resolve(db, str(source))
    except OSError as exc:
        raise UsageError(f"cannot read {shown(source)}: {exc.strerror}") from None
    if found is None:
        raise UsageError(f"no such file or backup: {shown(source)}", hint="`awsprep data backup --list` shows backups")
    return found


def import_file(db: Path, source: Path) -> Replaced:
    """Replace the progress with a JSON export or a SQLite backup; the current database is backed up first (or,
    when damaged, set aside)."""
    source = find_source(db, source)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot import {shown(source)}: {exc.strerror}") from None
    incoming = db.with_name(f".{db.name}.{os.getpid()}.incoming")
    try:
        if head.startswith(b"SQLite format 3\x00"):
            _copy(source, incoming)
            _check_backup(incoming, source)
        else:
            _load_json(incoming, source)
        replaced = _set_current_aside(db, "before-import")
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        incoming.replace(db)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{incoming}{suffix}").unlink(missing_ok=True)
    return replaced


def _copy(source: Path, target: Path) -> None:
    try:
        shutil.copyfile(source, target)
    except OSError as exc:
        raise StoreError(
            f"cannot copy {shown(source)} into the data folder: {exc.strerror}", hint="free some space and try again"
        ) from None


def _not_a_store(source: Path, why: str) -> UsageError:
    return UsageError(f"{shown(source)} is not an awsprep progress backup ({why}); nothing was changed")


def _check_backup(incoming: Path, source: Path) -> None:
    """A SQLite file is imported only if it is an awsprep store: a schema number, every table, intact pages."""
    try:
        raw = sqlite3.connect(f"file:{quote(str(incoming))}?mode=ro", uri=True)
        try:
            version = raw.execute("PRAGMA user_version").fetchone()[0]
            check = raw.execute("PRAGMA quick_check").fetchone()[0]
            names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            raw.close()
    except sqlite3.Error as exc:
        raise _not_a_store(source, str(exc)) from None
    if check != "ok":
        raise _not_a_store(source, "the file is damaged")
    if not set(TABLES_OF_SCHEMA[1]) <= names:  # every awsprep, older or newer, has the first schema's tables
        raise _not_a_store(source, "it holds another program's tables" if names else "it holds no tables")
    if version == 0:
        raise _not_a_store(source, "no awsprep schema")
    if version > len(MIGRATIONS):
        raise StoreError(f"{shown(source)} was written by a newer awsprep; upgrade awsprep to import it")
    try:
        connect(incoming, daily_backup=False).close()  # migrates a backup from an older awsprep; checks tables
    except DamagedStore as exc:
        raise _not_a_store(source, str(exc).rsplit("(", 1)[-1].rstrip(")")) from None


def _load_json(target: Path, source: Path) -> None:
    try:
        if source.stat().st_size > MAX_JSON_BYTES:
            raise _not_a_store(source, "larger than any export")
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{shown(source)} is neither an awsprep JSON export nor a SQLite backup ({exc})") from None
    except RecursionError:
        raise _not_a_store(source, "JSON nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UsageError(f'{shown(source)} is not an awsprep progress export (no "format": "{EXPORT_FORMAT}")')
    schema = data.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise _not_a_store(source, f'"schema" must be a schema number, not {json.dumps(schema)[:40]}')
    if schema > len(MIGRATIONS):
        raise StoreError(f"{shown(source)} was exported by a newer awsprep; upgrade awsprep to import it")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise _not_a_store(source, 'no "tables"')
    expected = TABLES_OF_SCHEMA.get(schema, TABLES)
    missing = [t for t in expected if t not in tables]
    if missing:
        raise _not_a_store(source, f"missing table{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise _not_a_store(source, f"unknown table {unknown[0]!r}")
    conn = connect(target, daily_backup=False)
    try:
        _insert_all(conn, source, tables)
    finally:
        conn.close()


def _insert_all(conn: sqlite3.Connection, source: Path, tables: dict[str, Any]) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table, rows in tables.items():
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            if not isinstance(rows, list):
                raise _not_a_store(source, f"table {table} is not a list of rows")
            for n, row in enumerate(rows, start=1):
                if not isinstance(row, dict) or not row or not set(row) <= columns:
                    raise _not_a_store(source, f"row {n} of table {table} has unknown columns or is not a row")
                if any(isinstance(v, (dict, list)) for v in row.values()):
                    raise _not_a_store(source, f"row {n} of table {table} holds a nested value")
                marks = ", ".join("?" * len(row))
                sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})"
                try:
                    sqlite3.Connection.execute(conn, sql, list(row.values()))
                except sqlite3.Error as exc:
                    raise _not_a_store(source, f"row {n} of table {table}: {exc}") from None
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _set_current_aside(db: Path, kind: str) -> Replaced:
    """Back up the current store before it is replaced; a damaged one (which cannot be backed up) is renamed to
    `progress.damaged-STAMP.sqlite3` beside it, with its WAL, so nothing is ever deleted."""
    if not db.exists():
        return Replaced(None)
    try:
        current = connect(db, daily_backup=False)
    except DamagedStore:
        aside = db.with_name(f"{db.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}{db.suffix}")
        try:
            db.rename(aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(f"{db}{suffix}")
                if extra.exists():
                    extra.rename(Path(f"{aside}{suffix}"))
        except OSError as exc:
            raise StoreError(f"cannot set the damaged database aside: {exc.strerror}") from None
        return Replaced(aside, damaged=True)
    try:
        return Replaced(backups.save(current, db, kind))
    finally:
        current.close()


def reset(db: Path) -> Replaced:
    """Start over; the old database is kept as a backup (or set aside when damaged), and its path returned."""
    if not db.exists():
        return Replaced(None)
    replaced = _set_current_aside(db, "before-reset")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return replaced
