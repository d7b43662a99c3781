"""Nothing a learner types crashes the shell, and it still answers afterwards."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsprep.labs.shell import Result, Shell
from awsprep.sim import World

WORDS = st.sampled_from(
    ["echo", "cat", "ls", "chmod", "curl", "ping", "ssh", "wait", "state", "bill", "X=1", "$X", "${X", "$(",
     ")", "'", '"', ">", ">>", "2>&1", "<<", "&&", "||", ";", "|", "&", "#", "\\", "~", "../x", "/etc/passwd",
     "-i", "-m", "400", "5m", "http://1.2.3.4/", "169.254.169.254", "exit", "sudo", "$((1+2))", "${X:-y}"]
)  # fmt: skip
LINES = st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINES, min_size=1, max_size=5))
def test_random_lines_never_escape(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shell = Shell(World(seed=1), Path(tmp))
        for line in lines:
            if line.strip().startswith(("aws", "exit")):
                continue  # the real CLI is slow; exit ends the session (tested elsewhere)
            result = shell.run_line(line)
            assert isinstance(result, Result)
            assert "internal error" not in result.stderr, (line, result)
            shell.exited = False
        assert shell.run_line("echo alive").stdout == "alive\n"


@pytest.mark.parametrize("line", ["<\x00", "cat a\x00b", "echo hi > \x00", "ls \x00", "chmod 400 \x00"])
def test_a_nul_in_a_path_is_a_missing_file_not_a_crash(line: str, tmp_path: Path) -> None:
    result = Shell(World(seed=0), tmp_path).run_line(line)
    assert result.exit_code != 0
    assert "No such file or directory" in result.stderr
    assert "internal error" not in result.stderr
