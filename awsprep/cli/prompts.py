"""Interactive prompts (questionary / prompt_toolkit), drawn on the terminal, never on stdout.

`is_interactive()` is the one seam tests patch. Prompts use `unsafe_ask()` so Ctrl-C raises KeyboardInterrupt
(questionary's `.ask()` would swallow it and exit 0); the commands save what they must and Typer exits 130.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from awsprep.errors import UsageError

T = TypeVar("T")


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

    stream = sys.stdout if sys.stdout.isatty() else sys.stderr
    with create_app_session(output=create_output(stdout=stream)):
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
        answer: T = questionary.select(
            message, items, default=chosen, instruction=instruction or None, qmark=""
        ).unsafe_ask()
    return answer


def checkbox(message: str, choices: Sequence[tuple[str, T]], *, instruction: str = "") -> list[T]:
    import questionary

    items = [questionary.Choice(title, value=value) for title, value in choices]
    with on_terminal():
        answer: list[T] = questionary.checkbox(
            message,
            items,
            instruction=instruction or "(space to mark, enter to submit)",
            qmark="",
            validate=lambda picked: bool(picked) or "mark at least one option with space",
        ).unsafe_ask()
    return answer


def confirm(message: str, *, default: bool = True) -> bool:
    import questionary

    with on_terminal():
        answer: bool = questionary.confirm(message, default=default, qmark="").unsafe_ask()
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
        return app.run()
