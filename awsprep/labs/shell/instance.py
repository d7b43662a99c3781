"""The shell inside an instance: what `ssh` opens and what cloud-init runs user data with.

The same interpreter serves both: as `ec2-user` (with `sudo`) at the `[ec2-user@ip-… ~]$` prompt, and as
root without a terminal for cloud-init, whose errors carry the script's name and line number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from awsprep.labs.shell import admin, stress
from awsprep.labs.shell.base import FsError, Handler, Heredoc, Interpreter, Result, split_flags
from awsprep.labs.shell.curlcmd import curl
from awsprep.labs.shell.guest import Guest
from awsprep.labs.shell.netcmd import Origin, ping
from awsprep.labs.shell.scratch import mode_string, parse_mode
from awsprep.sim import ec2
from awsprep.sim.core.clock import to_datetime

if TYPE_CHECKING:
    from awsprep.sim.world import World


# Real commands the simulation does not model: reported, never run, and not counted as failures.
NOT_SIMULATED = frozenset(
    {
        *("wget", "unzip", "tar", "git", "java", "python3", "pip3", "npm", "node", "docker"),
        *("sed", "awk", "grep", "cp", "mv", "rm", "tee", "useradd", "usermod", "crontab"),
        *("firewall-cmd", "setenforce", "ec2-metadata"),
    }
)


class GuestFS:
    """The redirection target of the instance shell: the instance's disk, as the current user."""

    def __init__(self, shell: InstanceShell) -> None:
        self.shell = shell

    def read(self, path: str) -> str:
        """Read as the current user."""
        return self.shell.guest.read(self.shell.abspath(path), self.shell.user)

    def write(self, path: str, text: str, append: bool = False) -> None:
        """Write as the current user."""
        self.shell.guest.write(self.shell.abspath(path), text, append, self.shell.user)


