"""`awsprep sandbox`: the simulated AWS account at a prompt, or a file of commands with `--script`.

`--script` exits as `bash FILE` would: with the last command's status (a script whose last command failed is a
failed script, so `awsprep sandbox --script f.sh && …` means what it says). `--stop-on-error` / `-e` stops at the
first failing command, as `set -e` does. Each command's own exit code is in the report (in `--json`, the
`exit_code` of every entry). A file that cannot be read is a usage error (2).
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from awsprep.cli.options import seed_in_range

if TYPE_CHECKING:
    from awsprep.labs.shell import Shell

EPILOG = """Examples:

  awsprep sandbox

  awsprep sandbox --script launch.sh

  awsprep sandbox --script launch.sh --json --seed 7

  awsprep sandbox --script launch.sh -e --scratch ./files
"""


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(sandbox)


def sandbox(
    script: Annotated[
        Path | None, typer.Option("--script", help="Run the commands in FILE instead of opening a prompt.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="With --script: report as a JSON list.")] = False,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the simulated account (ids, addresses).", callback=seed_in_range)
    ] = 0,
    scratch: Annotated[
        Path | None,
        typer.Option(
            "--scratch",
            help="Folder for the sandbox's files, kept when you leave (default: a temporary folder, deleted on exit).",
        ),
    ] = None,
    stop_on_error: Annotated[
        bool, typer.Option("--stop-on-error", "-e", help="With --script: stop at the first failing command.")
    ] = False,
) -> None:
    """A simulated AWS account and shell: aws, curl, ssh, ping, wait, state, bill. Nothing runs on your computer.

    With --debug, each command is followed by the simulator's notes (`awsprep debug: …` on stderr), e.g. which
    Lambda invocations ran on modelled execution environments rather than real worker processes.
    """
    from awsprep.errors import UsageError

    if script is None:
        from awsprep.cli.prompts import is_interactive

        if not is_interactive():
            raise UsageError("the sandbox prompt needs a terminal; use `awsprep sandbox --script FILE`")
    try:
        text = script.read_text(encoding="utf-8") if script is not None else ""
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {script}: {err}") from None
    if scratch is not None:
        _check_scratch(scratch)
    with tempfile.TemporaryDirectory(prefix="awsprep-sandbox-") as tmp:
        shell = _shell(scratch or Path(tmp), seed)
        if script is not None:
            status = _run_script(shell, text, as_json, stop_on_error)
        else:
            _interactive(shell, seed, kept=scratch is not None)
            status = 0
    if status:
        raise typer.Exit(status)


def _check_scratch(folder: Path) -> None:
    """`--scratch` must be a folder (made if missing): one usage line, not an internal error."""
    from awsprep.errors import UsageError

    try:
        if folder.exists() and not folder.is_dir():
            raise UsageError(
                f"--scratch must be a folder, and {folder} is a file", hint="name a folder, or leave it out"
            )
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        name = str(folder) if len(str(folder)) <= 200 else f"{str(folder)[:90]}…"
        raise UsageError(f"--scratch: cannot use {name}: {exc.strerror}") from None


def _shell(folder: Path, seed: int) -> Shell:
    from awsprep.cli.session import debug_enabled
    from awsprep.labs.shell import Shell
    from awsprep.sim import World

    _link_lessons()
    shell = Shell(World(seed=seed), folder)
    shell.debug = debug_enabled()  # the simulator's notes (modelled environments, …) after each command
    return shell


def _link_lessons() -> None:
    """Let the shell's line for a service the simulator does not run name the lesson to read."""
    from awsprep.cli.session import open_catalog
    from awsprep.errors import AwsprepError
    from awsprep.labs import lesson_links

    with contextlib.suppress(AwsprepError):  # broken content: the sandbox still runs, naming no lesson
        lesson_links.install(frozenset(open_catalog().lesson_by_topic))


def _run_script(shell: Shell, text: str, as_json: bool, stop_on_error: bool) -> int:
    from awsprep.labs.shell.script import run_script, script_status

    steps = run_script(shell, text, stop_on_error=stop_on_error)
    if as_json:
        sys.stdout.write(json.dumps([s.to_dict() for s in steps], indent=2) + "\n")
        return script_status(steps)
    for step in steps:  # a transcript, as the commands would have looked in a terminal
        sys.stdout.write(f"$ {step.command}\n{step.stdout}{step.stderr}")
        if step.exit_code:
            sys.stdout.write(f"[exit {step.exit_code}]\n")
    return script_status(steps)


def _interactive(shell: Shell, seed: int, *, kept: bool) -> None:
    from awsprep.cli.shell_prompt import attach_terminal, prompt_session, read_line, warm_up_in_background

    warm_up_in_background()
    session = prompt_session(shell)
    attach_terminal(shell)
    sys.stderr.write(
        f"awsprep sandbox: a simulated AWS account (seed {seed}); files live in {shell.scratch.root}\n"
        + (
            "(kept when you leave)\n"
            if kept
            else "(a temporary folder, deleted when you leave; --scratch DIR keeps files)\n"
        )
        + "Type `help` for the commands, `exit` or Ctrl-D to leave.\n"
    )
    while not shell.exited:
        try:
            line = read_line(session, shell.prompt)
        except KeyboardInterrupt:  # Ctrl-C clears the line, as in bash
            continue
        except EOFError:  # Ctrl-D: leave the instance first, then the sandbox
            if shell.session is None:
                sys.stderr.write("exit\n")
                break
            line = "exit"
        try:
            result = shell.run_line(line)
        except KeyboardInterrupt:  # Ctrl-C while a command runs: the command stops, the sandbox stays
            shell.last_status = 130
            sys.stderr.write("\n")
            continue
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
        sys.stderr.write(result.stderr)
        sys.stderr.flush()
