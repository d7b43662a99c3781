"""`curl` from the learner's laptop or from inside an instance, over the simulated network.

A packet a security group drops *times out* (curl exit 28, after the connect timeout, which moves the
simulated clock); a port nothing listens on is *refused* (exit 7); a name nothing answers to does not resolve
(exit 6: a load balancer still provisioning, or deleted). Inside an instance, 169.254.169.254 is that
instance's IMDS and `localhost` its own daemons. Load balancers answer whole requests (Host header, cookies):
`-v` shows which node, rule, target group and target answered; `-b`/`-c` keep stickiness cookies in a jar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from awsprep.labs.shell.base import FileSystem, FsError, Result, split_flags
from awsprep.labs.shell.netcmd import DEFAULT_CONNECT_TIMEOUT, IMDS_IP, Origin, connect_error, fail, resolvable
from awsprep.sim import Outcome, ec2, imds_request
from awsprep.sim.core.endpoint import HttpResponse
from awsprep.sim.net import http_request, serve

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}
_METER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
    "100 {size:>5}  100 {size:>5}    0     0   {speed:>4}      0 --:--:-- --:--:-- --:--:--  {speed:>4}\n"
)
_VALUE_FLAGS = {
    "-m",
    "--max-time",
    "--connect-timeout",
    "-X",
    "--request",
    "-H",
    "--header",
    "-o",
    "--output",
    "-w",
    "--write-out",
    "-d",
    "--data",
    "-A",
    "--user-agent",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
}
_REDIRECTS = (301, 302, 303, 307, 308)
_FAILURES = {  # what curl 8 with OpenSSL 3 prints when a connection gives no HTTP answer
    "reset": (56, "Recv failure: Connection reset by peer"),
    "empty-reply": (52, "Empty reply from server"),
    "tls-mismatch": (35, "OpenSSL/3.2.2: error:0A00010B:SSL routines::wrong version number"),
}


@dataclass
class Reply:
    """One HTTP answer as curl prints it."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    trace: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    answered_by: str = ""
    failure: str = ""  # the connection gave no HTTP answer: "reset", "empty-reply", "tls-mismatch"
    settle: Callable[[float], HttpResponse | None] | None = None  # see HttpResponse.settle
    log_from: int = -1  # where this answer's `-v` lines start in the log
    relog: Callable[[Reply], list[str]] | None = None  # the `-v` lines of another answer to the same request


@dataclass
class Pending:
    """A `curl URL &` whose answer is still on its way: finish(now) is what it prints once it is complete (or
    cut short), None before; `ends` is when it completes if nothing cuts it."""

    ends: float
    finish: Callable[[float], Result | None]


@dataclass
class CurlArgs:
    """What the command line asked for."""

    url: str
    opts: set[str]
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = DEFAULT_CONNECT_TIMEOUT
    explicit_timeout: bool = False
    out_file: str | None = None
    write_out: str | None = None
    jar_out: str | None = None
    cookie_in: list[str] = field(default_factory=list)

    @property
    def silent(self) -> bool:
        return bool(self.opts & {"-s", "--silent"})

    @property
    def show_err(self) -> bool:
        return not self.silent or bool(self.opts & {"-S", "--show-error"})

    @property
    def verbose(self) -> bool:
        return bool(self.opts & {"-v", "--verbose"})


def parse(args: list[str]) -> CurlArgs | Result:
    """The options curl understands here, or the usage error it prints."""
    flags, urls = split_flags(args, _VALUE_FLAGS)
    if not urls:
        return Result(2, "", "curl: try 'curl --help' or 'curl --manual' for more information\n")
    opts = {name for name, _ in flags}
    url = urls[0] if "://" in urls[0] else "http://" + urls[0]
    ca = CurlArgs(url, opts, "HEAD" if opts & {"-I", "--head"} else "GET")
    for name, value in flags:
        if name in ("-X", "--request"):
            ca.method = value.upper()
        elif name in ("-H", "--header"):
            key, _, val = value.partition(":")
            ca.headers[key.strip()] = val.strip()
        elif name in ("-m", "--max-time", "--connect-timeout"):
            try:
                ca.timeout = float(value)
            except ValueError:
                return Result(2, "", f"curl: option {name}: expected a proper numerical parameter\n")
            ca.explicit_timeout = True
        elif name in ("-o", "--output"):
            ca.out_file = value
        elif name in ("-w", "--write-out"):
            ca.write_out = value
        elif name in ("-b", "--cookie"):
            ca.cookie_in.append(value)
        elif name in ("-c", "--cookie-jar"):
            ca.jar_out = value
    return ca


