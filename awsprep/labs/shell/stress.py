"""`stress` and `stress-ng` inside an instance: CPU load on the simulated clock, and `nohup`/`pkill` around them.

`stress --cpu N --timeout 300` keeps N vCPUs busy for 300 simulated seconds (`stress-ng --cpu N [--cpu-load P]`
likewise; `--cpu 0` is every vCPU). The shell returns at once, as `nohup stress … &` would, and the load runs on
the instance: CPUUtilization is the busy vCPUs relative to the instance type's (ec2/metrics.py). Without
`--timeout` the load lasts until `pkill stress` or until the instance stops. Only the CPU workers load the
instance; `--io`, `--vm`, `--hdd` are accepted and say they are not simulated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.labs.shell.base import FsError, Result
from awsprep.sim import ec2
from awsprep.sim.ec2.catalog import INSTANCE_TYPES

if TYPE_CHECKING:
    from awsprep.labs.shell.instance import InstanceShell

FOREVER = -1.0
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(text: str) -> float | None:
    unit = text[-1] if text and text[-1] in UNITS else "s"
    number = text[:-1] if text and text[-1] in UNITS else text
    try:
        value = float(number)
    except ValueError:
        return None
    return value * UNITS[unit] if value > 0 else None


def run(shell: InstanceShell, tool: str, args: list[str]) -> Result:
    """`stress` / `stress-ng` with CPU workers."""
    if not shell.guest.installed(tool):
        return Result(127, "", f"-bash: {tool}: command not found\n")
    workers: int | None = None
    seconds = FOREVER
    cpu_load = 100.0
    other: list[str] = []
    i = 0
    while i < len(args):
        flag = args[i]
        value = args[i + 1] if i + 1 < len(args) else None
        name, _, inline = flag.partition("=")
        if inline:
            value = inline
        step = 1 if inline else 2
        if name in ("-c", "--cpu"):
            if value is None or not value.isdigit():
                return Result(1, "", f"{tool}: FAIL: [{_pid(shell)}] invalid number of cpu hogs: {value}\n")
            workers = int(value)
        elif name in ("-t", "--timeout"):
            parsed = _duration(value or "")
            if parsed is None:
                return Result(1, "", f"{tool}: FAIL: [{_pid(shell)}] invalid timeout value: {value}\n")
            seconds = parsed
        elif name == "--cpu-load" and tool == "stress-ng":
            if value is None or not value.isdigit() or not 0 <= int(value) <= 100:
                return Result(1, "", f"{tool}: invalid cpu-load value: {value}\n")
            cpu_load = float(value)
        elif name in ("-i", "--io", "-m", "--vm", "-d", "--hdd", "--vm-bytes", "--hdd-bytes", "--backoff"):
            other.append(name)
        elif name in ("-q", "--quiet", "-v", "--verbose", "--metrics-brief", "--metrics"):
            step = 1 if not inline else step
            i += 1
            continue
        else:
            return Result(1, "", f"{tool}: unrecognized option '{flag}'\n")
        i += step
    if workers is None:
        return Result(1, "", f"{tool}: FAIL: [{_pid(shell)}] no hogs specified (try --cpu N)\n")
    b = ec2.backend(shell.world, shell.region)
    inst = b.instance(shell.instance_id)
    vcpus = INSTANCE_TYPES[inst.instance_type].vcpus
    if workers == 0 and tool == "stress-ng":
        workers = vcpus
    pid = _pid(shell)
    percent = b.add_cpu_job(shell.instance_id, workers, None if seconds == FOREVER else seconds, cpu_load / 100.0)
    how = f"for {int(seconds)}s" if seconds != FOREVER else f"until stopped (pkill {tool})"
    lines = [f"{tool}: info: [{pid}] dispatching hogs: {workers} cpu, 0 io, 0 vm, 0 hdd\n"]
    if other:
        lines.append(f"{tool}: info: [{pid}] {', '.join(other)} workers are not simulated by awsprep\n")
    lines.append(f"(awsprep: {percent:.0f}% of this {vcpus}-vCPU instance busy {how}; the shell returns at once)\n")
    return Result(0, "".join(lines))


def _pid(shell: InstanceShell) -> int:
    return 2400 + len(ec2.backend(shell.world, shell.region).instance(shell.instance_id).loads)


def pkill(shell: InstanceShell, args: list[str]) -> Result:
    """`pkill stress` / `killall stress-ng`: ends the load now (other processes are not simulated)."""
    names = [a for a in args if not a.startswith("-")]
    if not names:
        return Result(2, "", "pkill: no matching criteria specified\n")
    if not any(n.startswith("stress") for n in names):
        return Result(1)
    ended = ec2.backend(shell.world, shell.region).end_cpu_jobs(shell.instance_id)
    return Result(0 if ended else 1)


def nohup(shell: InstanceShell, args: list[str], stdin: str | None) -> Result:
    """`nohup CMD …`: runs CMD; its output goes to ~/nohup.out, as when the terminal is not a file."""
    if not args:
        return Result(125, "", "nohup: missing operand\n")
    result = shell.dispatch(args, stdin)
    path = shell.abspath("~/nohup.out")
    try:
        shell.guest.write(path, result.stdout, append=True, user=shell.user)
    except FsError:  # nohup writes to the terminal when it cannot write the file
        return Result(result.exit_code, result.stdout, "nohup: ignoring input\n" + result.stderr)
    return Result(result.exit_code, "", "nohup: ignoring input and appending output to 'nohup.out'\n" + result.stderr)
