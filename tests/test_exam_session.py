"""A running exam against a real store: state saved after every action, resume with the time left, edited or
removed questions, submission (answers and reviews), and the countdown with an injected clock."""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsprep.content.catalog import Catalog, load_catalog
from awsprep.errors import UsageError
from awsprep.store.db import connect
from awsprep.study.exam import draw_exam
from awsprep.study.exam_session import ExamRun
from awsprep.study.quiz import present
from awsprep.study.scheduler import Scheduler, SchedulerConfig

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(use_cache=False)


@pytest.fixture
def conn(home: Path) -> sqlite3.Connection:
    return connect(home / "progress.sqlite3")


def start(conn: sqlite3.Connection, catalog: Catalog, ticker: Ticker, count: int = 5) -> ExamRun:
    draw = draw_exam(catalog.questions, catalog.blueprint, count, random.Random(11))
    return ExamRun.start(conn, draw, limit_s=600, now=NOW, ticker=ticker, seed=11, options={"count": count})


def saved(conn: sqlite3.Connection, attempt_id: int) -> tuple[float, dict[str, object]]:
    row = conn.execute("SELECT elapsed_s, state FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
    return float(row[0]), json.loads(row[1])


def test_every_action_is_saved_with_the_elapsed_time(conn: sqlite3.Connection, catalog: Catalog) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    ticker.t += 30
    run.answer(0, "B")
    elapsed, state = saved(conn, run.attempt_id)
    assert elapsed == pytest.approx(30)
    assert state["answers"] == {"0": "B"}
    ticker.t += 15
    run.go(3)
    assert run.toggle_flag(3) is True
    elapsed, state = saved(conn, run.attempt_id)
    assert elapsed == pytest.approx(45)
    assert state["flags"] == [3] and state["current"] == 3
    assert state["seconds"] == {"0": pytest.approx(45)}  # time is charged to the question on screen
    assert run.overview().flagged == [4] and run.overview().answered == [1]


def test_the_countdown_follows_the_injected_clock(conn: sqlite3.Connection, catalog: Catalog) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    assert run.remaining() == 600
    ticker.t += 599.5
    assert run.remaining() == pytest.approx(0.5)
    ticker.t += 10
    assert run.remaining() == 0


def test_save_if_due_writes_every_two_seconds(conn: sqlite3.Connection, catalog: Catalog) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    ticker.t += 1.5
    run.save_if_due()
    assert saved(conn, run.attempt_id)[0] == 0
    ticker.t += 0.6
    run.save_if_due()
    assert saved(conn, run.attempt_id)[0] == pytest.approx(2.1)


def test_resume_restores_answers_flags_position_and_the_time_left(conn: sqlite3.Connection, catalog: Catalog) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    run.answer(0, "A")
    run.go(2)
    run.toggle_flag(2)
    ticker.t += 100
    run.save()
    del run  # the terminal closed; nothing else was written

    later = Ticker()
    later.t = 50.0  # a new process: its monotonic clock has nothing to do with the old one
    resumed, changed = ExamRun.resume(conn, catalog.question_by_id, later, random.Random(0))
    assert changed is None
    assert resumed.remaining() == pytest.approx(500)
    assert resumed.answers == {0: "A"} and resumed.flags == {2} and resumed.current == 2
    first = draw_exam(catalog.questions, catalog.blueprint, 5, random.Random(11)).presented
    assert [(p.id, p.order) for p in resumed.presented] == [(p.id, p.order) for p in first]


def test_resume_without_an_open_exam(conn: sqlite3.Connection, catalog: Catalog) -> None:
    with pytest.raises(UsageError, match="no unfinished exam"):
        ExamRun.resume(conn, catalog.question_by_id, Ticker(), random.Random(0))


def test_resume_after_questions_were_edited_or_removed(conn: sqlite3.Connection, catalog: Catalog) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    for i in range(5):
        run.answer(i, "A")
    run.go(4)
    ids = [p.id for p in run.presented]
    lookup = dict(catalog.question_by_id)
    del lookup[ids[1]]
    topic, edited = lookup[ids[3]]
    lookup[ids[3]] = (topic, dataclasses.replace(edited, stem=edited.stem + " Edited."))

    resumed, changed = ExamRun.resume(conn, lookup, Ticker(), random.Random(0))
    assert changed == (
        "Since this exam started, 1 question was removed (dropped: the exam now has 4) and 1 was edited "
        "(shown in the new wording, its answer cleared)."
    )
    assert [p.id for p in resumed.presented] == [ids[0], ids[2], ids[3], ids[4]]
    assert resumed.answers == {0: "A", 1: "A", 3: "A"}  # the edited one (now index 2) was cleared
    assert resumed.presented[2].question.stem.endswith("Edited.")
    assert resumed.current == 3  # still on the same question
    _, state = saved(conn, resumed.attempt_id)
    assert [item["id"] for item in state["items"]] == [ids[0], ids[2], ids[3], ids[4]]  # type: ignore[index]


def test_resume_when_every_question_is_gone(conn: sqlite3.Connection, catalog: Catalog) -> None:
    start(conn, catalog, Ticker())
    with pytest.raises(UsageError, match="every question of the unfinished exam has been removed"):
        ExamRun.resume(conn, {}, Ticker(), random.Random(0))
    assert conn.execute("SELECT status FROM attempts").fetchone()[0] == "abandoned"


def test_submit_stores_every_answer_and_logs_answered_ones_as_reviews(
    conn: sqlite3.Connection, catalog: Catalog
) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    run.answer(0, run.presented[0].correct_letters())
    run.answer(1, "A" if run.presented[1].correct_letters() != "A" else "B")
    run.toggle_flag(1)
    ticker.t += 42
    result = run.submit(catalog.blueprint, now=NOW, scheduler=Scheduler(SchedulerConfig()))
    assert (result.correct, result.answered, result.total) == (1, 2, 5)
    assert result.elapsed_s == pytest.approx(42)
    row = conn.execute("SELECT status, correct, total, score FROM attempts").fetchone()
    assert tuple(row) == ("submitted", 1, 5, result.score)
    answers = conn.execute("SELECT question_id, chosen, correct, flagged FROM answers ORDER BY id").fetchall()
    assert [a[0] for a in answers] == [p.id for p in run.presented]
    assert [a[1] != "" for a in answers] == [True, True, False, False, False]
    assert [a[3] for a in answers] == [0, 1, 0, 0, 0]
    reviews = conn.execute("SELECT card_id, rating, source FROM reviews ORDER BY id").fetchall()
    assert [tuple(r) for r in reviews] == [
        (f"q:{run.presented[0].id}", 3, "quiz"),
        (f"q:{run.presented[1].id}", 1, "quiz"),
    ]


def test_time_spent_never_exceeds_the_limit(conn: sqlite3.Connection, catalog: Catalog) -> None:
    ticker = Ticker()
    run = start(conn, catalog, ticker)
    ticker.t += 900
    result = run.submit(catalog.blueprint, now=NOW, scheduler=Scheduler(SchedulerConfig()), timed_out=True)
    assert result.elapsed_s == 600 and result.timed_out
    assert result.score == 100


def test_a_question_answered_meanwhile_elsewhere_is_re_read_and_applied(
    conn: sqlite3.Connection, catalog: Catalog, home: Path
) -> None:
    """Another terminal answers the same question while this quiz shows it (issue 15 §2). The answer and its
    review are one transaction that reads the card under the write lock, so the other terminal's write cannot
    land between our read and our write (tests/test_store_faults.py forces that case); here it lands before."""
    from awsprep.store.db import connect
    from awsprep.study.quiz_session import QuizRun, log_question_review

    other = connect(home / "progress.sqlite3")
    scheduler = Scheduler(SchedulerConfig())
    topic, q = catalog.questions[0]
    shown = [present(topic, q, random.Random(0))]
    run = QuizRun.start(conn, shown, lambda: NOW, scheduler, seed=None, filters={})
    log_question_review(other, scheduler, shown[0], True, NOW, 0)  # the other terminal, while ours shows it
    result = run.answer(shown[0], shown[0].correct_letters())
    summary = run.finish()
    assert result.correct and (summary.correct, summary.total) == (1, 1)  # not closed as 0/0
    reviews = conn.execute("SELECT count(*) FROM reviews WHERE card_id = ?", (f"q:{q.id}",)).fetchone()[0]
    assert reviews == 2  # the other terminal's review and ours, applied on top of it
    assert conn.execute("SELECT reps FROM cards WHERE card_id = ?", (f"q:{q.id}",)).fetchone()[0] == 2


def test_abandon_keeps_the_answered_questions_as_answers_and_reviews(
    conn: sqlite3.Connection, catalog: Catalog
) -> None:
    run = start(conn, catalog, Ticker())
    right = run.presented[0].correct_letters()
    wrong = "A" if run.presented[1].correct_letters() != "A" else "B"
    run.answer(0, right)
    if len(run.presented[1].question.correct) == 1:
        run.answer(1, wrong)
    answered = len(run.answers)
    correct, given = run.abandon(now=NOW, scheduler=Scheduler(SchedulerConfig()))
    assert (correct, given) == (1, answered)
    row = conn.execute("SELECT status, correct, total, score FROM attempts WHERE id = ?", (run.attempt_id,)).fetchone()
    assert tuple(row) == ("abandoned", 1, answered, None)
    assert (
        conn.execute("SELECT count(*) FROM answers WHERE attempt_id = ?", (run.attempt_id,)).fetchone()[0] == answered
    )
    assert conn.execute("SELECT count(*) FROM reviews WHERE card_id LIKE 'q:%'").fetchone()[0] == answered
