"""Absolute claims without a page on the same item (`awsprep validate --strict`).

AWS adds features every month, and "never", "always", "only", "cannot" are what goes out of date first. So an
absolute word may stand only where the page that says so in as many words is cited on the same item:

- a question option's explanation: the option's own `source` (the question's `references` do not count: every
  question has them, and they back the correct answer, not every sentence about every distractor);
- a lesson section: the section's `sources`;
- a lesson key fact and a correction of the notes: their `source` (required, so they always pass; the reviewer
  checks that the page says it);
- flashcards carry a required `source` too, so the lint leaves them out.

An option's `source` and a section's `sources` must also be among the question's or lesson's references, so that
the learner sees the page.

Words: never, always, cannot, can not, can't, none, only, all. Harmless uses are left alone: "not only", "at all",
compounds such as "read-only" or "root-only", "allow(s) all", "all traffic", "all ports", "all protocols", "All
ICMP", "all-or-nothing" (names of access levels, rule types and scoring rules, not claims about what AWS can do),
and "None" as the value of a table cell. Code (`backticks` and fenced blocks) is skipped: commands and their
comments are not claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awsprep.content.lint import Finding, Sources

ABSOLUTE = re.compile(r"\b(never|always|cannot|can\s+not|can[’']t|none|only|all)\b", re.IGNORECASE)
HARMLESS = re.compile(
    r"```.*?```|`[^`\n]*`"  # code first, so that a fence is not read as two empty spans
    r"|\bnot\s+only\b|\b[\w]+-only\b|\bat\s+all\b|\ballow(?:s|ed|ing)?\s+all\b"
    r"|\ball[\s-](?:traffic|ports|protocols|icmp|or-nothing)\b|(?<=\|)\s*\**none\b",
    re.IGNORECASE | re.DOTALL,
)


def absolute_words(text: str) -> list[str]:
    """The absolute words of a text, lower-cased, in order, harmless uses and code spans left out."""
    masked = HARMLESS.sub(lambda m: " " * len(m.group(0)), text)
    return [re.sub(r"\s+", " ", m.group(1).lower()).replace("’", "'") for m in ABSOLUTE.finditer(masked)]


def lint_claims(sources: Sources) -> Iterator[Finding]:
    """Each item whose text holds absolute words and cites no page of its own, at its file:line:col."""
    for _, q in [*sources.catalog.questions, *sources.catalog.lab_questions]:
        for oi, option in enumerate(q.options):
            letter = "ABCDEF"[oi]
            words = absolute_words(option.explanation)
            if words and option.source is None:
                yield sources.finding(
                    option,
                    q.id,
                    f"option {letter}: absolute {_quoted(words)} with no `source` on the option "
                    "(cite the page that says so, or say what is true and when)",
                    "explanation",
                )
            if option.source is not None and option.source not in q.references:
                yield sources.finding(
                    option,
                    q.id,
                    f"option {letter}: source {option.source} is not in the question's references",
                    "source",
                )
    for lesson in sources.catalog.lessons:
        listed = {r.url for r in lesson.references}
        for section in lesson.sections:
            words = absolute_words(section.body)
            if words and not section.sources:
                yield sources.finding(
                    section,
                    lesson.topic,
                    f"section {section.heading!r}: absolute {_quoted(words)} with no `sources` on the section",
                    "body",
                )
            for url in section.sources:
                if url not in listed:
                    yield sources.finding(
                        section,
                        lesson.topic,
                        f"section {section.heading!r}: source {url} is not in the lesson's references",
                        "sources",
                    )


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    return ", ".join(f'"{w}"' for w in unique)
