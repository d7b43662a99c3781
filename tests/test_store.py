"""The progress store: migrations, refusal of newer databases, corruption, locking, crash safety, portability."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from awsprep.errors import StoreError
from awsprep.store import progress
from awsprep.store.db import connect, db_path
from awsprep.store.migrations import MIGRATIONS


def test_new_database_is_fully_migrated_in_wal_mode(home: Path) -> None:
    conn = connect()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert db_path() == home / "progress.sqlite3"


def test_a_newer_database_is_refused_not_altered(home: Path) -> None:
    connect().close()
    raw = sqlite3.connect(db_path())
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    raw.close()
    before = db_path().read_bytes()
    with pytest.raises(StoreError, match="written by a newer awsprep"):
        connect()
    assert db_path().read_bytes() == before


def test_migration_backs_up_first(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    conn = connect()
    progress.set_setting(conn, "exam-date", "2027-01-15")
    conn.close()

    def m_extra(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE extra (x INTEGER)")

    monkeypatch.setattr("awsprep.store.db.MIGRATIONS", [*MIGRATIONS, m_extra])
    conn = connect()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    backups = list((home / "backups").glob("before-migration-*.sqlite3"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT value FROM settings WHERE key = 'exam-date'").fetchone()[0] == "2027-01-15"


def test_a_failing_migration_leaves_the_database_as_it_was(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    connect().close()

    def broken(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr("awsprep.store.db.MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(RuntimeError):
        connect()
    raw = sqlite3.connect(db_path())
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0


def test_a_corrupt_file_is_reported_and_kept(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    db_path().write_bytes(b"this is not a database at all" * 100)
    before = db_path().read_bytes()
    result = cli("data", "export")
    assert result.exit_code == 1
    assert "the progress database is damaged" in result.stderr
    assert "Traceback" not in result.stderr
    assert db_path().read_bytes() == before


def test_an_unwritable_data_directory_is_reported(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("AWSPREP_HOME", str(blocker / "sub"))
    result = cli("data", "export")
    assert result.exit_code == 1
    assert "cannot create the data directory" in result.stderr
    assert "AWSPREP_HOME" in result.stderr


WRITER = """
import sys, time
from awsprep.store import progress
from awsprep.store.db import connect
conn = connect()
attempt = progress.start_attempt(conn, "quiz", ["q"], 0)
i = 0
while True:
    progress.record_answer(conn, progress.AnswerRecord(attempt, f"q{i}", "ec2.elastic-ip", "A", True, i))
    print(i, flush=True)
    i += 1
    time.sleep(0.001)
"""


def test_every_committed_answer_survives_kill_9(home: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True, env={**os.environ, "AWSPREP_HOME": str(home)}
    )
    assert proc.stdout is not None
    reported = -1
    while reported < 200:
        line = proc.stdout.readline()
        assert line, "writer died"
        reported = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    conn = connect()
    stored = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert stored >= reported + 1  # every answer reported as committed is there
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _some_progress() -> None:
    conn = connect()
    progress.mark_read(conn, "ec2.elastic-ip", 1_000)
    attempt = progress.start_attempt(conn, "quiz", ["ec2-elastic-ip-q01"], 1_000)
    progress.record_answer(conn, progress.AnswerRecord(attempt, "ec2-elastic-ip-q01", "ec2.elastic-ip", "B", True, 2))
    conn.close()


def _user_tables() -> list[tuple[str]]:
    conn = connect()
    try:
        return conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()


def test_data_path_backup_export_import_reset(home: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _some_progress()
    assert cli("data", "path").stdout.strip() == str(home / "progress.sqlite3")

    target = tmp_path / "copy.sqlite3"
    result = cli("data", "backup", str(target))
    assert result.exit_code == 0 and target.exists()
    assert sqlite3.connect(target).execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    assert cli("data", "backup", str(target)).exit_code == 2  # never overwrites

    exported = cli("data", "export")
    data = json.loads(exported.stdout)
    assert data["format"] == "awsprep-progress"
    assert set(data["tables"]) == {row[0] for row in _user_tables()}
    assert data["tables"]["lesson_reads"][0]["topic"] == "ec2.elastic-ip"
    dump = tmp_path / "progress.json"
    dump.write_text(exported.stdout)

    refused = cli("data", "reset")
    assert refused.exit_code == 2 and "--confirm reset" in refused.stderr
    assert cli("data", "reset", "--confirm", "reset").exit_code == 0
    assert json.loads(cli("data", "export").stdout)["tables"]["answers"] == []

    assert cli("data", "import", str(dump)).exit_code == 0
    assert len(json.loads(cli("data", "export").stdout)["tables"]["answers"]) == 1

    assert cli("data", "reset", "--confirm", "reset").exit_code == 0
    assert cli("data", "import", str(target)).exit_code == 0
    assert len(json.loads(cli("data", "export").stdout)["tables"]["answers"]) == 1


def test_import_rejects_what_is_not_an_export(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": 1}')
    result = cli("data", "import", str(bad))
    assert result.exit_code == 2
    assert "not an awsprep progress export" in result.stderr
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\xff" * 10)
    assert cli("data", "import", str(garbage)).exit_code == 2


def test_concurrent_version_guard_refuses_a_stale_write(home: Path) -> None:
    from dataclasses import replace

    from awsprep.store.cards import CardRef, StaleCard, get, record_review, sync

    conn = connect()
    sync(conn, [CardRef("c1", "c1", "ec2.elastic-ip", "h")])
    first = get(conn, "c1")
    assert first is not None
    kw = {"rating": 3, "reviewed_ms": 1, "utc_offset_min": 0, "duration_ms": 0, "source": "card"}
    record_review(conn, first, replace(first, reps=1), **kw)  # type: ignore[arg-type]
    with pytest.raises(StaleCard):
        record_review(conn, first, replace(first, reps=1), **kw)  # type: ignore[arg-type]
    assert conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    time.sleep(0)
