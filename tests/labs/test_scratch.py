"""Nothing outside the scratch folder is read or written: `..`, absolute paths, symlinks, file://, outfiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from awsprep.labs.shell import Shell
from awsprep.labs.shell.base import FsError
from awsprep.labs.shell.scratch import ScratchFS


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    return secret


@pytest.mark.parametrize("path", ["../secret.txt", "sub/../../secret.txt", "~/../secret.txt"])
def test_climbing_out_is_refused(shell: Shell, outside: Path, path: str) -> None:
    (shell.scratch.root / "sub").mkdir()
    r = shell.run_line(f"cat {path}")
    assert r.exit_code == 1 and "outside" in r.stderr and "do not read" not in r.stdout
    assert shell.run_line(f"echo x > {path}").exit_code == 1
    assert outside.read_text() == "do not read"


def test_absolute_paths_are_refused(shell: Shell, outside: Path) -> None:
    r = shell.run_line(f"cat {outside}")
    assert r.exit_code == 1 and "scratch folder" in r.stderr
    assert shell.run_line(f"echo x >> {outside}").exit_code == 1
    assert shell.run_line(f"chmod 777 {outside}").exit_code == 1
    assert outside.read_text() == "do not read"


def test_symlinks_out_are_refused_and_in_are_fine(shell: Shell, outside: Path) -> None:
    root = shell.scratch.root
    os.symlink(outside, root / "link.txt")
    (root / "real.txt").write_text("inside\n")
    os.symlink(root / "real.txt", root / "ok.txt")
    assert shell.run_line("cat link.txt").exit_code == 1
    assert shell.run_line("echo x > link.txt").exit_code == 1
    assert shell.run_line("cat ok.txt").stdout == "inside\n"
    assert outside.read_text() == "do not read"


def test_tilde_is_the_scratch_folder(shell: Shell) -> None:
    shell.run_line("echo hi > ~/a.txt")
    assert (shell.scratch.root / "a.txt").read_text() == "hi\n"


def test_file_parameters_are_confined(shell: Shell, outside: Path) -> None:
    r = shell.run_line(f"aws ec2 create-key-pair --key-name k --tag-specifications file://{outside}")
    assert r.exit_code != 0 and "outside the sandbox folder" in r.stderr
    r = shell.run_line("aws ec2 create-security-group --group-name g --description file://../secret.txt")
    assert r.exit_code != 0 and "do not read" not in r.stdout


def test_file_parameters_read_relative_to_the_scratch_folder(shell: Shell) -> None:
    shell.run_line("echo -n 'from a file' > desc.txt")
    shell.run_line("aws ec2 create-security-group --group-name g --description file://desc.txt")
    r = shell.run_line("aws ec2 describe-security-groups --group-names g --query SecurityGroups[0].Description")
    assert r.stdout.strip() == '"from a file"'


def test_scratch_fs_api(tmp_path: Path) -> None:
    fs = ScratchFS(tmp_path / "s")
    fs.write_bytes("b.bin", b"\x00\x01")
    assert fs.read_bytes("b.bin") == b"\x00\x01"
    assert fs.mode("b.bin") == 0o644
    with pytest.raises(FsError, match="Is a directory"):
        fs.read(".")
    with pytest.raises(FsError, match="No such file"):
        fs.write("nodir/x", "")
    with pytest.raises(FsError, match="No such file"):
        fs.resolve("")
    fs.chmod("b.bin", 0o200)
    with pytest.raises(FsError, match="Permission denied"):
        fs.read("b.bin")
    assert not fs.exists("../x")
