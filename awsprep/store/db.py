"""Open the progress database safely: pragmas, migrations with a backup first, clear errors.

One SQLite file holds everything the learner did. It must never be lost: WAL so a crash loses at most the answer
being written, a backup before any migration, a database from a newer awsprep refused rather than altered, and a
corrupt file reported rather than replaced.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from awsprep.errors import StoreError
from awsprep.store.migrations import MIGRATIONS

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_MS = 5000


def db_path() -> Path:
    from awsprep.paths import data_dir

    return data_dir() / DB_NAME


def _open(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data directory {path.parent}: {exc.strerror}",
            hint="set AWSPREP_HOME (or --data-dir) to a folder you can write to",
        ) from None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"cannot open {path}: {exc}", hint="set AWSPREP_HOME (or --data-dir) to a folder you can write to"
        ) from None
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":  # pragma: no cover - e.g. a file system without shared memory
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _translate(exc, path) from None
    return conn


def _translate(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the progress database is locked by another awsprep ({path})",
            hint="finish or close the other awsprep session, then try again",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"the progress database is damaged: {path} ({text})",
            hint="restore a backup with `awsprep data import FILE`, or move the file away to start fresh "
            "(awsprep never deletes it for you)",
        )
    if "readonly" in text or "unable to open" in text:
        return StoreError(f"cannot write the progress database {path}: {text}", hint="check the folder's permissions")
    return StoreError(f"progress database error: {text} ({path})")


def backup_to(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy, WAL included (copying the main file alone is not a backup in WAL mode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    latest = len(MIGRATIONS)
    if current > latest:
        raise StoreError(
            f"the progress database was written by a newer awsprep (schema {current}, this one knows {latest})",
            hint="upgrade awsprep (pip install --upgrade awsprep) to keep using this database",
        )
    if current == latest:
        return
    if current > 0:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup_to(conn, path.parent / "backups" / f"before-migration-{current}-to-{latest}-{stamp}.sqlite3")
    for number in range(current, latest):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def connect(path: Path | None = None) -> sqlite3.Connection:
    """An open, migrated connection in autocommit mode (every answer is committed when it is given)."""
    path = path or db_path()
    conn = _open(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise _translate(exc, path) from None
    except StoreError:
        conn.close()
        raise
    return conn


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read-then-write transaction: BEGIN IMMEDIATE takes the write lock up front, so it cannot fail half-way
    with SQLITE_BUSY on upgrade the way a deferred transaction can."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise _translate(exc, Path(conn.execute("PRAGMA database_list").fetchone()[2])) from None
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
