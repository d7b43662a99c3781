"""The sandbox shell: the learner's laptop (`aws`, `curl`, `ssh`, `ping`, the clock, files) and, after `ssh`,
the session on the instance. `Shell.run_line` never raises; every line and its result go into `history`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from awsprep.labs import cloudinit
from awsprep.labs.shell import awscmd, files, views
from awsprep.labs.shell.base import FsError, Handler, Heredoc, Interpreter, Result, split_flags
from awsprep.labs.shell.billingcmd import billing
from awsprep.labs.shell.chart import chart_command
from awsprep.labs.shell.curlcmd import curl
from awsprep.labs.shell.digcmd import dig
from awsprep.labs.shell.inbox import inbox
from awsprep.labs.shell.instance import InstanceShell
from awsprep.labs.shell.jobs import Jobs
from awsprep.labs.shell.loadcmd import load
from awsprep.labs.shell.logstail import Terminal, is_tail, tail
from awsprep.labs.shell.netcmd import Origin, ping
from awsprep.labs.shell.scratch import ScratchFS, mode_string, parse_mode
from awsprep.labs.shell.ssh import ssh
from awsprep.sim import SimEvent, World

LAPTOP_PROMPT = "learner@laptop:~/sandbox$ "
MAX_ADVANCE = 366 * 86400.0
HELP = """\
The awsprep sandbox: a simulated AWS account and your laptop. Nothing runs on your computer.

  aws ...                    the real AWS CLI, against the simulator (try: aws ec2 describe-instances)
  curl [-s] [-i] [-v] URL    HTTP from your laptop (security groups apply; a dropped packet times out);
                             also -I -o FILE -w '%{http_code}' -m S -H 'Host: …' -b/-c JAR -L
  curl URL &                 in the background: its answer arrives on the clock (a bare `wait` waits for it)
  load URL --requests N      many requests at once: a summary per target and status (--rate R/s, --concurrency C)
  load lambda FN -c N        N concurrent invocations every second for a minute (--duration, --every, --qualifier)
  for i in $(seq 10); do …; done   a one-line loop
  ssh -i KEY ec2-user@HOST   log in to an instance (needs port 22 open and `chmod 400 KEY`)
  ping HOST                  ICMP echo (needs an ICMP rule)
  dig @SERVER NAME [TYPE]    a DNS query over UDP (+short, -p PORT, -b 0.0.0.0#PORT, CH TXT hostname.bind)
  wait 5m | advance 90s      move the simulated clock (instances boot in about 10 s)
  state                      what exists in the account
  bill                       what it has cost so far
  billing alerts on          the account's Billing preference for CloudWatch billing alerts
  chart cpu --asg NAME       a CloudWatch metric drawn in the terminal (chart metric NS NAME --dimension k=v
                             --since 2h [--alarm NAME]); try `chart help`
  inbox [show N|confirm N]   your email: what SNS sends to subscribed addresses
  aws logs tail GROUP [--follow]  log events; --follow runs the clock (10x) until Ctrl-C
  timeout 2m COMMAND         stop COMMAND after 2 simulated minutes (--follow in a script)
  reset                      a fresh account (files in the scratch folder stay)
  ls, cat, chmod, rm, echo   files in the scratch folder; `>` and `>>` write there
  mkdir -p, cp, mv, rm -r    folders and copies (all inside the scratch folder)
  cat > f.py <<'EOF'         a here-document: type the lines, then EOF
  edit FILE                  $EDITOR on FILE, or type the text and end with a line holding `.`
  zip -r fn.zip FILES, unzip -l fn.zip   packages for Lambda (`zip -r layer.zip python`)
  NAME=value, $NAME, $(...)  variables, e.g. IID=$(aws ec2 run-instances ... --output text)
  clear, history, help, exit
"""


@dataclass(frozen=True)
class Entry:
    """One line typed, the prompt it was typed at, and what it printed."""

    prompt: str
    command: str
    result: Result


DEBUG_PREFIX = "awsprep debug: "
DEBUG_SHOWN = 20  # a burst of thousands of modelled invocations shows its first notes, a count and its last one


def debug_lines(world: World) -> str:
    """Take the simulator's notes since the last line, as `awsprep debug:` lines (empty when there are none)."""
    from awsprep.sim import debug_notes

    notes, dropped = debug_notes(world)
    if not notes:
        return ""
    if len(notes) > DEBUG_SHOWN:
        hidden = len(notes) - DEBUG_SHOWN + dropped
        notes = [*notes[: DEBUG_SHOWN - 1], f"... {hidden} more notes like these ...", notes[-1]]
    elif dropped:
        notes = [f"... {dropped} earlier notes dropped ...", *notes]
    return "".join(f"{DEBUG_PREFIX}{n}\n" for n in notes)


class Shell(Interpreter):
    """The sandbox shell over a world and a scratch folder (pure: no terminal)."""

    def __init__(self, world: World, scratch_dir: Path) -> None:
        self.scratch = ScratchFS(scratch_dir)
        super().__init__(self.scratch)
        self.world = world
        self.session: InstanceShell | None = None
        self.history: list[Entry] = []
        self.known_hosts: set[str] = set()
        # Set by an interactive front end: where `aws logs tail --follow` writes as events arrive, how it waits
        # between clock steps (time.sleep). `timeout` sets a limit in simulated seconds for the next command.
        self.live: Callable[[str], None] | None = None
        self.pace: Callable[[float], None] = lambda seconds: None
        self.time_limit: float | None = None
        # `edit`: the host's $EDITOR and how to run it on one scratch file, and a way to read typed lines; set by
        # an interactive front end only (a script has no terminal to edit in).
        self.host_editor: str | None = None
        self.run_editor: Callable[[list[str]], int] | None = None
        self.read_lines: Callable[[], list[str]] | None = None
        # `--debug`: after each line, the simulator's notes (environments it modelled rather than ran, …) go to
        # stderr. Notes are taken after every line either way, so a later `--debug` line shows only its own.
        self.debug = False
        self.jobs = Jobs()  # `curl URL &` in the background (shell/jobs.py)
        cloudinit.install(world)

    @property
    def prompt(self) -> str:
        """The prompt to show now: the laptop's, or `[ec2-user@ip-… ~]$ ` inside an instance."""
        return self.session.prompt() if self.session is not None else LAPTOP_PROMPT

    def environment(self) -> dict[str, str]:
        """The laptop's variables."""
        return {"USER": "learner", "SHELL": "/bin/bash", "PWD": "~/sandbox"}

    def run_line(self, line: str, heredocs: list[Heredoc] | None = None) -> Result:
        """Run a line on the laptop, or in the instance after `ssh`; record it in `history`."""
        if self._depth > 0:  # a `$(...)` inside a laptop line
            return super().run_line(line, heredocs)
        if heredocs is None and "\n" in line:  # typed at the prompt with its here-document (read_line joins them)
            from awsprep.labs.shell.script import script_lines

            parsed = script_lines(line)
            if len(parsed) == 1 and parsed[0].heredocs:
                line, heredocs = parsed[0].text, parsed[0].heredocs
        prompt = self.prompt
        try:
            result = self._in_session(line, heredocs) if self.session else super().run_line(line, heredocs)
        except Exception as exc:  # the last guard: nothing a learner types may end the sandbox
            result = Result(1, "", f"awsprep: internal error in the sandbox: {type(exc).__name__}: {exc}\n")
        if self.jobs.table:
            result = self.jobs.reap(self.world.now, result)
        notes = debug_lines(self.world)
        if notes:
            result = Result(result.exit_code, result.stdout, result.stderr + (notes if self.debug else ""), notes)
        self.history.append(Entry(prompt, line, result))
        return result

    def _in_session(self, line: str, heredocs: list[Heredoc] | None) -> Result:
        assert self.session is not None
        result = self.session.run_line(line, heredocs)
        if self.session.exited:
            host = self.session.disconnected.split("Connection to ")[-1].split(" ")[0]
            if self.session.alive() and result.exit_code != 255:
                result = Result(
                    result.exit_code, result.stdout + "logout\n", result.stderr + f"Connection to {host} closed.\n"
                )
            self.session = None
        return result

    def commands(self) -> dict[str, Handler]:
        """The laptop's commands."""
        table = super().commands()
        table.update(
            {
                "aws": self.aws,
                "timeout": self.timeout,
                "curl": lambda a, i: curl(self._origin(), a, self.scratch, self.jobs.collecting),
                "ping": lambda a, i: ping(self._origin(), a),
                "dig": lambda a, i: dig(self._origin(), a),
                "load": lambda a, i: load(self._origin(), a, self.scratch),
                "ssh": self.ssh,
                "wait": self.wait,
                "advance": lambda a, i: self.advance(a),
                "sleep": lambda a, i: self.advance(a, quiet=True),
                "state": lambda a, i: Result(0, "\n".join(views.render(t) for t in views.state_tables(self.world))),
                "bill": self.bill,
                "billing": lambda a, i: billing(self.world, a),
                "chart": lambda a, i: chart_command(self.world, a),
                "inbox": lambda a, i: inbox(self.world, a),
                "reset": self.reset,
                "help": lambda a, i: Result(0, HELP),
                "history": self.show_history,
                "ls": self.ls,
                "cat": self.cat,
                "chmod": self.chmod,
                "rm": lambda a, i: files.rm(self.scratch, a),
                "mkdir": lambda a, i: files.mkdir(self.scratch, a),
                "cp": lambda a, i: files.cp(self.scratch, a),
                "mv": lambda a, i: files.mv(self.scratch, a),
                "zip": lambda a, i: files.zip_cmd(self.scratch, a, self.world.now),
                "edit": self.edit,
                "unzip": lambda a, i: files.unzip(self.scratch, a),
                "pwd": lambda a, i: Result(0, "~/sandbox\n"),
            }
        )
        return table

    def aws(self, args: list[str], stdin: str | None) -> Result:
        """`aws ...`: the bundled CLI, or the sandbox's `aws logs tail` (a v2 command v1 lacks)."""
        env = {**self.vars, **self.command_env}
        if is_tail(args):
            live = None if self.stdout_is_file else self.live
            term = Terminal(live, self.pace, self.time_limit)
            return tail(self.world, args, env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"), term)
        return awscmd.aws(self.world, self.scratch, args, env)

    def timeout(self, args: list[str], stdin: str | None) -> Result:
        """`timeout DURATION COMMAND...`: stop a command that keeps the clock running (`aws logs tail --follow`,
        `sleep`) after DURATION of simulated time, with coreutils' status 124."""
        if len(args) < 2:
            return Result(125, "", "timeout: missing operand\nTry 'timeout --help' for more information.\n")
        seconds = views.parse_duration(args[0])
        if seconds is None:
            return Result(125, "", f"timeout: invalid time interval '{args[0]}'\n")
        saved = self.time_limit
        self.time_limit = seconds if saved is None else min(saved, seconds)
        try:
            return self.dispatch(args[1:], stdin)
        finally:
            self.time_limit = saved

    def _origin(self) -> Origin:
        return Origin(self.world, None, None, self.world.advance, self.stdout_is_file)

    # ----- the simulation -------------------------------------------------------------------------------
    def ssh(self, args: list[str], stdin: str | None) -> Result:
        """`ssh -i KEY USER@HOST [COMMAND]`; without a command the next lines run on the instance."""
        outcome = ssh(self.world, self.scratch, args, self.known_hosts, self.world.advance)
        self.session = outcome.session
        return outcome.result

    def start_job(self, text: str) -> Result | None:
        """`curl URL &` on the laptop is a real background job (shell/jobs.py)."""
        return None if self.session is not None else self.jobs.start(text, self._run_command)

    def wait(self, args: list[str], stdin: str | None) -> Result:
        """`wait 30s` moves the clock; a bare `wait` waits for the background jobs, as bash's does."""
        end = self.jobs.latest_end()
        if not args and end is not None and end > self.world.now:
            self.world.advance(end - self.world.now)
            return Result(0)
        return self.advance(args, quiet_without_args=True)

    def advance(self, args: list[str], quiet: bool = False, quiet_without_args: bool = False) -> Result:
        """`wait 5m` / `advance 90s`: move the clock and say what changed."""
        if not args:
            return (
                Result(0)
                if quiet_without_args
                else Result(2, "", "advance: usage: advance DURATION (e.g. 90s, 5m, 2h)\n")
            )
        seconds = views.parse_duration(args[0])
        if seconds is None or seconds > MAX_ADVANCE:
            return Result(2, "", f"{args[0]}: not a duration up to a year (try 90s, 5m, 1h30m, 2d)\n")
        if self.time_limit is not None and seconds > self.time_limit:  # `timeout 1m sleep 5m`
            self.world.advance(self.time_limit)
            return Result(124)
        events: list[SimEvent] = []
        listener: Callable[[World, SimEvent], None] = lambda w, e: events.append(e)  # noqa: E731
        self.world.watch(listener)
        try:
            self.world.advance(seconds)
        finally:
            self.world.unwatch(listener)
        if quiet:
            return Result(0)
        lines = [f"Clock moved {views.human(seconds)}: now {views.clock_text(self.world)}.\n"]
        for e in events:
            if e.kind == "instance-state":
                lines.append(f"  {e.resource_id}: {e.detail.get('previous')} -> {e.detail.get('current')}\n")
        return Result(0, "".join(lines))

    def bill(self, args: list[str], stdin: str | None) -> Result:
        """The bill so far."""
        table, total = views.bill_table(self.world)
        note = f"Total so far: ${total:.4f} at {views.clock_text(self.world)}\n"
        return Result(0, views.render(table) + views.bill_rates(self.world) + note)

    def reset(self, args: list[str], stdin: str | None) -> Result:
        """A fresh account; variables and scratch files stay, as they would on your laptop."""
        self.world.reset()
        self.session = None
        self.known_hosts.clear()
        return Result(0, "The simulated account is fresh again; files in the scratch folder are kept.\n")

    def show_history(self, args: list[str], stdin: str | None) -> Result:
        """`history`."""
        return Result(0, "".join(f"{k:>5}  {e.command}\n" for k, e in enumerate(self.history, 1)))

    # ----- files in the scratch folder ----------------------------------------------------------------
    def cat(self, args: list[str], stdin: str | None) -> Result:
        """`cat FILE...`."""
        if not args:
            return Result(0, stdin or "")
        out, err = [], []
        for path in args:
            try:
                out.append(self.scratch.read(path))
            except FsError as exc:
                err.append(f"cat: {exc}\n")
        return Result(1 if err else 0, "".join(out), "".join(err))

    def ls(self, args: list[str], stdin: str | None) -> Result:
        """`ls [-l] [-a] [PATH...]`."""
        flags, paths = split_flags(args, set())
        long = any(f == "-l" for f, _ in flags)
        show_all = any(f == "-a" for f, _ in flags)
        out, err = [], []
        for path in paths or ["."]:
            try:
                rows = self.scratch.listing(path)
            except FsError as exc:
                err.append(f"ls: cannot access '{exc.path}': {exc.reason}\n")
                continue
            for name, mode, size, is_dir in rows:
                if name.startswith(".") and not show_all:
                    continue
                out.append(f"{mode_string(mode, is_dir)} 1 learner learner {size:>6} {name}\n" if long else f"{name}\n")
        return Result(2 if err else 0, "".join(out), "".join(err))

    def chmod(self, args: list[str], stdin: str | None) -> Result:
        """`chmod MODE FILE...` (`chmod 400 key.pem` is what ssh wants)."""
        if len(args) < 2:
            return Result(1, "", "chmod: missing operand\n")
        err = []
        for path in args[1:]:
            try:
                mode = parse_mode(args[0], self.scratch.mode(path))
                if mode is None:
                    return Result(1, "", f"chmod: invalid mode: '{args[0]}'\n")
                self.scratch.chmod(path, mode)
            except FsError as exc:
                err.append(f"chmod: cannot access '{exc.path}': {exc.reason}\n")
        return Result(1 if err else 0, "", "".join(err))

    def edit(self, args: list[str], stdin: str | None) -> Result:
        """`edit FILE`: $EDITOR on the scratch file when one is set (the sandbox's variable, else the host's),
        else the new text typed line by line up to a line holding a single `.`."""
        if len(args) != 1:
            return Result(2, "", "usage: edit FILE\n")
        path = args[0]
        try:
            target = self.scratch.resolve(path)
            if target.is_dir():
                raise FsError(path, "Is a directory")
            if not target.parent.is_dir():
                raise FsError(path, "No such file or directory")
        except FsError as exc:
            return Result(1, "", f"edit: {exc}\n")
        # `EDITOR= edit f` (set but empty) means no editor, as for any program that reads $EDITOR
        editor = next((d["EDITOR"] for d in (self.command_env, self.vars) if "EDITOR" in d), self.host_editor)
        if editor and self.run_editor is not None:
            import shlex

            try:
                argv = shlex.split(editor)
            except ValueError:
                return Result(1, "", f"edit: cannot run EDITOR={editor!r}\n")
            if not target.exists():
                self.scratch.write(path, "")
            code = self.run_editor([*argv, str(target)])  # the resolved scratch path: nothing else is opened
            return Result(
                0 if code == 0 else 1, "", "" if code == 0 else f"edit: {argv[0]} exited with status {code}\n"
            )
        if self.read_lines is None:
            return Result(
                1, "", f"edit: needs a terminal; in a script write the file with: cat > {path} <<'EOF' ... EOF\n"
            )
        try:
            lines = self.read_lines()
        except KeyboardInterrupt:
            return Result(130, "", f"edit: cancelled; {path} is unchanged\n")
        try:
            self.scratch.write(path, "".join(line + "\n" for line in lines))
        except FsError as exc:
            return Result(1, "", f"edit: {exc}\n")
        return Result(0, f"Wrote {len(lines)} line{'' if len(lines) == 1 else 's'} to {path}\n")
