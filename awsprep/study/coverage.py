"""The coverage dashboards: what each topic has (lesson, questions, cards, labs), and what each task statement
of the exam blueprint has (the topics serving it, their lessons and cards, the questions tagged with it)."""

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
    tasks: list[str]
    source: str  # notes | blueprint
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
            tasks=list(t.tasks),
            source=t.source.value,
            lesson=t.id in catalog.lesson_by_topic,
            questions=qcount.get(t.id, 0),
            cards=catalog.cards_count(t.id),
            labs=catalog.labs_of(t.id),
            needs_lab=t.lab,
        )
        for t in catalog.topics
    ]


@dataclass(frozen=True)
class TaskCoverage:
    """One task statement. `questions` counts the questions whose `task` is this one (whatever their topic);
    `lessons` and `cards` are those of the topics that name it. `gaps` says what it lacks."""

    id: str
    title: str
    domain: int
    topics: list[str]
    lessons: list[str]  # the serving topics that have a lesson
    questions: int
    cards: int
    gaps: list[str]  # "no topic", "no lesson", "no questions"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def task_coverage(catalog: Catalog) -> list[TaskCoverage]:
    by_task: dict[str, int] = {}
    for _, q in catalog.questions:
        by_task[q.task] = by_task.get(q.task, 0) + 1
    rows: list[TaskCoverage] = []
    for domain in catalog.blueprint.domains:
        for task in domain.tasks:
            topics = [t.id for t in catalog.topics if task.id in t.tasks]
            lessons = [t for t in topics if t in catalog.lesson_by_topic]
            questions = by_task.get(task.id, 0)
            gaps = [
                gap
                for gap, missing in (
                    ("no topic", not topics),
                    ("no lesson", not lessons),
                    ("no questions", not questions),
                )
                if missing
            ]
            rows.append(
                TaskCoverage(
                    id=task.id,
                    title=task.title,
                    domain=domain.id,
                    topics=topics,
                    lessons=lessons,
                    questions=questions,
                    cards=sum(catalog.cards_count(t) for t in topics),
                    gaps=gaps,
                )
            )
    return rows


def stray_questions(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(question id, its task, its topic) for questions tagged with a task their topic does not name: counted
    under that task all the same, but worth a look (either the tag or the topic's `tasks` is off)."""
    return [(q.id, q.task, topic) for topic, q in catalog.questions if q.task not in catalog.topic(topic).tasks]
