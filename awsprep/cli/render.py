"""Consoles and small rendering helpers. Data goes to stdout; messages, prompts and progress to stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def plain() -> bool:
    return _plain()


def _plain() -> bool:
    """`NO_COLOR` (or `--no-color`, which sets it): no escape codes at all. Rich alone would drop the colours but
    keep bold and italic, which still garbles a log file or a screen reader."""
    import os

    return bool(os.environ.get("NO_COLOR"))


@cache
def out() -> Console:
    from rich.console import Console

    if _plain():
        return Console(highlight=False, soft_wrap=False, color_system=None)
    return Console(highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    from rich.console import Console

    if _plain():
        return Console(stderr=True, highlight=False, color_system=None)
    return Console(stderr=True, highlight=False)


def shown(text: str) -> Text:
    """Card or content text for the terminal: as written (no rich markup, so a cloze answer `[s3]` stays) and
    with control characters escaped (`\x1b`), so no text can retitle, clear or recolour the terminal."""
    from rich.text import Text

    from awsprep.controls import escape_controls

    return Text(escape_controls(text))


def write_data(text: str) -> None:
    """Data on stdout byte for byte (UTF-8), for a file or a pipe: `cards export > f` gives what `-o f` writes.
    (click's echo strips escape sequences when stdout is no terminal.) On a terminal, controls are escaped."""
    if sys.stdout.isatty():
        from awsprep.controls import escape_controls

        text = escape_controls(text)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (some test harnesses)
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def print_json(data: Any) -> None:
    """JSON on stdout. json escapes C0 controls itself; DEL and C1 (U+009B is a CSI) it leaves raw with
    ensure_ascii=False, so they are written as \\u escapes too (the same JSON, nothing a terminal acts on)."""
    from awsprep.controls import CONTROL

    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def message(text: str) -> None:
    """A one-line note to the learner on stderr (kept off stdout so `--json` output stays clean)."""
    err().print(text, markup=False)


def reflow(text: str) -> str:
    """Join the lines authors wrapped in YAML block scalars; keep blank-line paragraph breaks and list items."""
    paragraphs = []
    for para in text.strip().split("\n\n"):
        lines = [line.strip() for line in para.splitlines()]
        merged: list[str] = []
        for line in lines:
            if merged and not line.startswith(("- ", "* ", "|")) and not merged[-1].startswith("|"):
                merged[-1] = f"{merged[-1]} {line}"
            else:
                merged.append(line)
        paragraphs.append("\n".join(merged))
    return "\n\n".join(paragraphs)


def page(renderables: Iterable[Any]) -> None:
    """Show long output through the learner's pager (`$PAGER`, else `less -RFX`: colours kept, no pager at all
    when it fits on one screen); print it directly when no pager can run."""
    import os
    import shlex
    import shutil
    import subprocess

    console = out()
    with console.capture() as capture:
        for part in renderables:
            if isinstance(part, Unwrapped):
                print_unwrapped(console, part, style="dim")
            else:
                console.print(part)
    text = capture.get()
    import signal

    # -K: Ctrl-C quits less (restoring the terminal itself) instead of leaving it waiting
    command = os.environ.get("PAGER") or ("less -RFXK" if shutil.which("less") else "")
    if not command or not sys.stdout.isatty():
        sys.stdout.write(text)
        return
    interrupted: list[int] = []
    # while the pager runs it owns Ctrl-C; we only note it (a handler, unlike SIG_IGN, is not inherited by the
    # pager), wait for the pager to put the terminal back, and then stop as Ctrl-C does everywhere: exit 130
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: interrupted.append(signum))
    try:
        subprocess.run(shlex.split(command), input=text, text=True, check=False)
    except (OSError, ValueError):
        sys.stdout.write(text)
    finally:
        signal.signal(signal.SIGINT, previous)
    if interrupted:
        raise KeyboardInterrupt


class Unwrapped(str):
    """Text printed as one line however narrow the terminal (the terminal may show it over two rows, but a URL in
    it stays one piece to click or copy). `page()` and `print_unwrapped()` honour it."""


def print_unwrapped(console: Console, text: str, *, style: str = "") -> None:
    from awsprep.controls import escape_controls

    console.print(escape_controls(text), soft_wrap=True, markup=False, highlight=False, style=style)


class Sources:
    """Numbered references for a table: the row shows `[n]`, the URLs follow the table whole, one per line
    (a table column would fold a URL across lines, so it could be neither clicked nor copied)."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def ref(self, *urls: str) -> str:
        marks = []
        for url in urls:
            if url not in self.urls:
                self.urls.append(url)
            marks.append(f"[{self.urls.index(url) + 1}]")
        return " ".join(marks)

    def lines(self, start: int = 0) -> list[Unwrapped]:
        """The numbered URLs from number `start + 1` on (a screen can list them in several places)."""
        return [Unwrapped(f"[{i}] {url}") for i, url in enumerate(self.urls, 1)][start:]
