"""The exam's start screen is a plain line read (issue 16: prompt_toolkit loads only once the first question is
painted, see cli/prompts.py `_painted_first`). It must behave as the prompt it replaced: Enter alone starts,
other text is refused, Ctrl-C and Ctrl-D leave with nothing started, and keys typed ahead are kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pexpect
import pytest

from conftest import spawn_awsprep

pytestmark = pytest.mark.pty


def _attempts(home: Path) -> int:
    db = home / "progress.sqlite3"
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM attempts").fetchone()[0])


def test_text_at_the_start_screen_is_refused_then_enter_starts(home: Path) -> None:
    child = spawn_awsprep(home, "exam", "--count", "2", "--seed", "3", dimensions=(24, 80))
    child.expect("Press Enter to start the clock")
    child.expect("answer›")
    child.send("go\r")
    child.expect(r"Press Enter alone to start \(Ctrl-C to leave\)\.")
    child.expect("answer›")
    assert _attempts(home) == 0  # the clock has not started
    child.send("\r")
    child.expect(r"Question 1 of 2")
    child.expect("answer›")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


@pytest.mark.parametrize(("key", "code"), [("c", 130), ("d", 1)])
def test_leaving_at_the_start_screen_starts_nothing(home: Path, key: str, code: int) -> None:
    child = spawn_awsprep(home, "exam", "--count", "2", "--seed", "3")
    child.expect("answer›")
    child.sendcontrol(key)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code
    assert "Traceback" not in (child.before or "")
    assert _attempts(home) == 0


def test_answers_typed_ahead_of_the_first_question_are_kept(home: Path) -> None:
    """Enter and the first answer in one burst: the answer waits in the terminal while the question is painted
    and prompt_toolkit loads, and is then taken as typed (no echo lands in the painted screen)."""
    child = spawn_awsprep(home, "exam", "--count", "2", "--seed", "3")
    child.expect("answer›")
    child.send("\rf\r")  # start, then flag question 1 and stay on it
    child.expect(r"1 flagged\]  ⚑ flagged")
    child.expect("Question 1 of 2")
    child.expect("answer›")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
