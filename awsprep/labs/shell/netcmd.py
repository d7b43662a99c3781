"""`curl` and `ping`, from the learner's laptop or from inside an instance, over the simulated network.

A packet a security group drops *times out* (curl exit 28, after the connect timeout, which moves the
simulated clock); a port nothing listens on is *refused* (exit 7). Inside an instance, 169.254.169.254
is that instance's IMDS and `localhost` its own daemons.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from awsprep.labs.shell.base import FileSystem, FsError, Result, split_flags
from awsprep.sim import Outcome, World, connect, ec2, imds_request
from awsprep.sim.net import INTERNET, serve

# Linux gives up on an unanswered SYN after about 130 s (tcp_syn_retries=6); curl's default waits for that.
DEFAULT_CONNECT_TIMEOUT = 130.0
IMDS_IP = "169.254.169.254"
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
}
_METER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
    "100 {size:>5}  100 {size:>5}    0     0   {speed:>4}      0 --:--:-- --:--:-- --:--:--  {speed:>4}\n"
)
_CURL_VALUE_FLAGS = {
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
}
_AWS_NAME = re.compile(r"^(ec2-[\d-]+\.[\w.-]*amazonaws\.com|ip-[\d-]+\.[\w.-]*internal)$")


@dataclass
class Origin:
    """Where a connection starts: the laptop (`instance_id` None) or an instance."""

    world: World
    instance_id: str | None = None
    region: str | None = None
    sleep: Callable[[float], None] = field(default=lambda s: None)  # waiting moves the clock (not in cloud-init)
    stdout_is_file: bool = False  # curl draws its progress meter only when stdout is not a terminal

    @property
    def source(self) -> str:
        """The `source` argument of the simulator's `connect`."""
        return self.instance_id or INTERNET


def resolvable(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_AWS_NAME.match(host)) or host == "localhost"


def curl(origin: Origin, args: list[str], fs: FileSystem) -> Result:
    """`curl [-s] [-S] [-i] [-I] [-f] [-m SECS] [-X METHOD] [-H 'K: V'] [-o FILE] URL`."""
    flags, urls = split_flags(args, _CURL_VALUE_FLAGS)
    opts = {name for name, _ in flags}
    silent = bool(opts & {"-s", "--silent"})
    show_err = not silent or bool(opts & {"-S", "--show-error"})
    if not urls:
        return Result(2, "", "curl: try 'curl --help' or 'curl --manual' for more information\n")
    method = "HEAD" if opts & {"-I", "--head"} else "GET"
    headers: dict[str, str] = {}
    timeout = DEFAULT_CONNECT_TIMEOUT
    out_file = None
    for name, value in flags:
        if name in ("-X", "--request"):
            method = value.upper()
        elif name in ("-H", "--header"):
            key, _, val = value.partition(":")
            headers[key.strip()] = val.strip()
        elif name in ("-m", "--max-time", "--connect-timeout"):
            try:
                timeout = float(value)
            except ValueError:
                return Result(2, "", f"curl: option {name}: expected a proper numerical parameter\n")
        elif name in ("-o", "--output"):
            out_file = value
    url = urls[0] if "://" in urls[0] else "http://" + urls[0]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _fail(3, "URL rejected: Port number was not a decimal number between 0 and 65535", show_err)
    if parts.scheme not in ("http", "https"):
        return _fail(1, f'Protocol "{parts.scheme}" not supported', show_err)
    host = parts.hostname or ""
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    explicit_timeout = any(name in ("-m", "--max-time", "--connect-timeout") for name, _ in flags)
    reply = _request(origin, host, port, method, path, headers, parts.scheme)
    if reply is None:
        return _fail(6, f"Could not resolve host: {host}", show_err)
    if isinstance(reply, Outcome):
        return _connect_error(origin, reply, host, port, timeout, explicit_timeout, show_err)
    status, body, content_type = reply
    if status == 0:  # reached something that is not HTTP (sshd on 22)
        return _fail(1, "Received HTTP/0.9 when not allowed", show_err)
    if opts & {"-f", "--fail"} and status >= 400:
        return _fail(22, f"The requested URL returned error: {status}", show_err)
    head = (
        f"HTTP/1.1 {status} {REASONS.get(status, '')}\r\n"
        + (f"Content-Type: {content_type}\r\n" if content_type else "")
        + f"Content-Length: {len(body.encode())}\r\n\r\n"
    )
    text = head if method == "HEAD" else (head if opts & {"-i", "--include"} else "") + body
    meter = ""
    if not silent and (out_file or origin.stdout_is_file):
        size = len(text.encode())
        meter = _METER.format(size=size, speed=f"{max(size // 2, 1)}")
    if out_file:
        try:
            fs.write(out_file, text)
        except FsError as err:
            return _fail(23, f"Failure writing output to destination, passed {len(text)} returned 0 ({err})", show_err)
        return Result(0, "", meter)
    return Result(0, text, meter)


