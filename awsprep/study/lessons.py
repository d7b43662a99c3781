"""Lessons as a learner meets them: status per topic, what to read next, the errata page and search."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from awsprep.content.catalog import Catalog
from awsprep.content.records import Lesson

MASTERY_MIN_ANSWERS = 5
MASTERY_ACCURACY = 0.8


class Status(StrEnum):
    UNREAD = "unread"
    READ = "read"
    MASTERED = "mastered"


def status(topic: str, reads: dict[str, int], accuracy: dict[str, tuple[int, int]]) -> Status:
    if topic not in reads:
        return Status.UNREAD
    correct, answered = accuracy.get(topic, (0, 0))
    if answered >= MASTERY_MIN_ANSWERS and correct / answered >= MASTERY_ACCURACY:
        return Status.MASTERED
    return Status.READ


def next_topic(catalog: Catalog, reads: dict[str, int], accuracy: dict[str, tuple[int, int]]) -> str | None:
    """The first unread lesson in study order; when all are read, the weakest topic by quiz accuracy."""
    with_lessons = [t.id for t in catalog.topics if t.id in catalog.lesson_by_topic]
    for topic in with_lessons:
        if topic not in reads:
            return topic
    if not with_lessons:
        return None

    def weakness(topic: str) -> tuple[float, int]:
        correct, answered = accuracy.get(topic, (0, 0))
        return (correct / answered if answered else 0.0, answered)

    return min(with_lessons, key=weakness)


@dataclass(frozen=True)
class Erratum:
    topic: str
    notes_section: str
    notes_said: str
    in_fact: str
    verdict: str
    source: str


def errata(catalog: Catalog) -> list[Erratum]:
    """Every correction of the notes, in the notes' own section order."""
    items = [
        Erratum(lesson.topic, c.notes_section, c.notes_said.strip(), c.in_fact.strip(), c.verdict.value, c.source)
        for lesson in catalog.lessons
        for c in lesson.corrections
    ]
    return sorted(items, key=lambda e: (_section_key(e.notes_section), e.topic))


def _section_key(section: str) -> tuple[int, str]:
    digits = "".join(ch for ch in section if ch.isdigit())
    return (int(digits) if digits else 999, section)


@dataclass(frozen=True)
class Hit:
    topic: str
    title: str
    where: str
    excerpt: str


def lesson_texts(lesson: Lesson) -> list[tuple[str, str]]:
    """(place, text) pairs of everything a lesson says, for search."""
    parts = [("summary", lesson.summary)]
    parts += [(s.heading, s.body) for s in lesson.sections]
    parts += [("key facts", f"{f.fact}: {f.value}") for f in lesson.key_facts]
    parts += [("exam tips", tip) for tip in lesson.exam_tips]
    parts += [("corrections", f"{c.notes_said} {c.in_fact}") for c in lesson.corrections]
    parts += [("not in the notes", text) for text in lesson.not_in_notes]
    return parts


def search(catalog: Catalog, text: str, *, width: int = 70) -> list[Hit]:
    needle = text.casefold().strip()
    hits: list[Hit] = []
    if not needle:
        return hits
    for lesson in catalog.lessons:
        for where, body in lesson_texts(lesson):
            flat = " ".join(body.split())
            at = flat.casefold().find(needle)
            if at >= 0:
                start = max(0, at - width // 2)
                excerpt = (
                    ("…" if start else "") + flat[start : start + width] + ("…" if start + width < len(flat) else "")
                )
                hits.append(Hit(lesson.topic, lesson.title, where, excerpt))
                break  # one hit per lesson: the first place it is mentioned
    return hits


def to_markdown(lesson: Lesson, *, labs: list[str], questions: int, cards: int) -> str:
    """The whole lesson as Markdown (used for --plain, non-terminal output and the pager)."""
    out = [f"# {lesson.title}", "", f"*{lesson.reading_minutes} min read · facts checked {lesson.as_of}*", ""]
    out += [lesson.summary.strip(), ""]
    for section in lesson.sections:
        out += [f"## {section.heading}", "", section.body.strip(), ""]
    out += ["## Key facts", "", "| Fact | Value | Source |", "|---|---|---|"]
    out += [f"| {f.fact} | {f.value} | {' '.join([f.source, *f.also])} |" for f in lesson.key_facts]
    out += ["", "## Exam tips and traps", ""]
    out += [f"- {tip.strip()}" for tip in lesson.exam_tips]
    if lesson.corrections:
        out += ["", "## Your notes said … — in fact …", ""]
        for c in lesson.corrections:
            out += [
                f"- **Notes §{c.notes_section} ({c.verdict.value})**: {c.notes_said.strip()}",
                f"  **In fact**: {c.in_fact.strip()} ({c.source})",
            ]
    if lesson.not_in_notes:
        out += ["", "## What the exam asks that the notes leave out", ""]
        out += [f"- {text.strip()}" for text in lesson.not_in_notes]
    out += ["", "## References", ""]
    out += [f"- {ref.title}: {ref.url}" for ref in lesson.references]
    practice = [f"{questions} questions (`awsprep quiz --topic {lesson.topic}`)"] if questions else []
    if cards:
        practice.append(f"{cards} flashcards (`awsprep cards review --topic {lesson.topic}`)")
    practice += [f"lab `awsprep lab {lab}`" for lab in labs]
    if practice:
        out += ["", "## Practise", "", *[f"- {p}" for p in practice]]
    return "\n".join(out) + "\n"
