"""`awsprep exam` through the real entry point: --answers/--seed/--json, bad input, and the timed prompt."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from conftest import first_letters, run_subprocess


def exam_json(cli, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = cli("exam", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return data


def test_a_full_exam_unanswered_scores_100_with_the_blueprint_mix(cli) -> None:  # type: ignore[no-untyped-def]
    data = exam_json(cli, "--seed", "1", "--answers", "," * 64)
    assert (data["total"], data["answered"], data["correct"], data["score"], data["passed"]) == (65, 0, 0, 100, False)
    assert [d["total"] for d in data["by_domain"]] == [21, 17, 15, 12]
    assert data["limit_s"] == 130 * 60
    assert "unscored" in data["unscored_note"] and "72 % = 720" in data["scaling"]


def test_the_right_answers_score_1000_and_the_seed_fixes_the_draw(cli) -> None:  # type: ignore[no-untyped-def]
    first = exam_json(cli, "--count", "5", "--seed", "7", "--answers", ",,,,")
    right = ",".join(q["answer"] for q in first["questions"])
    again = exam_json(cli, "--count", "5", "--seed", "7", "--answers", right)
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in first["questions"]]
    assert (again["correct"], again["score"], again["passed"]) == (5, 1000, True)
    assert sum(t["total"] for t in again["by_topic"].values()) == 5


def test_accommodation_adds_thirty_minutes(cli) -> None:  # type: ignore[no-untyped-def]
    data = exam_json(cli, "--count", "13", "--accommodation", "--answers", "," * 12)
    assert data["limit_s"] == 160 * 60 // 5  # 13 of 65 questions: a fifth of 130 + 30 minutes


def test_the_human_report_reviews_every_wrong_answer(cli) -> None:  # type: ignore[no-untyped-def]
    first = exam_json(cli, "--count", "4", "--seed", "3", "--answers", ",,,")
    answers = [first["questions"][0]["answer"], "", first["questions"][2]["answer"], ""]
    result = cli("exam", "--count", "4", "--seed", "3", "--answers", ",".join(answers))
    assert result.exit_code == 0
    out = result.stdout
    assert "Score " in out and "(pass mark 720)" in out
    assert "By domain" in out and "By topic" in out
    assert "Review of the 2 wrong or unanswered questions" in out
    assert "Question 2 of 4" in out and "Question 4 of 4" in out and "Question 1 of 4" not in out


def test_exam_answers_are_stored_and_logged_as_reviews(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    given = first_letters("exam", seed=2, count=5).split(",")
    exam_json(cli, "--count", "5", "--seed", "2", "--answers", ",".join([given[0], "", given[2], "", given[4]]))
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT kind, status, total FROM attempts").fetchall() == [("exam", "submitted", 5)]
    assert db.execute("SELECT count(*), sum(chosen = '') FROM answers").fetchone() == (5, 2)
    assert db.execute("SELECT count(*) FROM reviews WHERE card_id LIKE 'q:%'").fetchone() == (3,)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "9999", "--answers", "A"], "the bank has"),
        (["--count", "0", "--answers", "A"], "--count must be at least 1"),
        (["--count", "3", "--answers", "A,B"], "--answers has 2 answers but the exam has 3 questions"),
        (["--count", "3", "--seed", "1", "--answers", ",Q,"], "'Q' is not an answer to"),
        (["--resume", "--answers", "A"], "--resume continues an exam in a terminal"),
        ([], "an interactive exam needs a terminal; without one, use --answers"),
        (["--resume"], "needs a terminal"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("exam", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not [line for line in result.stderr.splitlines() if not line.startswith("awsprep: ")]


@pytest.mark.parametrize("command", ["exam", "quiz"])
def test_answers_must_have_the_count_each_question_asks_for(cli, command: str) -> None:  # type: ignore[no-untyped-def]
    first = cli(command, "--count", "5", "--seed", "7", "--answers", first_letters(command, seed=7, count=5), "--json")
    needs = [len(q["answer"]) for q in json.loads(first.stdout)["questions"]]
    for need, wrong, says in ((1, "AB", "Give one letter, not 2"), (2, "A", "Give two letters, not 1")):
        if need not in needs:
            continue
        given = ["ABC"[:n] for n in needs]
        given[needs.index(need)] = wrong
        result = cli(command, "--count", "5", "--seed", "7", "--answers", ",".join(given))
        assert result.exit_code == 2, result.stderr
        assert says in result.stderr and result.stdout == ""
    assert 1 in needs


def test_resume_with_nothing_to_resume(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("awsprep.cli.prompts.is_interactive", lambda: True)
    result = cli("exam", "--resume")
    assert result.exit_code == 2
    assert "there is no unfinished exam to resume" in result.stderr


def test_no_terminal_in_a_real_subprocess() -> None:
    result = run_subprocess("exam", "--count", "3", env={"AWSPREP_NO_TTY": ""})
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--answers" in result.stderr


# --- the timed loop, with the clock injected -------------------------------------------------------------


def _run(home: Path, count: int = 3):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from awsprep.content.catalog import load_catalog
    from awsprep.store.db import connect
    from awsprep.study.exam import draw_exam
    from awsprep.study.exam_session import ExamRun

    catalog = load_catalog()
    draw = draw_exam(catalog.questions, catalog.blueprint, count, random.Random(1))
    clock = {"t": 0.0}
    run = ExamRun.start(
        connect(home / "progress.sqlite3"),
        draw,
        limit_s=60,
        now=datetime(2026, 12, 1, tzinfo=UTC),
        ticker=lambda: clock["t"],
        seed=1,
        options={},
    )
    return run, clock


def _sit_with_keys(run, keys: str, *, end_input: bool = True) -> bool:  # type: ignore[no-untyped-def]
    """The real exam screen (`exam_cmd._sit` and the shared choice prompt), fed these keys through a pipe."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from awsprep.cli import exam_cmd

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(keys)
        if end_input:
            pipe.close()  # after the last key the input ends: a prompt still waiting fails the test, it cannot hang
        return exam_cmd._sit(run)


