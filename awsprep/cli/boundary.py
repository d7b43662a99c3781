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
        sys.stderr.write(f"awsprep: internal error: {type(exc).__name__}: {exc}\n")
        sys.stderr.write("awsprep: run again with --debug for the traceback, and please report it\n")
        sys.exit(70)


def report(exc: AwsprepError) -> None:
    if isinstance(exc, ContentError):
        for line in exc.problems:
            sys.stderr.write(f"{line}\n")
    sys.stderr.write(f"awsprep: error: {exc}\n")
    if exc.hint:
        sys.stderr.write(f"awsprep: {exc.hint}\n")
