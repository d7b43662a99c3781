"""The screens of issue 16 §2 in a real 80×24 pseudo-terminal without colour (NO_COLOR), as a learner sees them."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pexpect
import pytest

from conftest import spawn_awsprep

pytestmark = pytest.mark.pty
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]")


def spawn(home: Path, *args: str, env: dict[str, str] | None = None) -> pexpect.spawn:
    # COLUMNS/LINES as the terminal says: an inherited COLUMNS would override the pty's size
    sized = {"COLUMNS": "80", "LINES": "24", **(env or {})}
    return spawn_awsprep(home, *args, dimensions=(24, 80), env=sized)


def screen_text(child: pexpect.spawn) -> list[str]:
    """What was printed so far, escape codes removed, as lines."""
    return ANSI.sub("", child.before or "").replace("\r", "").split("\n")


def finish(child: pexpect.spawn, code: int = 0) -> None:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, (child.exitstatus, child.signalstatus)


def test_home_screen(home: Path) -> None:
    child = spawn(home)
    child.expect("all commands: awsprep --help")
    lines = screen_text(child)
    assert any(line.startswith("next: awsprep study ") for line in lines)
    assert all(len(line) <= 80 for line in lines)
    finish(child)


def test_topics_ids_whole(home: Path) -> None:
    from awsprep.content.catalog import load_catalog

    child = spawn(home, "topics")
    child.expect(pexpect.EOF)
    words = set(ANSI.sub("", child.before).split())
    assert {t.id for t in load_catalog().topics} <= words
    child.close()
    assert child.exitstatus == 0


def test_help_at_80_columns(home: Path) -> None:
    child = spawn(home, "--help")
    child.expect(pexpect.EOF)
    text = ANSI.sub("", child.before)
    assert "--data-dir DIR" in text and "<str>" not in text
    assert text.index("  study ") < text.index("  validate ")
    child.close()


def test_quiz_options_wrap_under_their_text(home: Path) -> None:
    child = spawn(home, "quiz", "--topic", "ec2.elastic-ip", "--count", "1", "--seed", "3")
    child.expect(r"(?<!\()Choose (one|two|three)\.")
    lines = [line for line in screen_text(child) if line.strip()]
    options = [i for i, line in enumerate(lines) if re.match(r"  [A-F]\. ", line)]
    assert options
    block = lines[options[0] : options[-1] + 1]
    assert all(re.match(r"  [A-F]\. |     \S", line) for line in block), block
    assert any(line.startswith("     ") for line in block), block
    child.sendcontrol("c")
    finish(child, 130)


def test_cards_review_counts_new_learning_review(home: Path) -> None:
    child = spawn(home, "cards", "review", "--topic", "ec2.elastic-ip")
    child.expect(r"(\d+) new · 0 learning · 0 review")
    new = int(child.match.group(1))
    child.send(" ")
    child.expect("1 Again")
    child.send("1")  # Again: the card comes back in this sitting as a learning card
    child.expect(rf"{new - 1} new · 1 learning · 0 review")
    child.send("q")
    finish(child)


def test_lesson_without_colour_headings_and_read_only_when_confirmed(home: Path) -> None:
    child = spawn(home, "study", "ec2.elastic-ip", "--no-checkpoint")
    child.expect("Mark ec2.elastic-ip as read?")
    lines = screen_text(child)
    underlined = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"─"}]
    assert underlined, "no section heading stands out without colour"
    child.send("n")
    child.send("\r")
    finish(child)
    assert _lessons_read(home) == 0


def test_ctrl_c_in_the_lesson_pager_exits_130_cleanly(home: Path, tmp_path: Path) -> None:
    # a pager that, like less, puts the terminal back when interrupted (here: takes a moment, then notes it)
    done = tmp_path / "pager-restored"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"trap 'sleep 0.6; echo yes > {done}; exit 2' INT\ncat > /dev/null\necho PAGER-READY\n"
                     "while :; do sleep 0.05; done\n")  # fmt: skip
    child = spawn(home, "study", "ec2.elastic-ip", env={"PAGER": f"bash {pager}"})
    child.expect("PAGER-READY")
    child.sendcontrol("c")  # through the terminal, so the whole foreground group gets it: the pager and awsprep
    finish(child, 130)
    assert done.exists(), "awsprep did not wait for the pager to restore the terminal"
    assert _lessons_read(home) == 0


def test_cards_browse_at_80_columns(home: Path) -> None:
    child = spawn(home, "cards", "browse", "--topic", "ec2.elastic-ip", "--limit", "3")
    child.expect("Suspend or unsuspend any of these?")
    lines = screen_text(child)
    assert any("ec2-elastic-ip-n01" in line for line in lines)
    assert all(len(line.rstrip()) <= 80 for line in lines)
    child.send("n")
    child.send("\r")
    finish(child)


def test_errata_at_80_columns_keeps_urls_whole(home: Path) -> None:
    child = spawn(home, "study", "--errata")
    child.expect(pexpect.EOF)
    lines = ANSI.sub("", child.before).replace("\r", "").split("\n")
    sources = [line for line in lines if re.match(r"\[\d+\] https://", line)]
    assert sources and all(" " not in line.split(" ", 1)[1] for line in sources)
    assert all(len(line) <= 80 for line in lines if not re.match(r"\[\d+\] https://", line))
    child.close()
    assert child.exitstatus == 0


def test_exam_question_at_80_columns(home: Path) -> None:
    child = spawn(home, "exam", "--count", "3", "--seed", "2")
    index = child.expect([r"(?<!\()Choose (one|two|three)\.", r"Press Enter to start|Start the exam"])
    if index == 1:  # a start screen (issue 15): start the clock
        child.send("\r")
        child.expect(r"(?<!\()Choose (one|two|three)\.")
    lines = [line for line in screen_text(child) if line.strip()]
    options = [i for i, line in enumerate(lines) if re.match(r"  [A-F]\. ", line)]
    assert options
    block = lines[options[0] : options[-1] + 1]
    assert all(re.match(r"  [A-F]\. |     \S", line) for line in block), block
    assert all(len(line) <= 80 for line in lines)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()


def _lessons_read(home: Path) -> int:
    """Lessons marked read; showing a lesson opens no store (issue 15), so a missing store means none."""
    path = home / "progress.sqlite3"
    if not path.exists():
        return 0
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM lesson_reads").fetchone()[0])
    finally:
        db.close()
