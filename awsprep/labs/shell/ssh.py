"""`ssh -i KEY USER@HOST [COMMAND]` from the laptop, checked in the order OpenSSH checks.

1. resolve the host; 2. connect to port 22 (a security group that drops it: timeout after ~130 s);
3. load the key: a missing file warns, a key readable by others is refused ("UNPROTECTED PRIVATE KEY
FILE!"), a file that is not a private key is "invalid format"; 4. the key must be the instance's key
pair and the user the AMI's user. Then a command runs there, or a session opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from awsprep.labs.shell.base import FsError, Result, split_flags
from awsprep.labs.shell.instance import InstanceShell
from awsprep.labs.shell.netcmd import DEFAULT_CONNECT_TIMEOUT, resolvable
from awsprep.labs.shell.scratch import ScratchFS
from awsprep.sim import Outcome, World, connect, ec2
from awsprep.sim.ec2 import home_region

USAGE = (
    "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n"
    "           [-c cipher_spec] [-D [bind_address:]port] [-E log_file] [-e escape_char]\n"
    "           [-F configfile] [-I pkcs11] [-i identity_file] [-J destination] [-L address]\n"
    "           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-P tag] [-p port]\n"
    "           [-R address] [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n"
    "           destination [command [argument ...]]\n"
)
AL2023_BANNER = r"""   ,     #_
   ~\_  ####_        Amazon Linux 2023
  ~~  \_#####\
  ~~     \###|
  ~~       \#/ ___   https://aws.amazon.com/linux/amazon-linux-2023
   ~~       V~' '->
    ~~~         /
      ~~._.   _/
         _/ _/
       _/m/'
"""
UBUNTU_BANNER = "Welcome to Ubuntu 24.04.1 LTS (GNU/Linux 6.8.0-1018-aws x86_64)\n\n"


@dataclass
class SshOutcome:
    """What `ssh` printed, and the session it opened (None when it ran a command or failed)."""

    result: Result
    session: InstanceShell | None = None


def _denied(user: str, host: str) -> str:
    return f"{user}@{host}: Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n"


def _unprotected(key: str, mode: int) -> str:
    bar = "@" * 59 + "\n"
    return (
        f"{bar}@         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n{bar}"
        f"Permissions {mode:04o} for '{key}' are too open.\n"
        "It is required that your private key files are NOT accessible by others.\n"
        "This private key will be ignored.\n"
        f'Load key "{key}": bad permissions\n'
    )


def ssh(
    world: World, fs: ScratchFS, args: list[str], known_hosts: set[str], sleep: Callable[[float], None]
) -> SshOutcome:
    """Run `ssh ARGS` from the laptop."""
    flags, operands = split_flags(args, {"-i", "-p", "-o", "-l", "-F", "-J"})
    if not operands:
        return SshOutcome(Result(255, "", USAGE))
    key = next((v for f, v in flags if f == "-i"), None)
    user, _, host = operands[0].rpartition("@")
    user = user or next((v for f, v in flags if f == "-l"), "") or "learner"
    command = " ".join(operands[1:])
    err: list[str] = []
    if key is not None and not fs.exists(key):
        err.append(f"Warning: Identity file {key} not accessible: No such file or directory.\n")
    if not resolvable(host) or host == "localhost":
        msg = (
            f"ssh: connect to host {host} port 22: Connection refused\n"
            if host == "localhost"
            else (f"ssh: Could not resolve hostname {host}: Name or service not known\n")
        )
        return SshOutcome(Result(255, "", "".join(err) + msg))
    reach = connect(world, host, 22)
    if reach.outcome is Outcome.TIMEOUT:
        sleep(DEFAULT_CONNECT_TIMEOUT)
        return SshOutcome(
            Result(255, "", "".join(err) + f"ssh: connect to host {host} port 22: Connection timed out\n")
        )
    if reach.outcome is Outcome.REFUSED or reach.instance_id is None:
        return SshOutcome(Result(255, "", "".join(err) + f"ssh: connect to host {host} port 22: Connection refused\n"))
    if host not in known_hosts:
        known_hosts.add(host)
        err.append(f"Warning: Permanently added '{host}' (ED25519) to the list of known hosts.\n")
    region = home_region(world, reach.instance_id) or world.default_region
    session = InstanceShell(world, reach.instance_id, region, interactive=not command, sleep=sleep)
    problem = _authenticate(world, fs, key, user, region, reach.instance_id)
    if problem is not None:
        return SshOutcome(Result(255, "", "".join(err) + problem + _denied(user, host)))
    if user != session.guest.default_user:
        if user == "root":
            note = f'Please login as the user "{session.guest.default_user}" rather than the user "root".\n\n'
            return SshOutcome(Result(0, note, "".join(err) + f"Connection to {host} closed.\n"))
        return SshOutcome(Result(255, "", "".join(err) + _denied(user, host)))
    session.disconnected = f"Connection to {host} closed by remote host.\nConnection to {host} closed.\n"
    if command:
        r = session.run_line(command)
        return SshOutcome(Result(r.exit_code, r.stdout, "".join(err) + r.stderr))
    banner = UBUNTU_BANNER if session.guest.distro == "ubuntu" else AL2023_BANNER
    return SshOutcome(Result(0, banner, "".join(err)), session)


def _authenticate(world: World, fs: ScratchFS, key: str | None, user: str, region: str, iid: str) -> str | None:
    """Why the key is not accepted (the lines ssh prints), or None when it is."""
    if key is None or not fs.exists(key):
        return ""
    try:
        mode = fs.mode(key)
        if mode & 0o077:
            return _unprotected(key, mode)
        text = fs.read(key)
    except FsError as exc:
        return f'Load key "{key}": {exc.reason}\n'
    if "PRIVATE KEY-----" not in text:
        return f'Load key "{key}": invalid format\n'
    b = ec2.backend(world, region)
    inst = b.instance(iid)
    if not b.key_matches(inst.key_name or "", text):
        return ""
    return None
