"""The sandbox's scratch folder: the only place on the host the shell reads or writes.

Every path is resolved (symlinks followed) and must land inside the folder; absolute paths and `..`
that climb out are refused. Modes are real file modes, set explicitly so `ssh`'s "too open" check
behaves the same whatever the host's umask is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from awsprep.labs.shell.base import FsError

NEW_FILE_MODE = 0o644  # what `> key.pem` gives under the usual umask 022
DEV_NULL = "/dev/null"  # the one path outside the folder: `> /dev/null` is too common to refuse
NAME_MAX = 255  # bytes in one file name, and in a whole path, on Linux (macOS: the same name limit)
PATH_MAX = 4096


class ScratchFS:
    """A folder on the host, confined."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve()

    def resolve(self, path: str) -> Path:
        """The host path for a sandbox path, or `FsError` when it would leave the folder."""
        if not path or "\x00" in path:  # a NUL cannot be part of a real file name (the OS refuses it)
            raise FsError(path.replace("\x00", ""), "No such file or directory")
        rel = path
        if rel == "~" or rel.startswith("~/"):
            rel = rel[2:] or "."
        if os.path.isabs(rel) or rel.startswith("\\"):
            raise FsError(path, "Permission denied (the sandbox only uses its scratch folder)")
        # the host would fail these with an OSError naming the real scratch path: answer as bash does
        if len(rel.encode("utf-8", "surrogateescape")) > PATH_MAX or any(
            len(part.encode("utf-8", "surrogateescape")) > NAME_MAX for part in rel.split("/")
        ):
            raise FsError(path, "File name too long")
        try:
            target = (self.root / rel).resolve()
        except OSError as exc:
            raise FsError(path, exc.strerror or "Input/output error") from None
        if target != self.root and self.root not in target.parents:
            raise FsError(path, "Permission denied (outside the sandbox's scratch folder)")
        return target

    def read(self, path: str) -> str:
        """Text of a file in the folder."""
        return self.read_bytes(path).decode("utf-8", errors="replace")

    def read_bytes(self, path: str) -> bytes:
        """Bytes of a file in the folder."""
        if path == DEV_NULL:
            return b""
        try:
            return self._read_bytes(path)
        except OSError as exc:  # never the host's message: it names the real scratch path
            raise FsError(path, exc.strerror or "Input/output error") from None

    def _read_bytes(self, path: str) -> bytes:
        target = self.resolve(path)
        if target.is_dir():
            raise FsError(path, "Is a directory")
        if not target.exists():
            raise FsError(path, "No such file or directory")
        if not self.mode(path) & stat.S_IRUSR:
            raise FsError(path, "Permission denied")
        return target.read_bytes()

    def write(self, path: str, text: str, append: bool = False) -> None:
        """Create, truncate or append (a read-only file refuses, as it would for a normal user)."""
        self.write_bytes(path, text.encode("utf-8"), append)

    def write_bytes(self, path: str, data: bytes, append: bool = False) -> None:
        """Binary version of `write` (the outfile of `aws lambda invoke`)."""
        if path == DEV_NULL:
            return
        try:
            self._write_bytes(path, data, append)
        except OSError as exc:  # never the host's message: it names the real scratch path
            raise FsError(path, exc.strerror or "Input/output error") from None

    def _write_bytes(self, path: str, data: bytes, append: bool) -> None:
        target = self.resolve(path)
        if target.is_dir():
            raise FsError(path, "Is a directory")
        if not target.parent.is_dir():
            raise FsError(path, "No such file or directory")
        if target.exists():
            if not target.stat().st_mode & stat.S_IWUSR:
                raise FsError(path, "Permission denied")
        else:
            target.touch()
            os.chmod(target, NEW_FILE_MODE)
        with open(target, "ab" if append else "wb") as f:
            f.write(data)

    def exists(self, path: str) -> bool:
        """Whether a file or folder exists (False for paths outside)."""
        try:
            return self.resolve(path).exists()
        except FsError:
            return False

    def mode(self, path: str) -> int:
        """Permission bits of a file (`0o644`)."""
        target = self.resolve(path)
        if not target.exists():
            raise FsError(path, "No such file or directory")
        return stat.S_IMODE(target.stat().st_mode)

    def chmod(self, path: str, mode: int) -> None:
        """Set permission bits."""
        target = self.resolve(path)
        if not target.exists():
            raise FsError(path, "No such file or directory")
        os.chmod(target, mode)

    def remove(self, path: str) -> None:
        """Delete a file."""
        target = self.resolve(path)
        if target.is_dir():
            raise FsError(path, "Is a directory")
        if not target.exists():
            raise FsError(path, "No such file or directory")
        target.unlink()

    def is_dir(self, path: str) -> bool:
        """Whether a path is a folder inside the scratch folder (False outside)."""
        try:
            return self.resolve(path).is_dir()
        except FsError:
            return False

    def mkdir(self, path: str, parents: bool = False) -> None:
        """Create a folder (`mkdir -p` with `parents`: missing parents too, an existing folder is fine)."""
        target = self.resolve(path)
        try:
            if parents:
                if target.exists() and not target.is_dir():
                    raise FsError(path, "File exists")
                target.mkdir(parents=True, exist_ok=True)
            else:
                if target.exists():
                    raise FsError(path, "File exists")
                if not target.parent.is_dir():
                    raise FsError(path, "No such file or directory")
                target.mkdir()
        except OSError as exc:
            raise FsError(path, exc.strerror or "Input/output error") from None

    def rename(self, source: str, dest: str) -> None:
        """Move a file or folder (both ends inside the scratch folder)."""
        src, dst = self.resolve(source), self.resolve(dest)
        if not src.exists() and not src.is_symlink():
            raise FsError(source, "No such file or directory")
        if src == self.root:
            raise FsError(source, "Device or resource busy")
        if dst == src or src in dst.parents:
            raise FsError(dest, f"cannot move '{source}' to a subdirectory of itself")
        if not dst.parent.is_dir():
            raise FsError(dest, "No such file or directory")
        try:
            os.replace(src, dst)
        except OSError as exc:
            raise FsError(dest, exc.strerror or "Input/output error") from None

    def remove_tree(self, path: str) -> None:
        """Delete a folder and everything in it (`rm -r`); never the scratch folder itself."""
        import shutil

        target = self.resolve(path)
        if target == self.root:
            raise FsError(path, "refusing to remove the sandbox's scratch folder")
        if not target.exists():
            raise FsError(path, "No such file or directory")
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()

    def walk(self, path: str) -> list[tuple[str, bool]]:
        """`(sandbox path, is_dir)` of a folder and everything under it, folders before their contents, by name.
        Symbolic links are not followed (one pointing outside would otherwise be read through)."""
        base = self.resolve(path)
        out: list[tuple[str, bool]] = []
        prefix = path.rstrip("/")
        for current, dirs, files in os.walk(base, followlinks=False):
            dirs.sort()
            rel = os.path.relpath(current, base)
            here = prefix if rel == "." else f"{prefix}/{rel}"
            out.append((here, True))
            for name in sorted(files):
                out.append((f"{here}/{name}", False))
        return out

    def listing(self, path: str = ".") -> list[tuple[str, int, int, bool]]:
        """`(name, mode, size, is_dir)` of the folder's entries, sorted by name."""
        target = self.resolve(path)
        if not target.exists():
            raise FsError(path, "No such file or directory")
        if not target.is_dir():
            st = target.stat()
            return [(path, stat.S_IMODE(st.st_mode), st.st_size, False)]
        rows = []
        for entry in sorted(target.iterdir()):
            st = entry.lstat()
            rows.append((entry.name, stat.S_IMODE(st.st_mode), st.st_size, entry.is_dir()))
        return rows


