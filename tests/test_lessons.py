"""Lessons: one per topic, sourced, readable in a terminal of 80 columns without colour; study flows."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import pytest

from awsprep.content.catalog import Catalog, load_catalog, load_sources
from awsprep.content.lint_lessons import AWS_DOCS, lint_lessons

LESSONS = Path(__file__).resolve().parent.parent / "content" / "lessons"
TOPICS = sorted(p.stem for p in LESSONS.glob("*.yaml"))  # files are named for their topic (validated)


@cache
def _catalog() -> Catalog:
    """Loaded once, inside the first test that needs it, never through the cache (no file is written)."""
    return load_catalog(use_cache=False)


def test_every_topic_has_exactly_one_lesson() -> None:
    lessons = [lesson.topic for lesson in _catalog().lessons]
    assert sorted(lessons) == sorted(t.id for t in _catalog().topics)


def test_lesson_lint_is_clean() -> None:
    assert [str(f) for f in lint_lessons(load_sources())] == []


@pytest.mark.parametrize("topic", TOPICS)
def test_lesson_is_sourced(topic: str) -> None:
    lesson = _catalog().lesson_by_topic[topic]
    assert len({r.url for r in lesson.references if r.url.startswith(AWS_DOCS)}) >= 2
    assert all(f.source.startswith("https://") for f in lesson.key_facts)
    assert all(c.notes_section.strip() for c in lesson.corrections)


@pytest.mark.parametrize("topic", TOPICS)
def test_lesson_renders_at_80_columns_without_colour(topic: str) -> None:
    lesson = _catalog().lesson_by_topic[topic]
    from rich.console import Console

    from awsprep.cli.lesson_view import lesson_renderables
    from awsprep.study.lessons import to_markdown

    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, color_system=None, force_terminal=False)
    for part in lesson_renderables(lesson, to_markdown(lesson, labs=[], questions=0, cards=0)):
        console.print(part)
    text = buffer.getvalue()
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert " ".join(lesson.title.split()) in " ".join(text.split())
    assert "Key facts" in text


def test_every_notes_correction_appears_in_the_errata(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("study", "--errata", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == sum(len(lesson.corrections) for lesson in _catalog().lessons) > 0
    for row in rows:
        assert {"topic", "notes_section", "notes_said", "in_fact", "verdict", "source"} <= set(row)
    numbers = [int("".join(c for c in row["notes_section"] if c.isdigit()) or 999) for row in rows]
    assert numbers == sorted(numbers)  # in the notes' own order


def test_errata_table_renders(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("study", "--errata")
    assert result.exit_code == 0
    assert "Corrections to the notes" in result.stdout


@pytest.mark.parametrize(("term", "topic"), [("cooldown", "asg.scaling-policies"), ("429", "lambda.concurrency")])
def test_search_finds_lessons(cli, term: str, topic: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("study", "--search", term, "--json")
    assert result.exit_code == 0
    assert topic in {hit["topic"] for hit in json.loads(result.stdout)}


def test_search_with_no_hit_exits_1(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("study", "--search", "zzqqxx-no-such-term")
    assert result.exit_code == 1
    assert "no lesson mentions" in result.stderr


def test_next_follows_study_order_then_weakness(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("study", "--next", "--plain")
    assert first.exit_code == 0
    assert first.stdout.startswith(f"# {_catalog().lesson_by_topic[_catalog().topics[0].id].title}")
    # printing a lesson is not reading it (issue 16 §2): --next stays on it until the learner marks it read
    again = cli("study", "--next", "--plain")
    assert again.stdout.startswith(f"# {_catalog().lesson_by_topic[_catalog().topics[0].id].title}")
    from awsprep.store import progress
    from awsprep.store.db import connect

    progress.mark_read(connect(), _catalog().topics[0].id, 1_000)
    second = cli("study", "--next", "--plain")
    assert second.stdout.startswith(f"# {_catalog().lesson_by_topic[_catalog().topics[1].id].title}")


def test_next_when_all_read_picks_the_weakest() -> None:
    from awsprep.study.lessons import next_topic

    reads = {t.id: 1 for t in _catalog().topics}
    accuracy = {t.id: (5, 5) for t in _catalog().topics}
    accuracy["lambda.edge"] = (1, 5)
    assert next_topic(_catalog(), reads, accuracy) == "lambda.edge"


def test_status_unread_read_mastered() -> None:
    from awsprep.study.lessons import Status, status

    assert status("x", {}, {}) is Status.UNREAD
    assert status("x", {"x": 1}, {"x": (3, 5)}) is Status.READ
    assert status("x", {"x": 1}, {"x": (4, 5)}) is Status.MASTERED
    assert status("x", {"x": 1}, {"x": (4, 4)}) is Status.READ  # too few answers to call it mastered


def test_plain_output_contains_every_part(cli) -> None:  # type: ignore[no-untyped-def]
    lesson = _catalog().lesson_by_topic["ec2.elastic-ip"]
    text = cli("study", "ec2.elastic-ip", "--plain").stdout
    for section in lesson.sections:
        assert f"## {section.heading}" in text
    assert "## Your notes said … — in fact …" in text
    assert "awsprep quiz --topic ec2.elastic-ip" in text
