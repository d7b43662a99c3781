"""`awsprep cards …` and `awsprep config` as a learner and a script meet them: bad input, a locked database, no
terminal, two reviewers at once, and a real pseudo-terminal session with undo and Ctrl-C."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

NOW = "2026-03-02T09:00:00+00:00"


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWSPREP_NOW", NOW)


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) <= 2 and "Traceback" not in stderr, stderr  # the error, and at most one hint
    return lines[0]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["cards", "review", "--ratings", "3,5"], 2, "--ratings takes numbers 1-4"),
        (["cards", "review", "--ratings", "0"], 2, "--ratings takes numbers 1-4"),
        (["cards", "review", "--topic", "lambda.layer", "--ratings", "3"], 2, "unknown topic 'lambda.layer'"),
        (["cards", "cram", "--ratings", "3"], 2, "cram needs --topic or --area"),
        (["cards", "cram", "--topic", "ec2.elastic-ip"], 2, "cramming needs a terminal; without one, use --ratings"),
        (["cards", "browse", "--suspend", "no-such-card"], 2, "unknown card id 'no-such-card'"),
        (["config", "set", "desired-retention", "0.99"], 2, "desired-retention: 0.99 is outside 0.7–0.97"),
        (["config", "set", "exam-date", "15/09/2026"], 2, "is not a date in the form YYYY-MM-DD"),
        (["config", "set", "exam-dat", "2026-09-15"], 2, "unknown setting 'exam-dat'"),
    ],
)
def test_bad_input_is_one_clear_line_and_the_right_exit_code(cli, args: list[str], code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.exit_code == code
    assert message in _one_line(result.stderr)
    assert result.stdout == ""


def test_config_set_show_unset(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "exam-date", "2026-04-20").exit_code == 0
    assert cli("config", "set", "desired-retention", "0.85").exit_code == 0
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["exam-date"] == "2026-04-20" and shown["desired-retention"] == "0.85"
    assert "exam-date" in cli("config").stdout
    assert cli("config", "unset", "exam-date").exit_code == 0
    assert json.loads(cli("config", "show", "--json").stdout)["exam-date"] == "not set"
    past = cli("config", "set", "exam-date", "2025-01-01")
    assert past.exit_code == 0 and "has passed" in past.stderr


def test_a_locked_database_is_one_line_and_exit_1(cli, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("cards", "review", "--topic", "ec2.elastic-ip", "--ratings", "3").exit_code == 0
    monkeypatch.setattr("awsprep.store.db.BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(home / "progress.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another terminal in the middle of writing
    try:
        result = cli("cards", "review", "--topic", "ec2.elastic-ip", "--ratings", "3")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1
    assert "locked by another awsprep" in _one_line(result.stderr)
    assert cli("cards", "stats", "--json").exit_code == 0


def test_browse_filters_and_suspends_by_flag(cli) -> None:  # type: ignore[no-untyped-def]
    found = json.loads(cli("cards", "browse", "--search", "ELASTIC IP", "--json").stdout)
    assert found and any("elastic ip" in r["front"].lower() for r in found)  # case-insensitive; backs count too
    assert json.loads(cli("cards", "browse", "--search", "zzz-nothing-like-this", "--json").stdout) == []
    card = found[0]["card_id"]
    assert cli("cards", "browse", "--suspend", card).exit_code == 0
    assert [r["card_id"] for r in json.loads(cli("cards", "browse", "--suspended", "--json").stdout)] == [card]
    assert cli("cards", "browse", "--unsuspend", card).exit_code == 0
    assert json.loads(cli("cards", "browse", "--suspended", "--json").stdout) == []
    assert json.loads(cli("cards", "browse", "--leeches", "--json").stdout) == []


def test_cram_logs_answers_without_touching_the_schedule(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("cards", "cram", "--topic", "ec2.elastic-ip", "--ratings", "1,3,3", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["left"] >= 1  # the card answered Again comes back
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT count(*) FROM reviews WHERE source = 'cram'").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM cards WHERE state != 0 OR version != 0").fetchone()[0] == 0


# Two processes review the same 20 cards at the same time: each answer either lands (once) or is refused as
# stale. Afterwards every card's state agrees with its log: nothing lost, nothing doubled.
RACER = """
import sys
from datetime import UTC, datetime, timedelta
from awsprep.content.cards import CardSpec
from awsprep.store import cards as card_store
from awsprep.store.db import connect
from awsprep.study.review import ReviewSession, build_queue, sync_cards
from awsprep.study.cards_config import CardsConfig
from awsprep.study.scheduler import Rating, Scheduler
conn = connect()
specs = [CardSpec(f"c{i:02d}", f"c{i:02d}", "t.x", "f", "b", "s") for i in range(20)]
sync_cards(conn, specs)
now = datetime(2026, 3, 2, 9, tzinfo=UTC)
session = ReviewSession(conn, Scheduler(), build_queue(conn, specs, now, 0, config=CardsConfig(new_per_day=20)), 0)
ok = stale = 0
while session.current() is not None and ok + stale < 60:
    now += timedelta(minutes=11)  # past the learning step: cards come back and are answered again
    try:
        session.answer(Rating.GOOD, now)
        ok += 1
    except card_store.StaleCard:
        stale += 1
