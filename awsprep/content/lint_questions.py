"""Question-bank rules (the question-bank issue fills these in)."""

from __future__ import annotations

from awsprep.content.catalog import Catalog


def lint_questions(catalog: Catalog) -> list[str]:
    return []
