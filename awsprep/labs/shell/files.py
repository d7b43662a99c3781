"""File commands of the sandbox laptop, all inside the scratch folder (every path goes through `ScratchFS`):
`mkdir [-p]`, `cp [-r]`, `mv`, `rm [-r] [-f]`, `zip [-r] [-j] [-q]` and `unzip [-l] [-o] [-q] [-d DIR]`.

Messages are worded as coreutils, Info-ZIP's zip and unzip word them. `zip` stamps entries with the simulated
clock (the sandbox's laptop lives in simulated time) and stores a file uncompressed when deflating would not
make it smaller, as zip does. `zip -r layer.zip python` keeps the `python/` folder in the archive: the layout a
Lambda layer needs.
"""

from __future__ import annotations

import io
import posixpath
import stat
import time
import zipfile
import zlib

from awsprep.labs.shell.base import FsError, Result, split_flags
from awsprep.labs.shell.scratch import ScratchFS

MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # unzip refuses archives bigger than this (a zip bomb guard)


Parsed = tuple[set[str], dict[str, str], list[str]]


def _flags(args: list[str], letters: str, cmd: str, with_value: set[str] | None = None) -> Parsed | Result:
    """Options and operands; `cmd: invalid option -- 'x'` (status 1) for an option not in `letters`."""
    flags, operands = split_flags(args, with_value or set())
    allowed = {f"-{c}" for c in letters}
    seen: set[str] = set()
    values: dict[str, str] = {}
    for name, value in flags:
        if name not in allowed:
            return Result(1, "", f"{cmd}: invalid option -- '{name.lstrip('-')}'\n")
        seen.add(name)
        if value:
            values[name] = value
    return seen, values, operands


def mkdir(fs: ScratchFS, args: list[str]) -> Result:
    """`mkdir [-p] DIR...`."""
    parsed = _flags(args, "p", "mkdir")
    if isinstance(parsed, Result):
        return parsed
    seen, _, dirs = parsed
    if not dirs:
        return Result(1, "", "mkdir: missing operand\n")
    err = []
    for d in dirs:
        try:
            fs.mkdir(d, parents="-p" in seen)
        except FsError as exc:
            err.append(f"mkdir: cannot create directory '{exc.path}': {exc.reason}\n")
    return Result(1 if err else 0, "", "".join(err))


def _copy_file(fs: ScratchFS, src: str, dst: str) -> None:
    fs.write_bytes(dst, fs.read_bytes(src))
    fs.chmod(dst, fs.mode(src))


def _target(fs: ScratchFS, src: str, dest: str) -> str:
    return posixpath.join(dest, posixpath.basename(src.rstrip("/"))) if fs.is_dir(dest) else dest


def _sources_and_dest(
    fs: ScratchFS, args: list[str], letters: str, cmd: str
) -> tuple[set[str], list[str], str] | Result:
    """The flags, sources and destination of `cp`/`mv`, with coreutils' messages for missing operands and for
    several sources into something that is not a directory."""
    parsed = _flags(args, letters, cmd)
    if isinstance(parsed, Result):
        return parsed
    seen, _, paths = parsed
    if len(paths) < 2:
        missing = "missing file operand" if not paths else f"missing destination file operand after '{paths[0]}'"
        return Result(1, "", f"{cmd}: {missing}\n")
    *sources, dest = paths
    if len(sources) > 1 and not fs.is_dir(dest):
        return Result(1, "", f"{cmd}: target '{dest}' is not a directory\n")
    return seen, sources, dest


def cp(fs: ScratchFS, args: list[str]) -> Result:
    """`cp [-r] SOURCE... DEST`."""
    parsed = _sources_and_dest(fs, args, "rRfp", "cp")
    if isinstance(parsed, Result):
        return parsed
    seen, sources, dest = parsed
    recursive = bool(seen & {"-r", "-R"})
    err = []
    for src in sources:
        try:
            fs.resolve(src)  # a path out of the scratch folder says so
            if not fs.exists(src):
                raise FsError(src, "No such file or directory")
            target = _target(fs, src, dest)
            if fs.is_dir(src):
                if not recursive:
                    err.append(f"cp: -r not specified; omitting directory '{src}'\n")
                    continue
                if fs.resolve(target) == fs.resolve(src) or fs.resolve(src) in fs.resolve(target).parents:
                    err.append(f"cp: cannot copy a directory, '{src}', into itself, '{target}'\n")
                    continue
                for path, is_dir in fs.walk(src):
                    rel = posixpath.relpath(path, src.rstrip("/") or ".")
                    out = target if rel == "." else posixpath.join(target, rel)
                    if is_dir:
                        fs.mkdir(out, parents=True)
                    else:
                        _copy_file(fs, path, out)
            else:
                _copy_file(fs, src, target)
        except FsError as exc:
            verb = "stat" if exc.path == src else "create regular file"
            err.append(f"cp: cannot {verb} '{exc.path}': {exc.reason}\n")
    return Result(1 if err else 0, "", "".join(err))


