"""Option checks shared by several commands (kept out of the option declarations so help shows no Python ranges)."""

from __future__ import annotations

import typer

SEED_MIN, SEED_MAX = -(2**63), 2**63 - 1  # the seed is stored with the attempt: SQLite integers are 64-bit


def seed_in_range(value: int | None) -> int | None:
    """`--seed` as a 64-bit signed integer, else a one-line usage error (a typer range would print `x<=…` in help)."""
    if value is not None and not SEED_MIN <= value <= SEED_MAX:
        raise typer.BadParameter(f"takes a whole number from {SEED_MIN} to {SEED_MAX}, got {value}")
    return value
