"""The real AWS CLI (`awscli` v1) run in-process against a world: `run_cli(world, argv) -> CliResult`.

The CLI does its own argument parsing, help, shorthand, `--query`, `--output` and error lines; the
world answers through `glue.WorldHandlers`. Exit codes are AWS CLI v1's: 0 ok, 255 for a service
error or anything else, 252 for a command-line syntax error (argparse), 130 for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsprep.sim.frontends import gate
from awsprep.sim.frontends.boto import FAKE_KEY, FAKE_SECRET
from awsprep.sim.frontends.confine import Confinement
from awsprep.sim.frontends.glue import WorldHandlers
from awsprep.sim.world import World

# AWS CLI v2 flags that learners paste from the docs; v1 does not know them, and they change nothing here.
_V2_FLAGS_WITH_VALUE = {"--cli-binary-format", "--cli-auto-prompt-mode"}
_V2_FLAGS = {"--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt"}
REFUSED_EXIT = 255  # what the AWS CLI returns for a service error


@dataclass(frozen=True)
class CliResult:
    """What a shell would see: exit code, stdout, stderr."""

    exit_code: int
    stdout: str
    stderr: str


def strip_v2_flags(argv: list[str]) -> list[str]:
    """Drop `--cli-binary-format raw-in-base64-out`, `--no-cli-pager` and friends."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in _V2_FLAGS_WITH_VALUE:
            skip = "=" not in arg
            continue
        if name in _V2_FLAGS:
            continue
        out.append(arg)
    return out


class _Driver:
    """One cached awscli `CLIDriver` (building it costs ~300 ms; a command after that is cheap)."""

    def __init__(self) -> None:
        from awscli import clidriver

        self.world: World | None = None
        self.confinement = Confinement()
        with _cli_environment("us-east-1"):
            self.driver = clidriver.create_clidriver()
        session = self.driver.session
        _no_host_configuration(self.driver)
        # Every local path awscli opens goes through the confinement; unknown custom arguments are refused.
        self.confinement.install(session)
        events = session.get_component("event_emitter")
        gate.ArgumentGuard(self.confinement).register(events)
        WorldHandlers(self._current_world, text_timestamps=True).register(events)
        self._quiet_help()
        _tolerate_stale_boolean_checks()
        _speak_as_v2()

    def _current_world(self) -> World:
        assert self.world is not None
        return self.world

    def _quiet_help(self) -> None:
        """Render `help` as plain text on stdout instead of spawning groff and a pager."""
        from awscli import help as awshelp

        class TextRenderer(awshelp.WindowsHelpRenderer):  # type: ignore[misc]
            def _send_output_to_pager(self, output: bytes) -> None:
                sys.stdout.write(output.decode("utf-8", "replace"))

        awshelp.get_renderer = TextRenderer

    def run(
        self,
        world: World,
        argv: list[str],
        file_root: Path | None,
        sleep: Callable[[float], None],
        hint: Callable[[str], str | None] | None = None,
    ) -> int:
        self.world, self.confinement.root = world, file_root
        session = self.driver.session
        # Per-call globals (--region, --output, --profile) must not leak into the next command.
        for var in ("region", "output", "profile"):
            session._session_instance_vars.pop(var, None)
        with _cli_environment(world.default_region), _waiter_sleep(sleep), warnings.catch_warnings():
            # awscli's help leaves an examples file open; collect it here, quietly, not in the caller's code.
            warnings.simplefilter("ignore", ResourceWarning)
            refused = gate.refusal(self.driver, argv, world.services())
            if refused is not None:
                extra = hint(refused.service) if hint and refused.service else None
                text = f"{refused.text.rstrip('.')}; {extra}" if extra else refused.text
                sys.stderr.write(text + "\n")
                return REFUSED_EXIT
            try:
                rc: int = self.driver.main(argv) or 0
            except SystemExit as exc:  # argparse: usage errors
                rc = exc.code if isinstance(exc.code, int) else 252
            except KeyboardInterrupt:
                rc = 130
            if "help" in argv:
                gc.collect()
        return rc


def _speak_as_v2() -> None:
    """Learners are told they type AWS CLI v2 commands: v1's usage text opens with a banner urging them to install
    v2, which would only confuse them. Use v2's usage text (the same lines, without the banner)."""
    from awscli import argparser, clidriver

    usage = "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n" + argparser.HELP_BLURB
    # argparse prefixes "usage: " itself; the parsers read the module global each time one is built.
    argparser.USAGE = usage.removeprefix("usage: ")
    clidriver.USAGE = argparser.USAGE
    argparser.CLIArgParser._check_value = _check_choice
    # argparse names the program after sys.argv[0] ("awsprep"); the learner typed `aws`.
    argparser.ServiceArgParser.prog = property(lambda self: "aws", lambda self, value: None)
    argparser.ArgTableArgParser.prog = property(lambda self: "aws", lambda self, value: None)


