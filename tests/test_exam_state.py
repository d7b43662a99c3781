"""The saved state of an unfinished exam has a schema: damage gives one line and sets the exam aside."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from awsprep.content.catalog import load_catalog
from awsprep.errors import StoreError
from awsprep.store.db import connect
from awsprep.study.exam import draw_exam
from awsprep.study.exam_session import ExamRun
from awsprep.study.exam_state import load_state


def good_state() -> dict:  # type: ignore[type-arg]
    return {
        "format": 1,
        "items": [{"id": "q1", "topic": "t", "order": [1, 0, 2, 3], "hash": "h"}],
        "answers": {"0": "B"},
        "flags": [0],
        "seconds": {"0": 1.5},
        "current": 0,
        "note": None,
    }


def test_a_good_state_loads_with_typed_fields() -> None:
    state = load_state(json.dumps(good_state()), 3)
    assert state.answers == {0: "B"} and state.items[0].order == [1, 0, 2, 3] and state.seconds == {0: 1.5}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda s: s.update(answers={"7": "A"}), "answers names question index 7"),
        (lambda s: s.update(answers={"0": "b; drop"}), "not option letters"),
        (lambda s: s.update(current=5), "current is 5"),
        (lambda s: s.update(flags=["x"]), "flags.0"),
        (lambda s: s.update(items=[]), "items"),
        (lambda s: s["items"][0].pop("order"), "items.0.order"),
        (lambda s: s.update(seconds={"0": -1}), "negative"),
        (lambda s: s.update(extra=1), "extra"),
    ],
)
def test_damage_is_one_clear_line(change, says: str) -> None:  # type: ignore[no-untyped-def]
    state = good_state()
    change(state)
    with pytest.raises(StoreError) as caught:
        load_state(json.dumps(state), 3)
    assert says in str(caught.value) and "exam #3" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("raw", ["{not json", "", "[]", "null"])
def test_not_a_state_at_all(raw: str) -> None:
    with pytest.raises(StoreError, match="damaged"):
        load_state(raw, 1)


def _open_exam(home: Path) -> sqlite3.Connection:
    catalog = load_catalog()
    conn = connect(home / "progress.sqlite3")
    draw = draw_exam(catalog.questions, catalog.blueprint, 3, random.Random(1))
    ExamRun.start(conn, draw, limit_s=60, now=datetime(2026, 12, 1, tzinfo=UTC), ticker=lambda: 0.0, seed=1, options={})
    return conn


def test_resuming_a_damaged_exam_sets_it_aside(home: Path) -> None:
    conn = _open_exam(home)
    conn.execute('UPDATE attempts SET state = \'{"format": 1, "items": 3}\'')
    with pytest.raises(StoreError, match=r"exam #1 is damaged \(items: "):
        ExamRun.resume(conn, load_catalog().question_by_id, lambda: 0.0, random.Random(0))
    assert [tuple(r) for r in conn.execute("SELECT status FROM attempts")] == [("abandoned",)]


def test_the_cli_says_one_line_for_a_damaged_exam(home: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    conn = _open_exam(home)
    conn.execute("UPDATE attempts SET state = 'garbage'")
    conn.close()
    monkeypatch.setattr("awsprep.cli.prompts.is_interactive", lambda: True)
    result = cli("exam", "--resume")
    assert result.exit_code == 1
    assert "is damaged (its state is not JSON" in result.stderr and "Traceback" not in result.stderr
