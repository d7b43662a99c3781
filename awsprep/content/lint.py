"""Style rules beyond the schema (`awsprep validate --strict`): each returns `path: message` findings."""

from __future__ import annotations

from pathlib import Path

from awsprep.content.catalog import Catalog


def lint(catalog: Catalog, root: Path | None = None) -> list[str]:
    """Every finding; `root` is where the catalog's files live (to locate findings at line:col)."""
    from awsprep.content.lint_claims import lint_claims
    from awsprep.content.lint_cues import lint_cues
    from awsprep.content.lint_lessons import lint_lessons
    from awsprep.content.lint_questions import lint_questions
    from awsprep.paths import content_root

    claims = [str(c) for c in lint_claims(catalog, root or content_root())]
    return [*lint_lessons(catalog), *lint_questions(catalog), *claims, *lint_cues(catalog)]
