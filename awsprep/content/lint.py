"""Style rules beyond the schema (`awsprep validate --strict`)."""

from __future__ import annotations

from awsprep.content.catalog import Catalog


def lint(catalog: Catalog) -> list[str]:
    return []