class InstanceShell(Interpreter):
    """bash on an instance (Amazon Linux 2023 unless the AMI says Ubuntu)."""

    def __init__(
        self,
        world: World,
        instance_id: str,
        region: str | None = None,
        user: str | None = None,
        interactive: bool = True,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(GuestFS(self))
        self.world = world
        self.region = region
        self.instance_id = instance_id
        self.guest = Guest(ec2.backend(world, region), instance_id)
        self.login_user = user or self.guest.default_user
        self.users = [self.login_user]  # `sudo su` pushes root; `exit` pops it
        self.cwd = Guest.home(self.login_user)
        self.interactive = interactive
        self.prefix = "-bash" if interactive else "bash"
        self.sleep = sleep or (lambda s: None)
        self.disconnected = ""  # set when the instance goes away under the session

    @property
    def user(self) -> str:
        """The effective user."""
        return self.users[-1]

    def prompt(self) -> str:
        """`[ec2-user@ip-172-31-5-10 ~]$ ` (`#` for root; Ubuntu's own style on Ubuntu)."""
        host = self.guest.hostname().split(".")[0]
        home = Guest.home(self.user)
        where = "~" if self.cwd == home else (self.cwd.rsplit("/", 1)[-1] or "/")
        mark = "#" if self.user == "root" else "$"
        if self.guest.distro == "ubuntu":
            return f"{self.user}@{host}:{'~' if self.cwd == home else self.cwd}{mark} "
        return f"[{self.user}@{host} {where}]{mark} "

    def abspath(self, path: str) -> str:
        """An absolute guest path (`~` is the user's home)."""
        if path == "~" or path.startswith("~/"):
            path = Guest.home(self.user) + path[1:]
        return Guest.norm(path, self.cwd)

    def environment(self) -> dict[str, str]:
        """Login variables."""
        return {
            "HOME": Guest.home(self.user),
            "USER": self.user,
            "HOSTNAME": self.guest.hostname(),
            "PWD": self.cwd,
            "SHELL": "/bin/bash",
            "PATH": "/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin",
        }

    def origin(self, stdout_is_file: bool = False) -> Origin:
        """Connections from this instance."""
        return Origin(self.world, self.instance_id, self.region, self.sleep, stdout_is_file)

    def alive(self) -> bool:
        """Whether the instance still runs (a stop or terminate ends the session)."""
        inst = ec2.backend(self.world, self.region).state.instances.get(self.instance_id)
        return inst is not None and inst.state == "running"

    def commands(self) -> dict[str, Handler]:
        """Everything this shell knows."""
        table = super().commands()
        table.update(
            {
                "cat": self.cat,
                "ls": self.ls,
                "mkdir": self.mkdir,
                "chmod": self.chmod,
                "pwd": lambda a, i: Result(0, self.cwd + "\n"),
                "cd": self.cd,
                "hostname": self.hostname,
                "whoami": lambda a, i: Result(0, self.user + "\n"),
                "id": self.id,
                "uname": lambda a, i: Result(0, _uname(a)),
                "date": lambda a, i: Result(0, to_datetime(self.world.now).strftime("%a %b %e %H:%M:%S UTC %Y\n")),
                "sleep": self.sleep_cmd,
                "curl": lambda a, i: curl(self.origin(self.stdout_is_file), a, self.fs),
                "ping": lambda a, i: ping(self.origin(), a),
                "dig": self.dig,
                "sudo": self.sudo,
                "su": self.su,
                "exit": self.exit,
                "logout": self.exit,
                "stress": lambda a, i: stress.run(self, "stress", a),
                "stress-ng": lambda a, i: stress.run(self, "stress-ng", a),
                "pkill": lambda a, i: stress.pkill(self, a),
                "killall": lambda a, i: stress.pkill(self, a),
                "nohup": lambda a, i: stress.nohup(self, a, i),
            }
        )
        table.update(admin.commands(self))
        return table

    def run_line(self, line: str, heredocs: list[Heredoc] | None = None) -> Result:
        """Run a line unless the instance went away under the session."""
        if not self.alive():
            self.exited = True
            return Result(255, "", self.disconnected or "")
        return super().run_line(line, heredocs)

    def not_found(self, name: str) -> Result:
        """Unknown names are bash's `command not found`; real tools the sandbox lacks say so."""
        if name in NOT_SIMULATED:
            return Result(0, "", f"{self.prefix}: {name}: not simulated by awsprep (skipped)\n")
        return super().not_found(name)

    # ----- commands ----------------------------------------------------------------------------------------
    def dig(self, args: list[str], stdin: str | None) -> Result:
        """`dig` once bind-utils is installed (Amazon Linux 2023 does not ship it)."""
        if not self.guest.installed("bind-utils"):
            return self.not_found("dig")
        from awsprep.labs.shell.digcmd import dig

        return dig(self.origin(), args)

    def exit(self, args: list[str], stdin: str | None) -> Result:
        """`exit` leaves `sudo su` first, then the session."""
        if len(self.users) > 1:
            self.users.pop()
            self.cwd = Guest.home(self.user) if self.cwd.startswith("/root") else self.cwd
            return Result(0, "exit\n" if self.interactive else "")
        return super().exit(args, stdin)

    def cat(self, args: list[str], stdin: str | None) -> Result:
        """`cat FILE...` (stdin without files)."""
        if not args:
            return Result(0, stdin or "")
        out, err, rc = [], [], 0
        for path in args:
            try:
                out.append(self.fs.read(path))
            except FsError as exc:
                err.append(f"cat: {exc}\n")
                rc = 1
        return Result(rc, "".join(out), "".join(err))

    def ls(self, args: list[str], stdin: str | None) -> Result:
        """`ls [-l] [-a] [PATH...]`."""
        flags, paths = split_flags(args, set())
        long = any(f in ("-l",) for f, _ in flags)
        out, err, rc = [], [], 0
        for path in paths or ["."]:
            try:
                names = self.guest.listdir(self.abspath(path))
            except FsError as exc:
                err.append(f"ls: {exc}\n")
                rc = 2
                continue
            for name in names:
                if long:
                    full = Guest.norm(name.rstrip("/"), self.abspath(path))
                    entry = self.guest.data["files"].get(full)
                    mode = int(entry["mode"]) if entry else 0o755
                    owner = str(entry["owner"]) if entry else "root"
                    size = len(str(entry["content"]).encode()) if entry else 4096
                    out.append(f"{mode_string(mode, entry is None)} 1 {owner} {owner} {size:>6} {name.rstrip('/')}\n")
                else:
                    out.append(name.rstrip("/") + "\n")
        return Result(rc, "".join(out), "".join(err))

    def mkdir(self, args: list[str], stdin: str | None) -> Result:
        """`mkdir [-p] DIR...`."""
        flags, paths = split_flags(args, set())
        parents = any(f in ("-p", "--parents") for f, _ in flags)
        err = []
        for path in paths:
            try:
                self.guest.mkdir(self.abspath(path), parents, self.user)
            except FsError as exc:
                err.append(f"mkdir: {exc}\n")
        return Result(1 if err else 0, "", "".join(err))

    def chmod(self, args: list[str], stdin: str | None) -> Result:
        """`chmod MODE FILE...`."""
        if len(args) < 2:
            return Result(1, "", "chmod: missing operand\n")
        err = []
        for path in args[1:]:
            full = self.abspath(path)
            entry = self.guest.data["files"].get(full)
            mode = parse_mode(args[0], int(entry["mode"]) if entry else 0o644)
            if mode is None:
                return Result(1, "", f"chmod: invalid mode: '{args[0]}'\n")
            try:
                self.guest.chmod(full, mode, self.user)
            except FsError as exc:
                err.append(f"chmod: {exc}\n")
        return Result(1 if err else 0, "", "".join(err))

    def cd(self, args: list[str], stdin: str | None) -> Result:
        """`cd [DIR]`."""
        target = self.abspath(args[0]) if args else Guest.home(self.user)
        if not self.guest.is_dir(target):
            return Result(1, "", f"{self.prefix}: cd: {args[0]}: No such file or directory\n")
        self.cwd = target
        return Result(0)

    def hostname(self, args: list[str], stdin: str | None) -> Result:
        """`hostname [-f|-s|-i|-I]`."""
        name = self.guest.hostname()
        ip = self.guest.inst.private_ip
        if "-s" in args:
            return Result(0, name.split(".")[0] + "\n")
        if "-i" in args:
            return Result(0, ip + "\n")
        if "-I" in args:
            return Result(0, ip + " \n")
        return Result(0, name + "\n")

    def id(self, args: list[str], stdin: str | None) -> Result:
        """`id`."""
        if self.user == "root":
            return Result(0, "uid=0(root) gid=0(root) groups=0(root)\n")
        u = self.user
        return Result(0, f"uid=1000({u}) gid=1000({u}) groups=1000({u}),4(adm),10(wheel),190(systemd-journal)\n")

    def sleep_cmd(self, args: list[str], stdin: str | None) -> Result:
        """`sleep N`: the simulated clock moves (not during cloud-init)."""
        try:
            seconds = float(args[0].rstrip("s")) if args else -1.0
        except ValueError:
            seconds = -1.0
        if seconds < 0:
            return Result(1, "", "sleep: invalid time interval\n")
        self.sleep(min(seconds, 86400.0))
        return Result(0)

    def sudo(self, args: list[str], stdin: str | None) -> Result:
        """`sudo CMD` as root; `sudo su`, `sudo -i`, `sudo -s` open a root shell."""
        if args in (["su"], ["su", "-"], ["-i"], ["-s"], ["su", "root"], ["bash"]):
            if self.interactive:
                self.users.append("root")
                if args != ["-s"]:
                    self.cwd = self.cwd if args[:1] == ["su"] else "/root"
            return Result(0)
        while args and args[0].startswith("-"):
            args = args[1:]
        if not args:
            return Result(1, "", "usage: sudo -h | -K | -k | -V\n")
        self.users.append("root")
        try:
            return self.dispatch(args, stdin)
        finally:
            self.users.pop()

    def su(self, args: list[str], stdin: str | None) -> Result:
        """`su` without sudo asks for root's password, which EC2 users never have."""
        if self.user == "root":
            return Result(0)
        return Result(1, "Password: ", "su: Authentication failure\n")


def _uname(args: list[str]) -> str:
    if "-a" in args:
        return "Linux ip-172-31-0-1.ec2.internal 6.1.119-129.201.amzn2023.x86_64 #1 SMP x86_64 GNU/Linux\n"
    if "-r" in args:
        return "6.1.119-129.201.amzn2023.x86_64\n"
    return "Linux\n"
