"""Lesson rules."""

from __future__ import annotations

from awsprep.content.catalog import Catalog


def lint_lessons(catalog: Catalog) -> list[str]:
    return []
