"""The sandbox against Lambda: a handler written with a heredoc, `create-function --zip-file fileb://`, invoke with
an outfile, and `load lambda` showing cold starts, concurrency and throttles."""

from __future__ import annotations

from pathlib import Path

from awsprep.labs.shell import Shell
from awsprep.sim import World, lambda_
from tests.sim.lambda_helpers import ROLE, package

from .conftest import ok


def _function(shell: Shell, world: World, scratch: Path) -> None:
    lambda_.use_runtime(world, lambda_.FakeRuntime())
    (scratch / "fn.zip").write_bytes(package({"lambda_function.py": "def lambda_handler(e, c):\n    return e\n"}))
    ok(
        shell,
        f"aws lambda create-function --function-name fn --runtime python3.12 --role {ROLE} "
        "--handler lambda_function.lambda_handler --zip-file fileb://fn.zip",
    )
    ok(shell, "aws lambda wait function-active-v2 --function-name fn")


def test_invoke_writes_the_outfile(shell: Shell, world: World, scratch: Path) -> None:
    _function(shell, world, scratch)
    out = ok(
        shell,
        "aws lambda invoke --function-name fn --cli-binary-format raw-in-base64-out --payload '{\"n\": 1}' out.json",
    )
    assert '"StatusCode": 200' in out.stdout
    assert ok(shell, "cat out.json").stdout.strip() == '{"n": 1}'


def test_load_lambda_shows_cold_starts_and_reserved_throttles(shell: Shell, world: World, scratch: Path) -> None:
    _function(shell, world, scratch)
    first = ok(shell, "load lambda fn --concurrency 10 --duration 5s").stdout
    assert "50 invocations of fn in 4 simulated seconds (10 at a time, every 1 s)" in first
    assert "cold starts: 10" in first and "highest concurrency: 10" in first
    ok(shell, "aws lambda put-function-concurrency --function-name fn --reserved-concurrent-executions 4")
    second = ok(shell, "load lambda fn -c 10 --duration 3s").stdout
    assert "throttled (429)           18" in second
    assert "Reason: ReservedFunctionConcurrentInvocationLimitExceeded (18)" in second
    assert "cold starts: 0" in second  # the four warm environments are reused


def test_load_lambda_bad_input(shell: Shell, world: World) -> None:
    assert shell.run_line("load lambda").exit_code == 2
    assert shell.run_line("load lambda fn -c 0").exit_code == 2
    assert "--duration must be a number" in shell.run_line("load lambda fn --duration soon").stderr
    missing = shell.run_line("load lambda nothere -c 2")
    assert missing.exit_code == 1 and "ResourceNotFoundException" in missing.stderr
