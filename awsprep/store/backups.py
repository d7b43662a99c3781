"""Backups of the progress database, as Anki keeps them: automatic ones before any migration and once a day on
first use, rotating (the last 7 kept), in `backups/` of the data dir; the learner's own (`awsprep data backup`)
and the copies saved before an import or a reset are never rotated away.

Every backup is written under a temporary name and renamed when complete: a failed backup (a full disk) never
leaves a file that looks like a good one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from awsprep.errors import StoreError, UsageError

KEEP = 7
AUTOMATIC = ("auto-", "before-migration-")
SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # daily, before-migration, before-import, before-reset, manual
    size: int
    mtime: float


def folder(db: Path) -> Path:
    return db.parent / "backups"


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def free_name(directory: Path, stem: str) -> Path:
    target = directory / f"{stem}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = directory / f"{stem}-{n}{SUFFIX}"
    return target


def write(source: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of `source` (WAL included: copying the main file alone is not a backup in WAL mode) at
    `target`, which must not exist yet."""
    from awsprep.store.db import shown

    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if target.exists() or target.is_symlink():
            raise FileExistsError
        target.parent.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
        finally:
            dest.close()
        os.link(tmp, target)  # never replaces: a file that appeared meanwhile is kept
    except FileExistsError:
        raise UsageError(f"{shown(target)} already exists; choose another file name") from None
    except (OSError, sqlite3.Error) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(
            f"could not write the backup {shown(target)}: {why} (nothing was written)",
            hint="free some space, or give another place: awsprep data backup FILE",
        ) from None
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return target


def save(source: sqlite3.Connection, db: Path, kind: str) -> Path:
    """A backup named `KIND-STAMP.sqlite3` in the backups folder."""
    return write(source, free_name(folder(db), f"{kind}-{_stamp()}"))


def before_migration(conn: sqlite3.Connection, db: Path, current: int, latest: int) -> None:
    """Called with the write lock held on `conn`: the copy is read through a second connection (a connection
    cannot back itself up inside its own write transaction), which sees the last committed state."""
    reader = sqlite3.connect(db)
    try:
        write(reader, free_name(folder(db), f"before-migration-{current}-to-{latest}-{_stamp()}"))
    finally:
        reader.close()
    rotate(db)


def daily(conn: sqlite3.Connection, db: Path) -> None:
    """The first use of a day backs up the database as it was. Best effort: a full disk or a read-only folder
    must not stop the learner's command (its own write reports the problem)."""
    today = time.strftime("%Y%m%d")
    directory = folder(db)
    try:
        if any(p.name.startswith(f"auto-{today}") for p in directory.glob(f"auto-*{SUFFIX}")):
            return
        save(conn, db, "auto")
        rotate(db)
    except (StoreError, UsageError, OSError):
        return


def rotate(db: Path, keep: int = KEEP) -> None:
    automatic = [b for b in list_all(db) if b.kind in ("daily", "before-migration")]
    for old in automatic[keep:]:
        old.path.unlink(missing_ok=True)


def _kind(name: str) -> str:
    for prefix, kind in (
        ("auto-", "daily"),
        ("before-migration-", "before-migration"),
        ("before-import-", "before-import"),
        ("before-reset-", "before-reset"),
    ):
        if name.startswith(prefix):
            return kind
    return "manual"


def list_all(db: Path) -> list[Backup]:
    """Every backup in the backups folder, newest first."""
    directory = folder(db)
    found = []
    for p in directory.glob(f"*{SUFFIX}") if directory.is_dir() else []:
        if p.name.startswith(".") or not p.is_file():
            continue
        st = p.stat()
        found.append(Backup(p, _kind(p.name), st.st_size, st.st_mtime))
    return sorted(found, key=lambda b: (b.mtime, b.path.name), reverse=True)


def resolve(db: Path, name: str) -> Path | None:
    """A backup named as `data backup --list` shows it (with or without `.sqlite3`)."""
    if not name or "/" in name or os.sep in name:
        return None
    directory = folder(db)
    for candidate in (directory / name, directory / f"{name}{SUFFIX}"):
        if candidate.is_file():
            return candidate
    return None
