"""`load lambda FUNCTION --concurrency N [--duration 60s] [--every 1s] [--qualifier Q] [--payload JSON]`: batches of
N synchronous invocations at the same simulated instant, so a learner sees concurrency, throttles (429) and cold
starts. The counting is the simulator's (`lambda_.load`); this module parses and prints."""

from __future__ import annotations

import json

from awsprep.labs.shell.base import Result, split_flags
from awsprep.labs.shell.netcmd import Origin
from awsprep.sim import AwsError, lambda_

USAGE = "usage: load lambda FUNCTION --concurrency N [--duration 60s] [--every 1s] [--qualifier Q] [--payload JSON]\n"
MAX_CONCURRENCY = 5000


def _seconds(text: str, what: str) -> float | str:
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    scale = units.get(text[-1:], 1.0)
    number = text[:-1] if text[-1:] in units else text
    try:
        value = float(number) * scale
    except ValueError:
        return f"load: {what} must be a number of seconds (60s, 2m), not '{text}'\n"
    if value <= 0:
        return f"load: {what} must be greater than 0\n"
    return value


def load_lambda(origin: Origin, args: list[str]) -> Result:
    """Run the batches and print the summary."""
    flags, rest = split_flags(args, {"--concurrency", "-c", "--duration", "--every", "--qualifier", "--payload"})
    if len(rest) != 1:
        return Result(2, "", USAGE)
    settings: dict[str, str] = {"--concurrency": "1", "--duration": "60s", "--every": "1s", "--payload": "{}"}
    for name, value in flags:
        settings["--concurrency" if name == "-c" else name] = value
    try:
        concurrency = int(settings["--concurrency"])
    except ValueError:
        return Result(2, "", f"load: --concurrency must be a whole number, not '{settings['--concurrency']}'\n")
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        return Result(2, "", f"load: --concurrency must be between 1 and {MAX_CONCURRENCY}\n")
    duration = _seconds(settings["--duration"], "--duration")
    every = _seconds(settings["--every"], "--every")
    if isinstance(duration, str):
        return Result(2, "", duration)
    if isinstance(every, str):
        return Result(2, "", every)
    try:
        json.loads(settings["--payload"])
    except ValueError:
        return Result(2, "", "load: --payload must be JSON\n")
    try:
        report = lambda_.load(
            origin.world,
            rest[0],
            concurrency,
            duration,
            every,
            settings["--payload"],
            settings.get("--qualifier"),
            origin.region,
            origin.sleep,
        )
    except AwsError as err:
        return Result(1, "", f"load: {err.code}: {err.message}\n")
    return Result(0, "\n".join(report.lines(concurrency, every)) + "\n")