def _check_choice(parser: Any, action: Any, value: str) -> None:
    """A mistyped service or operation: v1 lists every valid choice (EC2 alone has ~700, hundreds of lines) before
    its suggestion; v2 shows only the "Invalid choice …, maybe you meant" part. Do as v2 does."""
    import argparse
    from difflib import get_close_matches

    if action.choices is None or value in action.choices:
        return
    possible = get_close_matches(value, action.choices, cutoff=0.8)
    if possible:
        msg = f"Invalid choice: {value!r}, maybe you meant:\n\n" + "\n".join(f"  * {word}" for word in possible)
    else:
        msg = f"Invalid choice: {value!r} (`aws help` or `aws <command> help` lists the valid ones)"
    raise argparse.ArgumentError(action, msg)


def _tolerate_stale_boolean_checks() -> None:
    """awscli's `--flag`/`--no-flag` pairs (e.g. `modify-instance-attribute --disable-api-termination`) register a
    check on *every* later EC2 operation; in a cached driver it then fails on operations that lack those flags
    (`'Namespace' object has no attribute 'source_dest_check'`). Make the check skip flags the parse lacks."""
    from awscli.customizations import toplevelbool

    missing = toplevelbool._NOT_SPECIFIED

    def validate(boolean_pairs: list[tuple[Any, Any]], parsed_args: Any, **kwargs: Any) -> None:
        for positive, negative in boolean_pairs:
            if (
                getattr(parsed_args, positive.py_name, missing) is not missing
                and getattr(parsed_args, negative.py_name, missing) is not missing
            ):
                raise ValueError(
                    f'Cannot specify both the "{positive.cli_name}" option and the "{negative.cli_name}" option.'
                )

    toplevelbool.validate_boolean_mutex_groups = validate


def _no_host_configuration(driver: Any) -> None:
    """No aliases from `~/.aws/cli/alias` (a `!alias` runs a host program) and no models from `~/.aws/models`."""
    from awscli.alias import AliasLoader

    class NoAliases(AliasLoader):  # type: ignore[misc]
        def _load_aliases(self) -> dict[str, Any]:
            return {"toplevel": {}}

    driver.alias_loader = NoAliases()
    loader = driver.session.get_component("data_loader")
    shipped = [p for p in loader.search_paths if p != loader.CUSTOMER_DATA_PATH]
    loader.search_paths[:] = shipped


@contextlib.contextmanager
def _cli_environment(region: str) -> Iterator[None]:
    """Fake credentials and Region, no config files, no IMDS lookups — only for the duration of a call."""
    values = {
        "AWS_ACCESS_KEY_ID": FAKE_KEY,
        "AWS_SECRET_ACCESS_KEY": FAKE_SECRET,
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        # `help` renders with docutils, which otherwise reads /etc/docutils.conf, ./docutils.conf and ~/.docutils
        # (settings there can name files to write).
        "DOCUTILSCONFIG": "",
    }
    drop = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "AWS_DATA_PATH")
    saved = {k: os.environ.get(k) for k in (*values, *drop)}
    os.environ.update(values)
    for k in drop:
        os.environ.pop(k, None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _waiter_sleep(sleep: Callable[[float], None]) -> Iterator[None]:
    """`aws ec2 wait …` polls with time.sleep(15): move the simulated clock instead of waiting."""
    from botocore import waiter

    class _Time:
        def __getattr__(self, name: str) -> Any:
            import time

            return getattr(time, name)

        @staticmethod
        def sleep(seconds: float) -> None:
            sleep(seconds)

    original = waiter.time
    waiter.time = _Time()
    try:
        yield
    finally:
        waiter.time = original


_DRIVER: _Driver | None = None
# The driver is one per process and not re-entrant (it swaps stdout, the clock and handlers while it runs), so
# building it and running a command are serialised here, for every caller.
_LOCK = threading.RLock()


def _driver() -> _Driver:
    global _DRIVER  # noqa: PLW0603 - one driver per process is the whole point (it is expensive)
    with _LOCK:
        if _DRIVER is None:
            _DRIVER = _Driver()
        return _DRIVER


def warm_up() -> None:
    """Build the AWS CLI driver now (e.g. from a background thread, so a first prompt need not wait for it)."""
    _driver()


def run_cli(
    world: World,
    argv: list[str],
    *,
    file_root: Path | None = None,
    hint: Callable[[str], str | None] | None = None,
) -> CliResult:
    """Run `aws <argv…>` against `world` and capture what it prints.

    `argv` excludes the leading `aws`. Only the world's services' operations, `help` and `wait` run (see
    `gate.py`); every local path the CLI opens resolves inside `file_root` (`~` and relative paths; see
    `confine.py`), and with no `file_root` none is opened. A waiter's sleeps advance the world's clock.
    Never raises: every failure is an exit code and stderr text, as in a shell. `hint(service)` may add a line's
    end to the refusal of a service the world does not simulate (the labs point to a lesson; the simulator
    itself knows no content).
    """
    args = strip_v2_flags(list(argv))
    out, err = io.StringIO(), io.StringIO()
    with _LOCK, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = _driver().run(world, args, file_root, world.advance, hint)
        except Exception as exc:  # the CLI catches almost everything; this is the last guard
            err.write(f"\n{type(exc).__name__}: {exc}\n")
            rc = 255
    return CliResult(rc, out.getvalue(), err.getvalue())
