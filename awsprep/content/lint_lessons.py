"""Lesson rules: sourced, honest about reading time, short enough to read in one sitting."""

from __future__ import annotations

from awsprep.content.catalog import Catalog
from awsprep.content.schema import Lesson

WORDS_PER_MINUTE = 200
MAX_MINUTES = 15
MIN_AWS_DOCS = 2
AWS_DOCS = "https://docs.aws.amazon.com/"


def words(lesson: Lesson) -> int:
    parts = [lesson.summary, *(s.heading + " " + s.body for s in lesson.sections)]
    parts += [f"{f.fact} {f.value}" for f in lesson.key_facts]
    parts += [*lesson.exam_tips, *lesson.not_in_notes]
    parts += [f"{c.notes_said} {c.in_fact}" for c in lesson.corrections]
    return sum(len(p.split()) for p in parts)


def estimated_minutes(lesson: Lesson) -> float:
    return words(lesson) / WORDS_PER_MINUTE


def lint_lessons(catalog: Catalog) -> list[str]:
    findings: list[str] = []
    for lesson in catalog.lessons:
        where = f"content/lessons/{lesson.topic}.yaml"
        if lesson.reading_minutes > MAX_MINUTES:
            findings.append(
                f"{where}: reading time {lesson.reading_minutes} min is over {MAX_MINUTES}; split the topic"
            )
        estimate = estimated_minutes(lesson)
        if abs(estimate - lesson.reading_minutes) > max(3.0, 0.5 * estimate):
            findings.append(
                f"{where}: reading_minutes says {lesson.reading_minutes} but the text reads in about {estimate:.0f} min"
            )
        docs = {r.url for r in lesson.references if r.url.startswith(AWS_DOCS)}
        if len(docs) < MIN_AWS_DOCS:
            findings.append(f"{where}: cites {len(docs)} AWS documentation page(s); at least {MIN_AWS_DOCS} needed")
    lessons = {lesson.topic for lesson in catalog.lessons}
    findings += [
        f"content/lessons/{t.id}.yaml: topic {t.id} has no lesson" for t in catalog.topics if t.id not in lessons
    ]
    return findings
