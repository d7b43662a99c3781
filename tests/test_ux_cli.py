"""What a learner sees at the command line (issue 16 §2): ordering, narrow terminals, help, small messages."""

from __future__ import annotations

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