def test_at_zero_the_exam_submits_without_asking(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run, _ = _run(home)
    run.elapsed_before = 61.0  # counted before (a resumed exam carries its elapsed time)
    assert _sit_with_keys(run, "") is True
    assert "Time is up" in capsys.readouterr().err


def test_the_prompt_is_cancelled_when_time_runs_out(home: Path) -> None:
    run, _ = _run(home)
    run.elapsed_before = 59.95  # 0.05 s left on the injected clock: the prompt waits that long, then gives up
    assert _sit_with_keys(run, "", end_input=False) is True  # timed out (True), although no key came


def test_time_before_the_screen_shows_is_not_the_learners(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A run made with 1.5 s left and a machine that then stalls for 5 s before the screen: the question is still
    shown and can be answered (the stall once ended a resumed exam before its question was ever drawn)."""
    run, clock = _run(home)
    run.elapsed_before = 58.5
    clock["t"] = 5.0  # loading, the resume question, a busy machine
    assert _sit_with_keys(run, "r\rs\r") is False  # submitted by the learner, not timed out
    assert "Time is up" not in capsys.readouterr().err
    assert run.remaining() == pytest.approx(1.5)


def test_typed_commands_drive_the_exam(home: Path) -> None:
    """Answer, refuse a typo, flag, go back, jump, open the review screen and submit, through the real prompt."""
    run, _ = _run(home, count=3)
    right = [p.correct_letters() for p in run.presented]
    # q1: a typo, then its answer; q2: flag, skip; q3: p back to q2 and answer it; review, 1 goes to q1; submit
    keys = f"zz\r{right[0].lower()}\rf\r\rp\r{right[1]}\rr\r1\rr\rs\r"
    assert _sit_with_keys(run, keys) is False  # submitted, not timed out
    assert run.answers == {0: right[0], 1: right[1]}  # the refused "zz" was cleared; p went back to q2
    assert run.flags == {1}
    assert run.overview().unanswered == [3]
    assert run.current == 0  # the review screen's "1" went to question 1


def test_arrows_and_space_answer_in_the_exam(home: Path) -> None:
    run, _ = _run(home, count=3)
    p = run.presented[0]
    want = p.correct_letters()
    keys = ""
    for i, letter in enumerate(p.letters()):  # walk down the options, marking the right ones
        if letter in want:
            keys += " "
        keys += "\x1b[B" if i + 1 < len(p.letters()) else ""
    if len(want) == 1:  # a choose-one question: walk to the answer and mark it with space (nothing is marked before a
        # key, so an answer under the first option needs the space too; which option is right depends on the draw)
        keys = "\x1b[B" * p.letters().index(want) + " "
    assert _sit_with_keys(run, keys + "\rr\rs\r") is False
    assert run.answers == {0: want}
