"""The learner's flows in the terminals learners have: 80 columns by 24 rows, with colour (TERM=xterm-256color,
NO_COLOR unset, FORCE_COLOR=1) and without. Each case checks what is on the screen: the lesson, question, card,
command output or lab step the store says was shown, no line wider than the terminal, colour only when asked."""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from pathlib import Path

import pexpect
import pytest
from wcwidth import wcswidth

from awsprep.content.cards import cards_of_deck
from awsprep.content.catalog import Catalog, load_catalog
from conftest import spawn_awsprep

pytestmark = pytest.mark.pty

COLS = 80
TERMINALS = [pytest.param(True, id="colour-80x24"), pytest.param(False, id="plain-80x24")]
CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x08")
STYLE = re.compile(r"\x1b\[(?:0;)?[1-9][\d;]*m")
MOVES = re.compile(r"\x1b\[[\d;]*[ABCDEFGHJKf]")  # cursor moves and erases: a redraw starts a new run
COLOUR = re.compile(r"\x1b\[(?:[\d;]*;)?(?:3[0-7]|9[0-7]|38;5;\d+|38;2;\d+;\d+;\d+)(?:;[\d;]*)?m")
NOW = "2026-03-02T09:00:00+00:00"


@cache
def _catalog() -> Catalog:
    return load_catalog(use_cache=False)


def spawn(home: Path, colour: bool, *args: str) -> pexpect.spawn:
    return spawn_awsprep(home, *args, dimensions=(24, COLS), colour=colour, timeout=60, env={"AWSPREP_NOW": NOW})


BOX = re.compile(r"[│┃╭╮╰╯─━┏┓┗┛┡┩╇┳┻┼├┤┬┴╋]")


def words(text: str) -> str:
    """The words of a text, whatever the wrapping, table cells and panel borders around them."""
    return " ".join(BOX.sub(" ", text).split())


class Screen:
    """Everything the child wrote, and checks on it."""

    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.raw = ""

    def expect(self, pattern: str) -> None:
        self.child.expect(pattern)
        self.raw += str(self.child.before) + str(self.child.after)

    def end(self) -> int:
        self.child.expect(pexpect.EOF)
        self.raw += str(self.child.before)
        self.child.close()
        return int(self.child.exitstatus or 0)

    @property
    def text(self) -> str:
        return CONTROL.sub("", self.raw).replace("\r", "")

    def shows(self, *contents: str) -> None:
        shown = words(self.text)
        for content in contents:
            assert words(content) in shown, (content, shown[-2000:])

    def fits(self) -> None:
        """Nothing was laid out for a wider terminal: no panel, table or padded (wrapped) line over 80 columns.

        Each run of text written between cursor moves is measured on its own (prompt_toolkit redraws a line in
        place). A long plain line, such as an AWS CLI error, is the terminal's to wrap and is not counted.
        """
        runs = CONTROL.sub("", MOVES.sub("\r", self.raw)).replace("\n", "\r").split("\r")
        wide = [run for run in runs if wcswidth(run) > COLS and (BOX.search(run) or run.endswith(" "))]
        assert not wide, [repr(run) for run in wide]

    def coloured(self, colour: bool) -> None:
        """Styled (colour, bold, dim) in a colour terminal; no colour at all under NO_COLOR."""
        if colour:
            assert STYLE.search(self.raw), self.raw[-1500:]
        else:
            assert not COLOUR.search(self.raw), COLOUR.findall(self.raw)


@pytest.mark.parametrize("colour", TERMINALS)
def test_study_a_lesson(home: Path, colour: bool) -> None:
    lesson = _catalog().lesson_by_topic["ec2.elastic-ip"]
    screen = Screen(spawn(home, colour, "study", "ec2.elastic-ip"))
    screen.expect("Three quick checkpoint questions")
    screen.child.send("n\r")
    screen.expect("Mark ec2.elastic-ip as read?")  # a lesson is read when the learner says so (issue 16 §2)
    screen.child.send("y\r")
    assert screen.end() == 0
    fact = " ".join(lesson.key_facts[0].fact.split()[:3])  # a table cell: its first line
    screen.shows(lesson.title, lesson.summary.split(". ")[0], lesson.sections[0].heading, "Key facts", fact)
    screen.fits()
    screen.coloured(colour)


@pytest.mark.parametrize("colour", TERMINALS)
def test_a_quiz_question_and_its_feedback(home: Path, colour: bool) -> None:
    screen = Screen(spawn(home, colour, "quiz", "--topic", "ec2.elastic-ip", "--count", "1", "--seed", "5"))
    screen.expect("answer›")
    screen.child.send("c\r")
    screen.expect(r"you chose C")
    screen.expect(r"Score: [01]/1")
    assert screen.end() == 0
    (qid, chosen), *_ = sqlite3.connect(home / "progress.sqlite3").execute("SELECT question_id, chosen FROM answers")
    _, question = _catalog().question_by_id[qid]
    assert chosen == "C"
    screen.shows("Question 1 of 1", question.stem, *(o.text[:30] for o in question.options))
    screen.shows(question.options[2].explanation[:40])  # the feedback explains the chosen option
    if colour:  # the verdict in green (right) or red (wrong)
        assert re.search(r"\x1b\[1;3[12]m(Correct|Incorrect)", screen.raw), screen.raw[-800:]
    screen.fits()
    screen.coloured(colour)


