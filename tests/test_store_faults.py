"""The progress store under faults (issue 15 §2): racing processes, a newer or empty or truncated database, a
read-only store, a full disk. Each case runs the real code in real processes where the fault needs one."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from awsprep.errors import StoreError
from awsprep.store import progress
from awsprep.store.db import DamagedStore, connect, db_path, write
from awsprep.store.migrations import MIGRATIONS
from conftest import ROOT, Result

RACER = """
import sys, time
from pathlib import Path
from awsprep.store import progress
from awsprep.store.db import connect
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.0005)
conn = connect()
attempt = progress.start_attempt(conn, "quiz", ["q"], 0)
progress.record_answer(conn, progress.AnswerRecord(attempt, "q", "ec2.elastic-ip", "A", True, 0))
print("saved", flush=True)
"""


@pytest.mark.parametrize("trial", range(3))
def test_four_processes_on_a_fresh_data_dir_all_save(tmp_path: Path, trial: int) -> None:
    home, go = tmp_path / f"fresh-{trial}", tmp_path / f"go-{trial}"
    env = {**os.environ, "AWSPREP_HOME": str(home)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    import time

    time.sleep(1.0)  # let all four import and wait at the line, then start them together
    go.touch()
    outcomes = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e.decode()[-300:] for _, e in outcomes]
    conn = sqlite3.connect(home / "progress.sqlite3")
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 4
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert not [p.name for p in home.iterdir() if p.name.endswith(".new")]  # no temporary database left


def test_a_newer_database_in_rollback_mode_is_refused_byte_for_byte_untouched(home: Path) -> None:
    home.mkdir(parents=True)
    raw = sqlite3.connect(db_path())
    raw.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    raw.commit()
    raw.close()
    before = db_path().read_bytes()
    with pytest.raises(StoreError, match="written by a newer awsprep"):
        connect()
    assert db_path().read_bytes() == before  # not even switched to WAL (header bytes 18-19)
    assert sorted(p.name for p in home.iterdir()) == ["progress.sqlite3"]


def test_an_empty_progress_file_is_reported_damaged_and_kept(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    db_path().write_bytes(b"")
    result = cli("quiz", "--count", "1", "--seed", "1", "--answers", "A")
    assert result.exit_code == 1, result.stderr
    assert "damaged" in result.stderr and "empty" in result.stderr and "internal error" not in result.stderr
    assert db_path().read_bytes() == b""


def test_a_schema_that_lost_a_table_is_reported_damaged(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    connect().close()
    raw = sqlite3.connect(db_path())
    raw.execute("DROP TABLE reviews")
    raw.commit()
    raw.close()
    result = cli("cards", "stats", "--json")
    assert result.exit_code == 1, result.stderr
    assert "damaged" in result.stderr and "missing table reviews" in result.stderr
    assert "internal error" not in result.stderr


def test_another_programs_database_is_not_taken_over(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True)
    raw = sqlite3.connect(db_path())
    raw.execute("CREATE TABLE moz_places (id INTEGER)")
    raw.commit()
    raw.close()
    before = db_path().read_bytes()
    result = cli("data", "export")
    assert result.exit_code == 1 and "not an awsprep progress database" in result.stderr
    assert db_path().read_bytes() == before


def test_busy_timeout_is_what_a_locked_database_waits(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's own connection waits BUSY_TIMEOUT_MS for a lock, then gives one clear line (issue 15 §4: the
    old test opened a connection of its own, so it could not see the setting)."""
    connect().close()
    monkeypatch.setattr("awsprep.store.db.BUSY_TIMEOUT_MS", 1234)
    conn = connect()
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 1234
    holder = sqlite3.connect(db_path(), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setattr("awsprep.store.db.BUSY_TIMEOUT_MS", 50)
        quick = connect()
        with pytest.raises(StoreError, match="locked by another awsprep"), write(quick):
            pass
        with pytest.raises(StoreError, match="locked by another awsprep"):
            progress.set_setting(quick, "x", "1")  # a plain statement too, not only BEGIN
    finally:
        holder.execute("ROLLBACK")
    progress.set_setting(quick, "x", "1")  # released: the same connection writes


# --- a full disk ------------------------------------------------------------------------------------------


def test_an_answer_and_its_review_are_one_transaction(home: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    seed = _seed_of_single_answers(cli, monkeypatch, home.parent / "scratch", 2)
    monkeypatch.setattr("awsprep.store.cards._store_state", full)
    result = cli("quiz", "--count", "2", "--seed", str(seed), "--answers", "A,B")
    conn = connect()
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0  # no answer without its review
    rows = conn.execute("SELECT status, total FROM attempts").fetchall()
    assert [tuple(r) for r in rows] in ([], [("submitted", 0)])
    assert result.exit_code == 1 and "is the disk full?" in result.stderr and "internal error" not in result.stderr


def _run_limited(home: Path, limit: int, *args: str) -> Result:
    """`awsprep ARGS` with files capped at `limit` bytes (RLIMIT_FSIZE, as `ulimit -f` does): a disk that fills."""

    def cap() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        [sys.executable, "-m", "awsprep", *args],
        env={**os.environ, "AWSPREP_HOME": str(home)},
        preexec_fn=cap,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def _seed_of_single_answers(cli, monkeypatch: pytest.MonkeyPatch, scratch: Path, count: int) -> int:  # type: ignore[no-untyped-def]
    """A seed whose first `count` questions each take one letter, found in a scratch data dir (the content
    changes; the test must not depend on which questions a seed draws)."""
    with monkeypatch.context() as patch:
        patch.setenv("AWSPREP_HOME", str(scratch))
        for seed in range(1, 200):
            if (
                cli("quiz", "--count", str(count), "--seed", str(seed), "--answers", ",".join("A" * count)).exit_code
                == 0
            ):
                return seed
    raise AssertionError("no seed draws single-answer questions")


@pytest.mark.parametrize("limit", [45_000, 56_000, 70_000])
def test_a_disk_filling_mid_quiz_leaves_no_half_written_answer(  # type: ignore[no-untyped-def]
    home: Path, tmp_path: Path, limit: int, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = _seed_of_single_answers(cli, monkeypatch, tmp_path / "scratch", 3)
    warm = _run_limited(home, 1 << 30, "quiz", "--count", "1", "--seed", "1", "--answers", "A")
    assert warm.exit_code in (0, 2), warm.stderr  # only to create the store and the catalog cache
    result = _run_limited(home, limit, "quiz", "--count", "3", "--seed", str(seed), "--answers", "A,A,A")
    conn = sqlite3.connect(db_path())
    answers = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert answers == conn.execute("SELECT count(*) FROM reviews WHERE source = 'quiz'").fetchone()[0]
    torn = conn.execute(
        "SELECT id FROM attempts WHERE status = 'submitted' "
        "AND total != (SELECT count(*) FROM answers WHERE attempt_id = attempts.id)"
    ).fetchall()
    assert torn == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr and "is the disk full?" in result.stderr


def test_a_failed_backup_leaves_no_file_that_looks_like_one(home: Path) -> None:
    conn = connect()
    for i in range(300):
        progress.set_setting(conn, f"k{i}", "x" * 500)
    conn.close()
    target = home / "mine.sqlite3"
    result = _run_limited(home, 60_000, "data", "backup", str(target))
    assert not target.exists()
    assert not [p.name for p in home.iterdir() if p.name.endswith(".tmp")]
    assert result.exit_code == 1, result.stderr
    assert "could not write the backup" in result.stderr and "internal error" not in result.stderr


# --- a read-only store ------------------------------------------------------------------------------------


DROP = "dac_override,dac_read_search,fowner"


@pytest.fixture
def readonly_store(home: Path) -> Iterator[tuple[Path, Callable[..., Result], str]]:
    """A store its user may read but not write (file 0444, folders 0555), and a way to run awsprep as that user.
    Root may write anything: as root the commands run without the capabilities that override file modes.
    The third item is a quiz seed that draws a one-answer question (so `--answers A` is a valid answer)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        import shutil

        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: file modes cannot be enforced")
        prefix = ["setpriv", f"--bounding-set=-{DROP.replace(',', ',-')}", f"--inh-caps=-{DROP.replace(',', ',-')}"]
    env = {**os.environ, "AWSPREP_HOME": str(home)}
    for seed in range(1, 200):  # a seed that draws a one-answer question: the content changes, the test must not
        quiz = [sys.executable, "-m", "awsprep", "quiz", "--count", "1", "--seed", str(seed), "--answers", "A"]
        if subprocess.run(quiz, env=env, check=False, capture_output=True, cwd=ROOT).returncode == 0:
            quiz_seed = str(seed)
            break
    else:
        raise AssertionError("no seed draws a one-answer question")
    # A seed tried first may have created the store, and a later run then made the day's backup folder.
    folders = [d for d in (home, home / "cache", home / "backups") if d.exists()]
    for p in (home / "progress.sqlite3", *home.glob("cache/*"), *home.glob("backups/*")):
        p.chmod(0o444)
    for d in folders:
        d.chmod(0o555)

    def run(*args: str) -> Result:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "awsprep", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    try:
        yield home, run, quiz_seed
    finally:
        for d in folders:
            d.chmod(0o755)


def test_reading_commands_work_on_a_read_only_store(readonly_store: tuple[Path, Callable[..., Result], str]) -> None:
    home, run, _seed = readonly_store
    before = (home / "progress.sqlite3").read_bytes()
    export = run("data", "export")
    assert export.exit_code == 0, export.stderr
    assert '"answers"' in export.stdout and '"chosen": "A"' in export.stdout
    history = run("quiz", "history", "--json")
    assert history.exit_code == 0, history.stderr
    lesson = run("study", "ec2.elastic-ip", "--plain")
    assert lesson.exit_code == 0, lesson.stderr
    assert "Elastic IP" in lesson.stdout and "not marked as read" in lesson.stderr
    assert (home / "progress.sqlite3").read_bytes() == before


def test_writing_commands_on_a_read_only_store_get_one_line(
    readonly_store: tuple[Path, Callable[..., Result], str],
) -> None:
    _home, run, seed = readonly_store
    for args in (("quiz", "--count", "1", "--seed", seed, "--answers", "A"), ("config", "set", "new-per-day", "5")):
        result = run(*args)
        assert result.exit_code == 1, (args, result.stderr)
        assert "read-only" in result.stderr and "internal error" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) <= 2
    backup = run("data", "backup")  # the default place is the read-only data folder
    assert backup.exit_code == 1 and "could not write the backup" in backup.stderr, backup.stderr
    assert "data backup FILE" in backup.stderr


def test_an_existing_damaged_store_is_damaged_not_internal(home: Path) -> None:
    home.mkdir(parents=True)
    db_path().write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(DamagedStore):
        connect()


def test_a_question_answered_meanwhile_elsewhere_is_read_again_and_applied(  # type: ignore[no-untyped-def]
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    from awsprep.store.cards import StaleCard
    from awsprep.study import quiz_session

    seed = _seed_of_single_answers(cli, monkeypatch, tmp_path / "scratch", 1)
    real = quiz_session.record_review
    calls: list[int] = []

    def stale_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise StaleCard("answered in another terminal")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quiz_session, "record_review", stale_once)
    result = cli("quiz", "--count", "1", "--seed", str(seed), "--answers", "A")
    assert result.exit_code == 0, result.stderr
    conn = connect()
    assert conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM reviews WHERE source = 'quiz'").fetchone()[0] == 1
    assert [tuple(r) for r in conn.execute("SELECT status, total FROM attempts")] == [("submitted", 1)]


def test_ctrl_c_inside_a_write_keeps_what_was_written_and_is_raised_after_commit(home: Path) -> None:
    conn = connect()
    conn.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(KeyboardInterrupt), write(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        os.kill(os.getpid(), signal.SIGINT)  # the learner presses Ctrl-C while their answer is being saved
        conn.execute("INSERT INTO t VALUES (2)")
    assert [tuple(r) for r in conn.execute("SELECT x FROM t ORDER BY x")] == [(1,), (2,)]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is put back


def test_an_error_inside_a_write_still_rolls_back_with_ctrl_c_held(home: Path) -> None:
    conn = connect()
    conn.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(ZeroDivisionError), write(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        os.kill(os.getpid(), signal.SIGINT)
        1 / 0  # noqa: B018
    assert tuple(conn.execute("SELECT count(*) FROM t").fetchone()) == (0,)
