"""The Typer application: global options and the command groups. Commands import their heavy parts lazily."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from awsprep.cli import (
    cards_cmd,
    config_cmd,
    content_cmd,
    data_cmd,
    exam_cmd,
    lab_cmd,
    quiz_cmd,
    sandbox_cmd,
    study_cmd,
)

app = typer.Typer(
    name="awsprep",
    help="Offline study, flashcards, mock exams and hands-on labs for the AWS Certified Developer - Associate "
    "(DVA-C02) exam.",
    no_args_is_help=False,  # `awsprep` alone shows the home screen
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from awsprep.__main__ import _version as v

        typer.echo(f"awsprep {v()}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="Plain output without colour (before or after the command).")
    ] = False,
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            help="Keep progress here instead of the default (or AWSPREP_HOME); before or after the command.",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="With no command: the home screen as JSON.")] = False,
) -> None:
    """Study for DVA-C02 offline: lessons, quizzes, a timed mock exam, flashcards and simulator labs."""
    if no_color:
        os.environ["NO_COLOR"] = "1"
    if data_dir:
        os.environ["AWSPREP_HOME"] = data_dir
    if ctx.invoked_subcommand is None:
        from awsprep.cli.home_cmd import home

        home(json_)


# `awsprep --help` lists them in command_tree.ORDER
study_cmd.register(app)
quiz_cmd.register(app)
exam_cmd.register(app)
cards_cmd.register(app)
lab_cmd.register(app)
sandbox_cmd.register(app)
content_cmd.register(app)  # topics, validate, content
data_cmd.register(app)
config_cmd.register(app)