def mv(fs: ScratchFS, args: list[str]) -> Result:
    """`mv SOURCE... DEST`."""
    parsed = _sources_and_dest(fs, args, "finv", "mv")
    if isinstance(parsed, Result):
        return parsed
    _, sources, dest = parsed
    err = []
    for src in sources:
        try:
            fs.resolve(src)
            if not fs.exists(src):
                err.append(f"mv: cannot stat '{src}': No such file or directory\n")
                continue
            fs.rename(src, _target(fs, src, dest))
        except FsError as exc:
            if exc.path == src:
                err.append(f"mv: cannot stat '{src}': {exc.reason}\n")
            else:
                err.append(f"mv: cannot move '{src}' to '{exc.path}': {exc.reason}\n")
    return Result(1 if err else 0, "", "".join(err))


def rm(fs: ScratchFS, args: list[str]) -> Result:
    """`rm [-r] [-f] PATH...` (never the scratch folder itself)."""
    parsed = _flags(args, "rRfv", "rm")
    if isinstance(parsed, Result):
        return parsed
    seen, _, paths = parsed
    force, recursive = "-f" in seen, bool(seen & {"-r", "-R"})
    if not paths:
        return Result(0) if force else Result(1, "", "rm: missing operand\n")
    err = []
    for path in paths:
        if posixpath.basename(path.rstrip("/")) in (".", ".."):
            err.append(f"rm: refusing to remove '.' or '..' directory: skipping '{path}'\n")
            continue
        try:
            if fs.is_dir(path):
                if not recursive:
                    raise FsError(path, "Is a directory")
                fs.remove_tree(path)
            else:
                fs.remove(path)
        except FsError as exc:
            if not (force and exc.reason.startswith("No such")):
                err.append(f"rm: cannot remove '{exc.path}': {exc.reason}\n")
    return Result(1 if err else 0, "", "".join(err))


