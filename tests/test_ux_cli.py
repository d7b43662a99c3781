"""What a learner sees at the command line (issue 16 §2): ordering, narrow terminals, help, small messages."""

from __future__ import annotations

import itertools
import json

import pytest

from awsprep.content.catalog import load_catalog
from conftest import run_subprocess


def test_new_cards_come_in_the_topic_maps_order(cli) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog()
    with_cards = [t.id for t in catalog.topics if catalog.cards_count(t.id)]
    r = cli("cards", "review", "--ratings", "3", "--json")
    assert r.exit_code == 0, r.stderr
    first = json.loads(r.stdout)["reviewed"][0]["card"]
    assert first.startswith(with_cards[0].replace(".", "-")), (first, with_cards[0])


def test_new_cards_follow_the_learners_chosen_topics(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("cards", "review", "--topic", "lambda.layers", "--topic", "ec2.elastic-ip", "--ratings", "3", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["reviewed"][0]["card"].startswith("lambda-layers")


@pytest.mark.parametrize("width", [200, 80, 60, 30])
def test_topics_keeps_every_id_whole_at_any_width(width: int) -> None:
    ids = [t.id for t in load_catalog().topics]
    r = run_subprocess("topics", env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    words = {w for line in lines for w in line.replace("│", " ").split()}
    missing = [i for i in ids if i not in words]
    assert not missing, f"ids cut or wrapped at {width} columns: {missing[:5]}"


def _urls_whole(text: str, urls: set[str]) -> list[str]:
    words = {w.strip("()[],") for line in text.splitlines() for w in line.split()}
    return sorted(u for u in urls if u not in words)


def test_errata_at_80_columns_never_breaks_a_url() -> None:
    from awsprep.study.lessons import errata

    urls = {e.source for e in errata(load_catalog())}
    r = run_subprocess("study", "--errata", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert urls and not _urls_whole(r.stdout, urls)
    assert "[wrong]" in r.stdout or "[outdated]" in r.stdout  # the verdict is shown, not eaten as markup


def test_a_lesson_on_screen_at_80_columns_never_breaks_a_url(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from awsprep.cli import render
    from awsprep.cli.lesson_view import lesson_renderables
    from awsprep.study.lessons import to_markdown

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    render.out.cache_clear()
    lesson = load_catalog().lesson_by_topic["ec2.elastic-ip"]
    urls = {r.url for r in lesson.references} | {f.source for f in lesson.key_facts}
    urls |= {c.source for c in lesson.corrections}
    render.page(lesson_renderables(lesson, to_markdown(lesson, labs=[], questions=0, cards=0)))
    render.out.cache_clear()
    assert not _urls_whole(capsys.readouterr().out, urls)


def test_wrapped_options_and_explanations_continue_under_their_text() -> None:
    r = run_subprocess(
        "quiz", "--topic", "ec2.elastic-ip", "--seed", "3", "--count", "2", "--answers", "A,AD",
        env={"COLUMNS": "80", "NO_COLOR": "1"},
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    continued = 0
    for before, line in itertools.pairwise(lines):
        starts_option = before.startswith("  ") and before[2:3].isalpha() and before[3:5] == ". "
        starts_feedback = before[1:2].isalpha() and before[2:5] in (" ✔ ", " ✘ ")
        is_new_item = line.startswith(
            ("  A", "  B", "  C", "  D", "  E", "»", " A", " B", " C", " D", " E", "   see", "Correct", "Incorrect")
        )
        if (starts_option or starts_feedback or before.startswith("     ")) and line.strip() and not is_new_item:
            continued += 1
            assert line.startswith("     "), f"continuation at column {len(line) - len(line.lstrip())}: {line!r}"
    assert continued, "nothing wrapped at 80 columns: the test shows nothing"
    assert all(len(line) <= 80 for line in lines if "http" not in line)
