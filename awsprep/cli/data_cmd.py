"""`awsprep data`: where progress lives, and backing it up, exporting, importing and resetting it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    data = typer.Typer(help="Your progress: where it is, back it up, export, import, reset.", no_args_is_help=True)
    data.command("path", epilog="Example:\n\n  awsprep data path")(path)
    data.command(
        "backup",
        epilog="Examples:\n\n  awsprep data backup\n\n  awsprep data backup ~/awsprep.sqlite3\n\n"
        "  awsprep data backup --list",
    )(backup)
    data.command("export", epilog="Example:\n\n  awsprep data export > progress.json")(export)
    data.command(
        "import",
        epilog="Examples:\n\n  awsprep data import progress.json\n\n  awsprep data import b.sqlite3\n\n"
        "  awsprep data import auto-20270110-091500",
    )(import_)
    data.command("reset", epilog="Example:\n\n  awsprep data reset --confirm reset")(reset)
    app.add_typer(data, name="data")


def path() -> None:
    """Print the progress database's path."""
    from awsprep.store.db import db_path

    typer.echo(str(db_path()))


def backup(
    target: Annotated[Path | None, typer.Argument(help="Where to write the copy.")] = None,
    list_: Annotated[bool, typer.Option("--list", help="Show the backups in the data folder, newest first.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="With --list: print JSON.")] = False,
) -> None:
    """Write a consistent copy of the progress database (automatic ones are made daily and before upgrades)."""
    from awsprep.cli.render import message
    from awsprep.cli.session import open_store
    from awsprep.store.db import db_path
    from awsprep.store.portability import backup as do_backup
    from awsprep.store.portability import default_backup_path

    if list_:
        _list_backups(json_)
        return
    if target is not None and target.is_dir():  # `''` arrives as the current folder
        from awsprep.errors import UsageError

        raise UsageError("the backup must be a file, not a folder", hint="e.g. awsprep data backup b.sqlite3")
    written = do_backup(open_store(), target or default_backup_path(db_path()))
    message(f"backed up to {written}")


def _list_backups(json_: bool) -> None:
    import time

    from awsprep.cli.render import out, print_json
    from awsprep.store.backups import list_all
    from awsprep.store.db import db_path

    found = list_all(db_path())
    if json_:
        print_json([{"name": b.path.name, "path": str(b.path), "kind": b.kind, "bytes": b.size} for b in found])
        return
    if not found:
        out().print("no backups yet (awsprep makes one each day you use it, and before any upgrade)", markup=False)
        return
    for b in found:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(b.mtime))
        out().print(f"{b.path.name}  {b.kind:<16} {when}  {b.size // 1024:>6} KiB", markup=False)
    out().print(f"in {found[0].path.parent}; restore one with: awsprep data import NAME", markup=False)


def export() -> None:
    """Print all progress as one JSON document (for your own tools, or to move machines)."""
    from awsprep.cli.render import print_json
    from awsprep.cli.session import open_store
    from awsprep.store.portability import export as do_export

    print_json(do_export(open_store()))


def import_(
    source: Annotated[Path, typer.Argument(help="A JSON export, a SQLite backup, or a backup's name (--list).")],
) -> None:
    """Replace your progress with an export or a backup (your current progress is backed up first)."""
    from awsprep.cli.render import message
    from awsprep.store.db import db_path
    from awsprep.store.portability import import_file

    replaced = import_file(db_path(), source)
    message(f"imported {source}; {_replaced(replaced)}")


def _replaced(replaced: object) -> str:
    from awsprep.store.portability import Replaced

    assert isinstance(replaced, Replaced)
    if replaced.path is None:
        return "there was no previous progress"
    if replaced.damaged:
        return f"the damaged database was set aside as {replaced.path}"
    return f"the previous progress was saved to {replaced.path}"


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

        confirm = prompts.ask(questionary.text("Type 'reset' to delete all progress (a backup is kept):"))
    if confirm != "reset":
        raise UsageError("not reset: pass --confirm reset to delete all progress (a backup is kept)")
    replaced = do_reset(db_path())
    message(f"progress reset; {_replaced(replaced)}" if replaced.path else "there was no progress to reset")
