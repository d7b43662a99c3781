"""`--debug` shows where the simulator modelled Lambda execution environments instead of running them (issue 14:
"the extra ones are modelled from the measured init and duration of the real ones and say so in `--debug`"),
through the real entry point: `awsprep sandbox --script … --debug` and `awsprep lab … --auto --debug`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from awsprep.labs.shell.laptop import DEBUG_SHOWN, debug_lines
from awsprep.sim import World, lambda_
from awsprep.sim.core import debuglog

SCRIPT = """cat > lambda_function.py <<'EOF'
def lambda_handler(event, context):
    return {"ok": True}
EOF
zip fn.zip lambda_function.py
aws lambda create-function --function-name burst --runtime python3.12 --role arn:aws:iam::111122223333:role/r \
--handler lambda_function.lambda_handler --zip-file fileb://fn.zip --query State --output text
aws lambda wait function-active-v2 --function-name burst
aws lambda invoke --function-name burst out.json
""".replace("\\\n", "")
MODELLED = "awsprep debug: lambda: burst:$LATEST: request "
Cli = Callable[..., Any]


@pytest.fixture
def one_worker() -> Iterator[None]:
    """New worlds get a runtime with room for one environment, so any overlap is modelled."""
    lambda_.set_runtime_factory(lambda: lambda_.FakeRuntime(capacity=1))
    yield
    lambda_.set_runtime_factory(None)


def _script(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "burst.sh"
    path.write_text(SCRIPT + extra, encoding="utf-8")
    return path


def test_sandbox_debug_names_each_modelled_invocation_of_a_load(cli: Cli, tmp_path: Path, one_worker: None) -> None:
    script = _script(tmp_path, "load lambda burst --concurrency 4 --duration 1s\n")
    quiet = cli("sandbox", "--script", str(script))
    assert quiet.exit_code == 0, quiet.stdout
    assert "awsprep debug:" not in quiet.stdout + quiet.stderr
    loud = cli("sandbox", "--script", str(script), "--debug")
    assert loud.exit_code == 0, loud.stdout
    before, load_part = loud.stdout.split("$ load lambda burst")
    # 4 at once, 1 worker: the warm real environment serves one, 3 are modelled, each said once
    assert load_part.count(MODELLED) == 3
    assert "ran on modelled environment" in load_part and "(no code ran)" in load_part
    assert "Init Duration 120.00 ms, the means of 2 real runs and 1 real init" in load_part  # the fake's figures
    assert "result copied from the last real run (ok)" in load_part
    assert "3 modelled from their measured times" in load_part  # the summary agrees with the notes
    assert MODELLED not in before  # the single invoke before ran for real


def test_sandbox_debug_shows_modelled_async_invocations_when_their_timer_fires(
    cli: Cli, tmp_path: Path, one_worker: None
) -> None:
    loop = "for i in 1 2 3; do aws lambda invoke --function-name burst --invocation-type Event o$i.json; done\n"
    result = cli("sandbox", "--script", str(_script(tmp_path, loop + "sleep 1\n")), "--debug")
    assert result.exit_code == 0, result.stdout
    after_sleep = result.stdout.split("$ sleep 1")[1]
    assert after_sleep.count(MODELLED) == 2  # three queued events at one instant, one real environment


def test_lab_auto_debug_shows_the_modelled_environments_of_the_concurrent_step(cli: Cli, one_worker: None) -> None:
    from awsprep.sim.lambda_.procruntime import ProcessRuntime

    lambda_.set_runtime_factory(lambda: ProcessRuntime(max_workers=1))  # the lab's real handler, one process
    result = cli("lab", "lambda-cold-and-warm", "--auto", "--debug")
    assert result.exit_code == 0, result.stdout
    concurrent = result.stdout.split("$ load lambda counter --concurrency 3")[1].split("PASS")[0]
    assert concurrent.count("awsprep debug: lambda: counter:$LATEST: request ") == 2
    assert "awsprep debug:" not in cli("lab", "lambda-cold-and-warm", "--auto").stdout


def test_a_burst_of_notes_shows_its_first_ones_a_count_and_the_last() -> None:
    world = World()
    for i in range(DEBUG_SHOWN + 30):
        debuglog.note(world, f"note {i}")
    lines = debug_lines(world).splitlines()
    assert len(lines) == DEBUG_SHOWN + 1
    assert lines[0] == "awsprep debug: note 0"
    assert lines[-2] == "awsprep debug: ... 30 more notes like these ..."
    assert lines[-1] == f"awsprep debug: note {DEBUG_SHOWN + 29}"
    assert debug_lines(world) == ""  # taken once


def test_notes_nobody_reads_stay_bounded() -> None:
    world = World()
    for i in range(debuglog.LIMIT + 5):
        debuglog.note(world, f"n{i}")
    notes, dropped = debuglog.take(world)
    assert len(notes) == debuglog.LIMIT and dropped == 5 and notes[0] == "n5"