@pytest.mark.parametrize("colour", TERMINALS)
def test_a_card_review(home: Path, colour: bool) -> None:
    screen = Screen(spawn(home, colour, "cards", "review", "--topic", "ec2.elastic-ip"))
    screen.expect("show answer")
    screen.child.send(" ")
    screen.expect("Again")
    screen.child.send("3")
    screen.expect("show answer")
    screen.child.sendcontrol("c")
    screen.expect("Interrupted: 1 answer")
    assert screen.end() == 130
    (card_id,) = sqlite3.connect(home / "progress.sqlite3").execute("SELECT card_id FROM reviews").fetchone()
    cards = {c.id: c for d in _catalog().decks for c in cards_of_deck(d)}
    card = cards[card_id]
    screen.shows(card.front.split("\n")[0][:40], card.back.split("\n")[0][:40])
    screen.fits()
    screen.coloured(colour)


@pytest.mark.parametrize("colour", TERMINALS)
def test_a_sandbox_session(home: Path, tmp_path: Path, colour: bool) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    prompt = r"learner@laptop:~/sandbox\$"
    screen = Screen(spawn(home, colour, "sandbox", "--seed", "4", "--scratch", str(scratch)))
    screen.expect(prompt)
    screen.child.sendline(
        "aws ec2 describe-instance-types --instance-types t3.micro --query 'InstanceTypes[0].VCpuInfo'"
    )
    screen.expect('"DefaultVCpus": 2')
    screen.expect(prompt)
    screen.child.sendline("aws ec2 run-instances --image-id ami-nope --instance-type t3.micro")
    screen.expect("InvalidAMIID.Malformed")
    screen.expect(prompt)
    screen.child.sendline("exit")
    assert screen.end() == 0
    screen.shows('"DefaultVCpus": 2', "An error occurred (InvalidAMIID.Malformed) when calling the RunInstances")
    assert "Traceback" not in screen.text
    screen.fits()
    assert not COLOUR.search(screen.raw)  # a shell: plain output in any terminal, as the real AWS CLI's


@pytest.mark.parametrize("colour", TERMINALS)
def test_a_lab_step_and_a_hint(home: Path, colour: bool) -> None:
    lab = next(lab for lab in _catalog().labs if lab.id == "ec2-elastic-ip")
    step = lab.steps[0]
    screen = Screen(spawn(home, colour, "lab", "ec2-elastic-ip"))
    screen.expect(f"Step 1 of {len(lab.steps)}: {step.title}")
    screen.expect(r"learner@laptop:~/sandbox\$")
    screen.child.sendline("hint")
    screen.expect(f"Hint 1 of {len(step.hints)}")
    screen.expect(r"learner@laptop:~/sandbox\$")
    screen.child.sendline("quit")
    screen.expect("Saved at step 1")
    assert screen.end() == 0
    screen.shows(lab.title, step.instruction.split(". ")[0], step.hints[0][:40])
    screen.fits()
    assert not COLOUR.search(screen.raw)  # the lab is a shell session: plain text in any terminal


@pytest.mark.parametrize("colour", TERMINALS)
def test_an_exam_start_screen_questions_review_and_result(home: Path, colour: bool) -> None:
    screen = Screen(spawn(home, colour, "exam", "--count", "2", "--seed", "3"))
    screen.expect("Press Enter to start the clock")
    screen.expect("answer›")
    screen.child.send("\r")
    for number in (1, 2):
        screen.expect(f"Question {number} of 2")
        screen.expect(r"(?<!\()Choose (one|two|three)\.")
        letters = {"one": "a", "two": "ab", "three": "abc"}[screen.child.match.group(1)]
        screen.expect("answer›")
        if number == 1:  # a refused entry first: said why, then cleared
            screen.child.send("zz\r")
            screen.expect("Z is not an option here")
        screen.child.send(letters + "\r")
    screen.expect(r"Answered \(2\): 1 2")
    screen.expect("answer›")
    screen.child.send("s\r")
    screen.expect(r"Score \d+ of 1000: (PASS|FAIL)")
    assert screen.end() == 0
    conn = sqlite3.connect(home / "progress.sqlite3")
    rows = conn.execute("SELECT question_id, chosen FROM answers ORDER BY id").fetchall()
    assert [len(chosen) for _, chosen in rows] == [len(_catalog().question_by_id[q][1].correct) for q, _ in rows]
    screen.shows("Mock exam: 2 questions, 4:00 on the clock.", "Z is not an option here")
    for qid, _ in rows:
        question = _catalog().question_by_id[qid][1]
        screen.shows(question.stem, *(o.text[:30] for o in question.options))
    screen.fits()
    screen.coloured(colour)
