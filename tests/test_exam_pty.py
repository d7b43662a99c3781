"""The mock exam and a confidence quiz end to end in a real pseudo-terminal, including resume after kill -9."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pexpect
import pytest

from conftest import spawn_awsprep

pytestmark = pytest.mark.pty
LETTERS = {"one": "a", "two": "ab", "three": "abc"}


def spawn(home: Path, *args: str) -> pexpect.spawn:
    return spawn_awsprep(home, *args)


def answer(child: pexpect.spawn, number: int, total: int) -> None:
    child.expect(f"Question {number} of {total}")
    child.expect(r"Choose (one|two|three)\.")
    child.sendline(LETTERS[child.match.group(1)])


def db(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "progress.sqlite3")


def test_a_short_exam_answer_flag_review_submit(home: Path) -> None:
    child = spawn(home, "exam", "--count", "5", "--seed", "3")
    child.expect(r"\[10:00 left  ·  0/5 answered  ·  0 flagged\]")  # the real pace: 2 minutes a question
    answer(child, 1, 5)
    child.expect("Question 2 of 5")
    child.expect("Choose")
    child.sendline("f")  # flag question 2, stay on it
    child.expect("1 flagged\\]  ⚑ flagged")
    child.expect("Question 2 of 5")
    child.sendline("")  # skip it
    answer(child, 3, 5)
    child.expect("Question 4 of 5")
    child.sendline("r")
    child.expect("Review")
    child.expect(r"Answered \(2\): 1 3")
    child.expect(r"Unanswered \(3\): 2 4 5")
    child.expect(r"Flagged for review \(1\): 2")
    child.expect("Submit\\?")
    child.sendline("2")  # back to the flagged one
    answer(child, 2, 5)
    child.expect("Question 3 of 5")
    child.sendline("r")
    child.expect(r"Answered \(3\): 1 2 3")
    child.sendline("s")
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
    answer(child, 1, 4)
    child.expect("Question 2 of 4")
    child.expect("Choose")
    child.sendline("f")
    child.expect("⚑ flagged")
    child.expect("Choose")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    row = db(home).execute("SELECT status, elapsed_s, time_limit_s, state FROM attempts").fetchone()
    assert row[0] == "open" and row[2] == 480 and 0 <= row[1] < 480  # 4 questions at 2 minutes each
    state = json.loads(row[3])
    assert state["current"] == 1 and state["flags"] == [1] and list(state["answers"]) == ["0"]

    child = spawn(home, "exam", "--resume")
    child.expect(r"Resuming exam #1: 4 questions, [78]:\d\d left\.")
    child.expect(r"1/4 answered  ·  1 flagged\]  ⚑ flagged")
    child.expect("Question 2 of 4")
    child.sendline("r")
    child.expect(r"Answered \(1\): 1")
    child.expect(r"Flagged for review \(1\): 2")
    child.sendline("s")
    child.expect("1 answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db(home).execute("SELECT status FROM attempts").fetchall() == [("submitted",)]


def test_time_runs_out_on_a_resumed_exam_and_it_submits(home: Path) -> None:
    child = spawn(home, "exam", "--count", "3", "--seed", "1")
    answer(child, 1, 3)
    child.expect("Question 2 of 3")
    child.sendcontrol("c")
    child.expect(r"Exam paused with [56]:\d\d left; `awsprep exam --resume` continues it\.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    conn = db(home)
    conn.execute("UPDATE attempts SET elapsed_s = time_limit_s - 1.5")  # as if the learner had 1.5 s left
    conn.commit()

    child = spawn(home, "exam")  # a new exam finds the unfinished one and offers it
    child.expect(r"An unfinished exam \(#1\) has 0:0[12] left\. Resume it\?")
    child.sendline("y")
    child.expect("Question 2 of 3")
    child.expect("Time is up: the exam is submitted as it stands.")
    child.expect(r"1 answered, time 6:00 of 6:00  \(time ran out\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert db(home).execute("SELECT status, total FROM attempts").fetchall() == [("submitted", 3)]


def test_a_quiz_with_confidence_ends_with_calibration(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "2", "--seed", "5", "--confidence")
    for n in (1, 2):
        child.expect(f"Question {n} of 2")
        child.expect(r"Choose (one|two|three)\.")
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
    answer(child, 1, 3)
    child.expect("Question 2 of 3")
    child.expect("Choose")
    os.kill(child.pid, signal.SIGHUP)  # what the terminal sends when its window closes
    child.expect(pexpect.EOF)
    child.close()
    status, state = db(home).execute("SELECT status, state FROM attempts").fetchone()
    assert status == "open"
    assert json.loads(state)["current"] == 1 and list(json.loads(state)["answers"]) == ["0"]


def test_a_typo_mid_exam_asks_again(home: Path) -> None:
    child = spawn(home, "exam", "--count", "2", "--seed", "4")
    child.expect("Question 1 of 2")
    child.expect(r"Choose (one|two|three)\.")
    child.sendline("zz")
    child.expect("use letters A-[D-F], or:")  # the prompt refuses it and stays on the question
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert db(home).execute("SELECT status FROM attempts").fetchall() == [("open",)]
