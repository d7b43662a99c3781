"""Every console example in README.md runs as written, and prints what the README shows where it shows output.

A block of `awsprep …` lines runs line by line through bash (redirections included) in a fresh folder under a temp
AWSPREP_HOME; the sandbox tour (the block of `aws`/shell lines) runs through `awsprep sandbox --script`. A `…` line
in the README stands for any number of lines; `> ` lines continue the command above (a here-document).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
ELLIPSIS = "…"
# Commands that open a full-screen prompt or pager: they need a terminal (tests/test_pty*.py drive them there).
INTERACTIVE = re.compile(
    r"^awsprep (sandbox|exam|exam --resume|exam( --notes-only)? --count \d+|cards review|lab ec2-elastic-ip"
    r"|study ec2\.elastic-ip"
    r"|study --next|quiz --area \S+ --count \d+|quiz --missed|quiz --new --confidence|cards cram --topic \S+"
    r"|cards browse --leeches)$"
)


@dataclass
class Command:
    line: str
    shown: list[str] = field(default_factory=list)


def console_blocks(text: str) -> list[list[Command]]:
    blocks: list[list[Command]] = []
    for body in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        cmds: list[Command] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                cmds.append(Command(line[2:]))
            elif line.startswith("> ") and cmds:
                cmds[-1].line += "\n" + line[2:]
            elif cmds:
                cmds[-1].shown.append(line)
        blocks.append(cmds)
    return blocks


def without_comment(line: str) -> str:
    return re.sub(r"\s+#\s.*$", "", line) if "\n" not in line else line


def _spaced(text: str) -> str:
    # A run of two or more spaces is column alignment: its width follows the longest id in the catalog, which grows.
    return " {2,}".join(re.escape(part) for part in re.split(r" {2,}", text))


def matches(shown: list[str], actual: list[str]) -> bool:
    """`shown` equals `actual` line by line (trailing spaces aside); a `…` line stands for any lines, a `…` inside a
    line for any text in it, and a run of two or more spaces for any such run (table columns)."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?"
        if s.strip() == ELLIPSIS
        else "[^\n]*".join(_spaced(part) for part in s.rstrip().split(ELLIPSIS)) + r"[ \t]*\n"
        for s in shown
    )
    return re.fullmatch(pattern, "".join(a.rstrip() + "\n" for a in actual)) is not None


BLOCKS = console_blocks(README.read_text(encoding="utf-8"))
SANDBOX = [b for b in BLOCKS if b and not b[0].line.startswith("awsprep")]
AWSPREP = [b for b in BLOCKS if b and b[0].line.startswith("awsprep")]


def test_the_readme_has_the_blocks_this_test_reads() -> None:
    assert len(SANDBOX) == 1 and len(AWSPREP) >= 8


def test_the_sandbox_tour_runs_as_written(tmp_path: Path) -> None:
    (tour,) = SANDBOX
    script = tmp_path / "tour.sh"
    script.write_text("".join(c.line + "\n" for c in tour))
    env = {**os.environ, "AWSPREP_HOME": str(tmp_path / "home")}
    run = subprocess.run(
        [sys.executable, "-m", "awsprep", "sandbox", "--script", str(script), "--scratch", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # The transcript is `$ command` then its output, and `[exit N]` after a failure (an interactive shell shows none).
    actual = [x for x in run.stdout.splitlines() if not re.fullmatch(r"\[exit \d+\]", x)]
    expected: list[str] = []
    for c in tour:
        expected.append(f"$ {c.line.splitlines()[0]}")
        expected.extend(c.shown)
    assert matches(expected, actual), "\n".join(actual)


@pytest.mark.parametrize("block", AWSPREP, ids=[b[0].line.split()[1] for b in AWSPREP])
def test_awsprep_examples_run_as_written(block: list[Command], tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    (work / "my-cards.csv").write_text("front,back\nWhat does EC2 stand for?,Elastic Compute Cloud\n")
    (tour,) = SANDBOX  # the README says to save the tour as tour.sh
    (work / "tour.sh").write_text("".join(c.line + "\n" for c in tour))
    bindir = Path(sys.executable).parent
    env = {**os.environ, "AWSPREP_HOME": str(home), "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    env.update({"COLUMNS": "100", "AWSPREP_NOW": "2026-06-01T09:00:00Z"})
    for c in block:
        line = without_comment(c.line)
        if INTERACTIVE.match(line):
            continue
        run = subprocess.run(
            ["bash", "-c", line],
            cwd=work,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert run.returncode == 0, f"{line}: {run.stderr}"
        if c.shown:
            actual = (run.stdout + run.stderr).splitlines()
            assert matches(c.shown, actual), f"{line}:\n" + "\n".join(actual)
