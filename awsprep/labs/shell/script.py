"""Reading a whole script (a `--script` file, or user data) into the lines a shell runs one by one.

Handles what makes a file differ from typed lines: `\\` continuations (AWS documentation writes long
commands that way), strings that span lines, trailing `&&`, here-documents (`cat > f <<'EOF'`),
blank lines and comments (skipped, shebang included).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from awsprep.labs.shell.base import Heredoc
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
