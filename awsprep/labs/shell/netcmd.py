"""Where connections start (`Origin`), name resolution, connect errors, and `ping`, from the learner's laptop or
from inside an instance, over the simulated network (`curl` is in curlcmd.py).

A packet a security group drops *times out* (curl exit 28, after the connect timeout, which moves the
simulated clock); a port nothing listens on is *refused* (exit 7). Inside an instance, 169.254.169.254
is that instance's IMDS and `localhost` its own daemons.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from awsprep.labs.shell.base import Result, split_flags
from awsprep.sim import Outcome, World, connect
from awsprep.sim.net import INTERNET, find_endpoint

# Linux gives up on an unanswered SYN after about 130 s (tcp_syn_retries=6); curl's default waits for that.
DEFAULT_CONNECT_TIMEOUT = 130.0
IMDS_IP = "169.254.169.254"
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


def resolvable(host: str, world: World | None = None) -> bool:
    """Whether DNS answers for `host`: an address, an EC2 name, or (given the world) any endpoint's name: a
    load balancer's DNS name resolves once it is active, and no longer once it is deleted."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    if _AWS_NAME.match(host) or host == "localhost":
        return True
    return world is not None and find_endpoint(world, host) is not None


def fail(code: int, message: str, show: bool) -> Result:
    return Result(code, "", f"curl: ({code}) {message}\n" if show else "")


def connect_error(
    origin: Origin, outcome: Outcome, host: str, port: int, timeout: float, explicit: bool, show: bool
) -> Result:
    if outcome is Outcome.REFUSED:
        return fail(7, f"Failed to connect to {host} port {port} after 0 ms: Connection refused", show)
    origin.sleep(timeout)
    ms = int(timeout * 1000) + 2
    if explicit:
        return fail(28, f"Connection timed out after {ms} milliseconds", show)
    return fail(28, f"Failed to connect to {host} port {port} after {ms} ms: Connection timed out", show)


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