def curl(origin: Origin, args: list[str], fs: FileSystem, pending: list[Pending] | None = None) -> Result:
    """`curl [-s] [-S] [-i] [-I] [-v] [-f] [-L] [-m SECS] [-X METHOD] [-H 'K: V'] [-b JAR|'K=V'] [-c JAR]
    [-o FILE] [-w '%{http_code}'] URL`. With `pending` (a background job, `curl URL &`) the request is sent now
    and the clock does not wait: its output is a `Pending` appended there."""
    ca = parse(args)
    if isinstance(ca, Result):
        return ca
    started, waited = origin.world.now, [0.0]
    if pending is not None:
        origin = replace(origin, sleep=lambda s: waited.__setitem__(0, waited[0] + s))
    cookies = read_cookies(ca.cookie_in, fs)
    log: list[str] = []
    reply, host = _hops(origin, ca, cookies, log)
    if pending is None:
        return reply if isinstance(reply, Result) else _render(origin, ca, reply, host, cookies, log, fs)
    ends = started + waited[0]

    def finish(now: float) -> Result | None:
        if isinstance(reply, Reply) and reply.settle is not None:
            cut = reply.settle(now)
            if cut is not None:  # the target went away mid-request: the proxy's own answer, at that moment
                answer = _reply_of(cut)
                if reply.relog is not None and reply.log_from >= 0:
                    log[reply.log_from :] = reply.relog(answer)
                return _render(origin, ca, answer, host, cookies, log, fs)
        if now < ends:
            return None
        return reply if isinstance(reply, Result) else _render(origin, ca, reply, host, cookies, log, fs)

    pending.append(Pending(ends, finish))
    return Result(0)


def _hops(origin: Origin, ca: CurlArgs, cookies: dict[str, str], log: list[str]) -> tuple[Reply | Result, str]:
    """The exchanges of one curl (-L follows a few redirects): the last answer, or the error that ended it."""
    url, host = ca.url, ""
    reply: Reply | Result = Result(1, "", "")
    for _hop in range(6):
        sent = dict(ca.headers)
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        reply, host = _exchange(origin, ca, url, sent, log)
        if isinstance(reply, Result):
            return reply, host
        for c in reply.cookies:
            name, _, rest = c.partition("=")
            cookies[name] = rest.split(";", 1)[0]
        location = reply.headers.get("Location")
        if not (ca.opts & {"-L", "--location"} and reply.status in _REDIRECTS and location):
            break
        url = location
    return reply, host


def _exchange(
    origin: Origin, ca: CurlArgs, url: str, headers: dict[str, str], log: list[str]
) -> tuple[Reply | Result, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return fail(3, "URL rejected: Port number was not a decimal number between 0 and 65535", ca.show_err), ""
    if parts.scheme not in ("http", "https"):
        return fail(1, f'Protocol "{parts.scheme}" not supported', ca.show_err), ""
    host = parts.hostname or ""
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    reply = request(origin, host, port, ca.method, path, headers, parts.scheme)
    if reply is None:
        return fail(6, f"Could not resolve host: {host}", ca.show_err), host
    if isinstance(reply, Outcome):
        return connect_error(origin, reply, host, port, ca.timeout, ca.explicit_timeout, ca.show_err), host
    if reply.failure in _FAILURES:
        code, text = _FAILURES[reply.failure]
        return fail(code, text, ca.show_err), host
    if reply.status == 0 and reply.elapsed:  # a pass-through load balancer whose target dropped the connection
        return connect_error(origin, Outcome.TIMEOUT, host, port, ca.timeout, ca.explicit_timeout, ca.show_err), host
    if reply.elapsed:  # the answer took that long (a slow page, a load balancer's timeout): so does curl
        if ca.explicit_timeout and reply.elapsed > ca.timeout:
            origin.sleep(ca.timeout)
            ms = int(ca.timeout * 1000)
            return fail(28, f"Operation timed out after {ms} milliseconds with 0 bytes received", ca.show_err), host
        origin.sleep(reply.elapsed)
    if ca.verbose:
        reply.log_from = len(log)
        reply.relog = lambda answer: _verbose(ca, host, port, path, headers, answer)
        log += reply.relog(reply)
    return reply, host


def _verbose(ca: CurlArgs, host: str, port: int, path: str, headers: dict[str, str], reply: Reply) -> list[str]:
    """What `-v` prints for one exchange: the request, what handled it, the response's head."""
    lines = [
        f"* Connected to {host} port {port}",
        f"> {ca.method} {path} HTTP/1.1",
        f"> Host: {headers.get('Host', host)}",
    ]
    lines += [f"> {k}: {v}" for k, v in headers.items() if k != "Host"] + [">"]
    lines += [f"* {line}" for line in reply.trace]
    return lines + [f"< {line}" for line in head_lines(reply)] + ["<"]


def _render(
    origin: Origin, ca: CurlArgs, reply: Reply, host: str, cookies: dict[str, str], log: list[str], fs: FileSystem
) -> Result:
    status = reply.status
    if status == 0:  # reached something that is not HTTP (sshd on 22)
        return fail(1, "Received HTTP/0.9 when not allowed", ca.show_err)
    if ca.jar_out:
        write_jar(fs, ca.jar_out, cookies, host)
    if ca.opts & {"-f", "--fail"} and status >= 400:
        return fail(22, f"The requested URL returned error: {status}", ca.show_err)
    head = "".join(line + "\r\n" for line in head_lines(reply)) + "\r\n"
    text = head if ca.method == "HEAD" else (head if ca.opts & {"-i", "--include"} else "") + reply.body
    written = ""  # -w goes to stdout even when -o sends the body to a file
    if ca.write_out is not None:
        written = (
            ca.write_out.replace("%{http_code}", str(status))
            .replace("%{response_code}", str(status))
            .replace("\\n", "\n")
        )
    meter = ""
    if not ca.silent and not ca.verbose and (ca.out_file or origin.stdout_is_file):
        size = len(text.encode())
        meter = _METER.format(size=size, speed=f"{max(size // 2, 1)}")
    stderr = "".join(line + "\n" for line in log) + meter
    if ca.out_file:
        try:
            fs.write(ca.out_file, text)
        except FsError as err:
            return fail(
                23, f"Failure writing output to destination, passed {len(text)} returned 0 ({err})", ca.show_err
            )
        return Result(0, written, stderr)
    return Result(0, text + written, stderr)


def head_lines(reply: Reply) -> list[str]:
    """The status line and headers, as `-i` and `-v` print them."""
    lines = [f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, '')}".rstrip()]
    headers = dict(reply.headers)
    headers.setdefault("Content-Length", str(len(reply.body.encode())))
    lines += [f"{k}: {v}" for k, v in headers.items() if v]
    lines += [f"Set-Cookie: {c}" for c in reply.cookies]
    return lines


