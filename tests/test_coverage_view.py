"""Which topics come from the notes and which from the blueprint, and the task-statement coverage view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from awsprep.content.catalog import load_catalog
from awsprep.study.coverage import stray_questions, task_coverage
from conftest import copy_shipped_content


def _notes_only(tmp_path: Path) -> Path:
    """A copy of the shipped content with the blueprint topics (and their files) taken out: the gaps below are
    those of the 44 notes topics, whatever blueprint topics writers have added since."""
    root = _copy(tmp_path)
    topics = root / "content" / "topics.yaml"
    doc = yaml.safe_load(topics.read_text())
    dropped = [t["id"] for t in doc["topics"] if t["source"] != "notes"]
    doc["topics"] = [t for t in doc["topics"] if t["source"] == "notes"]
    topics.write_text(yaml.safe_dump(doc, sort_keys=False))
    for topic in dropped:
        for path in (f"content/lessons/{topic}.yaml", f"content/questions/{topic}.yaml", f"decks/{topic}.yaml"):
            (root / path).unlink(missing_ok=True)
    return root


@pytest.fixture
def notes_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = _notes_only(tmp_path)
    monkeypatch.setenv("AWSPREP_CONTENT", str(root))
    return root


def test_topics_json_carries_tasks_and_source(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("topics", "--json")
    ordered = json.loads(r.stdout)
    rows = {row["id"]: row for row in ordered}
    assert rows["ec2.scenarios"]["tasks"][:3] == ["4.1", "3.4", "1.3"]
    sources = [row["source"] for row in ordered]
    # the notes' 44 topics first, then any blueprint topics
    assert sources[:44] == ["notes"] * 44 and set(sources[44:]) <= {"blueprint"}


def test_topics_shows_where_each_topic_comes_from(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("topics", "--no-color")
    assert r.exit_code == 0
    assert "from the notes · lesson · 7 questions · 16 cards" in r.stdout


def test_study_list_shows_the_source(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("study", "--json")
    rows = json.loads(r.stdout)
    assert rows[0]["source"] == "notes" and rows[0]["tasks"] == ["1.1"]
    plain = cli("study")
    assert plain.stdout.splitlines()[0].split()[:3] == ["unread", "notes", "cloud.benefits"]


def test_content_export_carries_the_blueprint_and_tasks(cli) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(cli("content", "export", "--json").stdout)
    assert data["blueprint"]["guide_version"]
    assert data["blueprint"]["domains"][0]["tasks"][2]["knowledge"][6]["id"] == "1.3.k7"
    assert data["topics"][0]["tasks"] == ["1.1"] and data["topics"][0]["source"] == "notes"


def test_task_coverage_counts_and_gaps(notes_only: Path) -> None:
    rows = {r.id: r for r in task_coverage(load_catalog(notes_only, use_cache=False))}
    assert len(rows) == 13
    # today's 44 notes topics: 1.3 is served (ec2.scenarios: what survives a stop) but no question is tagged 1.3
    assert rows["1.3"].gaps == ["no questions"] and rows["1.3"].topics == ["ec2.scenarios"]
    assert sum(r.questions for r in rows.values()) == len(load_catalog(notes_only, use_cache=False).questions)
    assert all(r.topics and r.lessons for r in rows.values())


def _copy(tmp_path: Path) -> Path:
    return copy_shipped_content(tmp_path)


def test_a_topic_without_lesson_and_a_stray_question_show_up(tmp_path: Path) -> None:
    root = _notes_only(tmp_path)
    (root / "content" / "lessons" / "ec2.scenarios.yaml").unlink()
    q = root / "content" / "questions" / "cloud.benefits.yaml"
    q.write_text(q.read_text().replace('domain: 1\n    task: "1.1"', 'domain: 1\n    task: "1.2"', 1))
    catalog = load_catalog(root, use_cache=False)
    rows = {r.id: r for r in task_coverage(catalog)}
    assert rows["1.3"].gaps == ["no lesson", "no questions"] and rows["1.3"].lessons == []
    strays = stray_questions(catalog)
    assert len(strays) == 1 and strays[0][1:] == ("1.2", "cloud.benefits")


@pytest.mark.parametrize("width", [80, 60])
def test_coverage_view_reads_at_80_columns(cli, monkeypatch, width: int, notes_only: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", str(width))
    r = cli("topics", "--coverage", "--no-color")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    text = " ".join(r.stdout.split())
    for task in ("1.1", "1.3", "2.3", "3.4", "4.3"):
        assert any(line.startswith(task + " ") for line in lines), task
    assert "Domain 2 · Security · 26 %" in text
    assert "Gaps:" in text and "1.3 Use data stores in application development: no questions" in text


def test_coverage_json(cli, notes_only: Path) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(cli("topics", "--coverage", "--json").stdout)
    assert [t["id"] for t in data["tasks"]][:3] == ["1.1", "1.2", "1.3"]
    assert data["gaps"] == [{"task": "1.3", "gaps": ["no questions"]}]
    assert data["stray_questions"] == []
