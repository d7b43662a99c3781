"""What a learner sees at the command line (issue 16 §2): ordering, narrow terminals, help, small messages."""

from __future__ import annotations

import json

from awsprep.content.catalog import load_catalog


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
