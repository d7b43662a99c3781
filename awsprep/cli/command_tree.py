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


class _CoerceWhenGiven:
    """Typer coerces every parameter's value through a pydantic TypeAdapter that it builds on first use: pydantic
    and its adapters cost more than `import typer` itself, on every command, even one given no option at all
    (`awsprep exam`). A value the learner did not give needs no coercion when it is None or a default of the
    annotated plain type (`count: int = 10`), so the adapter is built only for a value from the command line or
    the environment (and for any other default), exactly as Typer would build it."""

    PLAIN = (int, str, float, bool)

    def __init__(self, param: Any) -> None:
        self.descriptor = param.type_descriptor
        self.plain = self._plain_types(self.descriptor.annotation)

    @classmethod
    def _plain_types(cls, annotation: Any) -> tuple[type, ...]:
        import types
        import typing

        if annotation in cls.PLAIN:
            return (annotation,)
        if typing.get_origin(annotation) in (types.UnionType, typing.Union):
            args = typing.get_args(annotation)
            if all(a in cls.PLAIN or a is type(None) for a in args):
                return tuple(a for a in args if a is not type(None))
        return ()

    def coerce(self, value: Any, *, param: Any, ctx: Any) -> Any:
        from typer._click.core import ParameterSource

        if value is None:  # what Typer's own coercion returns for a missing value, without building anything
            return () if param.multiple or param.nargs == -1 else None
        if ctx.get_parameter_source(param.name) is ParameterSource.DEFAULT and type(value) in self.plain:
            return value
        from typer._coercion import build_runtime_param

        param._runtime_param = build_runtime_param(self.descriptor)
        return param._runtime_param.coerce(value, param=param, ctx=ctx)


def _coerce_when_given(param: Any) -> Any:
    if getattr(param, "_runtime_param", False) is None and hasattr(param, "type_descriptor"):
        param._runtime_param = _CoerceWhenGiven(param)  # typer's lazy slot, not yet built
    return param


def polish(command: Any, *, top: bool = True) -> Any:
    for param in command.params:
        if param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = METAVARS.get(param.name, param.name.upper().strip("_"))
    if command.help and not command.short_help:
        command.short_help = command.help.strip().split("\n\n")[0].replace("\n", " ")
    if not top:
        taken = {opt for p in command.params for opt in p.opts}
        command.params.extend(o for o in _global_options() if not set(o.opts) & taken)
    for param in command.params:
        _coerce_when_given(param)
    made = command.get_help_option  # `--help` is made afresh for each context

    def help_option(ctx: Any) -> Any:
        return _coerce_when_given(made(ctx))

    command.get_help_option = help_option
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


# the top-level options a command line may give before the command, and which of them take a value
TOP_FLAGS = ("--debug", "--no-color", "--json")
TOP_VALUED = ("--data-dir",)


def chosen_command(args: list[str]) -> str | None:
    """The command an argument list runs (`awsprep --no-color exam` → "exam"), or None when it asks for the
    top level (no command, `--help`, `--version`) or holds something only the parser can judge."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in TOP_FLAGS or any(arg.startswith(f"{o}=") for o in TOP_VALUED):
            i += 1
        elif arg in TOP_VALUED:
            i += 2
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def build(args: list[str] | None = None) -> Any:
    """The command tree; for a command line that names its command, only that command's branch. Typer reads
    every command function's signature and type hints to build a tree (~50 ms for 27 commands, on every
    start), and the branch is all a run uses. The whole tree is built for the top-level help, a mistyped
    command (its suggestions name the others) and anything else."""
    import copy

    import typer.main

    from awsprep.cli.app import app

    name = chosen_command(args or [])
    commands = [c for c in app.registered_commands if _name_of(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if name is None or not (commands or groups):
        return polish(typer.main.get_command(app))
    branch = copy.copy(app)
    branch.registered_commands, branch.registered_groups = commands, groups
    return polish(typer.main.get_command(branch))


def _name_of(info: Any) -> str | None:
    import typer.main

    if info.name:
        return str(info.name)
    return typer.main.get_command_name(info.callback.__name__) if info.callback else None
