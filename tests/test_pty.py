"""End to end in a real pseudo-terminal: what a learner sees and types."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
from pathlib import Path

import pexpect
import pytest

from conftest import run_subprocess, spawn_awsprep

pytestmark = pytest.mark.pty


def spawn(home: Path, *args: str) -> pexpect.spawn:
    return spawn_awsprep(home, *args, dimensions=(50, 110))


def answer_one(child: pexpect.spawn) -> None:
    """Answer the question on screen: the first option, or the first N options of a 'Choose N.' question."""
    index = child.expect([r"Choose one\.", r"Choose two\.", r"Choose three\."])
    if index == 0:
        child.send(" ")  # mark the option under the cursor
        child.send("\r")
        return
    for i in range(index + 1):
        if i:
            child.send("\x1b[B")
        child.send(" ")
    child.send("\r")


VERDICT = r"(Correct|Incorrect)  — answer ([A-F]+), you chose ([A-F]+)"


def graded(child: pexpect.spawn) -> bool:
    """The feedback after `answer_one`: it names the first option(s), and its verdict agrees with the key shown."""
    child.expect(VERDICT)
    verdict, key, chosen = child.match.groups()
    assert chosen == "ABC"[: len(chosen)]  # what answer_one marked: the first N options
    assert (verdict == "Correct") == (key == chosen), child.match.group(0)
    return verdict == "Correct"


def correct_in_db(home: Path) -> list[int]:
    return [r[0] for r in sqlite3.connect(home / "progress.sqlite3").execute("SELECT correct FROM answers ORDER BY id")]


def test_quiz_in_a_terminal(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "2", "--seed", "5")
    child.expect("Question 1 of 2")
    answer_one(child)
    right = [graded(child)]
    child.expect("Question 2 of 2")
    answer_one(child)
    right.append(graded(child))
    child.expect(f"Score: {sum(right)}/2")  # the score adds up the verdicts shown
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert correct_in_db(home) == [int(r) for r in right]  # and the store holds what was shown


def test_an_empty_multiple_response_answer_is_refused(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "12", "--seed", "1")
    for _ in range(12):
        child.expect(r"(?<!\()Choose (one|two|three)\.")
        if child.match.group(1) != "one":
            child.send("\r")  # nothing marked: the prompt must stay
            child.expect("Type two letters")
            child.send(" ")
            child.send("\x1b[B")
            child.send(" ")
            child.send("\r")
            child.expect(r"(Correct|Incorrect)  — answer [A-F]+, you chose ([A-F]+)")
            assert child.match.group(2) == "AB"
            child.expect("answer›")  # Ctrl-C at the next question's prompt, not while it is being set up
            child.sendcontrol("c")
            child.expect(pexpect.EOF)
            child.close()
            assert child.exitstatus == 130
            return
        child.send("a\r")
    pytest.fail("no multiple-response question among the first 12")


def test_ctrl_c_and_kill_9_keep_every_answer(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "4", "--seed", "9")
    answer_one(child)
    child.expect("Question 2 of 4")
    answer_one(child)
    child.expect("Question 3 of 4")
    child.expect("answer›")
    child.sendcontrol("c")
    child.expect("Interrupted: 2 answer\\(s\\) saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "4", "--seed", "9")
    answer_one(child)
    child.expect("Question 2 of 4")
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 3
    assert db.execute("SELECT status FROM attempts ORDER BY id").fetchall() == [("abandoned",), ("open",)]
    # the killed quiz's saved answer shows in the history (it showed 0/0 open)
    history = json.loads(run_subprocess("quiz", "history", "--json", env={"AWSPREP_HOME": str(home)}).stdout)
    killed = history["attempts"][1]
    assert (killed["status"], killed["total"]) == ("open", 1)
    assert killed["correct"] == db.execute("SELECT sum(correct) FROM answers WHERE attempt_id = 2").fetchone()[0]


def test_study_picker_lesson_and_checkpoint(home: Path) -> None:
    child = spawn(home, "study")
    child.expect("Which topic?")
    child.send("\r")  # the suggested topic: the first unread one
    child.expect("Key facts")
    child.expect("Three quick checkpoint questions")
    child.send("y")
    child.send("\r")
    right = []
    for n in (1, 2, 3):
        child.expect(f"Question {n} of 3")
        answer_one(child)
        right.append(graded(child))
    child.expect(rf"Checkpoint: {sum(right)}/3\. Lesson marked as read\.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT count(*) FROM lesson_reads").fetchone()[0] == 1
    assert db.execute("SELECT kind FROM attempts").fetchall() == [("checkpoint",)]
    assert correct_in_db(home) == [int(r) for r in right]


# --- the answer recorded is the one the learner gave (issue 15 §2) -------------------------------------------


def chosen_in_db(home: Path) -> list[str]:
    return [r[0] for r in sqlite3.connect(home / "progress.sqlite3").execute("SELECT chosen FROM answers ORDER BY id")]


@pytest.mark.parametrize(
    "keys", ["c\r", "C\r", "\x1b[B\x1b[B\r", "a\x7fc\r"], ids=["typed", "upper", "arrows", "edited"]
)
def test_the_letter_typed_or_marked_is_the_answer_recorded(home: Path, keys: str) -> None:
    child = spawn(home, "quiz", "--count", "1", "--topic", "ec2.elastic-ip", "--seed", "5")
    child.expect(r"Choose one\.")
    child.expect("answer›")
    child.send(keys)
    child.expect(r"you chose ([A-F-]+)")
    assert child.match.group(1) == "C"
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert chosen_in_db(home) == ["C"]


def test_enter_alone_or_a_wrong_count_is_refused_and_cleared(home: Path) -> None:
    child = spawn(home, "quiz", "--count", "1", "--topic", "ec2.elastic-ip", "--seed", "5")
    child.expect("answer›")
    child.send("\r")  # nothing given: nothing recorded (it used to record A)
    child.expect(r"Choose one\. Type one letter \(A-D\)")
    child.send("cd\r")
    child.expect(r"Choose one\. Give one letter, not 2\.")
    child.send("z\r")
    child.expect("Z is not an option here: use A-D")
    child.send("b\r")  # the refused entries were cleared: this is B alone, not "czb"
    child.expect("you chose B")
    child.expect(pexpect.EOF)
    child.close()
    assert chosen_in_db(home) == ["B"]


def test_a_choose_two_question_takes_exactly_two(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "12", "--seed", "1")
    for _ in range(12):
        if child.expect([r"Choose one\.", r"Choose two\."]) == 0:
            child.send("a\r")
            continue
        child.expect("answer›")
        child.send("b\r")
        child.expect(r"Choose two\. Give two letters, not 1\.")
        child.send("abc\r")
        child.expect(r"Give two letters, not 3\.")
        child.send(" \x1b[B\x1b[B \r")  # arrows and space: A and C
        child.expect("you chose AC")
        child.expect("answer›")
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
        child.close()
        assert chosen_in_db(home)[-1] == "AC"
        return
    pytest.fail("no choose-two question among the first 12")


def test_lesson_checkpoints_take_typed_letters(home: Path) -> None:
    child = spawn(home, "study", "ec2.elastic-ip")
    child.expect("Three quick checkpoint questions")
    child.send("y")
    child.send("\r")
    for n in (1, 2, 3):
        child.expect(f"Question {n} of 3")
        index = child.expect([r"Choose one\.", r"Choose two\.", r"Choose three\."])
        child.expect("answer›")
        child.send("abc"[: index + 1] + "\r")
        child.expect(f"you chose {'ABC'[: index + 1]}")
    right = sum(correct_in_db(home))
    child.expect(rf"Checkpoint: {right}/3\.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    chosen = chosen_in_db(home)
    assert len(chosen) == 3 and all(c in ("A", "AB", "ABC") for c in chosen)
