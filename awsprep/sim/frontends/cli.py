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

from awsprep.sim.frontends.boto import FAKE_KEY, FAKE_SECRET
from awsprep.sim.frontends.glue import WorldHandlers
from awsprep.sim.world import World

# AWS CLI v2 flags that learners paste from the docs; v1 does not know them, and they change nothing here.
_V2_FLAGS_WITH_VALUE = {"--cli-binary-format", "--cli-auto-prompt-mode"}
_V2_FLAGS = {"--no-cli-pager", "--cli-auto-prompt", "--no-cli-auto-prompt"}
# Commands that touch the learner's real configuration or the network outside the API.
_BLOCKED = {"configure", "sso", "login", "logout", "history"}
# Global options that take a value (so the service name is the first word that is neither these nor a flag).
_GLOBAL_WITH_VALUE = {
    "--region",
    "--output",
    "--profile",
    "--query",
    "--endpoint-url",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
}
# Top-level words that are not services: the CLI answers them itself.
_CLI_WORDS = {"help"}


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
        from awscli import clidriver, paramfile

        self.world: World | None = None
        self.file_root: Path | None = None
        with _cli_environment("us-east-1"):
            self.driver = clidriver.create_clidriver()
        session = self.driver.session
        # awscli registers its file:// / http:// handler on every `session-initialized`; replace it
        # with one that reads files only under `file_root` and never fetches URLs.
        session.unregister("session-initialized", paramfile.register_uri_param_handler)
        session.register("load-cli-arg", self._load_param_file)
        WorldHandlers(self._current_world).register(session.get_component("event_emitter"))
        self._quiet_help()
        _tolerate_stale_boolean_checks()

    def _current_world(self) -> World:
        assert self.world is not None
        return self.world

    def _load_param_file(self, event_name: str, param: Any, value: Any, **kwargs: Any) -> Any:
        from awscli import argprocess, paramfile

        qualified = ".".join(event_name.split(".")[1:])
        if qualified in paramfile.PARAMFILE_DISABLED or getattr(param, "no_paramfile", None):
            return None
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if not isinstance(value, str):
            return None
        for prefix, mode in (("fileb://", "rb"), ("file://", "r")):
            if value.startswith(prefix):
                try:
                    return _read_confined(value[len(prefix) :], mode, self.file_root)
                except OSError as err:
                    raise argprocess.ParamError(param.cli_name, f"Unable to load paramfile {value}: {err}") from err
        return None

    def _quiet_help(self) -> None:
        """Render `help` as plain text on stdout instead of spawning groff and a pager."""
        from awscli import help as awshelp

        class TextRenderer(awshelp.WindowsHelpRenderer):  # type: ignore[misc]
            def _send_output_to_pager(self, output: bytes) -> None:
                sys.stdout.write(output.decode("utf-8", "replace"))

        awshelp.get_renderer = TextRenderer

    def run(self, world: World, argv: list[str], file_root: Path | None, sleep: Callable[[float], None]) -> int:
        self.world, self.file_root = world, file_root
        session = self.driver.session
        # Per-call globals (--region, --output, --profile) must not leak into the next command.
        for var in ("region", "output", "profile"):
            session._session_instance_vars.pop(var, None)
        with _cli_environment(world.default_region), _waiter_sleep(sleep), warnings.catch_warnings():
            # awscli's help leaves an examples file open; collect it here, quietly, not in the caller's code.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                rc: int = self.driver.main(argv) or 0
            except SystemExit as exc:  # argparse: usage errors
                rc = exc.code if isinstance(exc.code, int) else 252
            except KeyboardInterrupt:
                rc = 130
            if "help" in argv:
                gc.collect()
        return rc


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


def _read_confined(path: str, mode: str, root: Path | None) -> str | bytes:
    target = Path(os.path.expanduser(path))
    if root is not None:
        target = (root / target).resolve()
        if root.resolve() not in (target, *target.parents):
            raise PermissionError("outside the sandbox folder")
    with open(target, mode, encoding=None if "b" in mode else "utf-8") as f:
        data: str | bytes = f.read()
        return data


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
    }
    drop = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE")
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


def _command_words(args: list[str]) -> list[str]:
    """The service and operation words of a command line, past the global options."""
    words: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("--"):
            skip = arg in _GLOBAL_WITH_VALUE
        else:
            words.append(arg)
            if len(words) == 2:
                break
    return words


def not_simulated(args: list[str]) -> str | None:
    """The one honest line for a command whose service (or `help` page) awsprep does not simulate, else None.

    `core.registry` is the single answer to what is simulated, so a service that lands is let through here with
    no change to this module. Its operations that are missing are answered by the service itself.
    """
    from awsprep.sim.core.registry import not_simulated_message, simulated

    words = _command_words(args)
    if not words or words[0] in _CLI_WORDS or words[0] in simulated():
        return None
    operation = words[1] if len(words) > 1 and words[1] != "help" else None
    return not_simulated_message(words[0], operation)


def run_cli(world: World, argv: list[str], *, file_root: Path | None = None) -> CliResult:
    """Run `aws <argv…>` against `world` and capture what it prints.

    `argv` excludes the leading `aws`. `file_root` confines `file://`/`fileb://` parameters to one
    folder (relative paths resolve inside it). A waiter's sleeps advance the world's clock.
    Never raises: every failure is an exit code and stderr text, as in a shell.
    """
    args = strip_v2_flags(list(argv))
    if args and args[0] in _BLOCKED:
        msg = f"aws {args[0]}: not available in the awsprep simulator (credentials and Region are simulated)\n"
        return CliResult(252, "", msg)
    refused = not_simulated(args)
    if refused is not None:
        return CliResult(255, "", refused + "\n")
    out, err = io.StringIO(), io.StringIO()
    with _LOCK, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = _driver().run(world, args, file_root, world.advance)
        except Exception as exc:  # the CLI catches almost everything; this is the last guard
            err.write(f"\n{type(exc).__name__}: {exc}\n")
            rc = 255
    return CliResult(rc, out.getvalue(), err.getvalue())
