"""`aws logs tail` in the sandbox (a CLI v2 command the bundled v1 lacks): v2's formats, --since, filters,
--follow on the simulated clock under `timeout`, and at a terminal until Ctrl-C."""

from __future__ import annotations

from typing import Any

from awsprep.labs.shell import Shell
from awsprep.sim import World, logs
from awsprep.sim.core.clock import Timer
from awsprep.sim.core.service import ServiceSpec

from .conftest import ok

GROUP = "/aws/lambda/fn"


def _write(world: World, *messages: str, stream: str = "s1", at: float | None = None) -> None:
    t = world.now if at is None else at
    logs.write(world, "us-east-1", GROUP, stream, [(t + i / 1000, m) for i, m in enumerate(messages)])


def test_tail_prints_the_last_ten_minutes_in_v2s_detailed_format(shell: Shell) -> None:
    w = shell.world
    _write(w, "too old")
    w.advance(11 * 60)
    _write(w, "START RequestId: 1", "hello")
    r = ok(shell, f"aws logs tail {GROUP}")
    assert r.stdout == ("2025-01-06T09:11:00+00:00 s1 START RequestId: 1\n2025-01-06T09:11:00.001000+00:00 s1 hello\n")
    assert "too old" in ok(shell, f"aws logs tail {GROUP} --since 1h").stdout
    assert "too old" in ok(shell, f"aws logs tail {GROUP} --since 2025-01-06T09:00:00Z").stdout
    assert ok(shell, f"aws logs tail {GROUP} --format short").stdout.startswith("2025-01-06T09:11:00 START")


def test_json_format_filters_and_streams(shell: Shell) -> None:
    w = shell.world
    _write(w, '{"level": "error", "n": 1}', "plain")
    _write(w, "other stream", stream="s2")
    r = ok(shell, f"aws logs tail {GROUP} --format json --filter-pattern '{{ $.level = \"error\" }}'")
    assert r.stdout == '2025-01-06T09:00:00 {\n    "level": "error",\n    "n": 1\n}\n'
    assert ok(shell, f"aws logs tail {GROUP} --log-stream-names s2").stdout.endswith("s2 other stream\n")
    assert "other stream" not in ok(shell, f"aws logs tail {GROUP} --log-stream-name-prefix s1").stdout
    assert ok(shell, f"aws --region us-east-1 logs tail {GROUP} --filter-pattern plain").stdout.endswith("plain\n")


def test_errors_as_the_cli_words_them(shell: Shell) -> None:
    r = shell.run_line("aws logs tail /nope")
    assert r.exit_code == 255
    assert r.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the FilterLogEvents operation: "
        "The specified log group does not exist."
    )
    r = shell.run_line("aws logs tail")
    assert r.exit_code == 252 and "the following arguments are required: group_name" in r.stderr
    for bad in ("--since yesterday", "--format fancy", "--bogus"):
        r = shell.run_line(f"aws logs tail g {bad}")
        assert r.exit_code == 252 and "Traceback" not in r.stderr, bad
    r = shell.run_line(f"aws logs tail {GROUP} --follow")
    assert r.exit_code == 1 and "timeout 2m aws logs tail" in r.stderr  # a script cannot press Ctrl-C


def _ticker(world: World, timer: Timer) -> bool | None:
    logs.write(world, "us-east-1", GROUP, "s1", [f"tick at +{int(world.now - 1736154000)}s"])
    return None


TICKER = ServiceSpec("ticker", dict, lambda w, r: {}, lambda w, r: None, on_timer=_ticker)  # type: ignore[arg-type,return-value]


def _ticking_shell(scratch: Any) -> Shell:
    from awsprep.sim.core import registry

    world = World(seed=3, services=[*registry.default_specs(), TICKER])
    world.schedule(30, "ticker", "us-east-1", "tick", "t", every=30)
    return Shell(world, scratch)


def test_follow_under_timeout_runs_the_clock_and_prints_what_arrives(scratch: Any) -> None:
    shell = _ticking_shell(scratch)
    _write(shell.world, "before")
    r = shell.run_line(f"timeout 95s aws logs tail {GROUP} --follow --format short")
    assert r.exit_code == 124
    assert [line.split(" ", 1)[1] for line in r.stdout.splitlines()] == [
        "before",
        "tick at +30s",
        "tick at +60s",
        "tick at +90s",
    ]
    assert shell.world.now == 1736154000 + 95
    r = shell.run_line("timeout 1m sleep 5m")
    assert r.exit_code == 124 and shell.world.now == 1736154000 + 155
    assert shell.run_line("timeout").exit_code == 125 and shell.run_line("timeout x echo").exit_code == 125
    assert ok(shell, "timeout 1m echo done").stdout == "done\n"


def test_follow_at_a_terminal_writes_live_until_ctrl_c(scratch: Any) -> None:
    shell = _ticking_shell(scratch)
    written: list[str] = []
    paces: list[float] = []

    def pace(seconds: float) -> None:
        paces.append(seconds)
        if len(paces) == 65:
            raise KeyboardInterrupt

    shell.live, shell.pace = written.append, pace
    logs.write(shell.world, "us-east-1", GROUP, "s1", [])  # the group exists (a function ran once)
    r = shell.run_line(f"aws logs tail {GROUP} --follow")
    assert r.exit_code == 130 and r.stdout == "" and r.stderr == ""
    assert [w.split(" ", 2)[2] for w in written if w] == ["tick at +30s\n", "tick at +60s\n"]
    assert paces[0] == 0.1  # ten simulated seconds per real second
    r = shell.run_line(f"aws logs tail {GROUP} --follow > out.txt")  # redirected: no terminal, needs a limit
    assert r.exit_code == 1
