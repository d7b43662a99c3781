"""Every error the fact audit found in the notes is corrected, openly, in the lesson of its topic.

The audit (shared/specs/notes-fact-audit.md, section 1) numbers its rows 1-52; corrections name the rows they answer
in `audit:`. Each corrected claim also gets a flashcard phrased as the truth (checked by the reviewers)."""

from __future__ import annotations

from awsprep.content.catalog import load_catalog

AUDIT_ROWS = range(1, 53)


def test_every_audit_row_is_corrected_in_some_lesson() -> None:
    catalog = load_catalog()
    covered = {row for lesson in catalog.lessons for c in lesson.corrections for row in c.audit}
    missing = [row for row in AUDIT_ROWS if row not in covered]
    assert not missing, f"fact-audit rows without a correction: {missing}"


def test_audit_rows_are_real_row_numbers() -> None:
    catalog = load_catalog()
    for lesson in catalog.lessons:
        for c in lesson.corrections:
            assert all(row in AUDIT_ROWS for row in c.audit), (lesson.topic, c.audit)
