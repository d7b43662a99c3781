"""The exam blueprint as data (issue 17): task statements with their knowledge and skill lines, the in-scope
services, and every topic naming the task statements it serves, checked both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from awsprep.content.catalog import load_catalog, validate_paths
from awsprep.errors import ContentError
from awsprep.paths import content_root
from conftest import copy_shipped_content


def _copy(tmp_path: Path) -> Path:
    return copy_shipped_content(tmp_path)


def _problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_catalog(root, use_cache=False)
    return [str(p) for p in exc.value.problems]


def test_the_shipped_blueprint_has_every_task_statement_with_its_lines() -> None:
    bp = load_catalog().blueprint
    want = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3"]
    assert [t.id for d in bp.domains for t in d.tasks] == want
    assert {d.id: len(d.tasks) for d in bp.domains} == {1: 3, 2: 3, 3: 4, 4: 3}
    assert {d.id: d.weight for d in bp.domains} == {1: 32, 2: 26, 3: 24, 4: 18}
    for task in bp.task_by_id.values():
        assert task.knowledge and task.skills
        assert all(re.fullmatch(rf"{re.escape(task.id)}\.k\d+", k.id) for k in task.knowledge)
    assert bp.guide_version and len(bp.guide_pages) == 4
    services = {s for g in bp.in_scope_services for s in g.services}
    assert {"Amazon DynamoDB", "AWS Lambda", "Amazon SQS", "AWS X-Ray"} <= services


def test_every_shipped_topic_names_its_tasks_and_source() -> None:
    catalog = load_catalog()
    tasks = set(catalog.blueprint.task_by_id)
    served = {t for topic in catalog.topics for t in topic.tasks}
    assert served == tasks  # every task statement is served, and only known ones are named
    notes = [t for t in catalog.topics if t.source == "notes"]
    assert len(notes) >= 44 and all(t.sections for t in notes)


def test_a_topic_naming_an_unknown_task_is_an_error_at_its_place(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    topics = root / "content" / "topics.yaml"
    text = topics.read_text()
    topics.write_text(text.replace('tasks: ["1.1"]\n', 'tasks: ["1.9"]\n', 1))
    line = next(i for i, ln in enumerate(topics.read_text().splitlines(), 1) if '"1.9"' in ln)
    problems = _problems(root)
    assert any(
        p.endswith(f"topics.yaml:{line}:13: topics[0].tasks[0]: cloud.benefits: task 1.9 is not in the exam blueprint")
        for p in problems
    ), problems


def test_a_task_statement_no_topic_serves_is_an_error(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    topics = root / "content" / "topics.yaml"
    # take 1.3 away from every topic that serves it, keeping each topic's domains consistent
    doc = yaml.safe_load(topics.read_text())
    for topic in doc["topics"]:
        if "1.3" not in topic["tasks"]:
            continue
        topic["tasks"].remove("1.3")
        if not any(t.startswith("1.") for t in topic["tasks"]):
            spare = next(t for t in ("1.1", "1.2") if t not in topic["tasks"])
            if topic["tasks"]:
                topic["domains"] = [d for d in topic["domains"] if d != 1]
            else:
                topic["tasks"] = [spare]
    topics.write_text(yaml.safe_dump(doc, sort_keys=False))
    problems = _problems(root)
    unserved = [p for p in problems if "served by no topic" in p]
    assert (
        len(unserved) == 1 and "dva-c02.yaml:" in unserved[0] and "task statement 1.3 (Use data stores" in unserved[0]
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('domains: [1]\n    tasks: ["1.1", "2.1"]\n    source: notes', "task 2.1 is of domain 2; add 2 to `domains`"),
        ('domains: [1, 2]\n    tasks: ["1.1"]\n    source: notes', "domain 2 has none of this topic's tasks"),
        ('domains: [1]\n    tasks: ["1.1", "1.1"]\n    source: notes', "task 1.1 is listed twice"),
        ("domains: [1]\n    tasks: []\n    source: notes", "tasks: List should have at least 1 item"),
        ('domains: [1]\n    tasks: ["1.1"]\n    source: slides', "source: "),
        ('domains: [1]\n    tasks: ["1.1"]\n    source: blueprint', "a blueprint topic has no notes sections"),
        ("domains: [1]\n    tasks: [1.1]", "tasks[0]: "),
    ],
)
def test_a_topics_tasks_and_source_are_checked(tmp_path: Path, entry: str, message: str) -> None:
    own = tmp_path / "topics.yaml"
    own.write_text(
        'topics:\n  - id: demo.one\n    title: One\n    area: data\n    sections: ["1"]\n    ' + entry + "\n"
    )
    _, problems = validate_paths([own])
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_a_blueprint_topic_needs_no_sections_and_a_notes_topic_does(tmp_path: Path) -> None:
    own = tmp_path / "topics.yaml"
    own.write_text(
        "topics:\n"
        "  - id: dynamodb.basics\n    title: DynamoDB\n    area: data\n    domains: [1]\n"
        '    tasks: ["1.3"]\n    source: blueprint\n'
        "  - id: demo.notes\n    title: Notes\n    area: ec2\n    domains: [1]\n"
        '    tasks: ["1.1"]\n    source: notes\n'
    )
    _, problems = validate_paths([own])
    shown = [str(p) for p in problems]
    assert len(shown) == 1 and shown[0].endswith(
        "topics.yaml:8:5: topics[1]: a topic from the notes names its notes sections"
    ), shown


def test_statement_ids_are_numbered_in_order(tmp_path: Path) -> None:
    bp = tmp_path / "dva-c02.yaml"
    text = (content_root() / "content" / "exam" / "dva-c02.yaml").read_text()
    bp.write_text(text.replace("{id: 1.1.k2, text: Idempotency}", "{id: 1.1.k7, text: Idempotency}"))
    _, problems = validate_paths([bp])
    assert any("expected id 1.1.k2 (numbered in order, from 1)" in str(p) for p in problems), [str(p) for p in problems]
