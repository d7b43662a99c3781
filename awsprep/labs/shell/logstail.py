"""`aws logs tail GROUP [--follow] [--since 10m] [--format detailed|short|json] [--filter-pattern P]
[--log-stream-names S...] [--log-stream-name-prefix P]`: an AWS CLI v2 command that the bundled v1 CLI lacks,
so the sandbox provides it over CloudWatch Logs' FilterLogEvents, with v2's output formats.

`--follow` runs on the sandbox clock: each step moves the simulated clock one second (timers fire: Lambda
writes its logs, alarms change state) and prints what arrived. At a terminal it runs `FOLLOW_SPEED` simulated
seconds per real second until Ctrl-C (exit 130, as bash reports a command Ctrl-C stopped); in a script or
with its output redirected it needs a limit, `timeout 2m aws logs tail GROUP --follow` (exit 124 when the
time is up, as coreutils' timeout).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from awsprep.labs.shell.base import Result
from awsprep.sim import AwsError, World

FOLLOW_SPEED = 10.0  # simulated seconds per real second while following at a terminal
GLOBAL_WITH_VALUE = {
    "--region",
    "--output",
    "--profile",
    "--color",
    "--endpoint-url",
    "--query",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-binary-format",
}
GLOBAL_FLAGS = {"--no-cli-pager", "--no-paginate", "--no-verify-ssl", "--no-sign-request"}
USAGE = (
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
    "To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\n"
)
RELATIVE = re.compile(r"^(\d+)([smhdw])$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


@dataclass
class Terminal:
    """Where a follow writes as events arrive (None: no terminal), how it waits, and its time limit."""

    live: Callable[[str], None] | None = None
    pace: Callable[[float], None] = lambda seconds: None
    limit: float | None = None  # simulated seconds, from `timeout`


def split_globals(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """The global options before the service (`--region X`) and the words from the service on."""
    opts: dict[str, str] = {}
    i = 0
    while i < len(argv) and argv[i].startswith("--"):
        name, eq, value = argv[i].partition("=")
        if name in GLOBAL_FLAGS:
            opts[name] = ""
        elif name in GLOBAL_WITH_VALUE:
            if not eq:
                i += 1
                value = argv[i] if i < len(argv) else ""
            opts[name] = value
        else:
            break
        i += 1
    return opts, argv[i:]


def is_tail(argv: list[str]) -> bool:
    """Whether `aws ARGV` is `aws [globals] logs tail ...`."""
    return split_globals(argv)[1][:2] == ["logs", "tail"]


def _usage(message: str) -> Result:
    return Result(252, "", f"{USAGE}aws: error: {message}\n")


def _since(text: str, now: float) -> float | None:
    m = RELATIVE.match(text)
    if m:
        return now - int(m.group(1)) * UNITS[m.group(2)]
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or dt.UTC).timestamp()


def _stamp(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000.0, tz=dt.UTC)


def render(event: dict[str, object], fmt: str) -> str:
    """One event as v2 prints it: detailed `ISO-TIME STREAM MESSAGE`, short `TIME MESSAGE`, json (pretty)."""
    when = _stamp(int(str(event["timestamp"])))
    message = str(event["message"])
    if fmt == "detailed":
        line = f"{when.isoformat()} {event['logStreamName']} {message}"
    else:
        if fmt == "json":
            with contextlib.suppress(ValueError):
                message = json.dumps(json.loads(message), indent=4)
        line = f"{when.strftime('%Y-%m-%dT%H:%M:%S')} {message}"
    return line if line.endswith("\n") else line + "\n"


@dataclass
class Options:
    """What `aws logs tail` was asked for."""

    group: str = ""
    follow: bool = False
    since: str = "10m"
    fmt: str = "detailed"
    params: dict[str, object] = field(default_factory=dict)


VALUED = {"--since", "--format", "--filter-pattern", "--log-stream-name-prefix", "--color"}


def parse(args: list[str]) -> Options | Result:
    """The command's options (a usage error as awscli words it otherwise)."""
    opts = Options()
    i = 0
    while i < len(args):
        a = args[i]
        name, eq, got = a.partition("=")
        if a == "--follow":
            opts.follow = True
        elif name == "--log-stream-names":
            names = []
            while i + 1 < len(args) and not args[i + 1].startswith("--"):
                i += 1
                names.append(args[i])
            if not names:
                return _usage("argument --log-stream-names: expected at least one argument")
            opts.params["logStreamNames"] = names
        elif name in VALUED:
            if not eq:
                i += 1
                if i >= len(args):
                    return _usage(f"argument {name}: expected one argument")
                got = args[i]
            problem = _set(opts, name, got)
            if problem:
                return _usage(problem)
        elif a.startswith("-") or opts.group:
            return _usage(f"Unknown options: {a}")
        else:
            opts.group = a
        i += 1
    if not opts.group:
        return _usage("the following arguments are required: group_name")
    return opts


