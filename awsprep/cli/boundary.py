"""The one place that turns exceptions into exit codes and one-line messages."""

from __future__ import annotations

import os
import sys

from awsprep.errors import AwsprepError, ContentError


def run(args: list[str]) -> None:
    debug = "--debug" in args or os.environ.get("AWSPREP_DEBUG") == "1"
    from awsprep.cli.session import set_debug

    set_debug(debug)
    from typer import Abort
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    from awsprep.cli.command_tree import build

    try:
        code = build().main(args=args, prog_name="awsprep", standalone_mode=False)
    except NoArgsIsHelpError as exc:  # a command group alone (`awsprep cards`): its help
        exc.show()
        sys.exit(exc.exit_code)
    except ClickException as exc:  # a usage error found by the parser: our one line, not the library's
        sys.stderr.write(f"awsprep: error: {usage_message(exc)}\n")
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "awsprep"
        sys.stderr.write(f"awsprep: `{where} --help` lists what it takes\n")
        sys.exit(exc.exit_code)
    except Abort:  # end of input at a prompt
        sys.exit(1)
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
    sys.exit(code if isinstance(code, int) else 0)


def usage_message(exc: Exception) -> str:
    """A parser error in our words: `--count abc` says what the option takes rather than a pydantic sentence."""
    param = getattr(exc, "param", None)
    if param is not None and type(exc).__name__ == "BadParameter":
        name = "/".join(param.opts[:1]) or param.name
        kinds = {"int": "a whole number", "float": "a number", "Path": "a file or folder path"}
        bare = getattr(param, "bare_type", lambda: "")()
        kind = kinds.get(bare.removeprefix("list[").removesuffix("]"))
        if kind:
            example = f", e.g. {name} 10" if kind == "a whole number" else ""
            return f"{name} takes {kind}{example}"
    message = getattr(exc, "format_message", lambda: str(exc))()
    return str(message).replace("\n", " ")


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
