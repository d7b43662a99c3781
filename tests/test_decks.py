"""The shipped decks: every topic covered, the issue's minimums met, ids stable and unique per card."""

from __future__ import annotations

from collections import Counter
from functools import cache

from awsprep.content.cards import CardSpec, cards_of_deck
from awsprep.content.catalog import Catalog, load_catalog


@cache
def _shipped() -> tuple[Catalog, list[CardSpec]]:
    """Loaded once, inside the first test that needs it, and never through the cache (no file is written)."""
    catalog = load_catalog(use_cache=False)
    return catalog, [card for deck in catalog.decks for card in cards_of_deck(deck)]


HEAVY_AREAS = {"lambda", "elb", "asg"}
HEAVY_TOPICS = {"ec2.ip-addressing", "ec2.elastic-ip"}


def test_at_least_400_cards() -> None:
    _catalog, cards = _shipped()
    assert len(cards) >= 400


def test_every_topic_has_at_least_6_cards_and_heavy_ones_more() -> None:
    catalog, cards = _shipped()
    per_topic = Counter(card.topic for card in cards)
    for topic in catalog.topics:
        minimum = 10 if topic.area.value in HEAVY_AREAS or topic.id in HEAVY_TOPICS else 6
        assert per_topic[topic.id] >= minimum, (topic.id, per_topic[topic.id])


def test_card_ids_are_unique_and_basic_and_cloze_are_both_used() -> None:
    catalog, cards = _shipped()
    assert len({card.id for card in cards}) == len(cards)
    kinds = Counter(note.type for deck in catalog.decks for note in deck.notes)
    assert kinds["basic"] > 0 and kinds["cloze"] > 0


def test_every_card_has_a_source_and_a_short_answer() -> None:
    _catalog, cards = _shipped()
    for card in cards:
        assert card.source.startswith("https://"), card.id
        assert card.back.strip(), card.id