# ----- zip and unzip -----------------------------------------------------------------------------------------
def _entries(
    fs: ScratchFS, names: list[str], recurse: bool, junk: bool, archive: str
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(arcname, sandbox path or None for a folder) in zip's order, and the warnings."""
    out: list[tuple[str, str | None]] = []
    warnings: list[str] = []
    skip = fs.resolve(archive)
    for name in names:
        if not fs.exists(name):
            warnings.append(f"\tzip warning: name not matched: {name}\n")
            continue
        found = fs.walk(name) if fs.is_dir(name) and recurse else [(name, fs.is_dir(name))]
        for path, is_dir in found:
            try:
                if fs.resolve(path) == skip:
                    continue
            except FsError as exc:  # a link that points out of the scratch folder
                warnings.append(f"\tzip warning: could not open for reading: {exc.path}\n")
                continue
            arc = posixpath.normpath(path).lstrip("/")
            if arc in (".", ""):
                continue
            if junk:
                if is_dir:
                    continue
                arc = posixpath.basename(arc)
            out.append((arc + "/" if is_dir else arc, None if is_dir else path))
    return out, warnings


def _deflated(data: bytes) -> int | None:
    """Zip's `deflated NN%` figure, or None when deflating does not make the data smaller (stored)."""
    if not data:
        return None
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    size = len(c.compress(data) + c.flush())
    if size >= len(data):
        return None
    return 100 - (size * 100) // len(data)


def zip_cmd(fs: ScratchFS, args: list[str], now: float) -> Result:
    """`zip [-r] [-j] [-q] ARCHIVE[.zip] FILE...` (adds to an existing archive, replacing members of the same name)."""
    parsed = _flags(args, "rjq9Xy", "zip")
    if isinstance(parsed, Result):
        bad = parsed.stderr.rsplit("'", 2)[-2]
        return Result(16, "", f"zip error: Invalid command arguments (short option '{bad}' not supported)\n")
    seen, _, operands = parsed
    if not operands:
        return Result(16, "", "zip error: Invalid command arguments (nothing to select from)\n")
    archive, names = operands[0], operands[1:]
    if "." not in posixpath.basename(archive):
        archive += ".zip"
    try:
        entries, warnings = _entries(fs, names, "-r" in seen, "-j" in seen, archive)
        old: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
        if fs.exists(archive):
            with zipfile.ZipFile(io.BytesIO(fs.read_bytes(archive))) as zf:
                old = {i.filename: (i, zf.read(i)) for i in zf.infolist()}
    except FsError as exc:
        return Result(15, "", f"zip error: {exc.path}: {exc.reason}\n")
    except zipfile.BadZipFile:
        return Result(3, "", f"zip error: Zip file structure invalid ({archive})\n")
    if not entries:
        return Result(12, "", "".join(warnings) + f"\nzip error: Nothing to do! ({archive})\n")
    stamp = time.gmtime(now)[:6]
    lines: list[str] = []
    new: dict[str, tuple[zipfile.ZipInfo, bytes]] = dict(old)
    for arc, path in entries:
        info = zipfile.ZipInfo(arc, date_time=stamp)
        info.create_system = 3  # Unix: the mode bits below mean something
        if path is None:
            data = b""
            info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | 0x10
            figure: int | None = None
        else:
            data = fs.read_bytes(path)
            info.external_attr = (stat.S_IFREG | fs.mode(path)) << 16
            figure = _deflated(data)
            info.compress_type = zipfile.ZIP_DEFLATED if figure is not None else zipfile.ZIP_STORED
        verb = "updating" if arc in old else "adding"
        lines.append(f"  {verb}: {arc} ({f'deflated {figure}%' if figure is not None else 'stored 0%'})\n")
        new[arc] = (info, data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for info, data in new.values():
            zf.writestr(info, data)
    try:
        fs.write_bytes(archive, buf.getvalue())
    except FsError as exc:
        return Result(15, "", f"zip I/O error: {exc.reason}\nzip error: Could not create output file ({exc.path})\n")
    return Result(0, "" if "-q" in seen else "".join(lines), "".join(warnings))


def _open_zip(fs: ScratchFS, archive: str) -> tuple[str, zipfile.ZipFile] | Result:
    names = [archive] if archive.endswith((".zip", ".ZIP")) else [archive, archive + ".zip"]
    for name in names:
        if fs.exists(name) and not fs.is_dir(name):
            data = fs.read_bytes(name)
            if len(data) > MAX_ARCHIVE_BYTES:
                return Result(9, "", f"unzip:  {name} is larger than the sandbox opens\n")
            try:
                return name, zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                return Result(
                    9,
                    "",
                    f"  End-of-central-directory signature not found.  Either this file is not\n  a zipfile, or it "
                    "constitutes one disk of a multi-part archive.\n"
                    f"unzip:  cannot find zipfile directory in {name}.\n",
                )
    return Result(9, "", f"unzip:  cannot find or open {archive}, {archive}.zip or {archive}.ZIP.\n")


def unzip(fs: ScratchFS, args: list[str]) -> Result:
    """`unzip -l ARCHIVE` lists; `unzip [-o] [-q] ARCHIVE [-d DIR]` extracts inside the scratch folder
    (members naming `..` or an absolute path are skipped, as unzip does)."""
    parsed = _flags(args, "loqdn", "unzip", {"-d"})
    if isinstance(parsed, Result):
        return parsed
    seen, values, operands = parsed
    if not operands:
        return Result(10, "", "UnZip: usage: unzip [-l] [-o] [-q] file[.zip] [-d exdir]\n")
    opened = _open_zip(fs, operands[0])
    if isinstance(opened, Result):
        return opened
    name, archive = opened
    with archive as zf:
        infos = zf.infolist()
        if "-l" in seen:
            return Result(0, _listing(name, infos))
        return _extract(fs, zf, infos, name, values.get("-d", "."), "-q" in seen)


def _listing(name: str, infos: list[zipfile.ZipInfo]) -> str:
    rows = [f"Archive:  {name}\n  Length      Date    Time    Name\n---------  ---------- -----   ----\n"]
    for i in infos:
        y, mo, d, h, mi, _ = i.date_time
        rows.append(f"{i.file_size:9d}  {mo:02d}-{d:02d}-{y:04d} {h:02d}:{mi:02d}   {i.filename}\n")
    total = sum(i.file_size for i in infos)
    count = len(infos)
    rows.append(
        f"---------                     -------\n"
        f"{total:9d}                     {count} file{'' if count == 1 else 's'}\n"
    )
    return "".join(rows)


def _extract(
    fs: ScratchFS, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, dest: str, quiet: bool
) -> Result:
    out = [f"Archive:  {name}\n"]
    err: list[str] = []
    for i in infos:
        parts = i.filename.split("/")
        if i.filename.startswith("/") or ".." in parts or "\\" in i.filename:
            err.append(f'warning:  skipped "{i.filename}" (it would leave the destination folder)\n')
            continue
        path = posixpath.join(dest, i.filename)
        try:
            if i.is_dir():
                fs.mkdir(path, parents=True)
                out.append(f"   creating: {path}\n")
                continue
            parent = posixpath.dirname(path)
            if parent:
                fs.mkdir(parent, parents=True)
            fs.write_bytes(path, zf.read(i))
            mode = (i.external_attr >> 16) & 0o777
            if mode:
                fs.chmod(path, mode | 0o600)  # stay readable and writable by the learner
            out.append(f"  inflating: {path}\n")
        except FsError as exc:
            err.append(f"error:  cannot create {exc.path}\n        {exc.reason}\n")
    return Result(1 if err else 0, "" if quiet else "".join(out), "".join(err))
