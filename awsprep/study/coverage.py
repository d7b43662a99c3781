"""The coverage dashboard: what each topic has (lesson, questions, cards, labs)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from awsprep.content.catalog import Catalog


@dataclass(frozen=True)
class TopicCoverage:
    id: str
    title: str
    area: str
    domains: list[int]
    lesson: bool
    questions: int
    cards: int
    labs: list[str]
    needs_lab: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def coverage(catalog: Catalog) -> list[TopicCoverage]:
    qcount: dict[str, int] = {}
    for topic, _ in catalog.questions:
        qcount[topic] = qcount.get(topic, 0) + 1
    return [
        TopicCoverage(
            id=t.id,
            title=t.title,
            area=t.area.value,
            domains=list(t.domains),
            lesson=t.id in catalog.lesson_by_topic,
            questions=qcount.get(t.id, 0),
            cards=catalog.cards_count(t.id),
            labs=catalog.labs_of(t.id),
            needs_lab=t.lab,
        )
        for t in catalog.topics
    ]
