"""What every sandbox shell shares: running a line, variables, redirections and the plain builtins.

The laptop shell and the shell inside an instance differ only in their file system and their command
table; both run lines through `Interpreter.run_line`, which never raises for anything a person types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from awsprep.labs.shell.loops import MAX_ITERATIONS, ForLoop, parse_for, seq
from awsprep.labs.shell.parse import (
    Command,
    ParseError,
    Unsupported,
    expand,
    expand_heredoc,
    split_list,
)

MAX_NESTING = 16  # `$(...)` inside `$(...)`: deeper than any real example, shallow enough for the stack


@dataclass(frozen=True)
class Result:
    """What a command left on the terminal, and its exit status."""

    exit_code: int
    stdout: str = ""
    stderr: str = ""
    notes: str = ""  # the simulator's `awsprep debug:` lines for this line (in stderr too when the shell has debug)


class FsError(Exception):
    """A file problem, worded as coreutils and bash word it (`No such file or directory`, ...)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FileSystem(Protocol):
    """Where redirections read and write: the scratch folder, or an instance's disk."""

    def read(self, path: str) -> str:
        """The text of a file; `FsError` when it cannot be read."""
        ...

    def write(self, path: str, text: str, append: bool = False) -> None:
        """Create, truncate or append; `FsError` when it cannot be written."""
        ...


Handler = Callable[[list[str], str | None], Result]


CLEAR_SCREEN = "\x1b[H\x1b[2J"  # what `clear` writes on an xterm-like terminal: cursor home, erase the screen


@dataclass
class Heredoc:
    """A here-document collected by the script reader: its body and whether `$` expands in it."""

    body: str
    expand: bool = True


