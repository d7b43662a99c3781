"""Open the progress database safely: pragmas, migrations with a backup first, clear errors.

One SQLite file holds everything the learner did. It must never be lost: WAL so a crash loses at most the answer
being written, a backup before any migration and once a day, a database from a newer awsprep refused untouched, a
damaged or empty file reported rather than replaced, and a read-only one still readable.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from awsprep.errors import StoreError
from awsprep.store.migrations import MIGRATIONS

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_MS = 5000
# every table of the latest schema: one that is missing means the file was damaged (or is someone else's)
TABLES = ("settings", "lesson_reads", "attempts", "answers", "cards", "reviews", "lab_progress", "user_notes")
DAMAGED_HINT = (
    "restore a backup with `awsprep data import FILE` (`awsprep data backup --list` shows them), or start over "
    "with `awsprep data reset --confirm reset` (the damaged file is set aside, never deleted)"
)


def db_path() -> Path:
    from awsprep.paths import data_dir

    return data_dir() / DB_NAME


def shown(path: Path | str) -> str:
    """A path as an error line shows it: whole, but a path of thousands of characters is cut in the middle."""
    text = str(path)
    return text if len(text) <= 200 else f"{text[:90]}…{text[-90:]}"


def damaged(path: Path, why: str) -> StoreError:
    return DamagedStore(f"the progress database is damaged: {shown(path)} ({why})", hint=DAMAGED_HINT)


def translate(exc: sqlite3.Error, path: Path | None = None) -> StoreError:
    """Every SQLite error the learner can meet, as one line saying what to do."""
    where = shown(path or db_path())
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the progress database is locked by another awsprep ({where})",
            hint="finish or close the other awsprep session, then try again",
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text or "no such table" in text:
        return DamagedStore(f"the progress database is damaged: {where} ({text})", hint=DAMAGED_HINT)
    if "readonly" in text:
        return StoreError(
            f"the progress database is read-only, nothing was saved: {where}",
            hint="make the file and its folder writable (reading commands such as `awsprep data export` still work)",
        )
    if "disk is full" in text or "disk I/O" in text:
        return StoreError(
            f"could not write the progress database (is the disk full?), nothing of this step was saved: {where}",
            hint="free some disk space and try again",
        )
    if "unable to open" in text:
        return StoreError(f"cannot open the progress database {where}", hint="check the folder's permissions")
    return StoreError(f"progress database error: {text} ({where})")


class StoreConnection(sqlite3.Connection):
    """A connection whose statements fail with StoreError (one line saying what to do), never a raw SQLite error:
    a read-only file, a full disk or a damaged page can meet any statement."""

    store_path: Path

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise translate(exc, self.store_path) from None

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            raise translate(exc, self.store_path) from None


class DamagedStore(StoreError):
    """The file is not a usable progress database: `data reset` and `data import` set it aside."""


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    # `mode=rw` never creates the file (connect() builds a new database under a temporary name); a read-only
    # store is opened `immutable`: SQLite cannot read a WAL database whose folder it may not write otherwise
    query = "mode=ro&immutable=1" if readonly else "mode=rw"
    conn = sqlite3.connect(
        f"file:{quote(str(path))}?{query}",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        factory=StoreConnection,
    )
    assert isinstance(conn, StoreConnection)
    conn.store_path = path
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _set_pragmas(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":  # pragma: no cover - e.g. a file system without shared memory
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _refuse_newer(current: int) -> None:
    latest = len(MIGRATIONS)
    if current > latest:
        raise StoreError(
            f"the progress database was written by a newer awsprep (schema {current}, this one knows {latest})",
            hint="upgrade awsprep (pip install --upgrade awsprep) to keep using this database",
        )


def migrate(conn: sqlite3.Connection, path: Path, *, backup: bool = True) -> None:
    """Apply the missing migrations, each in its own `BEGIN IMMEDIATE … COMMIT`. The write lock is taken before
    `user_version` is read, so two processes never both run a migration (the loser sees it done)."""
    latest = len(MIGRATIONS)
    if _version(conn) == latest:  # up to date (versions only grow): no lock needed to know that
        return
    backed_up = False
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _version(conn)
            _refuse_newer(current)
            if current >= latest:
                conn.execute("COMMIT")
                return
            backup = backup and not (current == 0 and not backed_up)  # a new database has nothing to back up
            if backup and current > 0 and not backed_up:
                from awsprep.store.backups import before_migration

                before_migration(conn, path, current, latest)
                backed_up = True
            MIGRATIONS[current](conn)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def check_tables(conn: sqlite3.Connection, path: Path) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in TABLES if t not in names]
    if missing:
        raise damaged(path, f"missing table{'s' if len(missing) > 1 else ''} {', '.join(missing)}")


def _create(path: Path) -> None:
    """Build a new, fully migrated database under a temporary name and link it into place: a half-created file
    never appears under the real name, and when two processes race the first link wins and the other uses it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _set_pragmas(conn)
            migrate(conn, tmp, backup=False)
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another awsprep created it first: use theirs
        except OSError:  # pragma: no cover - a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect(path: Path | None = None, *, daily_backup: bool = True) -> sqlite3.Connection:
    """An open, migrated connection in autocommit mode (every answer is committed when it is given).

    A store the learner may not write is opened read-only: reading commands work, and the first write fails
    with one line saying so."""
    path = path or db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data directory {shown(path.parent)}: {exc.strerror}",
            hint="set AWSPREP_HOME (or --data-dir) to a folder you can write to",
        ) from None
    try:
        existed = path.exists()
        if not existed:
            _create(path)
        elif path.is_file() and path.stat().st_size == 0:
            raise damaged(path, "the file is empty (0 bytes)")
        readonly = not _writable(path)
        conn = _connect(path, readonly=readonly)
    except OSError as exc:
        raise StoreError(
            f"cannot create the progress database {shown(path)}: {exc.strerror}",
            hint="set AWSPREP_HOME (or --data-dir) to a folder you can write to",
        ) from None
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        current = _version(conn)  # read before anything is written: a newer database is refused untouched
        _refuse_newer(current)
        if current == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(
                f"{shown(path)} is not an awsprep progress database (it holds another program's tables)",
                hint="move it away, or set AWSPREP_HOME (or --data-dir) to another folder",
            )
        if not readonly:
            _set_pragmas(conn)
            migrate(conn, path)
        elif current < len(MIGRATIONS):
            raise StoreError(
                f"the progress database {shown(path)} needs an upgrade but is read-only",
                hint="make the file and its folder writable, then run awsprep again",
            )
        check_tables(conn, path)
        if daily_backup and existed and not readonly:
            from awsprep.store.backups import daily

            daily(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A read-then-write transaction: BEGIN IMMEDIATE takes the write lock up front, so it cannot fail half-way
    with SQLITE_BUSY on upgrade the way a deferred transaction can. Nested, it joins the outer transaction: one
    learner action (an answer and its review) commits together or not at all."""
    if conn.in_transaction:
        yield conn
        return
    with _ctrl_c_after_commit():
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, _path_of(conn)) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            raise translate(exc, _path_of(conn)) from None
        except BaseException:
            _rollback(conn)
            raise


@contextmanager
def _ctrl_c_after_commit() -> Iterator[None]:
    """Hold a Ctrl-C that arrives inside a write until the write has ended, then raise it.

    The learner pressed Enter before Ctrl-C: without this, the interrupt lands between INSERT and COMMIT and rolls
    back the answer they already gave. Writes are a few statements long, so the delay is not felt. Signal handlers
    can only be set from the main thread; elsewhere the write runs as before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        if callable(previous):
            previous(signal.SIGINT, None)
        elif previous != signal.SIG_IGN:
            raise KeyboardInterrupt


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _path_of(conn: sqlite3.Connection) -> Path:
    if isinstance(conn, StoreConnection):
        return conn.store_path
    return Path(sqlite3.Connection.execute(conn, "PRAGMA database_list").fetchone()[2])
