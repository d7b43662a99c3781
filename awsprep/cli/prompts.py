"""Interactive prompts (questionary / prompt_toolkit), drawn on the terminal, never on stdout.

`is_interactive()` is the one seam tests patch. Ctrl-C raises KeyboardInterrupt (questionary's `.ask()` would
swallow it and exit 0); the commands save what they must and Typer exits 130.

Every prompt runs through `_run`, with prompt_toolkit's own SIGINT handler off. While a prompt is up the terminal
is raw, so Ctrl-C arrives as a key (bound to KeyboardInterrupt). Between two prompts it is a SIGINT, and
prompt_toolkit's handler stays installed while a finished prompt closes (after the terminal left raw mode): a
Ctrl-C pressed then was fed to that finished prompt and lost, and the program went on to the next question as if
nothing had been pressed (the pty tests hung on it under load). Without that handler a SIGINT always reaches
asyncio's (which cancels the prompt and raises KeyboardInterrupt) or Python's own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples

from awsprep.errors import UsageError

T = TypeVar("T")


def _run(app: Any, **kwargs: Any) -> Any:
    """Run a prompt_toolkit application (or a questionary question's) so that no Ctrl-C is ever lost (see above)."""
    return app.run(handle_sigint=False, **kwargs)


def ask(question: Any) -> Any:
    """A questionary question's answer; Ctrl-C raises KeyboardInterrupt (what `unsafe_ask()` does, minus the
    SIGINT handler that loses a Ctrl-C pressed as the prompt closes)."""
    return _run(question.application)


def is_interactive() -> bool:
    if os.environ.get("AWSPREP_NO_TTY") == "1":
        return False
    try:
        return sys.stdin.isatty()
    except (ValueError, AttributeError):  # closed or replaced stdin
        return False


def require_tty(what: str, flags: str) -> None:
    if not is_interactive():
        raise UsageError(f"{what} needs a terminal; without one, use {flags}")


@contextmanager
def on_terminal() -> Iterator[None]:
    """Draw prompts on the terminal even when stdout is piped (data stays clean on stdout)."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.output import create_output

    with create_app_session(output=create_output(stdout=_stream())):
        yield


def select(
    message: str, choices: Sequence[tuple[str, T | None]], *, default: T | None = None, instruction: str = ""
) -> T:
    """A list to pick from; a choice whose value is None is drawn as a heading that cannot be picked."""
    import questionary

    items = [
        questionary.Separator(title) if value is None else questionary.Choice(title, value=value)
        for title, value in choices
    ]
    chosen = next((c for c in items if isinstance(c, questionary.Choice) and c.value == default), None)
    with on_terminal():
        answer: T = ask(questionary.select(message, items, default=chosen, instruction=instruction or None, qmark=""))
    return answer


def checkbox(message: str, choices: Sequence[tuple[str, T]], *, instruction: str = "") -> list[T]:
    import questionary

    items = [questionary.Choice(title, value=value) for title, value in choices]
    with on_terminal():
        answer: list[T] = ask(
            questionary.checkbox(
                message,
                items,
                instruction=instruction or "(space to mark, enter to submit)",
                qmark="",
                validate=lambda picked: bool(picked) or "mark at least one option with space",
            )
        )
    return answer


def confirm(message: str, *, default: bool = True) -> bool:
    import questionary

    with on_terminal():
        # auto_enter=False: y or n alone must not answer, or the Enter typed after it lands on the next screen
        answer: bool = ask(questionary.confirm(message, default=default, qmark="", auto_enter=False))
    return answer


def key(message: str, keys: dict[str, T]) -> T:
    """Wait for one key press among `keys` (e.g. "1".."4" for ratings); Enter maps to the key "enter" if given."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import Layout
    from prompt_toolkit.layout.containers import Window
    from prompt_toolkit.layout.controls import FormattedTextControl

    bindings = KeyBindings()

    def bind(name: str, value: Any) -> None:
        @bindings.add(name)
        def _(event: Any) -> None:
            event.app.exit(result=value)

    for name, value in keys.items():
        bind(name, value)

    @bindings.add("c-c")
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt)

    with on_terminal():
        app: Application[T] = Application(
            layout=Layout(Window(FormattedTextControl(message), height=1)), key_bindings=bindings, full_screen=False
        )
        result: T = _run(app)
        return result


# --- the one prompt for an answer to a question (quiz, lesson and lab checkpoints, exam) ---------------------


@dataclass(frozen=True)
class Reply:
    """What `choose` does with an entry: finish with it, or stay (after an action, or with a refusal shown)."""

    done: bool = False
    message: str = ""  # shown under the entry; the refused entry itself is cleared


