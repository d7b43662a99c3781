"""The one place that turns exceptions into exit codes and one-line messages."""

from __future__ import annotations

import os
import sys

from awsprep.errors import AwsprepError, ContentError


def run(args: list[str]) -> None:
    debug = "--debug" in args or os.environ.get("AWSPREP_DEBUG") == "1"
    from awsprep.cli.app import app

    try:
        app(args=args, prog_name="awsprep")
    except AwsprepError as exc:
        if debug:
            raise
        report(exc)
        sys.exit(exc.exit_code)
    except Exception as exc:  # an unexpected bug: one line, the traceback only with --debug
        if debug:
            raise
        known = known_failure(exc)
        if known is not None:
            report(known)
            sys.exit(known.exit_code)
        sys.stderr.write(f"awsprep: internal error: {type(exc).__name__}: {exc}\n")
        sys.stderr.write("awsprep: run again with --debug for the traceback, and please report it\n")
        sys.exit(70)


def known_failure(exc: Exception) -> AwsprepError | None:
    """Failures of the machine rather than bugs, met where no command caught them: an SQLite error (a full disk,
    a read-only or damaged file) becomes the store's one-line StoreError; an OSError on a path, one line naming
    it. sqlite3 is looked up, not imported: a command that never opened the store has no SQLite error."""
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        from awsprep.store.db import translate

        return translate(exc)
    if isinstance(exc, OSError) and exc.filename is not None:
        name = str(exc.filename)
        shown = name if len(name) <= 200 else f"{name[:90]}…{name[-90:]}"
        return AwsprepError(f"cannot use {shown}: {exc.strerror or exc}")
    return None


def report(exc: AwsprepError) -> None:
    if isinstance(exc, ContentError):
        for line in exc.problems:
            sys.stderr.write(f"{line}\n")
    sys.stderr.write(f"awsprep: error: {exc}\n")
    if exc.hint:
        sys.stderr.write(f"awsprep: {exc.hint}\n")
