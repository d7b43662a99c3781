"""`load URL --requests N [--rate R/s] [--concurrency C] [-H 'K: V'] [-b JAR]`: many requests at once, and a
summary per target and per status code, so a learner sees round robin, weights, stickiness and failover.

Requests go out in batches of C at the same simulated instant; the clock moves C/R seconds between batches
(no `--rate`: no time passes). Each one is a real exchange through the simulated network, as curl's.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from awsprep.labs.shell.base import FileSystem, Result, split_flags
from awsprep.labs.shell.curlcmd import REASONS, Reply, read_cookies, request
from awsprep.labs.shell.netcmd import Origin

MAX_REQUESTS = 100_000
USAGE = "usage: load URL --requests N [--rate R/s] [--concurrency C] [-H 'Name: value'] [-b COOKIES|JAR]\n"


def _number(text: str, what: str) -> float | str:
    value = text.removesuffix("/s")
    try:
        number = float(value)
    except ValueError:
        return f"load: {what} must be a number, not '{text}'\n"
    if number <= 0:
        return f"load: {what} must be greater than 0\n"
    return number


def load(origin: Origin, args: list[str], fs: FileSystem) -> Result:
    """Send the requests and print the summary (`load lambda FUNCTION ...`: concurrent invocations instead)."""
    if args[:1] == ["lambda"]:
        from awsprep.labs.shell.loadlambda import load_lambda

        return load_lambda(origin, args[1:])
    flags, urls = split_flags(args, {"--requests", "-n", "--rate", "--concurrency", "-c", "-H", "--header", "-b"})
    if len(urls) != 1:
        return Result(2, "", USAGE)
    settings = {"requests": 100.0, "rate": 0.0, "concurrency": 1.0}
    headers: dict[str, str] = {}
    cookie_in: list[str] = []
    for name, value in flags:
        key = {
            "-n": "requests",
            "--requests": "requests",
            "--rate": "rate",
            "-c": "concurrency",
            "--concurrency": "concurrency",
        }.get(name)
        if key is not None:
            number = _number(value, name)
            if isinstance(number, str):
                return Result(2, "", number)
            settings[key] = number
        elif name in ("-H", "--header"):
            k, _, v = value.partition(":")
            headers[k.strip()] = v.strip()
        elif name == "-b":
            cookie_in.append(value)
        else:
            return Result(2, "", f"load: unknown option {name}\n" + USAGE)
    count = int(settings["requests"])
    if count > MAX_REQUESTS:
        return Result(2, "", f"load: at most {MAX_REQUESTS} requests at a time\n")
    cookies = read_cookies(cookie_in, fs)
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    url = urls[0] if "://" in urls[0] else "http://" + urls[0]
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    by_target: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    batch = max(1, int(settings["concurrency"]))
    start = origin.world.now
    for i in range(count):
        if settings["rate"] and i and i % batch == 0:
            origin.sleep(batch / settings["rate"])
        reply = request(origin, host, port, "GET", path, headers, parts.scheme)
        if reply is None:
            return Result(6, "", f"load: could not resolve host: {host}\n")
        if not isinstance(reply, Reply):
            by_status[f"connection {reply.value}"] += 1
            continue
        by_status[f"{reply.status} {REASONS.get(reply.status, '')}".strip()] += 1
        by_target[reply.answered_by or "(the load balancer itself)"] += 1
    took = origin.world.now - start
    lines = [f"{count} requests to {host} in {took:g} simulated seconds"]
    lines += ["", "per target:"] + [f"  {t:<40} {n:>6}  {100 * n / count:5.1f}%" for t, n in sorted(by_target.items())]
    lines += ["", "per status:"] + [f"  {s:<40} {n:>6}" for s, n in sorted(by_status.items())]
    return Result(0, "\n".join(lines) + "\n")