def _request(
    origin: Origin, host: str, port: int, method: str, path: str, headers: dict[str, str], scheme: str
) -> tuple[int, str, str] | Outcome | None:
    """(status, body, content type) of an HTTP exchange, the outcome that prevented it, or None (no DNS)."""
    world = origin.world
    if origin.instance_id and host == IMDS_IP:
        if scheme != "http" or port != 80:
            return Outcome.TIMEOUT
        r = imds_request(world, origin.instance_id, method, path, headers, origin.region)
        return r.status, r.body, r.headers.get("Content-Type", "")
    if origin.instance_id and host in ("localhost", "127.0.0.1"):
        # Loopback never meets a security group.
        if ec2.backend(world, origin.region).served(origin.instance_id, port) is None:
            return Outcome.REFUSED
        return serve(world, origin.instance_id, port, method, path) or (0, "", "")
    if not resolvable(host):
        return None
    reach = connect(world, host, port, "tcp", origin.source, origin.region)
    if reach.outcome is not Outcome.CONNECTED:
        return reach.outcome
    if reach.instance_id is None:
        return Outcome.TIMEOUT
    # None: something answered that is not HTTP (sshd on 22)
    return serve(world, reach.instance_id, port, method, path) or (0, "", "")


def _fail(code: int, message: str, show: bool) -> Result:
    return Result(code, "", f"curl: ({code}) {message}\n" if show else "")


def _connect_error(
    origin: Origin, outcome: Outcome, host: str, port: int, timeout: float, explicit: bool, show: bool
) -> Result:
    if outcome is Outcome.REFUSED:
        return _fail(7, f"Failed to connect to {host} port {port} after 0 ms: Connection refused", show)
    origin.sleep(timeout)
    ms = int(timeout * 1000) + 2
    if explicit:
        return _fail(28, f"Connection timed out after {ms} milliseconds", show)
    return _fail(28, f"Failed to connect to {host} port {port} after {ms} ms: Connection timed out", show)


def ping(origin: Origin, args: list[str]) -> Result:
    """`ping [-c N] HOST`: four echo requests unless `-c` says otherwise (real ping runs until Ctrl-C)."""
    flags, hosts = split_flags(args, {"-c", "-W", "-i", "-w"})
    count = 4
    for name, value in flags:
        if name == "-c":
            if not value.isdigit() or int(value) < 1:
                return Result(1, "", f"ping: invalid argument: '{value}'\n")
            count = min(int(value), 20)
    if not hosts:
        return Result(1, "", "ping: usage error: Destination address required\n")
    host = hosts[0]
    if not resolvable(host):
        return Result(2, "", f"ping: {host}: Name or service not known\n")
    reach = connect(origin.world, host, 0, "icmp", origin.source, origin.region)
    origin.sleep(float(count))
    lines = [f"PING {host} ({host}) 56(84) bytes of data.\n"]
    received = count if reach.outcome is Outcome.CONNECTED else 0
    for seq in range(1, received + 1):
        lines.append(f"64 bytes from {host}: icmp_seq={seq} ttl=115 time={11.8 + seq * 0.3:.1f} ms\n")
    loss = 0 if received else 100
    lines.append(f"\n--- {host} ping statistics ---\n")
    lines.append(
        f"{count} packets transmitted, {received} received, {loss}% packet loss, time {count * 1000 - 997}ms\n"
    )
    if received:
        lines.append("rtt min/avg/max/mdev = 12.100/12.850/13.600/0.559 ms\n")
    return Result(0 if received else 1, "".join(lines))