def _set(opts: Options, name: str, value: str) -> str:
    if name == "--since":
        opts.since = value
    elif name == "--format":
        if value not in ("detailed", "short", "json"):
            return "argument --format: Invalid choice, valid choices are:\n\ndetailed | short | json"
        opts.fmt = value
    elif name == "--filter-pattern":
        opts.params["filterPattern"] = value
    elif name == "--log-stream-name-prefix":
        opts.params["logStreamNamePrefix"] = value
    return ""


def _error(err: AwsError) -> str:
    return f"\nAn error occurred ({err.code}) when calling the FilterLogEvents operation: {err.message}\n"


def tail(world: World, argv: list[str], env_region: str | None, term: Terminal) -> Result:
    """Run `aws [globals] logs tail ...`."""
    from awsprep.sim import logs

    globals_, words = split_globals(argv)
    region = globals_.get("--region") or env_region or world.default_region
    opts = parse(words[2:])
    if isinstance(opts, Result):
        return opts
    start = _since(opts.since, world.now)
    if start is None:
        return _usage(
            f"argument --since: unable to parse '{opts.since}': use a relative time (5m, 2h, 1d, 1w) "
            "or a timestamp (2025-01-06T09:00:00Z)"
        )
    params = {**opts.params, "logGroupName": opts.group, "startTime": int(start * 1000)}
    if opts.follow and term.live is None and term.limit is None:
        return Result(
            1,
            "",
            "aws logs tail --follow runs until you press Ctrl-C, which a script cannot: give it a limit, "
            f"e.g. timeout 2m aws logs tail {opts.group} --follow\n",
        )
    try:
        first = logs.filter_events(world, region, params)
    except AwsError as err:
        return Result(255, "", _error(err))
    out = [render(e, opts.fmt) for e in first]
    if not opts.follow:
        return Result(0, "".join(out))
    return _follow(world, region, params, first, opts.fmt, out, term)


def _follow(
    world: World,
    region: str,
    params: dict[str, object],
    first: list[dict[str, object]],
    fmt: str,
    out: list[str],
    term: Terminal,
) -> Result:
    from awsprep.sim import logs

    seen = {str(e["eventId"]) for e in first}
    last = max((int(str(e["timestamp"])) for e in first), default=int(str(params["startTime"])))
    elapsed = 0.0
    try:
        if term.live is not None:
            term.live("".join(out))
            out = []
        while term.limit is None or elapsed < term.limit:
            world.advance(1)
            elapsed += 1
            fresh = [
                e
                for e in logs.filter_events(world, region, {**params, "startTime": last})
                if str(e["eventId"]) not in seen
            ]
            for e in fresh:
                seen.add(str(e["eventId"]))
                last = max(last, int(str(e["timestamp"])))
            text = "".join(render(e, fmt) for e in fresh)
            if term.live is not None:
                if text:
                    term.live(text)
                term.pace(1 / FOLLOW_SPEED)
            else:
                out.append(text)
    except KeyboardInterrupt:  # Ctrl-C ends a follow, as in the real CLI: back to the prompt
        return Result(130, "".join(out))
    except AwsError as err:  # the group was deleted while we followed
        return Result(
            255,
            "".join(out),
            f"\nAn error occurred ({err.code}) when calling the FilterLogEvents operation: {err.message}\n",
        )
    return Result(124, "".join(out))
