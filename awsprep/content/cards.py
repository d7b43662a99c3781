"""Expand authored notes into reviewable cards (a basic note may give two, a cloze note one per deletion).

Card ids derive from the note's stable id, so editing a note's wording keeps every card's history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from awsprep.content.records import CLOZE, BasicNote, ClozeNote, Deck


@dataclass(frozen=True)
class CardSpec:
    id: str
    note_id: str
    topic: str
    front: str
    back: str
    source: str


def _cloze_side(text: str, hide: int) -> tuple[str, str]:
    def front(m: re.Match[str]) -> str:
        if int(m.group(1)) == hide:
            return f"[{m.group(3)}]" if m.group(3) else "[...]"
        return m.group(2)

    def back(m: re.Match[str]) -> str:
        return f"[{m.group(2)}]" if int(m.group(1)) == hide else m.group(2)

    return CLOZE.sub(front, text), CLOZE.sub(back, text)


class CardSet(list[CardSpec]):
    """Cards in authoring order, with an index by id built once (a 100,000-card collection costs ~70 ms to
    index, so the queue must not rebuild it on every call)."""

    @cached_property
    def by_id(self) -> dict[str, CardSpec]:
        return {card.id: card for card in self}


def cards_of_note(topic: str, note: BasicNote | ClozeNote) -> list[CardSpec]:
    if note.type == "basic":
        cards = [CardSpec(note.id, note.id, topic, note.front, note.back, note.source)]
        if note.reverse:
            cards.append(CardSpec(f"{note.id}~r", note.id, topic, note.back, note.front, note.source))
        return cards
    out = []
    for n in note.cloze_numbers:
        front, back = _cloze_side(note.text, n)
        if note.extra:
            back = f"{back}\n{note.extra}"
        out.append(CardSpec(f"{note.id}~c{n}", note.id, topic, front, back, note.source))
    return out


def cards_of_deck(deck: Deck) -> list[CardSpec]:
    return [card for note in deck.notes for card in cards_of_note(deck.topic, note)]
