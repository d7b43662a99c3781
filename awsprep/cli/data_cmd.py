"""`awsprep data`: where progress lives, and backing it up, exporting, importing and resetting it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    data = typer.Typer(help="Your progress: where it is, back it up, export, import, reset.", no_args_is_help=True)
    data.command("path", epilog="Example:\n\n  awsprep data path")(path)
    data.command("backup", epilog="Examples:\n\n  awsprep data backup\n\n  awsprep data backup ~/awsprep.sqlite3")(
        backup
    )
    data.command("export", epilog="Example:\n\n  awsprep data export > progress.json")(export)
    data.command(
        "import", epilog="Examples:\n\n  awsprep data import progress.json\n\n  awsprep data import b.sqlite3"
    )(import_)
    data.command("reset", epilog="Example:\n\n  awsprep data reset --confirm reset")(reset)
    app.add_typer(data, name="data")


def path() -> None:
    """Print the progress database's path."""
    from awsprep.store.db import db_path

    typer.echo(str(db_path()))


def backup(target: Annotated[Path | None, typer.Argument(help="Where to write the copy.")] = None) -> None:
    """Write a consistent copy of the progress database."""
    from awsprep.cli.render import message
    from awsprep.cli.session import open_store
    from awsprep.store.db import db_path
    from awsprep.store.portability import backup as do_backup
    from awsprep.store.portability import default_backup_path

    written = do_backup(open_store(), target or default_backup_path(db_path()))
    message(f"backed up to {written}")


def export() -> None:
    """Print all progress as one JSON document (for your own tools, or to move machines)."""
    from awsprep.cli.render import print_json
    from awsprep.cli.session import open_store
    from awsprep.store.portability import export as do_export

    print_json(do_export(open_store()))


def import_(source: Annotated[Path, typer.Argument(help="A JSON export or a SQLite backup.")]) -> None:
    """Replace your progress with an export or a backup (your current progress is backed up first)."""
    from awsprep.cli.render import message
    from awsprep.store.db import db_path
    from awsprep.store.portability import import_file

    saved = import_file(db_path(), source)
    message(f"imported {source}; the previous progress was saved to {saved}")


def reset(
    confirm: Annotated[str | None, typer.Option("--confirm", help="Type the word reset to confirm.")] = None,
) -> None:
    """Start over. A backup of the old progress is kept."""
    from awsprep.cli import prompts
    from awsprep.cli.render import message
    from awsprep.errors import UsageError
    from awsprep.store.db import db_path
    from awsprep.store.portability import reset as do_reset

    if confirm is None and prompts.is_interactive():
        import questionary

        confirm = questionary.text("Type 'reset' to delete all progress (a backup is kept):").unsafe_ask()
    if confirm != "reset":
        raise UsageError("not reset: pass --confirm reset to delete all progress (a backup is kept)")
    saved = do_reset(db_path())
    message(f"progress reset; the old database was saved to {saved}" if saved else "there was no progress to reset")
