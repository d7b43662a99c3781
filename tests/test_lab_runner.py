"""The lab runner as a library: lab commands, nudges, captures, saving, resuming and older saves."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import load_catalog
from awsprep.content.schema_labs import Lab
from awsprep.labs.progress import open_run, save_run, statuses
from awsprep.labs.runner import LAB_FORMAT, LabRun
from awsprep.sim import ec2
from awsprep.store.db import connect
from awsprep.store.labs import load_progress, save_progress


@pytest.fixture(scope="module")
def lab() -> Lab:
    return next(x for x in load_catalog(use_cache=False).labs if x.id == "ec2-elastic-ip")  # set up before `home`


def _do_step(run: LabRun) -> None:
    for cmd in run.step_commands():
        run.command(cmd, check=False)
    assert run.check().completed is not None


def test_a_wrong_command_gets_the_aws_error_and_a_nudge(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    turn = run.handle("aws ec2 run-instances --image-id ami-nope --instance-type t3.micro")
    assert turn.result is not None and turn.result.exit_code == 255
    assert "InvalidAMIID.Malformed" in turn.result.stderr
    assert turn.nudge is not None and "Launch web-1" in turn.nudge and "hint" in turn.nudge
    assert turn.completed is None and run.index == 0
    garbage = run.handle("aws ec2 frobnicate --now")
    assert garbage.result is not None and garbage.result.exit_code != 0
    assert "Traceback" not in garbage.result.stderr
    assert garbage.nudge is not None


def test_hints_come_one_at_a_time_then_point_at_show(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    hints = [run.handle("hint").text for _ in range(len(lab.steps[0].hints) + 1)]
    assert hints[0].startswith(f"Hint 1 of {len(lab.steps[0].hints)}:")
    assert "`show`" in hints[-1]
    shown = run.handle("show").text
    assert "aws ec2 run-instances" in shown and "IID=$(" in shown


def test_commands_complete_a_step_and_fill_captured_values(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    turns = [run.handle(cmd) for cmd in run.step_commands()]
    done = turns[-1].completed
    assert done is not None and done.index == 0 and not done.skipped
    assert run.values["instance_id"].startswith("i-")
    assert run.values["ip_first"] in done.explanation
    assert "{" not in done.explanation
    assert run.current is not None and run.current.id == "reboot"


def test_check_says_what_is_missing(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    turn = run.handle("check")
    assert turn.report is not None and not turn.report.passed
    assert any("{instance_id}" in line.says and not line.passed for line in turn.report.lines)


def test_skip_runs_the_reference_commands(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    turn = run.handle("skip")
    assert turn.completed is not None and turn.completed.skipped
    assert [cmd for cmd, _ in turn.ran] == run.step_commands(lab.steps[0])
    assert run.skipped == ["launch"]


def test_restart_gives_a_fresh_account_and_step_one(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    run.handle("skip")
    assert ec2.backend(run.world).state.instances
    turn = run.handle("restart")
    assert turn.kind == "restart" and run.index == 0
    assert not ec2.backend(run.world).state.instances
    assert "IID" not in run.shell.vars
    assert run.values.keys() == {"lab_vpc_id", "lab_subnet_id"}


def test_quit_and_help_are_lab_commands(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    assert run.handle("quit").kind == "quit"
    assert run.handle("exit").kind == "quit"
    assert "hint" in run.handle("help").text


def test_resume_after_quitting_halfway(lab: Lab, tmp_path: Path, home: Path) -> None:
    conn = connect()
    folder = tmp_path / "scratch"
    first = open_run(lab, conn, folder)
    assert not first.resumed and first.message is None
    run = first.run
    for _ in range(4):
        _do_step(run)
    run.handle("aws ec2 describe-addresses")  # a half-done step 5: the world has moved on
    save_run(conn, run, now_ms=1)
    saved = load_progress(conn, lab.id)
    assert saved is not None and saved.step == 4 and saved.format == LAB_FORMAT
    row = next(s for s in statuses([lab], conn) if s.id == lab.id)
    assert row.status == f"in progress: step 5 of {len(lab.steps)}"

    again = open_run(lab, conn, folder)
    assert again.resumed and again.message is None
    resumed = again.run
    assert resumed.index == 4 and resumed.current is not None and resumed.current.id == "associate"
    assert resumed.values == run.values
    assert resumed.shell.vars["ALLOC"] == run.shell.vars["ALLOC"]
    assert resumed.world.snapshot() == run.world.snapshot()
    while resumed.current is not None:
        _do_step(resumed)
    save_run(conn, resumed, now_ms=2)
    row = next(s for s in statuses([lab], conn) if s.id == lab.id)
    assert row.completed and row.status == "completed"
    assert not open_run(lab, conn, folder).resumed  # a finished lab starts afresh


def test_an_older_saved_format_restarts_with_a_message(lab: Lab, tmp_path: Path, home: Path) -> None:
    conn = connect()
    save_progress(conn, lab.id, LAB_FORMAT - 1, 3, {"world": {"version": 0}, "values": {}}, now_ms=1)
    row = next(s for s in statuses([lab], conn) if s.id == lab.id)
    assert "older version" in row.status
    opened = open_run(lab, conn, tmp_path / "scratch")
    assert not opened.resumed and opened.run.index == 0
    assert opened.message is not None
    assert "older version of awsprep" in opened.message and "step 1" in opened.message
    assert load_progress(conn, lab.id) is None


def test_a_save_that_does_not_fit_the_lab_restarts_with_a_message(lab: Lab, tmp_path: Path, home: Path) -> None:
    conn = connect()
    run = LabRun.start(lab, tmp_path / "scratch")
    _do_step(run)
    state = run.state()
    state["step_id"] = "a-step-that-was-renamed"
    save_progress(conn, lab.id, LAB_FORMAT, 1, state, now_ms=1)
    opened = open_run(lab, conn, tmp_path / "scratch")
    assert not opened.resumed and opened.message is not None and "steps changed" in opened.message
    broken = {"world": {"version": 1, "meta": "not a mapping"}, "values": {}}
    save_progress(conn, lab.id, LAB_FORMAT, 1, broken, now_ms=1)
    opened = open_run(lab, conn, tmp_path / "scratch")
    assert not opened.resumed and opened.message is not None and "cannot be read" in opened.message


def test_clear_and_typos_of_builtins_are_no_failed_try(lab: Lab, tmp_path: Path) -> None:
    run = LabRun.start(lab, tmp_path)
    cleared = run.handle("clear")
    assert cleared.result is not None and cleared.result.exit_code == 0 and "\x1b[2J" in cleared.result.stdout
    assert cleared.nudge is None
    for typo, meant in (("claer", "clear"), ("hnit", "hint"), ("hisotry", "history")):
        turn = run.handle(typo)
        assert turn.result is not None and turn.result.exit_code == 127
        assert turn.nudge == f"Did you mean `{meant}`?"
    assert run.handle("history").nudge is None
    assert run.progress.lines == []  # none of them counts as a try at the step
    assert run.handle("nosuchtool").nudge is not None and "hint" in (run.handle("nosuchtool").nudge or "")
