"""The click command tree Typer builds from `app.py`, finished for people: metavars that name what to type
(DIR, TOPIC, N) instead of Python types (`<str>`, `<list[str]>`), whole one-line descriptions in command lists
(click cuts them at 45 characters with "..."), and the global options accepted after a subcommand as well."""

from __future__ import annotations

import copy
import os
from functools import cache
from typing import Annotated, Any

import typer

METAVARS = {
    "data_dir": "DIR",
    "scratch": "DIR",
    "topic": "TOPIC",
    "area": "AREA",
    "domain": "N",
    "count": "N",
    "seed": "N",
    "limit": "N",
    "answers": "LETTERS",
    "ratings": "RATINGS",
    "search": "TEXT",
    "script": "FILE",
    "target": "FILE",
    "source": "FILE",
    "output": "FILE",
    "file": "FILE",
    "paths": "PATH",
    "confirm": "WORD",
    "format_": "FORMAT",
    "suspend": "CARD",
    "unsuspend": "CARD",
    "name": "LAB",
    "key": "KEY",
    "value": "VALUE",
}
# `awsprep --help` lists the learner's commands first, then the author's and the data tools
ORDER = ("study", "quiz", "exam", "cards", "lab", "sandbox", "topics", "validate", "content", "data", "config")


def _no_color(_ctx: Any, _param: Any, value: bool) -> None:
    if value:
        os.environ["NO_COLOR"] = "1"


def _data_dir(_ctx: Any, _param: Any, value: str | None) -> None:
    if value:
        os.environ["AWSPREP_HOME"] = value


def _global_options() -> list[Any]:
    """`--no-color`, `--data-dir` and `--debug` on every subcommand, hidden from its help (the top-level help
    lists them once). They act before the command runs: the consoles and the store are opened lazily.
    Each subcommand gets its own copies of options built once (building them per subcommand cost ~120 ms of
    every start-up, for 27 subcommands)."""
    return [copy.copy(option) for option in _global_option_templates()]


@cache
def _global_option_templates() -> tuple[Any, ...]:
    import typer.main

    probe = typer.Typer()

    @probe.command()
    def _probe(
        no_color: Annotated[
            bool, typer.Option("--no-color", hidden=True, expose_value=False, callback=_no_color)
        ] = False,
        data_dir: Annotated[
            str | None,
            typer.Option("--data-dir", hidden=True, expose_value=False, callback=_data_dir, metavar="DIR"),
        ] = None,
        debug: Annotated[bool, typer.Option("--debug", hidden=True, expose_value=False)] = False,
    ) -> None:
        pass  # pragma: no cover - only its parameters are used

    return tuple(typer.main.get_command(probe).params)


def polish(command: Any, *, top: bool = True) -> Any:
    for param in command.params:
        if param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = METAVARS.get(param.name, param.name.upper().strip("_"))
    if command.help and not command.short_help:
        command.short_help = command.help.strip().split("\n\n")[0].replace("\n", " ")
    if not top:
        taken = {opt for p in command.params for opt in p.opts}
        command.params.extend(o for o in _global_options() if not set(o.opts) & taken)
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        return command
    for sub in subcommands.values():
        polish(sub, top=False)
    if top:
        rank = {name: i for i, name in enumerate(ORDER)}
        ordered = sorted(subcommands.items(), key=lambda item: rank.get(item[0], len(rank)))
        subcommands.clear()
        subcommands.update(ordered)
    return command


def build() -> Any:
    import typer.main

    from awsprep.cli.app import app

    return polish(typer.main.get_command(app))
