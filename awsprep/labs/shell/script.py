"""Reading a whole script (a `--script` file, or user data) into the lines a shell runs one by one.

Handles what makes a file differ from typed lines: `\\` continuations (AWS documentation writes long
commands that way), strings that span lines, trailing `&&`, here-documents (`cat > f <<'EOF'`),
blank lines and comments (skipped, shebang included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from awsprep.labs.shell.base import Heredoc, Result
from awsprep.labs.shell.parse import heredoc_delimiter, is_incomplete


@dataclass(frozen=True)
class ScriptLine:
    """One command line of a script, with its first line number and its here-documents."""

    number: int
    text: str
    heredocs: list[Heredoc] = field(default_factory=list)


def script_lines(text: str) -> list[ScriptLine]:
    """Split a script into runnable lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[ScriptLine] = []
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i]
        i += 1
        while is_incomplete(line) and i < len(lines):
            stripped = line.rstrip()
            if stripped.endswith("\\") and not stripped.endswith("\\\\"):
                line = stripped[:-1] + lines[i]  # bash drops the backslash-newline pair
            else:
                line = line + "\n" + lines[i]
            i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        docs: list[Heredoc] = []
        rest = line
        while (found := heredoc_delimiter(rest)) is not None:
            word, quoted = found
            body: list[str] = []
            while i < len(lines) and lines[i].lstrip("\t") != word:
                body.append(lines[i].lstrip("\t") if "<<-" in rest else lines[i])
                i += 1
            i += 1  # the delimiter line
            docs.append(Heredoc("".join(b + "\n" for b in body), expand=not quoted))
            rest = rest[rest.index(word) + len(word) :]
        out.append(ScriptLine(number, line, docs))
    return out


@dataclass(frozen=True)
class Step:
    """One command of a script run and what it printed."""

    command: str
    exit_code: int
    stdout: str
    stderr: str

    def to_dict(self) -> dict[str, str | int]:
        """The four keys `--json` reports."""
        return {"command": self.command, "exit_code": self.exit_code, "stdout": self.stdout, "stderr": self.stderr}


class LineRunner(Protocol):
    """What runs script lines (the sandbox `Shell`)."""

    exited: bool

    def run_line(self, line: str, heredocs: list[Heredoc] | None = None) -> Result:
        """Run one line."""
        ...


def run_script(shell: LineRunner, text: str, *, stop_on_error: bool = False) -> list[Step]:
    """Run every command of a script in order: failures do not stop it (as in bash) unless `stop_on_error` (bash's
    `set -e`: stop after the first command that fails); `exit` does."""
    steps: list[Step] = []
    for line in script_lines(text):
        r = shell.run_line(line.text, line.heredocs)
        steps.append(Step(line.text, r.exit_code, r.stdout, r.stderr))
        if shell.exited or (stop_on_error and r.exit_code != 0):
            break
    return steps


def script_status(steps: list[Step]) -> int:
    """The script's exit status as bash reports it: the last command's (0 for an empty script), modulo 256."""
    return steps[-1].exit_code % 256 if steps else 0
