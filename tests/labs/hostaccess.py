"""Trace what the process touches on the host with audit hooks (`sys.addaudithook`, PEP 578).

An audit hook cannot be removed, so one hook is installed once per process and records only while a
`trace()` block is active (a context variable: other threads and other tests are not traced).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Events that name a path, by what they do to it; and events that start a program or open a socket.
READ_EVENTS = {"open"}
LIST_EVENTS = {"os.listdir", "os.scandir", "glob.glob"}
CHANGE_EVENTS = {
    "os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.chmod", "os.chown", "os.symlink", "os.link",
    "os.truncate", "os.utime", "os.chdir", "shutil.copyfile", "shutil.copymode", "shutil.copystat",
    "shutil.copytree", "shutil.make_archive", "shutil.move", "shutil.rmtree", "shutil.unpack_archive",
    "tempfile.mkstemp", "tempfile.mkdtemp",
}  # fmt: skip
PROGRAM_EVENTS = {"subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system", "os.fork",
                  "os.forkpty", "pty.spawn", "socket.connect", "socket.getaddrinfo"}  # fmt: skip
_TRACE: contextvars.ContextVar[list[tuple[str, tuple[Any, ...]]] | None] = contextvars.ContextVar(
    "awsprep_host_trace", default=None
)
_INSTALLED = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    log = _TRACE.get()
    if log is not None and (event in READ_EVENTS or event in LIST_EVENTS or event in CHANGE_EVENTS
                            or event in PROGRAM_EVENTS):  # fmt: skip
        log.append((event, args))


@dataclass
class Trace:
    """What happened inside a `trace()` block, and the checks on it."""

    scratch: Path
    events: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def outside(self) -> list[str]:
        """Every access outside the scratch folder, except reading the installed Python and packages."""
        found = []
        for event, args in self.events:
            if event in PROGRAM_EVENTS:
                found.append(f"{event} {args[:2]!r}")
                continue
            path = args[0] if args else None
            if isinstance(path, int) or path is None:  # an already open descriptor
                continue
            real = Path(os.path.realpath(os.fsdecode(path)))
            if _inside(real, self.scratch.resolve()) or str(real) == os.devnull:
                continue
            writes = event == "open" and any(c in str(args[1] or "r") for c in "wax+")
            flags = args[2] if event == "open" and len(args) > 2 and isinstance(args[2], int) else 0
            writes = writes or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
            if event in CHANGE_EVENTS or writes or not any(_inside(real, p) for p in _installed()):
                found.append(f"{event} {real}")
        return found


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _installed() -> list[Path]:
    """Where Python and the installed packages live (awscli and botocore read their models from there)."""
    import awsprep

    package = os.path.dirname(awsprep.__file__)  # an editable install imports from the checkout
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, package, *sysconfig.get_paths().values()}
    return [Path(os.path.realpath(r)) for r in roots]


@contextlib.contextmanager
def trace(scratch: Path) -> Iterator[Trace]:
    """Record every host access of this thread inside the block."""
    global _INSTALLED  # noqa: PLW0603 - an audit hook can be added once and never removed
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED = True
    result = Trace(scratch)
    token = _TRACE.set(result.events)
    try:
        yield result
    finally:
        _TRACE.reset(token)