def choose(
    letters: str | Callable[[], str],
    submit: Callable[[str], Reply],
    *,
    hint: str | Callable[[], str],
    single: bool | Callable[[], bool],
    body: Callable[[], str] | None = None,
    status: Callable[[], str] | None = None,
    tick: Callable[[], None] | None = None,
    on_key: Callable[[], None] | None = None,
    seconds_left: Callable[[], float] | None = None,
) -> str:
    """Answer by typed letters (`c`, `bd`) or with the arrow keys and space, then Enter; `submit` judges the entry.

    The option marks always mirror the entry, so what is recorded is what the learner sees marked. A refused
    entry is cleared and the reason shown in place. `body` (re-read on every draw) is drawn above the options,
    so a screen that changes (the exam) is redrawn in place. `tick` runs every second and `on_key` after every
    key (the exam saves its clock there); when `seconds_left` reaches 0 the prompt raises TimeoutError.
    """
    prompt = _ChoicePrompt(letters, submit, hint, single, body, status, tick, seconds_left)
    prompt.on_key = on_key
    with _painted_first(prompt), on_terminal():
        return prompt.run()


ENTRY = "answer› "


def _stream() -> TextIO:
    """Where prompts draw: the terminal, even when stdout is piped (data stays clean on stdout)."""
    return sys.stdout if sys.stdout.isatty() else sys.stderr


def _rows(text: str, columns: int) -> int:
    """Terminal rows `text` takes (wide characters count two columns)."""
    import unicodedata

    rows = 0
    for line in text.split("\n"):
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        rows += max(1, -(-width // columns))
    return rows


@contextmanager
def _painted_first(prompt: _ChoicePrompt) -> Iterator[None]:
    """The first prompt of a run is drawn as plain text before prompt_toolkit is imported, which takes longer
    than starting the rest of the program (issue 16: the first exam question on screen). prompt_toolkit then
    takes over and redraws it in place. Keys pressed meanwhile wait, unechoed, in the terminal's queue, and the
    prompt reads them as if they had been typed into it."""
    if "prompt_toolkit" in sys.modules or os.environ.get("TERM", "dumb") == "dumb":
        yield
        return
    import shutil

    try:
        import termios
    except ImportError:  # not a POSIX terminal: prompt_toolkit alone
        yield
        return
    try:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):  # no terminal to paint on (stdin replaced or not a tty)
        yield
        return
    quiet = list(saved)
    quiet[3] &= ~termios.ECHO  # typed-ahead keys must not print into the painted screen
    termios.tcsetattr(fd, termios.TCSANOW, quiet)
    try:
        stream = _stream()
        text = "".join(part[1] for part in prompt.top()) + "\n" + ENTRY
        stream.write(text)
        stream.flush()
        rows = _rows(text, max(1, shutil.get_terminal_size((80, 24)).columns))
        prompt.erase_first = "\r" + (f"\x1b[{rows - 1}A" if rows > 1 else "") + "\x1b[J"
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)


def wait_for_enter(hint: str, refusal: str) -> None:
    """Wait for Enter alone, read as a plain line from the terminal: a start screen shown before any prompt, so
    that prompt_toolkit loads only for the first real prompt (which `choose` paints before loading it). Ctrl-C
    raises KeyboardInterrupt; the end of input is the end of the session."""
    stream = _stream()
    message = ""
    while True:
        stream.write(f"{hint}\n{message + chr(10) if message else ''}{ENTRY}")
        stream.flush()
        line = sys.stdin.readline()
        if not line:  # Ctrl-D: leave, as at the end of input at any prompt (cli/boundary.py: exit 1)
            from typer import Abort

            stream.write("\n")
            raise Abort
        if not line.strip():
            return
        message = refusal


