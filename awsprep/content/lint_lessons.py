"""Lesson rules: sourced, honest about reading time, short enough to read in one sitting."""

from __future__ import annotations

from collections.abc import Iterator

from awsprep.content.lint import Finding, Sources
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


def lint_lessons(sources: Sources) -> Iterator[Finding]:
    for lesson in sources.catalog.lessons:
        where = lesson.topic
        if lesson.reading_minutes > MAX_MINUTES:
            yield sources.finding(
                lesson,
                where,
                f"reading time {lesson.reading_minutes} min is over {MAX_MINUTES}; split the topic",
                "reading_minutes",
            )
        estimate = estimated_minutes(lesson)
        if abs(estimate - lesson.reading_minutes) > max(3.0, 0.5 * estimate):
            yield sources.finding(
                lesson,
                where,
                f"reading_minutes says {lesson.reading_minutes} but the text reads in about {estimate:.0f} min",
                "reading_minutes",
            )
        docs = {r.url for r in lesson.references if r.url.startswith(AWS_DOCS)}
        if len(docs) < MIN_AWS_DOCS:
            yield sources.finding(
                lesson,
                where,
                f"cites {len(docs)} AWS documentation page(s); at least {MIN_AWS_DOCS} needed",
                "references",
            )
    if sources.whole:  # every topic has a lesson: a rule about the whole tree
        lessons = {lesson.topic for lesson in sources.catalog.lessons}
        for topic in sources.catalog.topics:
            if topic.id not in lessons:
                yield sources.finding(topic, topic.id, f"topic {topic.id} has no lesson", "id")
