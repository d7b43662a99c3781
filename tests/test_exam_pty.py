"""The mock exam and a confidence quiz end to end in a real pseudo-terminal, including resume after kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pexpect
import pytest

from conftest import spawn_awsprep

pytestmark = pytest.mark.pty
LETTERS = {"one": "a", "two": "ab", "three": "abc"}


def spawn(home: Path, *args: str) -> pexpect.spawn:
    return spawn_awsprep(home, *args)


def begin(child: pexpect.spawn) -> None:
    """The start screen: the clock starts when the learner presses Enter."""
    child.expect("Press Enter to start the clock")
    child.expect("answer›")
    child.send("\r")


def enter(child: pexpect.spawn, text: str) -> None:
    child.expect("answer›")
    child.send(text + "\r")


def answer(child: pexpect.spawn, number: int, total: int) -> None:
    child.expect(f"Question {number} of {total}")
    child.expect(r"(?<!\()Choose (one|two|three)\.")
    enter(child, LETTERS[child.match.group(1)])


def db(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "progress.sqlite3")


def test_a_short_exam_answer_flag_review_submit(home: Path) -> None:
    child = spawn(home, "exam", "--count", "5", "--seed", "3")
    child.expect(r"Mock exam: 5 questions, 10:00 on the clock\.")
    begin(child)
    child.expect(r"\[10:00 left  ·  0/5 answered  ·  0 flagged\]")  # the real pace: 2 minutes a question
    answer(child, 1, 5)
    child.expect("Question 2 of 5")
    child.expect("Choose")
    enter(child, "f")  # flag question 2, stay on it
    child.expect("1 flagged\\]  ⚑ flagged")
    child.expect("Question 2 of 5")
    enter(child, "")  # skip it
    answer(child, 3, 5)
    child.expect("Question 4 of 5")
    enter(child, "r")
    child.expect("Review")
    child.expect(r"Answered \(2\): 1 3")
    child.expect(r"Unanswered \(3\): 2 4 5")
    child.expect(r"Flagged for review \(1\): 2")
    child.expect("Submit\\?")
    enter(child, "2")  # back to the flagged one
    answer(child, 2, 5)
    child.expect("Question 3 of 5")
    enter(child, "r")
    child.expect(r"Answered \(3\): 1 2 3")
    enter(child, "s")
    child.expect(r"Score \d+ of 1000: (PASS|FAIL) \(pass mark 720\)")
    child.expect("3 answered")
    child.expect("By domain")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    conn = db(home)
    assert conn.execute("SELECT status, total FROM attempts").fetchall() == [("submitted", 5)]
    assert conn.execute("SELECT count(*), sum(flagged), sum(chosen != '') FROM answers").fetchone() == (5, 1, 3)


def test_kill_9_then_resume_with_the_time_left(home: Path) -> None:
    child = spawn(home, "exam", "--count", "4", "--seed", "5")
    child.expect("Mock exam: 4 questions")
    assert db(home).execute("SELECT count(*) FROM attempts").fetchone() == (0,)  # no clock yet, no attempt
    begin(child)
    started = time.monotonic()
    answer(child, 1, 4)
    child.expect("Question 2 of 4")
    enter(child, "f")
    child.expect("⚑ flagged")
    child.expect("answer›")
    time.sleep(6)  # sitting on question 2, no key pressed: the clock is still saved
    sat = time.monotonic() - started
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    row = db(home).execute("SELECT status, elapsed_s, time_limit_s, state FROM attempts").fetchone()
    assert row[0] == "open" and row[2] == 480  # 4 questions at 2 minutes each
    assert sat - 3.5 <= row[1] <= sat + 0.5, (row[1], sat)  # at most a few seconds lost, never more counted
    state = json.loads(row[3])
    assert state["current"] == 1 and state["flags"] == [1] and list(state["answers"]) == ["0"]

    child = spawn(home, "exam", "--resume")
    child.expect(r"Resuming exam 1: 4 questions, 7:[45]\d left\.")
    child.expect(r"1/4 answered  ·  1 flagged\]  ⚑ flagged")
    child.expect("Question 2 of 4")
    enter(child, "r")
    child.expect(r"Answered \(1\): 1")
    child.expect(r"Flagged for review \(1\): 2")
    enter(child, "s")
    child.expect("1 answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db(home).execute("SELECT status FROM attempts").fetchall() == [("submitted",)]


def _paused_exam(home: Path) -> None:
    """Exam #1 with question 1 answered, paused with Ctrl-C on question 2."""
    child = spawn(home, "exam", "--count", "3", "--seed", "1")
    begin(child)
    answer(child, 1, 3)
    child.expect("Question 2 of 3")
    child.expect("answer›")
    child.sendcontrol("c")
    child.expect(r"Exam paused with [56]:\d\d left; `awsprep exam --resume` continues it\.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_time_runs_out_on_a_resumed_exam_and_it_submits(home: Path) -> None:
    _paused_exam(home)
    conn = db(home)
    conn.execute("UPDATE attempts SET elapsed_s = time_limit_s - 1.5")  # as if the learner had 1.5 s left
    conn.commit()

    child = spawn(home, "exam")  # a new exam finds the unfinished one and offers it
    child.expect(r"An unfinished exam \(exam 1\) has 0:0[12] left\. Resume it\?")
    child.send("y\r")
    child.expect("Question 2 of 3")
    child.expect("Time is up: the exam is submitted as it stands.")
    child.expect(r"1 answered, time 6:00 of 6:00  \(time ran out\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db(home).execute("SELECT status, total FROM attempts").fetchall() == [("submitted", 3)]


def test_no_to_resume_asks_before_discarding_and_keeps_the_answers(home: Path) -> None:
    _paused_exam(home)
    child = spawn(home, "exam", "--count", "3", "--seed", "2")
    child.expect(r"Resume it\?")
    child.send("n")  # one key does nothing yet: the Enter after it belongs to this question, not the next
    child.send("\r")
    child.expect(r"Give exam 1 up for good and start a new one\?")
    child.send("n\r")
    child.expect(r"Exam 1 is kept: `awsprep exam --resume` continues it\.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db(home).execute("SELECT status FROM attempts").fetchall() == [("open",)]

    child = spawn(home, "exam", "--count", "3", "--seed", "2")
    child.expect(r"Resume it\?")
    child.send("n\r")
    child.expect(r"start a new one\?")
    child.send("y\r")
    child.expect(r"Exam 1 abandoned with 1 answered \([01] correct\), kept in `awsprep quiz history`\.")
    begin(child)
    child.expect(r"Question (\d) of 3")
    assert child.match.group(1) == "1"  # the new exam opens on its first question
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    conn = db(home)
    assert conn.execute("SELECT id, status, total FROM attempts ORDER BY id").fetchall() == [
        (1, "abandoned", 1),
        (2, "open", None),
    ]
    assert conn.execute("SELECT count(*) FROM answers WHERE attempt_id = 1 AND chosen != ''").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM reviews WHERE card_id LIKE 'q:%'").fetchone() == (1,)


def test_a_quiz_with_confidence_ends_with_calibration(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "2", "--seed", "5", "--confidence")
    for n in (1, 2):
        child.expect(f"Question {n} of 2")
        child.expect(r"(?<!\()Choose (one|two|three)\.")
        many = child.match.group(1) != "one"
        if many:
            child.send(" ")
            child.send("\x1b[B")
        child.send(" ")
        child.send("\r")
        child.expect("How sure were you\\?")
        child.send("\r")  # sure
    child.expect("Confidence calibration:")
    child.expect(r"sure    \d/2 correct")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db(home).execute("SELECT confidence FROM answers").fetchall() == [("sure",), ("sure",)]


def test_a_closed_terminal_pauses_the_exam(home: Path) -> None:
    child = spawn(home, "exam", "--count", "3", "--seed", "2")
    begin(child)
    answer(child, 1, 3)
    child.expect("Question 2 of 3")
    child.expect("Choose")
    os.kill(child.pid, signal.SIGHUP)  # what the terminal sends when its window closes
    child.expect(pexpect.EOF)
    child.close()
    status, state = db(home).execute("SELECT status, state FROM attempts").fetchone()
    assert status == "open"
    assert json.loads(state)["current"] == 1 and list(json.loads(state)["answers"]) == ["0"]


def test_a_typo_mid_exam_asks_again_and_is_cleared(home: Path) -> None:
    child = spawn(home, "exam", "--count", "2", "--seed", "4")
    begin(child)
    child.expect("Question 1 of 2")
    child.expect(r"(?<!\()Choose (one|two|three)\.")
    need = child.match.group(1)
    enter(child, "zz")
    child.expect("Z is not an option here: use A-[D-F]\\. Or:")  # refused; it stays on the question
    child.send(LETTERS[need] + "\r")  # the refused entry was cleared: this is the whole answer
    child.expect("Question 2 of 2")
    child.expect("answer›")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    status, state = db(home).execute("SELECT status, state FROM attempts").fetchone()
    assert status == "open" and json.loads(state)["answers"] == {"0": LETTERS[need].upper()}
