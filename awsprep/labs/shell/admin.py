"""Administration inside an instance: `yum`/`dnf`, `systemctl`/`service`, power, and the AWS CLI there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.labs.shell.base import Handler, Result
from awsprep.labs.shell.guest import PACKAGES, SERVICES, Package
from awsprep.sim import ec2
from awsprep.sim.core.clock import to_datetime

if TYPE_CHECKING:
    from awsprep.labs.shell.instance import InstanceShell

NOT_ROOT = "Error: This command has to be run with superuser privileges (under the root user on most systems).\n"
AUTH = "Interactive authentication required."
RULE = "=" * 80 + "\n"


def commands(shell: InstanceShell) -> dict[str, Handler]:
    """The admin commands bound to one instance shell."""
    table: dict[str, Handler] = {
        "systemctl": lambda a, i: systemctl(shell, a),
        "service": lambda a, i: _service(shell, a),
        "shutdown": lambda a, i: power(shell, "shutdown", a),
        "poweroff": lambda a, i: power(shell, "shutdown", a),
        "halt": lambda a, i: power(shell, "shutdown", a),
        "reboot": lambda a, i: power(shell, "reboot", a),
        "aws": lambda a, i: aws_inside(shell, a),
    }
    if shell.guest.distro == "al2023":
        table["yum"] = table["dnf"] = lambda a, i: yum(shell, a)
    return table


def _stamp(shell: InstanceShell, ago: float = 3.0) -> str:
    when = to_datetime(shell.world.now - ago).strftime("%a %b %e %H:%M:%S %Y")
    return f"Last metadata expiration check: 0:00:03 ago on {when}.\n"


def yum(shell: InstanceShell, args: list[str]) -> Result:
    """`yum|dnf [-y] install PKG...`, `yum update [-y]` (Amazon Linux 2023 runs dnf behind both)."""
    assume_yes = any(a in ("-y", "--assumeyes") for a in args)
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return Result(1, "", "usage: dnf [options] COMMAND\n")
    verb, names = words[0], words[1:]
    if verb in ("list", "info", "search", "check-update"):
        rows = [
            f"{p.name}.x86_64  {p.version}  amazonlinux\n" for p in PACKAGES.values() if not names or p.name in names
        ]
        return Result(0, "".join(rows))
    if shell.user != "root":
        return Result(1, "", NOT_ROOT)
    if verb in ("update", "upgrade"):
        return Result(0, _stamp(shell) + "Dependencies resolved.\nNothing to do.\nComplete!\n")
    if verb == "remove":
        return Result(0, _stamp(shell) + "Dependencies resolved.\nComplete!\n")
    if verb != "install":
        return Result(1, "", f"No such command: {verb}. Please use /usr/bin/dnf --help\n")
    unknown = [n for n in names if n not in PACKAGES]
    if unknown:
        lines = "".join(f"No match for argument: {n}\n" for n in unknown)
        return Result(1, _stamp(shell) + lines, f"Error: Unable to find a match: {' '.join(unknown)}\n")
    todo = [PACKAGES[n] for n in names if not shell.guest.installed(n)]
    have = "".join(
        f"Package {n}-{PACKAGES[n].version}.x86_64 is already installed.\n" for n in names if shell.guest.installed(n)
    )
    if not todo:
        return Result(0, _stamp(shell) + have + "Dependencies resolved.\nNothing to do.\nComplete!\n")
    plan = _plan(todo)
    if not assume_yes and not shell.interactive:
        # No terminal to answer the question (cloud-init, `ssh host cmd`): dnf gives up.
        return Result(1, _stamp(shell) + have + plan + "Is this ok [y/N]: ", "Operation aborted.\n")
    question = "" if assume_yes else "Is this ok [y/N]: y\n"
    for pkg in todo:
        shell.guest.install(pkg)
    done = "".join(f"  {p.name}-{p.version}.x86_64\n" for p in todo)
    return Result(0, _stamp(shell) + have + plan + question + f"Downloading Packages:\nInstalled:\n{done}\nComplete!\n")


def _plan(pkgs: list[Package]) -> str:
    rows = "".join(f" {p.name:<24} x86_64   {p.version:<30} amazonlinux   {p.size}\n" for p in pkgs)
    head = f" {'Package':<24} Arch     {'Version':<30} Repository    Size\n"
    count = f"Install  {len(pkgs)} Package{'s' if len(pkgs) > 1 else ''}\n"
    return (
        "Dependencies resolved.\n"
        + RULE
        + head
        + RULE
        + "Installing:\n"
        + rows
        + "\nTransaction Summary\n"
        + RULE
        + count
    )


def _service(shell: InstanceShell, args: list[str]) -> Result:
    """`service httpd start` is redirected to systemctl on AL2023."""
    if len(args) < 2:
        return Result(
            1, "", "Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]\n"
        )
    r = systemctl(shell, [args[1], args[0]])
    note = f"Redirecting to /bin/systemctl {args[1]} {args[0]}.service\n"
    return Result(r.exit_code, r.stdout, note + r.stderr)


def systemctl(shell: InstanceShell, args: list[str]) -> Result:
    """`systemctl start|stop|restart|enable [--now]|disable|status|is-active|is-enabled UNIT`."""
    now = "--now" in args
    words = [a for a in args if not a.startswith("-")]
    if len(words) < 2:
        return Result(1, "", "Too few arguments.\n")
    verb, unit = words[0], words[1].removesuffix(".service")
    pkg = shell.guest.unit(unit)
    if verb == "status":
        return _status(shell, unit, pkg)
    if verb == "is-active":
        active = pkg is not None and shell.guest.is_active(pkg)
        return Result(0 if active else 3, "active\n" if active else "inactive\n")
    if verb == "is-enabled":
        enabled = pkg is not None and bool(shell.guest.service_state(unit)["enabled"])
        return Result(0 if enabled else 1, "enabled\n" if enabled else "disabled\n")
    if verb not in ("start", "stop", "restart", "reload", "enable", "disable"):
        return Result(1, "", f'Unknown command verb "{verb}".\n')
    if pkg is None:
        if verb in ("enable", "disable"):
            return Result(1, "", f"Failed to {verb} unit: Unit file {unit}.service does not exist.\n")
        return Result(5, "", f"Failed to {verb} {unit}.service: Unit {unit}.service not found.\n")
    if shell.user != "root":
        return Result(
            1,
            "",
            f"Failed to {verb} {unit}.service: {AUTH}\n"
            f"See system logs and 'systemctl status {unit}.service' for details.\n",
        )
    err = ""
    if verb in ("enable", "disable"):
        shell.guest.set_enabled(pkg, verb == "enable")
        link = f"/etc/systemd/system/multi-user.target.wants/{unit}.service"
        err = (
            f"Created symlink {link} → /usr/lib/systemd/system/{unit}.service.\n"
            if verb == "enable"
            else f'Removed "{link}".\n'
        )
        if not now:
            return Result(0, "", err)
        verb = "start" if verb == "enable" else "stop"
    if verb in ("start", "restart", "reload"):
        if shell.guest.port_taken(pkg):
            return Result(
                1,
                "",
                f"Job for {unit}.service failed because the control process exited with error code.\n"
                f'See "systemctl status {unit}.service" and "journalctl -xeu {unit}.service" for details.\n',
            )
        shell.guest.start(pkg)
    else:
        shell.guest.stop(pkg)
    return Result(0, "", err)


def _status(shell: InstanceShell, unit: str, pkg: Package | None) -> Result:
    if pkg is None:
        return Result(4, "", f"Unit {unit}.service could not be found.\n")
    state = shell.guest.service_state(unit)
    enabled = "enabled" if state["enabled"] else "disabled"
    active = shell.guest.is_active(pkg)
    lines = [
        f"{'●' if active else '○'} {unit}.service - {pkg.description}\n",
        f"     Loaded: loaded (/usr/lib/systemd/system/{unit}.service; {enabled}; preset: disabled)\n",
    ]
    if active:
        since = to_datetime(float(state["since"])).strftime("%a %Y-%m-%d %H:%M:%S UTC")
        ago = int(shell.world.now - float(state["since"]))
        lines.append(f"     Active: active (running) since {since}; {_ago(ago)} ago\n")
        lines.append(f"   Main PID: 2{len(unit)}41 ({unit})\n")
        if unit == "httpd":
            lines.append(
                '     Status: "Total requests: 0; Idle/Busy workers 100/0;'
                'Requests/sec: 0; Bytes served/sec:   0 B/sec"\n'
            )
    else:
        lines.append("     Active: inactive (dead)\n")
    return Result(0 if active else 3, "".join(lines))


def _ago(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}min {seconds % 60}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60}min"


def power(shell: InstanceShell, action: str, args: list[str]) -> Result:
    """`shutdown -h now` / `poweroff` follow InstanceInitiatedShutdownBehavior; `reboot` keeps the public IP."""
    if shell.user != "root":
        call = "Reboot" if action == "reboot" else "PowerOff"
        return Result(1, "", f"Call to {call} failed: {AUTH}\n")
    b = ec2.backend(shell.world, shell.region)
    host = b.public_address(b.instance(shell.instance_id)) or b.instance(shell.instance_id).private_ip
    if action == "reboot":
        b.reboot(b.instance(shell.instance_id))
    else:
        b.os_shutdown(shell.instance_id)
    shell.exited = True
    if not shell.interactive:
        return Result(0)
    return Result(255, "", f"Connection to {host} closed by remote host.\nConnection to {host} closed.\n")


def aws_inside(shell: InstanceShell, args: list[str]) -> Result:
    """The AWS CLI on the instance uses the instance profile's credentials, if it has one."""
    inst = shell.guest.inst
    if inst.iam_instance_profile_arn is None:
        msg = '\nUnable to locate credentials. You can configure credentials by running "aws configure".\n'
        return Result(253, "", msg)
    from awsprep.sim import run_cli

    region = shell.region or shell.world.default_region
    argv = args if "--region" in args else [*args, "--region", region]
    r = run_cli(shell.world, argv)
    return Result(r.exit_code, r.stdout, r.stderr)


__all__ = ["SERVICES", "commands"]
