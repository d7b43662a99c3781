"""The shipped decks: every topic covered, the issue's minimums met, ids stable and unique per card."""

from __future__ import annotations

from collections import Counter

from awsprep.content.cards import cards_of_deck
from awsprep.content.catalog import load_catalog

CATALOG = load_catalog()
CARDS = [card for deck in CATALOG.decks for card in cards_of_deck(deck)]
HEAVY_AREAS = {"lambda", "elb", "asg"}
HEAVY_TOPICS = {"ec2.ip-addressing", "ec2.elastic-ip"}


def test_at_least_400_cards() -> None:
    assert len(CARDS) >= 400


def test_every_topic_has_at_least_6_cards_and_heavy_ones_more() -> None:
    per_topic = Counter(card.topic for card in CARDS)
    for topic in CATALOG.topics:
        minimum = 10 if topic.area.value in HEAVY_AREAS or topic.id in HEAVY_TOPICS else 6
        assert per_topic[topic.id] >= minimum, (topic.id, per_topic[topic.id])


def test_card_ids_are_unique_and_basic_and_cloze_are_both_used() -> None:
    assert len({card.id for card in CARDS}) == len(CARDS)
    kinds = Counter(note.type for deck in CATALOG.decks for note in deck.notes)
    assert kinds["basic"] > 0 and kinds["cloze"] > 0


def test_every_card_has_a_source_and_a_short_answer() -> None:
    for card in CARDS:
        assert card.source.startswith("https://"), card.id
        assert card.back.strip(), card.id
