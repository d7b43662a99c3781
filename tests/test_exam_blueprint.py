"""The mock exam over the full blueprint (issue 17): by domain weight, across task statements, across topics;
the weakest task statements with their lessons; and the notes-only mode."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest

from awsprep.content.catalog import Catalog, load_catalog
from awsprep.paths import content_root
from awsprep.study.exam import ExamItem, draw_exam, grade_exam, notes_only


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(use_cache=False)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_within_a_domain_the_draw_is_spread_over_task_statements(catalog: Catalog, seed: int) -> None:
    draw = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(seed))
    drawn = Counter(p.question.task for p in draw.presented)
    capacity = Counter(q.task for _, q in catalog.questions)
    for domain in catalog.blueprint.domains:
        ids = [t.id for t in domain.tasks]
        for a in ids:
            for b in ids:
                # a task may have 2+ more seats than another only when that other has no more questions to give
                if drawn[a] > drawn[b] + 1:
                    assert drawn[b] == capacity[b], (a, b, drawn, capacity)


def test_the_65_question_exam_follows_the_weights_and_spans_40_topics(catalog: Catalog) -> None:
    """Parametrised on the catalog: with a bank that can fill every domain the draw follows the weights exactly,
    and it spans at least 40 distinct topics, or every topic that has questions when the bank has fewer."""
    draw = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(0))
    capacity = Counter(q.domain for _, q in catalog.questions)
    if all(capacity[d] >= n for d, n in draw.wanted.items()):
        assert draw.drawn == draw.wanted
    assert set(draw.drawn) == {d.id for d in catalog.blueprint.domains} and all(draw.drawn.values())
    with_questions = {t for t, _ in catalog.questions}
    assert len({p.topic for p in draw.presented}) >= min(40, len(with_questions))


def test_the_same_seed_draws_the_same_exam(catalog: Catalog) -> None:
    one = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(5)).presented
    two = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(5)).presented
    assert [p.id for p in one] == [p.id for p in two] and len({p.id for p in one}) == 65


def test_the_weakest_task_statements_name_the_topics_missed(catalog: Catalog) -> None:
    draw = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(0))
    # wrong on every 1.2 question and on one 1.1 question, right on the rest
    first_11 = next(p.id for p in draw.presented if p.question.task == "1.1")
    items = [
        ExamItem(n, p, "", not (p.question.task == "1.2" or p.id == first_11)) for n, p in enumerate(draw.presented, 1)
    ]
    result = grade_exam(items, catalog.blueprint, elapsed_s=1, limit_s=60)
    weakest = result.weakest_tasks(1)
    assert [t.id for t in weakest] == ["1.2", "1.1"]
    missed_12 = Counter(p.topic for p in draw.presented if p.question.task == "1.2")
    assert set(weakest[0].missed) == set(missed_12) and weakest[0].correct == 0
    assert result.weakest_tasks(2) == [] and result.weakest_tasks(3) == []
    assert sum(t.total for t in result.by_task) == 65


def test_the_report_links_the_lessons_of_the_weakest_tasks(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("exam", "--count", "8", "--seed", "4", "--answers", ",,,,,,,", "--no-color")
    assert r.exit_code == 0, r.stderr
    assert "Weakest task statements" in r.stdout and "read: awsprep study " in r.stdout
    data = json.loads(cli("exam", "--count", "8", "--seed", "4", "--answers", ",,,,,,,", "--json").stdout)
    weakest = {t for ts in data["weakest_tasks"].values() for t in ts}
    assert weakest and weakest <= {t["id"] for t in data["by_task"] if t["total"]}
    linked = [line.split()[-1] for line in r.stdout.splitlines() if "read: awsprep study" in line]
    assert set(linked) <= {q["topic"] for q in data["questions"]}


def _with_a_blueprint_topic(tmp_path: Path) -> Path:
    """A content copy with one topic from the blueprint (its questions copied from a notes topic, ids renamed)."""
    root = tmp_path / "copy"
    shutil.copytree(content_root() / "content", root / "content")
    shutil.copytree(content_root() / "decks", root / "decks")
    with (root / "content" / "topics.yaml").open("a") as f:
        f.write(
            "\n  - id: dynamodb.demo\n    title: A blueprint topic\n    area: data\n    domains: [1]\n"
            '    tasks: ["1.1"]\n    source: blueprint\n'
        )
    text = (root / "content" / "questions" / "cloud.benefits.yaml").read_text()
    text = text.replace("topic: cloud.benefits", "topic: dynamodb.demo").replace("id: cloud-benefits-", "id: demo-")
    (root / "content" / "questions" / "dynamodb.demo.yaml").write_text(text)
    return root


def test_notes_only_draws_only_from_the_notes_topics(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = _with_a_blueprint_topic(tmp_path)
    catalog = load_catalog(root, use_cache=False)
    pool = notes_only(catalog.questions, catalog.topics)
    # the shipped catalog may hold blueprint topics of its own (writers add them); dynamodb.demo adds 7 questions
    blueprint = {t.id for t in catalog.topics if t.source == "blueprint"}
    assert "dynamodb.demo" in blueprint
    assert len(pool) == sum(1 for t, _ in catalog.questions if t not in blueprint)
    assert all(t not in blueprint for t, _ in pool)
    monkeypatch.setenv("AWSPREP_CONTENT", str(root))
    n = len(catalog.questions)
    everything = cli("exam", "--count", str(n), "--seed", "1", "--answers", "," * (n - 1), "--json")
    assert everything.exit_code == 0, everything.stderr
    assert "dynamodb.demo" in {q["topic"] for q in json.loads(everything.stdout)["questions"]}
    m = len(pool)
    notes = cli("exam", "--notes-only", "--count", str(m), "--seed", "1", "--answers", "," * (m - 1), "--json")
    assert notes.exit_code == 0, notes.stderr
    assert "dynamodb.demo" not in {q["topic"] for q in json.loads(notes.stdout)["questions"]}
    too_many = cli("exam", "--notes-only", "--count", str(n), "--seed", "1", "--answers", "," * (n - 1))
    assert too_many.exit_code == 2 and f"the bank has {m} questions" in too_many.stderr
