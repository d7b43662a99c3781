"""`cards stats` figures on a constructed collection and history, and how the heatmap reads without colour."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from awsprep.store.db import connect
from awsprep.study.cards_config import CardsConfig
from awsprep.study.cards_stats import compute
from awsprep.study.scheduler import Scheduler, SchedulerConfig, to_ms

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CURVE = Scheduler(SchedulerConfig(fuzz=False)).forgetting_curve


def _card(conn: sqlite3.Connection, card_id: str, state: int, due: datetime | None, **extra: object) -> None:
    cols = {"card_id": card_id, "note_id": card_id, "topic": "t.x", "state": state, "due_ms": due and to_ms(due)}
    if state:
        cols |= {"stability": 10.0, "difficulty": 5.0, "last_review_ms": to_ms(NOW - timedelta(days=5))}
    cols |= extra
    conn.execute(f"INSERT INTO cards ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", list(cols.values()))


def _review(conn: sqlite3.Connection, when: datetime, rating: int, state_before: int = 2, source: str = "card") -> None:
    conn.execute(
        "INSERT INTO reviews (card_id, rating, reviewed_ms, source, before, after) VALUES ('a0', ?, ?, ?, ?, '{}')",
        (rating, to_ms(when), source, json.dumps({"state": state_before})),
    )


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = connect(tmp_path / "p.sqlite3")
    for i in range(4):
        _card(c, f"n{i}", 0, None)
    _card(c, "l0", 1, NOW + timedelta(minutes=5))
    _card(c, "l1", 1, NOW + timedelta(hours=10))  # 19:00, still today (the day ends at 04:00)
    _card(c, "r0", 2, NOW - timedelta(days=2))  # overdue: counted today
    _card(c, "r1", 2, NOW + timedelta(days=3))
    _card(c, "r2", 2, NOW + timedelta(days=40))  # beyond the forecast
    _card(c, "x0", 3, NOW, suspended=1, tags="leech", lapses=8)
    _card(c, "q:quiz-1", 2, NOW)  # a quiz question: not a flashcard figure
    for days, rating in ((0, 3), (1, 3), (2, 1), (3, 4), (6, 2), (20, 3), (25, 1)):
        _review(c, NOW - timedelta(days=days, hours=1), rating)
    _review(c, NOW - timedelta(hours=2), 3, state_before=0)  # a new card introduced today
    _review(c, NOW - timedelta(hours=3), 1, source="cram")  # cram counts nowhere
    _review(c, NOW - timedelta(days=400), 3)  # older than the heatmap's year
    return c


def test_stats_figures_on_a_constructed_history(conn: sqlite3.Connection) -> None:
    s = compute(conn, NOW, 0, CardsConfig(new_per_day=3), CURVE)
    assert s.by_state == {"new": 4, "learning": 2, "review": 3, "relearning": 1}
    assert (s.total, s.suspended, s.buried, s.leeches) == (10, 1, 0, ["x0"])
    assert s.due_today == 3 and s.forecast[0] == 3  # l0, l1, r0 (x0 is suspended)
    assert s.forecast[3] == 1 and sum(s.forecast) == 4 and len(s.forecast) == 30
    assert s.new_today == 2  # 3 a day, one already introduced today
    assert s.reviews_today == 2  # 08:00 review and the 07:00 introduction; cram is not counted
    assert s.true_retention == {"7d": 4 / 5, "30d": 5 / 7}
    assert s.retention_reviews == {"7d": 5, "30d": 7}
    assert s.heatmap["2026-03-02"] == 2 and s.heatmap["2026-02-28"] == 1
    assert min(s.heatmap) >= (date(2026, 3, 2) - timedelta(days=364)).isoformat()
    assert s.exam is None


def test_exam_outlook_predicts_recall_on_exam_day(conn: sqlite3.Connection) -> None:
    s = compute(conn, NOW, 0, CardsConfig(exam_date=date(2026, 3, 30)), CURVE)
    assert s.exam is not None
    assert (s.exam.date, s.exam.days_left, s.exam.unseen, s.exam.target) == ("2026-03-30", 28, 4, 0.95)
    expected = CURVE.recall(10.0, to_ms(NOW - timedelta(days=5)), to_ms(datetime(2026, 3, 30, 4, tzinfo=UTC)))
    assert s.exam.recall_studied == pytest.approx(expected)  # every studied, unsuspended card has S = 10
    assert s.exam.recall_all == pytest.approx(expected * 5 / 9)
    assert s.exam.below_target == 5


def test_heatmap_reads_without_colour() -> None:
    from awsprep.cli.cards_view import SHADES, heatmap_lines

    today = date(2026, 3, 2)
    lines = heatmap_lines({"2026-03-02": 9, "2026-03-01": 1, "2025-12-25": 5}, today)
    text = ["".join(glyph for glyph, _style in row) for row in lines]
    assert len(text) == 8 and text[1].startswith("Mon ")
    assert text[1][-1] == "█" and text[7][-2] == "░"  # today (a Monday) is the busiest; Sunday light
    assert all(ch in SHADES + " " for row in text[1:] for ch in row[4:])
    assert "Mar" in text[0] and "Dec" in text[0]


def test_stats_json_through_the_cli(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AWSPREP_NOW", NOW.isoformat())
    assert cli("cards", "review", "--topic", "ec2.elastic-ip", "--ratings", "3,3").exit_code == 0
    result = cli("cards", "stats", "--json")
    plain = cli("cards", "stats")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["by_state"]["learning"] == 2 and data["reviews_today"] == 2 and len(data["forecast"]) == 30
    assert plain.exit_code == 0 and "reviews, last 365 days" in plain.stdout and "\x1b[" not in plain.stdout


def test_exam_recall_in_sql_agrees_with_the_python_fallback(conn: sqlite3.Connection) -> None:
    from awsprep.study.cards_stats import _exam_recall_py, _exam_recall_sql
    from awsprep.study.review import exam_plan

    plan = exam_plan(CardsConfig(exam_date=date(2026, 5, 1)), 0, CURVE)
    assert plan is not None
    in_sql = _exam_recall_sql(conn, plan)
    assert in_sql is not None  # this SQLite has math functions; others take the fallback
    total, studied, summed, below = _exam_recall_py(conn, plan)
    assert in_sql[:2] == (total, studied) and in_sql[3] == below
    assert in_sql[2] == pytest.approx(summed)
