"""The interactive prompt shared by `awsprep sandbox` and `awsprep lab`: completion, history, line continuations,
and building the AWS CLI ahead of the first `aws` command."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession

    from awsprep.labs.shell import Shell


def warm_up_in_background() -> None:
    """Building the AWS CLI driver takes a moment: do it while the learner reads the first prompt."""
    from awsprep.sim import warm_up_cli

    threading.Thread(target=warm_up_cli, name="awsprep-aws-cli", daemon=True).start()


def attach_terminal(shell: Shell) -> None:
    """Let commands that keep running (`aws logs tail --follow`) write to the terminal as they go and wait in
    real time between steps of the simulated clock; Ctrl-C reaches them as KeyboardInterrupt."""
    import os
    import sys
    import time

    def live(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def run_editor(argv: list[str]) -> int:
        import subprocess

        try:
            return subprocess.call(argv)  # no shell: the editor's words, then the one scratch file
        except OSError as exc:
            sys.stderr.write(f"edit: cannot run {argv[0]}: {exc.strerror}\n")
            return 127

    def read_lines() -> list[str]:
        sys.stdout.write("Type the text; end with a line holding a single '.' (Ctrl-C cancels).\n")
        sys.stdout.flush()
        lines: list[str] = []
        while True:
            try:
                line = input()
            except EOFError:
                return lines
            if line == ".":
                return lines
            lines.append(line)

    shell.live = live
    shell.pace = time.sleep
    shell.host_editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    shell.run_editor = run_editor
    shell.read_lines = read_lines


def read_line(session: PromptSession[str], prompt: str) -> str:
    """One command, with `\\` continuations and unfinished quotes read on `> ` lines and joined.

    Ctrl-C (KeyboardInterrupt) and Ctrl-D (EOFError) reach the caller, which decides what they mean.
    """
    from awsprep.labs.shell.parse import heredoc_delimiter, is_incomplete

    line = session.prompt(prompt)
    while is_incomplete(line):
        line += "\n" + session.prompt("> ")
    line = line.replace("\\\n", "")
    body: list[str] = []  # here-documents: their lines on `> ` prompts up to the delimiter, as bash reads them
    rest = line
    while (found := heredoc_delimiter(rest)) is not None:
        word = found[0]
        while True:
            typed = session.prompt("> ")
            body.append(typed)
            if typed.lstrip("\t") == word:
                break
        rest = rest[rest.index(word) + len(word) :]
    return "\n".join([line, *body]) if body else line


def prompt_session(shell: Shell) -> PromptSession[str]:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import CompleteEvent, Completer, Completion
    from prompt_toolkit.document import Document
    from prompt_toolkit.history import InMemoryHistory

    from awsprep.labs.shell.awscmd import completions

    class SandboxCompleter(Completer):
        """Command names, `aws` services and common `aws ec2` subcommands."""

        def get_completions(self, document: Document, complete_event: CompleteEvent):  # type: ignore[no-untyped-def]
            before = document.text_before_cursor
            words = before.split()
            current = "" if before.endswith((" ", "\t")) or not words else words.pop()
            active = shell.session if shell.session is not None else shell
            for candidate in completions(words, current, sorted(active.commands())):
                yield Completion(candidate, start_position=-len(current))

    return PromptSession(history=InMemoryHistory(), completer=SandboxCompleter(), complete_while_typing=False)
