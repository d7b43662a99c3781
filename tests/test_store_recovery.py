"""Importing, resetting and backing up the progress store when things are odd (issue 15 §2): imports that are
not a progress store, recovery from a damaged store, automatic rotating backups, paths that cannot be used."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from awsprep.store import backups, progress
from awsprep.store.db import connect, db_path
from awsprep.store.migrations import MIGRATIONS


def _progress_with_marker() -> None:
    conn = connect()
    progress.set_setting(conn, "marker", "kept")
    conn.close()


def _marker() -> str | None:
    conn = connect()
    try:
        return progress.get_setting(conn, "marker")
    finally:
        conn.close()


def _sqlite_file(path: Path, *, version: int, tables: tuple[str, ...] = ()) -> Path:
    raw = sqlite3.connect(path)
    for t in tables:
        raw.execute(f"CREATE TABLE {t} (id INTEGER)")
    raw.execute(f"PRAGMA user_version = {version}")
    raw.commit()
    raw.close()
    return path


def _json_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda d: _sqlite_file(d / "places.sqlite", version=0, tables=("moz_places",)),
        lambda d: _sqlite_file(d / "other.sqlite", version=7, tables=("moz_places",)),
        lambda d: _sqlite_file(d / "empty-at-current.sqlite3", version=len(MIGRATIONS)),
        lambda d: _json_file(d / "no-tables.json", '{"format": "awsprep-progress", "schema": 3}'),
        lambda d: _json_file(d / "empty-tables.json", '{"format": "awsprep-progress", "schema": 3, "tables": {}}'),
        lambda d: _json_file(d / "abc.json", '{"format": "awsprep-progress", "schema": "abc", "tables": {}}'),
        lambda d: _json_file(
            d / "deep.json",
            '{"format": "awsprep-progress", "schema": 3, "tables": ' + "[" * 200_000 + "]" * 200_000 + "}",
        ),
        lambda d: _json_file(
            d / "bad-column.json",
            json.dumps(
                {
                    "format": "awsprep-progress",
                    "schema": 3,
                    "tables": {
                        **{
                            t: []
                            for t in (
                                "settings",
                                "lesson_reads",
                                "attempts",
                                "answers",
                                "cards",
                                "reviews",
                                "lab_progress",
                                "user_notes",
                            )
                        },
                        "settings": [{"key": "a", "value": "b", "evil": 1}],
                    },
                }
            ),
        ),
    ],
    ids=[
        "other-app",
        "other-app-versioned",
        "no-tables-current-version",
        "json-no-tables",
        "json-empty-tables",
        "schema-abc",
        "deep-json",
        "unknown-column",
    ],
)
def test_an_import_that_is_not_a_progress_store_changes_nothing(home: Path, tmp_path: Path, cli, make) -> None:  # type: ignore[no-untyped-def]
    _progress_with_marker()
    source = make(tmp_path)
    result = cli("data", "import", str(source))
    assert result.exit_code == 2, result.stderr
    assert "internal error" not in result.stderr and "not an awsprep progress" in result.stderr
    assert _marker() == "kept"
    assert [p.name for p in home.iterdir() if "incoming" in p.name] == []  # nothing left behind


def test_import_of_a_backup_into_a_new_data_dir(
    home: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    _progress_with_marker()
    backup = tmp_path / "b.sqlite3"
    assert cli("data", "backup", str(backup)).exit_code == 0
    monkeypatch.setenv("AWSPREP_HOME", str(tmp_path / "brand" / "new"))
    result = cli("data", "import", str(backup))
    assert result.exit_code == 0, result.stderr
    assert "there was no previous progress" in result.stderr
    assert _marker() == "kept"


def test_a_json_export_round_trips(home: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _progress_with_marker()
    exported = cli("data", "export")
    path = _json_file(tmp_path / "p.json", exported.stdout)
    assert cli("data", "reset", "--confirm", "reset").exit_code == 0
    assert _marker() is None
    result = cli("data", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert _marker() == "kept"


def _damage() -> bytes:
    garbage = b"this is not a database at all" * 100
    db_path().write_bytes(garbage)
    return garbage


def test_reset_on_a_damaged_store_sets_it_aside_and_succeeds(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    garbage = _damage()
    result = cli("data", "reset", "--confirm", "reset")
    assert result.exit_code == 0, result.stderr
    aside = [p for p in home.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage  # renamed, never deleted
    assert str(aside[0]) in result.stderr
    assert cli("data", "export").exit_code == 0  # a fresh store


def test_import_of_a_good_backup_over_a_damaged_store(home: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _progress_with_marker()
    backup = tmp_path / "good.sqlite3"
    assert cli("data", "backup", str(backup)).exit_code == 0
    garbage = _damage()
    result = cli("data", "import", str(backup))
    assert result.exit_code == 0, result.stderr
    assert _marker() == "kept"
    names = [p.name for p in home.iterdir()]
    assert not [n for n in names if "incoming" in n]
    aside = [p for p in home.iterdir() if ".damaged-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage


def test_a_lesson_reads_without_a_usable_store(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    _damage()
    result = cli("study", "ec2.elastic-ip", "--plain")
    assert result.exit_code == 0, result.stderr
    assert "Elastic IP" in result.stdout
    assert "not marked as read" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- automatic backups ----------------------------------------------------------------------------------


def test_the_first_use_of_a_day_backs_up_once(home: Path) -> None:
    _progress_with_marker()
    assert backups.list_all(db_path()) == []  # a brand-new store has nothing to back up
    connect().close()
    connect().close()
    daily = [b for b in backups.list_all(db_path()) if b.kind == "daily"]
    assert len(daily) == 1 and daily[0].path.name.startswith(f"auto-{time.strftime('%Y%m%d')}")
    copy = sqlite3.connect(daily[0].path)
    assert copy.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone()[0] == "kept"


def test_automatic_backups_rotate_keeping_the_last_seven(home: Path) -> None:
    _progress_with_marker()
    folder = backups.folder(db_path())
    folder.mkdir(parents=True)
    for day in range(1, 10):
        old = folder / f"auto-202001{day:02d}-090000.sqlite3"
        old.write_bytes(b"old")
        os.utime(old, (946_684_800 + day * 86_400,) * 2)
    mine = folder / "awsprep-20200101-000000.sqlite3"
    mine.write_bytes(b"the learner's own")
    os.utime(mine, (0, 0))
    connect().close()
    names = sorted(p.name for p in folder.iterdir())
    automatic = [n for n in names if n.startswith("auto-")]
    assert len(automatic) == 7 and f"auto-{time.strftime('%Y%m%d')}" in automatic[-1]
    assert automatic[0] == "auto-20200104-090000.sqlite3"  # the oldest went
    assert mine.name in names  # the learner's own backups are never rotated away


def test_backup_list_and_restore_by_name(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _progress_with_marker()
    connect().close()  # the day's automatic backup, holding the marker
    conn = connect()
    progress.set_setting(conn, "marker", "changed")
    conn.close()
    listed = cli("data", "backup", "--list", "--json")
    assert listed.exit_code == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert [e["kind"] for e in entries] == ["daily"]
    plain = cli("data", "backup", "--list")
    assert entries[0]["name"] in plain.stdout
    result = cli("data", "import", entries[0]["name"].removesuffix(".sqlite3"))
    assert result.exit_code == 0, result.stderr
    assert _marker() == "kept"
    assert "before-import" in result.stderr


def test_messages_are_never_wrapped_off_a_terminal(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    deep = tmp_path / ("a-rather-long-folder-name-" * 5) / "home"
    monkeypatch.setenv("AWSPREP_HOME", str(deep))
    _progress_with_marker()
    result = cli("data", "backup")
    assert result.exit_code == 0, result.stderr
    [line] = result.stderr.strip().splitlines()
    path = Path(line.removeprefix("backed up to "))
    assert path.is_file() and path.parent == deep / "backups"


# --- paths that cannot be used ------------------------------------------------------------------------


def test_odd_paths_get_one_line_not_an_internal_error(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _progress_with_marker()
    a_file = tmp_path / "f.txt"
    a_file.write_text("x")
    long = str(tmp_path / ("x" * 5000))
    for args, code in (
        (("cards", "export", "--format", "csv", "--output", ""), 2),
        (("sandbox", "--script", str(a_file), "--scratch", str(a_file)), 2),
        (("data", "backup", long), 1),
        (("cards", "export", "--format", "csv", "--output", long), 1),
        (("data", "import", long), 2),
        (("data", "backup", ""), 2),
    ):
        result = cli(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2
        assert "x" * 300 not in result.stderr  # a 5,000-character path is shortened, not printed whole
