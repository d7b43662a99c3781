"""`load URL --requests N [--rate R/s] [--concurrency C] [-H 'K: V'] [-b JAR]`: many requests at once, and a
summary per target and per status code, so a learner sees round robin, weights, stickiness and failover.

C clients send at once, each its next request when its answer is in, so at most C requests are in flight
and a slow target holds its clients (what least outstanding requests sees); with `--rate R/s` the requests go
out in batches of C every C/R seconds (and still wait for a free client). The clock moves as the requests are
sent and answered. Each one is a real exchange through the simulated network, as curl's.
"""

from __future__ import annotations

import heapq
from collections import Counter
from urllib.parse import urlsplit

from awsprep.labs.shell.base import FileSystem, Result, split_flags
from awsprep.labs.shell.curlcmd import REASONS, Reply, read_cookies, request
from awsprep.labs.shell.netcmd import Origin
from awsprep.sim import Outcome

MAX_REQUESTS = 100_000
GIVE_UP = 10.0  # a client waits this long for a connection nothing answers, then counts a timeout
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
    start = origin.world.now
    counts = _send(origin, (host, port, path, parts.scheme), headers, count, settings)
    if counts is None:
        return Result(6, "", f"load: could not resolve host: {host}\n")
    by_target, by_status = counts
    took = origin.world.now - start
    lines = [f"{count} requests to {host} in {took:.3f}".rstrip("0").rstrip(".") + " simulated seconds"]
    lines += ["", "per target:"] + [f"  {t:<40} {n:>6}  {100 * n / count:5.1f}%" for t, n in sorted(by_target.items())]
    lines += ["", "per status:"] + [f"  {s:<40} {n:>6}" for s, n in sorted(by_status.items())]
    return Result(0, "\n".join(lines) + "\n")


def _send(
    origin: Origin,
    where: tuple[str, int, str, str],
    headers: dict[str, str],
    count: int,
    settings: dict[str, float],
) -> tuple[Counter[str], Counter[str]] | None:
    """Send `count` requests from `concurrency` clients on the clock: (per target, per status), or None
    when the host does not resolve."""
    host, port, path, scheme = where
    by_target: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    clients = max(1, int(settings["concurrency"]))
    start = origin.world.now
    free = [start] * clients  # when each client can send again (a heap)
    for i in range(count):
        at = heapq.heappop(free)
        if settings["rate"]:
            at = max(at, start + (i // clients) * clients / settings["rate"])
        if at > origin.world.now:
            origin.sleep(at - origin.world.now)
        reply = request(origin, host, port, "GET", path, headers, scheme)
        if reply is None:
            return None
        if not isinstance(reply, Reply):
            by_status[f"connection {reply.value}"] += 1
            heapq.heappush(free, origin.world.now + (GIVE_UP if reply is Outcome.TIMEOUT else 0.0))
            continue
        heapq.heappush(free, origin.world.now + reply.elapsed)
        by_status[f"{reply.status} {REASONS.get(reply.status, '')}".strip()] += 1
        by_target[reply.answered_by or "(the load balancer itself)"] += 1
    end = max(free)
    if end > origin.world.now:
        origin.sleep(end - origin.world.now)  # the last answers arrive
    return by_target, by_status
