"""The sandbox's file commands: here-documents, mkdir -p, cp, mv, rm -r/-f, zip (-r, -j, -q), unzip (-l, -d),
edit, all inside the scratch folder, worded as coreutils and Info-ZIP word them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from awsprep.labs.shell import Shell

from .conftest import ok


def members(scratch: Path, name: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO((scratch / name).read_bytes())) as zf:
        return zf.namelist()


def test_heredocs_quoted_and_unquoted_in_one_typed_line(shell: Shell, scratch: Path) -> None:
    ok(shell, "NAME=world")
    ok(shell, "cat > lambda_function.py <<'EOF'\ndef handler(event, context):\n    return 'hi $NAME'\nEOF")
    assert (scratch / "lambda_function.py").read_text() == "def handler(event, context):\n    return 'hi $NAME'\n"
    ok(shell, "cat > greeting.txt <<EOF\nhello $NAME\nEOF")
    assert (scratch / "greeting.txt").read_text() == "hello world\n"


def test_a_layer_zip_keeps_the_python_folder(shell: Shell, scratch: Path) -> None:
    ok(shell, "mkdir -p python/mylib")
    ok(shell, "cat > python/mylib/helper.py <<'EOF'\n" + "def shout(s):\n    return s.upper() + '!'\n" * 20 + "EOF")
    r = ok(shell, "zip -r layer.zip python")
    assert r.stdout.splitlines()[0] == "  adding: python/ (stored 0%)"
    assert "  adding: python/mylib/helper.py (deflated " in r.stdout
    assert members(scratch, "layer.zip") == ["python/", "python/mylib/", "python/mylib/helper.py"]
    listing = ok(shell, "unzip -l layer.zip").stdout.splitlines()
    assert listing[:3] == [
        "Archive:  layer.zip",
        "  Length      Date    Time    Name",
        "---------  ---------- -----   ----",
    ]
    assert listing[-1].endswith("3 files") and "01-06-2025 09:00   python/mylib/helper.py" in listing[-3]


def test_zip_options_and_updates(shell: Shell, scratch: Path) -> None:
    ok(shell, "mkdir src && echo 'x = 1' > src/lambda_function.py && echo data > notes.txt")
    r = ok(shell, "zip -j fn src/lambda_function.py")  # `.zip` added, paths junked
    assert r.stdout == "  adding: lambda_function.py (stored 0%)\n"
    assert members(scratch, "fn.zip") == ["lambda_function.py"]
    r = ok(shell, "zip -q -j fn.zip src/lambda_function.py notes.txt")
    assert r.stdout == "" and members(scratch, "fn.zip") == ["lambda_function.py", "notes.txt"]
    assert ok(shell, "zip fn.zip notes.txt").stdout == "  updating: notes.txt (stored 0%)\n"
    assert ok(shell, "zip d.zip src").stdout == "  adding: src/ (stored 0%)\n"  # no -r: the folder alone
    r = ok(shell, "zip -r all.zip .")
    assert "all.zip" not in r.stdout  # an archive never holds itself
    r = shell.run_line("zip none.zip missing")
    assert r.exit_code == 12 and "name not matched: missing" in r.stderr and "Nothing to do! (none.zip)" in r.stderr
    assert shell.run_line("zip -Z x.zip notes.txt").exit_code == 16


def test_unzip_extracts_and_refuses_members_that_climb_out(shell: Shell, scratch: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ok/inside.txt", "fine\n")
        zf.writestr("../escape.txt", "bad\n")
        zf.writestr("/abs.txt", "bad\n")
    (scratch / "evil.zip").write_bytes(buf.getvalue())
    r = shell.run_line("unzip -d out evil.zip")
    assert r.exit_code == 1 and (scratch / "out" / "ok" / "inside.txt").read_text() == "fine\n"
    assert r.stderr.count("skipped") == 2
    assert not (scratch.parent / "escape.txt").exists() and not Path("/abs.txt").exists()
    (scratch / "not.zip").write_text("nope")
    assert shell.run_line("unzip -l not.zip").exit_code == 9
    assert (
        shell.run_line("unzip -l missing").stderr
        == "unzip:  cannot find or open missing, missing.zip or missing.ZIP.\n"
    )


def test_mkdir_cp_mv_rm(shell: Shell, scratch: Path) -> None:
    assert shell.run_line("mkdir a/b").stderr == "mkdir: cannot create directory 'a/b': No such file or directory\n"
    ok(shell, "mkdir -p a/b && mkdir -p a/b")
    assert shell.run_line("mkdir a").stderr == "mkdir: cannot create directory 'a': File exists\n"
    ok(shell, "echo hi > a/b/f.txt && chmod 600 a/b/f.txt")
    ok(shell, "cp a/b/f.txt g.txt")
    assert (scratch / "g.txt").read_text() == "hi\n" and (scratch / "g.txt").stat().st_mode & 0o777 == 0o600
    assert shell.run_line("cp a c").stderr == "cp: -r not specified; omitting directory 'a'\n"
    ok(shell, "cp -r a c")
    assert (scratch / "c" / "b" / "f.txt").read_text() == "hi\n"
    assert shell.run_line("cp g.txt a/b/f.txt nowhere").stderr == "cp: target 'nowhere' is not a directory\n"
    ok(shell, "mv g.txt a/")
    assert (scratch / "a" / "g.txt").exists() and not (scratch / "g.txt").exists()
    assert shell.run_line("mv nope x").stderr == "mv: cannot stat 'nope': No such file or directory\n"
    assert shell.run_line("rm a").stderr == "rm: cannot remove 'a': Is a directory\n"
    ok(shell, "rm -r a c")
    assert not (scratch / "a").exists() and not (scratch / "c").exists()
    assert shell.run_line("rm missing").exit_code == 1
    ok(shell, "rm -f missing")
    r = shell.run_line("rm -rf .")
    assert r.exit_code == 1 and "refusing to remove" in r.stderr and scratch.exists()
    assert shell.run_line("rm").stderr == "rm: missing operand\n"


@pytest.mark.parametrize(
    "line",
    [
        "cp ../x y",
        "cp x /etc/y",
        "mv /etc/hosts x",
        "mkdir -p ../up",
        "zip ../up.zip x",
        "unzip -l /etc/z.zip",
        "rm -rf ../scratch",
        "edit /etc/passwd",
    ],
)
def test_paths_outside_the_scratch_folder_are_refused(shell: Shell, line: str) -> None:
    (shell.scratch.root / "x").write_text("x\n")
    r = shell.run_line(line)
    assert r.exit_code != 0 and any(w in r.stderr for w in ("Permission denied", "cannot find", "refusing")), r
    assert (shell.scratch.root / "x").exists()


def test_edit_without_a_terminal_points_to_a_heredoc(shell: Shell) -> None:
    r = shell.run_line("edit f.py")
    assert r.exit_code == 1 and "cat > f.py <<'EOF'" in r.stderr


def test_edit_with_typed_lines_and_with_an_editor(shell: Shell, scratch: Path) -> None:
    shell.read_lines = lambda: ["line one", "line two"]
    assert ok(shell, "edit notes.txt").stdout == "Wrote 2 lines to notes.txt\n"
    assert (scratch / "notes.txt").read_text() == "line one\nline two\n"
    ran: list[list[str]] = []

    def run(argv: list[str]) -> int:
        ran.append(argv)
        Path(argv[-1]).write_text("from the editor\n")
        return 0

    shell.run_editor = run
    shell.host_editor = "nano"
    ok(shell, "edit sub.py")
    assert ran == [["nano", str(scratch.resolve() / "sub.py")]]
    ok(shell, "EDITOR='code --wait' edit sub.py")
    assert ran[-1][:2] == ["code", "--wait"]

    def cancel() -> list[str]:
        raise KeyboardInterrupt

    shell.run_editor, shell.read_lines, shell.host_editor = None, cancel, None
    r = shell.run_line("edit notes.txt")
    assert r.exit_code == 130 and (scratch / "notes.txt").read_text() == "line one\nline two\n"


@pytest.mark.parametrize("cmd", ["cp", "mv"])
def test_cp_and_mv_say_which_operand_is_missing(shell: Shell, cmd: str) -> None:
    ok(shell, "echo hi > f.txt && echo ho > h.txt")
    assert shell.run_line(cmd).stderr == f"{cmd}: missing file operand\n"
    assert shell.run_line(f"{cmd} f.txt").stderr == f"{cmd}: missing destination file operand after 'f.txt'\n"
    assert shell.run_line(f"{cmd} f.txt h.txt nowhere").stderr == f"{cmd}: target 'nowhere' is not a directory\n"
    assert shell.run_line(f"{cmd} -z f.txt g.txt").stderr == f"{cmd}: invalid option -- 'z'\n"
