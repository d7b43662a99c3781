"""`awsprep quiz history`, the trend, and the confidence calibration in the quiz summary."""

from __future__ import annotations

import json
import random

import pytest

from awsprep.content.catalog import load_catalog
from awsprep.study.quiz import AttemptLine, ItemResult, history, present, summarise
from conftest import first_letters


def line(i: int, correct: int, total: int = 10, status: str = "submitted", kind: str = "quiz") -> AttemptLine:
    return AttemptLine(i, kind, 1000 * i, status, correct, total, None, 60.0)


def test_trend_compares_the_latest_attempts_with_the_ones_before() -> None:
    found = history([line(1, 4), line(2, 5), line(3, 7), line(4, 8)])
    assert found.window == 2
    assert found.trend == pytest.approx(75 - 45)
    assert found.trend_word == "up 30 points"


def test_trend_ignores_open_and_empty_attempts_and_needs_two() -> None:
    assert history([line(1, 5)]).trend is None
    assert history([line(1, 5)]).trend_word == "not enough attempts yet"
    found = history([line(1, 6), line(2, 0, total=0), line(3, 1, status="open"), line(4, 6)])
    assert found.trend == 0 and found.trend_word == "steady"
    assert len(found.attempts) == 4  # all listed, only finished ones with answers count for the trend


def test_the_window_is_at_most_five() -> None:
    found = history([line(i, i % 10) for i in range(1, 21)])
    assert found.window == 5


def _items(confidences: list[tuple[str, bool]]) -> list[ItemResult]:
    catalog = load_catalog()
    rng = random.Random(0)
    shown = [present(t, q, rng) for t, q in catalog.questions[: len(confidences)]]
    return [
        ItemResult(p, p.correct_letters() if ok else "", ok, level)
        for p, (level, ok) in zip(shown, confidences, strict=True)
    ]


def test_calibration_names_confident_mistakes() -> None:
    summary = summarise(_items([("sure", True), ("sure", False), ("unsure", True), ("guess", False)]))
    assert summary.by_confidence == {"sure": (1, 2), "unsure": (1, 1), "guess": (0, 1)}
    lines = summary.calibration()
    assert lines[:3] == ["sure    1/2 correct (50 %)", "unsure  1/1 correct (100 %)", "guess   0/1 correct (0 %)"]
    assert "1 answer you were sure of was wrong" in lines[3]


def test_calibration_is_silent_without_confidence() -> None:
    assert summarise(_items([("", True)])).calibration() == []


def test_quiz_history_json_lists_quizzes_and_exams(cli) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(cli("quiz", "history", "--json").stdout)["attempts"] == []
    cli(
        "quiz",
        "--topic",
        "ec2.elastic-ip",
        "--count",
        "2",
        "--seed",
        "1",
        "--answers",
        first_letters("quiz", seed=1, count=2, topics=("ec2.elastic-ip",)),
    )
    exam = json.loads(
        cli("exam", "--count", "3", "--seed", "1", "--answers", first_letters("exam", seed=1, count=3), "--json").stdout
    )
    data = json.loads(cli("quiz", "history", "--json").stdout)
    assert [(a["kind"], a["total"], a["status"]) for a in data["attempts"]] == [
        ("quiz", 2, "submitted"),
        ("exam", 3, "submitted"),
    ]
    # the history shows the exam's own result (it once accepted any score, even a wrong one)
    assert (data["attempts"][1]["correct"], data["attempts"][1]["score"]) == (exam["correct"], exam["score"])
    assert data["trend_window"] == 1


def test_quiz_history_table(cli) -> None:  # type: ignore[no-untyped-def]
    empty = cli("quiz", "history")
    assert empty.exit_code == 0 and "No quizzes or exams yet" in empty.stderr
    cli(
        "quiz",
        "--topic",
        "ec2.elastic-ip",
        "--count",
        "2",
        "--seed",
        "1",
        "--answers",
        first_letters("quiz", seed=1, count=2, topics=("ec2.elastic-ip",)),
    )
    result = cli("quiz", "history")
    assert "submitted" in result.stdout and "Trend: not enough attempts yet" in result.stdout


def test_quiz_filters_still_work_beside_history(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", "--topic", "ec2.elastic-ip", "--count", "1", "--seed", "3", "--answers", "A", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"] == 1


def test_an_unknown_quiz_action_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", "histroy")
    assert result.exit_code == 2
    # `history` is a real subcommand now: the parser names it as the likely intent
    assert "No such command 'histroy'. Did you mean 'history'?" in result.stderr


def test_draw_quiz_defaults_to_ten_and_refuses_an_empty_pool() -> None:
    import random

    from awsprep.content.catalog import load_catalog
    from awsprep.errors import UsageError
    from awsprep.study.quiz import DEFAULT_COUNT, Filters, draw_quiz

    catalog = load_catalog()
    assert len(draw_quiz(catalog, Filters(), {}, None, random.Random(1))) == DEFAULT_COUNT == 10
    small = Filters(topics=("ec2.elastic-ip",))
    assert len(draw_quiz(catalog, small, {}, 3, random.Random(1))) == 3
    with pytest.raises(UsageError, match="no questions match"):
        draw_quiz(catalog, Filters(missed=True), {}, None, random.Random(1))


def test_an_unfinished_exam_shows_as_in_progress_not_0_of_0(cli, home) -> None:  # type: ignore[no-untyped-def]
    import random
    from datetime import UTC, datetime

    from awsprep.content.catalog import load_catalog
    from awsprep.store.db import connect
    from awsprep.study.exam import draw_exam
    from awsprep.study.exam_session import ExamRun

    catalog = load_catalog()
    draw = draw_exam(catalog.questions, catalog.blueprint, 3, random.Random(1))
    run = ExamRun.start(
        connect(home / "progress.sqlite3"),
        draw,
        limit_s=360,
        now=datetime(2026, 12, 1, tzinfo=UTC),
        ticker=lambda: 0.0,
        seed=1,
        options={},
    )
    run.answer(0, draw.presented[0].correct_letters())  # one answered, then the learner stops (Ctrl-C)
    run.conn.close()
    lines = [line for line in cli("quiz", "history").stdout.splitlines() if " exam " in line]
    assert len(lines) == 1, lines
    assert "in progress" in lines[0] and "0/0" not in lines[0] and "open" in lines[0]
