"""Style rules beyond the schema (`awsprep validate --strict`): each returns `path: message` findings."""

from __future__ import annotations

from awsprep.content.catalog import Catalog


def lint(catalog: Catalog) -> list[str]:
    from awsprep.content.lint_lessons import lint_lessons
    from awsprep.content.lint_questions import lint_questions

    return [*lint_lessons(catalog), *lint_questions(catalog)]
