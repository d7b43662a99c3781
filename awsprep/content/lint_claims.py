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
"read-only", "write-only", "allow(s) all", "all traffic", "all ports", "all protocols", "all-or-nothing" (names of
access levels, rule settings and scoring rules, not claims about what AWS can do), and "None" as the value of a
table cell. Code (`backticks` and fenced blocks) is skipped: commands and their comments are not claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from awsprep.content.catalog import Catalog
from awsprep.content.yamlsafe import Located, Parsed, YamlProblem, parse_file

ABSOLUTE = re.compile(r"\b(never|always|cannot|can\s+not|can[’']t|none|only|all)\b", re.IGNORECASE)
HARMLESS = re.compile(
    r"```.*?```|`[^`\n]*`"  # code first, so that a fence is not read as two empty spans
    r"|\bnot\s+only\b|\b(?:read|write)-only\b|\bat\s+all\b|\ballow(?:s|ed|ing)?\s+all\b"
    r"|\ball[\s-](?:traffic|ports|protocols|or-nothing)\b|(?<=\|)\s*none\b",
    re.IGNORECASE | re.DOTALL,
)


def absolute_words(text: str) -> list[str]:
    """The absolute words of a text, lower-cased, in order, harmless uses and code spans left out."""
    masked = HARMLESS.sub(lambda m: " " * len(m.group(0)), text)
    return [re.sub(r"\s+", " ", m.group(1).lower()).replace("’", "'") for m in ABSOLUTE.finditer(masked)]


@dataclass(frozen=True)
class Claim:
    """An item whose text holds absolute words and cites no page of its own; `loc` is its place in the YAML."""

    path: str
    loc: tuple[int | str, ...]
    item: str
    message: str


def claims(catalog: Catalog) -> Iterator[Claim]:
    for qfile in catalog.question_files:
        path = f"content/questions/{qfile.topic}.yaml"
        for qi, q in enumerate(qfile.questions):
            for oi, option in enumerate(q.options):
                letter = "ABCDEF"[oi]
                words = absolute_words(option.explanation)
                if words and option.source is None:
                    yield Claim(
                        path,
                        ("questions", qi, "options", oi, "explanation"),
                        q.id,
                        f"option {letter}: absolute {_quoted(words)} with no `source` on the option "
                        "(cite the page that says so, or say what is true and when)",
                    )
                if option.source is not None and option.source not in q.references:
                    yield Claim(
                        path,
                        ("questions", qi, "options", oi, "source"),
                        q.id,
                        f"option {letter}: source {option.source} is not in the question's references",
                    )
    for lesson in catalog.lessons:
        path = f"content/lessons/{lesson.topic}.yaml"
        listed = {r.url for r in lesson.references}
        for si, section in enumerate(lesson.sections):
            words = absolute_words(section.body)
            if words and not section.sources:
                yield Claim(
                    path,
                    ("sections", si, "body"),
                    lesson.topic,
                    f"section {section.heading!r}: absolute {_quoted(words)} with no `sources` on the section",
                )
            for url in section.sources:
                if url not in listed:
                    yield Claim(
                        path,
                        ("sections", si, "sources"),
                        lesson.topic,
                        f"section {section.heading!r}: source {url} is not in the lesson's references",
                    )


def _quoted(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    return ", ".join(f'"{w}"' for w in unique)


def lint_claims(catalog: Catalog, root: Path) -> list[Located]:
    """Each claim at its file:line:col; only the files that hold a claim are parsed again."""
    return locate_all(list(claims(catalog)), root)


def locate_all(found: list[Claim], root: Path) -> list[Located]:
    """Map each finding's YAML location to line:col (line 1 when the file cannot be read again)."""
    parsed_files: dict[str, Parsed | None] = {}
    located: list[Located] = []
    for claim in found:
        if claim.path not in parsed_files:
            try:
                parsed_files[claim.path] = parse_file(root / claim.path, claim.path)
            except (OSError, YamlProblem):
                parsed_files[claim.path] = None
        parsed = parsed_files[claim.path]
        line, col = parsed.locate(claim.loc)[:2] if parsed else (1, 1)
        located.append(Located(claim.path, line, col, claim.item, claim.message))
    return located