def read_cookies(sources: list[str], fs: FileSystem) -> dict[str, str]:
    """`-b 'K=V; K2=V2'` literally, or `-b FILE` (a Netscape cookie jar `-c` wrote; a missing one is empty)."""
    out: dict[str, str] = {}
    for src in sources:
        if "=" in src:
            for part in src.split(";"):
                k, sep, v = part.strip().partition("=")
                if sep:
                    out[k] = v
            continue
        try:
            text = fs.read(src)
        except FsError:
            continue
        for line in text.splitlines():
            cols = line.split("\t")
            if len(cols) == 7 and not line.startswith("#"):
                out[cols[5]] = cols[6]
    return out


def write_jar(fs: FileSystem, path: str, cookies: dict[str, str], host: str) -> None:
    """`-c FILE`: the cookies in libcurl's Netscape format (curl says nothing when it cannot write it)."""
    lines = ["# Netscape HTTP Cookie File", "# This file was generated by libcurl! Edit at your own risk.", ""]
    lines += [f"{host}\tFALSE\t/\tFALSE\t0\t{k}\t{v}" for k, v in cookies.items()]
    try:
        fs.write(path, "\n".join(lines) + "\n")
    except FsError:
        return


def request(
    origin: Origin, host: str, port: int, method: str, path: str, headers: dict[str, str], scheme: str
) -> Reply | Outcome | None:
    """The HTTP exchange, the outcome that prevented it, or None (no DNS)."""
    world = origin.world
    if origin.instance_id and host == IMDS_IP:
        if scheme != "http" or port != 80:
            return Outcome.TIMEOUT
        r = imds_request(world, origin.instance_id, method, path, headers, origin.region)
        return Reply(r.status, r.body, {"Content-Type": r.headers.get("Content-Type", "")})
    if origin.instance_id and host in ("localhost", "127.0.0.1"):
        # Loopback never meets a security group.
        if ec2.backend(world, origin.region).served(origin.instance_id, port) is None:
            return Outcome.REFUSED
        status, body, ctype = serve(world, origin.instance_id, port, method, path) or (0, "", "")
        return Reply(status, body, {"Content-Type": ctype})
    if not resolvable(host, world):
        return None
    tls = scheme == "https"
    reach, response = http_request(world, host, port, method, path, headers, origin.source, origin.region, tls)
    if reach.outcome is not Outcome.CONNECTED:
        return reach.outcome
    if reach.endpoint_id is None:
        return Outcome.TIMEOUT
    if response is None:  # something answered that is not HTTP (sshd on 22)
        return Reply(0, "")
    return _reply_of(response)


def _reply_of(response: HttpResponse) -> Reply:
    return Reply(
        response.status,
        response.body,
        dict(response.headers),
        list(response.trace),
        list(response.set_cookies),
        response.elapsed,
        response.answered_by,
        response.failure,
        response.settle,
    )
