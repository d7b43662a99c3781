"""Every shipped lab passes with `--auto`, and every step's checks depend on the step having been done."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from awsprep.content.catalog import load_catalog
from awsprep.content.schema_labs import Lab
from awsprep.labs.auto import run_auto
from awsprep.labs.runner import LabRun


@cache
def _labs() -> list[Lab]:
    return load_catalog(use_cache=False).labs  # never through the cache: no file is written


LAB_IDS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "content" / "labs").glob("*.yaml"))


def test_the_seven_ec2_labs_are_listed(cli) -> None:  # type: ignore[no-untyped-def]
    listed = json.loads(cli("lab", "list", "--json").stdout)
    assert {row["id"] for row in listed} >= {
        "ec2-elastic-ip",
        "ec2-launch-web-server",
        "ec2-metadata",
        "ec2-security-groups",
        "ec2-user-data-and-ami",
        "ec2-launch-templates",
        "ec2-protection-and-resize",
    }
    assert sorted(row["id"] for row in listed) == sorted(LAB_IDS)


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_lab_passes_with_auto(cli, lab_id: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("lab", lab_id, "--auto")
    assert result.exit_code == 0, result.stdout[-2000:]
    assert f"PASS: all {len(next(x for x in _labs() if x.id == lab_id).steps)} steps" in result.stdout
    assert "FAIL" not in result.stdout


@pytest.mark.parametrize("lab_id", LAB_IDS)
def test_each_step_fails_its_checks_when_it_was_not_done(lab_id: str, tmp_path: Path) -> None:
    """Skip a step (run every earlier step, none of its commands): its checks must not pass."""
    lab = next(x for x in _labs() if x.id == lab_id)
    report = run_auto(lab, tmp_path, precheck=True)
    assert report.passed
    for step in report.steps:
        assert step.before is not None
        assert not step.before.passed, f"step {step.index + 1} ({step.title}) passes without being done"


def test_skipping_a_step_fails_the_next_check_that_depends_on_it(tmp_path: Path) -> None:
    """Skip `associate` in ec2-elastic-ip: the stop/start step that expects the EIP on web-1 must fail."""
    lab = next(x for x in _labs() if x.id == "ec2-elastic-ip")
    run = LabRun.start(lab, tmp_path)
    ids = [s.id for s in lab.steps]
    while run.current is not None and run.current.id != "associate":
        for cmd in run.step_commands():
            run.command(cmd, check=False)
        assert run.check().completed is not None
    run.index += 1  # move on without doing `associate`
    run.progress.lines.clear()
    run.progress.results.clear()
    assert run.current is not None and run.current.id == ids[ids.index("associate") + 1]
    for cmd in run.step_commands():
        run.command(cmd, check=False)
    turn = run.check()
    assert turn.completed is None
    assert turn.report is not None and not turn.report.passed
    failed = [line.says for line in turn.report.lines if not line.passed]
    assert any("public_address" in says for says in failed), failed


def test_auto_exits_1_when_a_check_fails(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A lab whose reference solution does not satisfy its check: --auto says FAIL and exits 1."""
    import shutil

    from conftest import ROOT

    root = tmp_path / "content-root"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "decks", root / "decks")
    lab_file = root / "content" / "labs" / "ec2-launch-templates.yaml"
    text = lab_file.read_text().replace(
        "field: instance_type, equals: t3.micro}", "field: instance_type, equals: m5.large}"
    )
    lab_file.write_text(text)
    monkeypatch.setenv("AWSPREP_CONTENT", str(root))
    result = cli("lab", "ec2-launch-templates", "--auto")
    assert result.exit_code == 1
    assert "FAIL instance" in result.stdout
    assert "FAIL: ec2-launch-templates stopped at step 3 of 7." in result.stdout
    as_json = json.loads(cli("lab", "ec2-launch-templates", "--auto", "--json").stdout)
    assert as_json["passed"] is False
    assert as_json["steps"][-1]["checks"][0]["passed"] is False