class _ChoicePrompt:
    def __init__(
        self,
        letters: str | Callable[[], str],
        submit: Callable[[str], Reply],
        hint: str | Callable[[], str],
        single: bool | Callable[[], bool],
        body: Callable[[], str] | None,
        status: Callable[[], str] | None,
        tick: Callable[[], None] | None,
        seconds_left: Callable[[], float] | None,
    ) -> None:
        self._letters, self._submit, self._hint, self._single = letters, submit, hint, single
        self._body, self._status, self._tick, self._seconds_left = body, status, tick, seconds_left
        self.cursor = 0
        self.message = ""
        self.on_key: Callable[[], None] | None = None
        self.buffer: Any = None  # a prompt_toolkit Buffer, made in run(): the first paint needs none
        self.erase_first = ""  # what clears the first paint, written just before prompt_toolkit draws

    # --- what is shown --------------------------------------------------------------------------------------

    def letters(self) -> str:
        return self._letters() if callable(self._letters) else self._letters

    def single(self) -> bool:
        return self._single() if callable(self._single) else self._single

    def marked(self) -> set[str]:
        text = self.buffer.text if self.buffer is not None else ""
        return {ch for ch in text.upper() if ch in self.letters()}

    def _changed(self, _buffer: object) -> None:
        if self.buffer.text:
            self.message = ""

    @staticmethod
    def fill(text: str) -> str:
        import shutil
        import textwrap

        width = max(40, shutil.get_terminal_size((80, 24)).columns - 1)
        out = []
        for line in text.split("\n"):
            indent = " " * (len(line) - len(line.lstrip(" ")))
            if line.lstrip()[1:3] == ". ":  # an option: its wrapped lines go under its text, not at column 0
                indent += "   "
            out.append(textwrap.fill(line, width, subsequent_indent=indent) if line.strip() else "")
        return "\n".join(out)

    def top(self) -> StyleAndTextTuples:
        parts: StyleAndTextTuples = []
        if self._body is not None:
            parts.append(("", self.fill(self._body()) + "\n"))
        parts.append(("bold", self.fill(self._hint() if callable(self._hint) else self._hint) + "\n"))
        shown = self.letters()
        if shown:
            marks, one = self.marked(), self.single()
            for i, letter in enumerate(shown):
                box = ("(•)" if letter in marks else "( )") if one else ("[x]" if letter in marks else "[ ]")
                here = i == self.cursor
                parts.append(("reverse" if here else "", f"{'›' if here else ' '}{box} {letter}"))
                parts.append(("", "  "))
        else:
            parts[-1] = (parts[-1][0], parts[-1][1].rstrip("\n"))
        return parts

    def bottom(self) -> StyleAndTextTuples:
        lines: StyleAndTextTuples = []
        if self.message:
            lines.append(("bold", self.fill(self.message)))
        if self._status is not None:
            lines.append(("", ("\n" if lines else "") + self._status()))
        return lines

    # --- keys -----------------------------------------------------------------------------------------------

    def set_marks(self, marks: set[str]) -> None:
        from prompt_toolkit.document import Document

        text = "".join(sorted(marks))
        self.buffer.set_document(Document(text, len(text)), bypass_readonly=True)

    def move(self, step: int) -> None:
        shown = self.letters()
        if shown:
            self.cursor = (self.cursor + step) % len(shown)
            if self.single():
                self.set_marks({shown[self.cursor]})

    def toggle(self) -> None:
        shown = self.letters()
        if shown:
            letter = shown[self.cursor]
            self.set_marks({letter} if self.single() else self.marked() ^ {letter})

    def enter(self, app: Any) -> None:
        text = self.buffer.text
        reply = self._submit(text)
        if reply.done:
            app.exit(result=text)
            return
        self.buffer.reset()
        self.message = reply.message
        if not reply.message:  # an action changed the screen: the cursor starts again at the first option
            self.cursor = 0
        app.renderer.erase()  # draw the changed screen afresh, in place (a diff would leave fragments)
        app.invalidate()

    def bindings(self) -> Any:
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys

        kb = KeyBindings()
        kb.add("up")(lambda _e: self.move(-1))
        kb.add("down")(lambda _e: self.move(1))
        kb.add(" ")(lambda _e: self.toggle())
        for key in ("enter", "c-j"):  # c-j: a newline typed or pasted as \n
            kb.add(key)(lambda e: self.enter(e.app))
        for key in ("c-c", Keys.SIGINT):
            kb.add(key)(lambda e: e.app.exit(exception=KeyboardInterrupt()))
        return kb

    # --- running --------------------------------------------------------------------------------------------

    def run(self) -> str:
        from prompt_toolkit.application import Application
        from prompt_toolkit.buffer import Buffer
        from prompt_toolkit.layout import Layout
        from prompt_toolkit.layout.containers import HSplit, VSplit, Window
        from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl

        self.buffer = Buffer(multiline=False)
        self.buffer.on_text_changed += self._changed
        entry = VSplit(
            [
                Window(FormattedTextControl(ENTRY), dont_extend_width=True, height=1),
                Window(BufferControl(self.buffer), height=1),
            ]
        )
        layout = Layout(
            HSplit(
                [
                    Window(FormattedTextControl(self.top), dont_extend_height=True, wrap_lines=True),
                    entry,
                    Window(FormattedTextControl(self.bottom), dont_extend_height=True, wrap_lines=True),
                ]
            )
        )
        layout.focus(self.buffer)
        app: Application[str] = Application(layout=layout, key_bindings=self.bindings(), full_screen=False)
        result: str = _run(app, pre_run=lambda: self._pre_run(app))
        return result

    async def _keep_time(self, app: Any) -> None:
        import asyncio

        while True:
            if self._tick is not None:
                self._tick()
            left = self._seconds_left() if self._seconds_left is not None else 2.0
            app.invalidate()
            if left <= 1.0:  # the last second: wait exactly what is left, then time is up
                await asyncio.sleep(max(0.0, left))
                app.exit(exception=TimeoutError())
                return
            await asyncio.sleep(1.0)

    def _pre_run(self, app: Any) -> None:
        import asyncio
        import contextlib
        import signal

        if self.erase_first:  # sent with the first frame, so the plain paint is replaced without a blank
            app.output.write_raw(self.erase_first)
        app.create_background_task(self._keep_time(app))
        if self.on_key is not None:
            on_key = self.on_key
            app.key_processor.after_key_press += lambda _kp: on_key()
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError, ValueError):
            # a closed terminal window leaves like Ctrl-C, so the caller saves what it must
            asyncio.get_running_loop().add_signal_handler(
                signal.SIGHUP, lambda: app.exit(exception=KeyboardInterrupt())
            )