class Interpreter:
    """The bash subset over a file system and a table of commands (subclasses add commands)."""

    prefix = "bash"  # how bash names itself in error lines

    def __init__(self, fs: FileSystem) -> None:
        self.fs = fs
        self.vars: dict[str, str] = {}
        self.last_status = 0
        self.exited = False
        self.command_env: dict[str, str] = {}  # `NAME=value cmd`: visible to that one command
        self._heredocs: list[Heredoc] = []
        self._depth = 0
        self.stdout_is_file = False  # curl draws a progress meter when its output is redirected

    # ----- what subclasses provide ----------------------------------------------------------------
    def commands(self) -> dict[str, Handler]:
        """Command name -> handler(args, stdin)."""
        return {
            "echo": self.echo,
            "export": self.export,
            "unset": self.unset,
            "true": lambda a, i: Result(0),
            ":": lambda a, i: Result(0),
            "false": lambda a, i: Result(1),
            "exit": self.exit,
            "env": self.env,
            "printenv": self.env,
            "seq": seq,
            "clear": lambda a, i: Result(0, CLEAR_SCREEN),
            "touch": self.touch,
        }

    def environment(self) -> dict[str, str]:
        """Variables every session starts with (HOME, USER, ...)."""
        return {}

    def start_job(self, text: str) -> Result | None:
        """Run `text &` as a real background job, or None to run it in the foreground (the default)."""
        return None

    # ----- running lines -----------------------------------------------------------------------------
    def lookup(self, name: str) -> str | None:
        """The value of `$name` (special parameters included)."""
        if name == "?":
            return str(self.last_status)
        if name == "$":
            return "4242"
        if name == "#":
            return "0"
        if name == "0":
            return self.prefix.lstrip("-")
        if name in self.command_env:
            return self.command_env[name]
        if name in self.vars:
            return self.vars[name]
        return self.environment().get(name)

    def run_line(self, line: str, heredocs: list[Heredoc] | None = None) -> Result:
        """Run one line (a list of commands joined by `;`, `&&`, `||`, or a one-line `for` loop)."""
        self._heredocs = list(heredocs or [])
        job = _background(line)
        if job is not None:  # `cmd &`: most commands finish at once here, so it runs now; bash shows the job
            started = self.start_job(job)
            if started is not None:  # one that takes time on the clock (a shell with a job table)
                return self._status(started)
            result = self.run_line(job, heredocs)
            return Result(result.exit_code, "[1] 4243\n" + result.stdout, result.stderr)
        loop = parse_for(line)
        if loop is not None:
            return self._run_for(loop)
        try:
            parts = split_list(line)
        except ParseError as err:
            return self._status(Result(2, "", f"{self.prefix}: {err}\n"))
        except Unsupported as err:
            return self._status(Result(2, "", f"{self.prefix}: {err}\n"))
        out: list[str] = []
        err_out: list[str] = []
        status = self.last_status
        for text, connector in parts:
            if (connector == "&&" and status != 0) or (connector == "||" and status == 0):
                continue
            result = self._status(self._run_command(text))
            out.append(result.stdout)
            err_out.append(result.stderr)
            status = result.exit_code
            if self.exited:
                break
        return Result(status, "".join(out), "".join(err_out))

    def _run_for(self, loop: ForLoop) -> Result:
        """Expand the words once (as bash does), then run the body once per word with NAME set."""
        # `echo` expands and splits the words exactly as a command line would ($(seq 10) → 1 … 10).
        words = self.run_line(f"echo {loop.words}") if loop.words.strip() else Result(0)
        if words.exit_code != 0:
            return self._status(words)
        out, err = [], [words.stderr]
        result = Result(0)
        for value in words.stdout.split()[:MAX_ITERATIONS]:
            self.vars[loop.name] = value
            result = self.run_line(loop.body)
            out.append(result.stdout)
            err.append(result.stderr)
            if self.exited:
                break
        return self._status(Result(result.exit_code, "".join(out), "".join(err)))

    def _status(self, result: Result) -> Result:
        self.last_status = result.exit_code
        return result

    def _run_command(self, text: str) -> Result:
        errors: list[str] = []
        subst_status: list[int] = []

        def substitute(inner: str) -> str:
            # A command substitution runs in a subshell: its assignments do not leak out.
            if self._depth >= MAX_NESTING:
                raise ParseError("maximum nesting of $(...) reached")
            saved_vars, saved_heredocs = dict(self.vars), self._heredocs
            self._depth += 1
            try:
                r = self.run_line(inner)
            finally:
                self._depth -= 1
                self.vars, self._heredocs, self.exited = saved_vars, saved_heredocs, False
            errors.append(r.stderr)
            subst_status.append(r.exit_code)
            return r.stdout

        try:
            cmd = expand(text, self.lookup, substitute)
        except ParseError as err:
            return Result(2, "", "".join(errors) + f"{self.prefix}: {err}\n")
        try:
            stdin, sinks = self._open_redirects(cmd, substitute)
        except FsError as err:
            return Result(1, "", "".join(errors) + f"{self.prefix}: {err}\n")
        self.stdout_is_file = sinks[1][0] == "file"
        if not cmd.argv:
            for name, value in cmd.assignments:
                self.vars[name] = value
            result = Result(subst_status[-1] if subst_status else 0)
        else:
            self.command_env = dict(cmd.assignments)
            try:
                result = self.dispatch(list(cmd.argv), stdin)
            finally:
                self.command_env = {}
        return self._route(result, sinks, errors)

    def _open_redirects(
        self, cmd: Command, substitute: Callable[[str], str]
    ) -> tuple[str | None, dict[int, tuple[str, str | None]]]:
        """Files are created or truncated before the command runs, as in bash."""
        stdin: str | None = None
        sinks: dict[int, tuple[str, str | None]] = {1: ("out", None), 2: ("err", None)}
        for r in cmd.redirects:
            if r.fd == 0 and r.heredoc:
                doc = self._heredocs.pop(0) if self._heredocs else Heredoc("")
                stdin = expand_heredoc(doc.body, self.lookup, substitute) if doc.expand else doc.body
            elif r.fd == 0 and r.target is not None:
                stdin = self.fs.read(r.target)
            elif r.dup_of is not None:
                sinks[r.fd] = sinks.get(r.dup_of, sinks[1])
            elif r.target is not None:
                self.fs.write(r.target, "", append=r.append)
                sinks[r.fd] = ("file", r.target)
        return stdin, sinks

    def _route(self, result: Result, sinks: dict[int, tuple[str, str | None]], errors: list[str]) -> Result:
        out: list[str] = []
        err: list[str] = list(errors)
        for fd, text in ((1, result.stdout), (2, result.stderr)):
            kind, path = sinks[fd]
            if kind == "file" and path is not None:
                try:
                    self.fs.write(path, text, append=True)
                except FsError as exc:
                    err.append(f"{self.prefix}: {exc}\n")
            elif text:
                (out if kind == "out" else err).append(text)
        return Result(result.exit_code, "".join(out), "".join(err))

    def dispatch(self, argv: list[str], stdin: str | None) -> Result:
        """Run one command by name."""
        handler = self.commands().get(argv[0])
        if handler is None:
            return self.not_found(argv[0])
        return handler(argv[1:], stdin)

    def not_found(self, name: str) -> Result:
        """bash's answer to a name it cannot find."""
        return Result(127, "", f"{self.prefix}: {name}: command not found\n")

    # ----- builtins every shell has -------------------------------------------------------------------
    def echo(self, args: list[str], stdin: str | None) -> Result:
        """`echo [-n] [-e] WORDS`."""
        newline, escapes = True, False
        while args and args[0] in ("-n", "-e", "-ne", "-en", "-E"):
            flag = args.pop(0)
            newline = newline and "n" not in flag
            escapes = escapes or "e" in flag.lstrip("-")
        text = " ".join(args)
        if escapes:
            text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
        return Result(0, text + ("\n" if newline else ""))

    def export(self, args: list[str], stdin: str | None) -> Result:
        """`export NAME=value` (every variable is visible to the simulated commands anyway)."""
        if not args or args == ["-p"]:
            lines = [f'declare -x {k}="{v}"' for k, v in sorted(self.vars.items())]
            return Result(0, "".join(line + "\n" for line in lines))
        for arg in args:
            name, eq, value = arg.partition("=")
            if not name.isidentifier():
                return Result(1, "", f"{self.prefix}: export: `{arg}': not a valid identifier\n")
            if eq:
                self.vars[name] = value
            else:
                self.vars.setdefault(name, self.environment().get(name, ""))
        return Result(0)

    def unset(self, args: list[str], stdin: str | None) -> Result:
        """`unset NAME...`."""
        for name in args:
            self.vars.pop(name, None)
        return Result(0)

    def env(self, args: list[str], stdin: str | None) -> Result:
        """`env` / `printenv [NAME]`."""
        merged = {**self.environment(), **self.vars}
        if args:
            values = [merged[a] for a in args if a in merged]
            return Result(0 if len(values) == len(args) else 1, "".join(v + "\n" for v in values))
        return Result(0, "".join(f"{k}={v}\n" for k, v in sorted(merged.items())))

    def touch(self, args: list[str], stdin: str | None) -> Result:
        """`touch FILE...`, on whichever file system this shell has (the scratch folder, an instance's disk)."""
        err = []
        for path in args:
            try:
                self.fs.write(path, "", append=True)
            except FsError as exc:
                err.append(f"touch: cannot touch '{exc.path}': {exc.reason}\n")
        return Result(1 if err else 0, "", "".join(err))

    def exit(self, args: list[str], stdin: str | None) -> Result:
        """`exit [N]`: the session ends after this line."""
        self.exited = True
        try:
            code = int(args[0]) & 0xFF if args else self.last_status
        except ValueError:
            return Result(2, "", f"{self.prefix}: exit: {args[0]}: numeric argument required\n")
        return Result(code)


def split_flags(args: list[str], with_value: set[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Split `-abc`, `-m 5`, `--max-time=5` style options from operands (a small getopt).

    Returns ([(flag, value)], operands); flags in `with_value` take the next word (or `=...`).
    """
    flags: list[tuple[str, str]] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            operands.extend(args[i + 1 :])
            break
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if name in with_value and not eq:
                value = args[i + 1] if i + 1 < len(args) else ""
                i += 1
            flags.append((name, value))
        elif a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                name = "-" + a[j]
                if name in with_value:
                    value = a[j + 1 :]
                    if not value:
                        value = args[i + 1] if i + 1 < len(args) else ""
                        i += 1
                    flags.append((name, value))
                    break
                flags.append((name, ""))
                j += 1
        else:
            operands.append(a)
        i += 1
    return flags, operands


def _background(line: str) -> str | None:
    """The command of a line ending in a lone `&` (a background job), else None (`&&`, `>&`, `\\&` are not)."""
    stripped = line.rstrip()
    if not stripped.endswith("&") or stripped.endswith(("&&", ">&", "\\&")):
        return None
    head = stripped[:-1]
    if not head.strip():
        return None
    try:
        split_list(head)
    except (ParseError, Unsupported):
        return None
    return head
