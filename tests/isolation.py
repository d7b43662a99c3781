"""Tests never read or write the learner's own files: a process-wide audit hook records every file-system access
under the real home, cache and data directories, and the test (or the collection) that made it fails.

Two layers: the environment is redirected first (HOME, XDG_* and AWSPREP_HOME point into a session temp folder,
so child processes such as the pty tests inherit harmless places), and the hook (`sys.addaudithook`, which sees
`open`, `os.mkdir`, `os.remove`, `sqlite3.connect`, ...) catches what reaches the real places anyway: an absolute
path, a module-level `load_catalog()` run before any fixture, a module-scoped fixture set up before `home`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# events whose first argument is a path that is changed (every one of them is a write)
CHANGES = frozenset(
    {
        "os.mkdir",
        "os.remove",
        "os.rename",
        "os.replace",
        "os.rmdir",
        "os.symlink",
        "os.link",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.utime",
        "shutil.rmtree",
        "shutil.copyfile",
        "shutil.copytree",
        "shutil.move",
    }
)
LISTS = frozenset({"os.listdir", "os.scandir", "glob.glob"})
EVENTS = CHANGES | LISTS | {"open", "sqlite3.connect"}


def _is_write(args: tuple[Any, ...]) -> bool:
    mode, flags = (*args, None, None)[1:3]
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return isinstance(flags, int) and bool(flags & WRITE_FLAGS)


class Guard:
    """Records accesses under `private` (any access) and writes under `home` that are not inside `allowed`."""

    def __init__(self, home: list[str], private: list[str], allowed: list[str]) -> None:
        self.home = [os.path.join(os.path.abspath(p), "") for p in home if p]
        self.private = [os.path.join(os.path.abspath(p), "") for p in private if p]
        self.allowed = [os.path.join(os.path.abspath(p), "") for p in allowed if p]
        self.violations: list[str] = []
        self.checked = 0  # violations already reported

    def _inside(self, path: str, roots: list[str]) -> bool:
        return any(path == root[:-1] or path.startswith(root) for root in roots)

    def see(self, event: str, args: tuple[Any, ...]) -> None:
        if not args:
            return
        raw = args[0]
        if isinstance(raw, int) or raw is None:
            return  # a file descriptor: its open was seen already
        try:
            path = os.path.abspath(os.fsdecode(os.fspath(raw)))
        except (TypeError, ValueError):
            return
        if event in ("open", "sqlite3.connect") and path.endswith(":memory:"):
            return
        write = event in CHANGES or event == "sqlite3.connect" or (event == "open" and _is_write(args))
        private = self._inside(path, self.private)
        if (private or (write and self._inside(path, self.home))) and not self._inside(path, self.allowed):
            self.violations.append(f"{event} {'(write) ' if write else ''}{path}")

    def new(self) -> list[str]:
        """Violations not reported yet (and marks them reported)."""
        fresh = self.violations[self.checked :]
        self.checked = len(self.violations)
        return fresh


_ACTIVE: list[Guard] = []
_BUSY: list[bool] = []  # non-empty while the hook runs: what it calls must not re-enter it


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in EVENTS or _BUSY or not _ACTIVE:
        return
    _BUSY.append(True)
    try:
        for guard in _ACTIVE:
            guard.see(event, args)
    finally:
        _BUSY.clear()


sys.addaudithook(_hook)  # hooks cannot be removed; with no active guard it returns at once


@contextmanager
def watching(guard: Guard) -> Iterator[Guard]:
    _ACTIVE.append(guard)
    try:
        yield guard
    finally:
        _ACTIVE.remove(guard)


def real_places() -> tuple[list[str], list[str]]:
    """The learner's home, and awsprep's own data, cache and config folders, as this environment names them."""
    from platformdirs import user_cache_path, user_config_path, user_data_path, user_state_path

    home = [os.path.expanduser("~")]
    home += [os.environ.get(v, "") for v in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")]
    private = [str(f("awsprep", appauthor=False)) for f in (user_data_path, user_cache_path, user_config_path)]
    private.append(str(user_state_path("awsprep", appauthor=False)))
    if os.environ.get("AWSPREP_HOME"):
        private.append(os.environ["AWSPREP_HOME"])  # a learner's own override is theirs too
    return home, private


def redirect(to: Path) -> None:
    """Point HOME, XDG_* and AWSPREP_HOME into `to`, for this process and every child it starts."""
    for var, sub in (
        ("HOME", "home"),
        ("XDG_CACHE_HOME", "home/.cache"),
        ("XDG_DATA_HOME", "home/.local/share"),
        ("XDG_CONFIG_HOME", "home/.config"),
        ("XDG_STATE_HOME", "home/.local/state"),
        ("AWSPREP_HOME", "awsprep"),
    ):
        (to / sub).mkdir(parents=True, exist_ok=True)
        os.environ[var] = str(to / sub)


def allowed_places(repo: Path) -> list[str]:
    """Where tests may write even inside the home: temp folders, the checkout (bytecode, .hypothesis), Python."""
    return [tempfile.gettempdir(), str(repo), sys.prefix, sys.base_prefix, sys.exec_prefix]