def parse_mode(spec: str, current: int) -> int | None:
    """`400`, `0600`, `u+x`, `go-rwx`, `a=r`, `+x` -> new bits (None when `spec` is not a mode)."""
    if spec.isdigit() and all(c in "01234567" for c in spec):
        return int(spec, 8) & 0o7777
    mode = current
    for clause in spec.split(","):
        who, op, perms = "", "", ""
        for k, c in enumerate(clause):
            if c in "+-=":
                who, op, perms = clause[:k], c, clause[k + 1 :]
                break
        if not op or any(c not in "ugoa" for c in who) or any(c not in "rwx" for c in perms):
            return None
        who = who.replace("a", "ugo") or "ugo"
        bits = 0
        for w in who:
            shift = {"u": 6, "g": 3, "o": 0}[w]
            for p in perms:
                bits |= {"r": 4, "w": 2, "x": 1}[p] << shift
        if op == "+":
            mode |= bits
        elif op == "-":
            mode &= ~bits
        else:
            mask = sum(7 << {"u": 6, "g": 3, "o": 0}[w] for w in set(who))
            mode = (mode & ~mask) | bits
    return mode


def mode_string(mode: int, is_dir: bool = False) -> str:
    """`-rw-r--r--` for `ls -l`."""
    chars = "d" if is_dir else "-"
    for shift in (6, 3, 0):
        bits = (mode >> shift) & 7
        chars += ("r" if bits & 4 else "-") + ("w" if bits & 2 else "-") + ("x" if bits & 1 else "-")
    return chars