print(ok, stale)
"""


def test_two_reviewers_at_once_lose_nothing_and_double_nothing(home: Path) -> None:
    env = {**os.environ, "AWSPREP_HOME": str(home)}
    subprocess.run([sys.executable, "-c", "from awsprep.store.db import connect; connect()"], env=env, check=True)
    procs = [
        subprocess.Popen([sys.executable, "-c", RACER], env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    answered = sum(int(ok) for ok, _stale in outputs)
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == answered
    for card_id, reps, version in db.execute("SELECT card_id, reps, version FROM cards"):
        logged = db.execute("SELECT count(*) FROM reviews WHERE card_id = ?", (card_id,)).fetchone()[0]
        assert reps == logged == version, card_id
        steps = db.execute("SELECT before, after FROM reviews WHERE card_id = ? ORDER BY id", (card_id,))
        chain = [(json.loads(b)["reps"], json.loads(a)["reps"]) for b, a in steps]
        assert chain == [(i, i + 1) for i in range(len(chain))]  # each answer built on the one before


@pytest.mark.pty
def test_review_in_a_pseudo_terminal_undo_and_ctrl_c(home: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k != "AWSPREP_NO_TTY"}
    env |= {"AWSPREP_HOME": str(home), "AWSPREP_NOW": NOW, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "awsprep", "cards", "review", "--topic", "ec2.elastic-ip"],
        env=env,
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    for _ in range(3):  # three cards: reveal, then Good
        child.expect("show answer")
        child.send(" ")
        child.expect("Again")
        child.send("3")
    child.expect("show answer")
    child.send("u")  # take back the third answer
    child.expect("undone")
    child.expect("show answer")
    child.sendcontrol("c")
    child.expect("Interrupted: 2 answer")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    db = sqlite3.connect(home / "progress.sqlite3")
    log = db.execute("SELECT card_id, rating, undone FROM reviews ORDER BY id").fetchall()
    assert [(rating, undone) for _card, rating, undone in log] == [(3, 0), (3, 0), (3, 1)]
    third = log[2][0]
    assert db.execute("SELECT state, reps FROM cards WHERE card_id = ?", (third,)).fetchone() == (0, 0)
    for card_id, _rating, _undone in log[:2]:
        assert db.execute("SELECT reps FROM cards WHERE card_id = ?", (card_id,)).fetchone()[0] == 1


def test_ratings_that_meet_a_card_answered_elsewhere_report_what_was_saved(  # type: ignore[no-untyped-def]
    cli, home, monkeypatch
) -> None:
    """Another terminal answers the second card between this command's read and its write (issue 15 §2)."""
    import json
    import sqlite3

    from awsprep.study import review

    real = review.answer
    calls: list[int] = []

    def racing(conn, scheduler, item, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            other = sqlite3.connect(home / "progress.sqlite3")
            other.execute("UPDATE cards SET version = version + 1 WHERE card_id = ?", (item.spec.id,))
            other.commit()
            other.close()
        return real(conn, scheduler, item, *args, **kwargs)

    monkeypatch.setattr(review, "answer", racing)
    result = cli("cards", "review", "--topic", "ec2.elastic-ip", "--ratings", "3,1,4", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # the JSON of what was saved, not nothing
    assert [r["rating"] for r in data["reviewed"]] == [3]
    assert "answered in another terminal meanwhile; 1 of 3 ratings were saved" in data["error"]
    assert result.stderr.startswith("awsprep: ") and "1 of 3 ratings were saved" in result.stderr
    saved = sqlite3.connect(home / "progress.sqlite3").execute("SELECT count(*) FROM reviews").fetchone()[0]
    assert saved == 1
