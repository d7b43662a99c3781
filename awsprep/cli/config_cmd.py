"""`awsprep config`: see and change your settings (exam date, desired retention, daily limits, leeches)."""

from __future__ import annotations

from typing import Annotated

import typer

SHOW_EPILOG = "Examples:\n\n  awsprep config\n\n  awsprep config show --json"
SET_EPILOG = """Settings: desired-retention (0.70-0.97), new-per-day, reviews-per-day, leech-threshold,
leech-action (suspend or tag), exam-date (YYYY-MM-DD), exam-target (0.80-0.99).

Examples:

  awsprep config set exam-date 2026-09-15

  awsprep config set desired-retention 0.9

  awsprep config set new-per-day 30
"""
UNSET_EPILOG = "Example:\n\n  awsprep config unset exam-date     (back to the default: no exam date)"


def register(app: typer.Typer) -> None:
    config = typer.Typer(help="Your settings: exam date, desired retention, daily limits, leeches.")
    config.callback(invoke_without_command=True, epilog=SHOW_EPILOG)(_default)
    config.command("show", epilog=SHOW_EPILOG)(show)
    config.command("set", epilog=SET_EPILOG)(set_)
    config.command("unset", epilog=UNSET_EPILOG)(unset)
    app.add_typer(config, name="config")


def _default(ctx: typer.Context) -> None:
    """Show every setting (`awsprep config` alone), or change one with `set`/`unset`."""
    if ctx.invoked_subcommand is None:
        show()


def show(json_: Annotated[bool, typer.Option("--json", help="Print the settings as JSON.")] = False) -> None:
    """Show every setting with its effective value (defaults included)."""
    from awsprep.cli.render import out, print_json
    from awsprep.cli.session import open_store
    from awsprep.study import cards_config

    values = cards_config.shown(cards_config.load(open_store()))
    if json_:
        print_json(values)
        return
    for name, value in values.items():
        out().print(f"{name:<18} {value:<12} {cards_config.KEYS[name].help}", markup=False)


def set_(
    key: Annotated[str, typer.Argument(help="The setting, e.g. exam-date.")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
) -> None:
    """Change one setting (checked before it is saved)."""
    from awsprep import clock
    from awsprep.cli.render import message
    from awsprep.cli.session import open_store
    from awsprep.study import cards_config

    conn = open_store()
    cards_config.set_value(conn, key, value)
    message(f"{key} = {cards_config.shown(cards_config.load(conn))[key]}")
    config = cards_config.load(conn)
    if key == "exam-date" and config.exam_date is not None and config.exam_date < clock.now().date():
        message("that date has passed: exam-date scheduling is off until you set a future date")


def unset(key: Annotated[str, typer.Argument(help="The setting to put back to its default.")]) -> None:
    """Put one setting back to its default."""
    from awsprep.cli.render import message
    from awsprep.cli.session import open_store
    from awsprep.study import cards_config

    conn = open_store()
    cards_config.set_value(conn, key, None)
    message(f"{key} = {cards_config.shown(cards_config.load(conn))[key]} (default)")
