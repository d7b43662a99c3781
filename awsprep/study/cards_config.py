"""The learner's flashcard settings (`awsprep config`): what each key means, its default, and its valid range.

Settings live as text in the store's `settings` table; this module is the one place that parses and checks them,
so `config set` rejects a bad value with one clear line and every reader gets typed values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from awsprep.errors import UsageError
from awsprep.store.progress import all_settings, set_setting


@dataclass(frozen=True)
class CardsConfig:
    desired_retention: float = 0.90
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_threshold: int = 8
    leech_action: str = "suspend"
    exam_date: date | None = None
    exam_target: float = 0.95

    def scheduler_config(self) -> Any:
        from awsprep.study.scheduler import SchedulerConfig

        return SchedulerConfig(
            desired_retention=self.desired_retention,
            leech_lapses=self.leech_threshold,
            leech_action=self.leech_action,
        )


def _number(kind: Callable[[str], Any], low: float, high: float) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"{raw!r} is not a {'whole ' if kind is int else ''}number") from None
        if not low <= value <= high:
            raise ValueError(f"{raw} is outside {low:g}–{high:g}")
        return value

    return parse


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"{raw!r} is not one of {', '.join(allowed)}")
        return raw

    return parse


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date in the form YYYY-MM-DD") from None


@dataclass(frozen=True)
class Key:
    name: str
    field: str
    parse: Callable[[str], Any]
    help: str


# Above 0.97 the workload explodes (spaced-repetition.md); below 0.70 cards are mostly forgotten when shown.
KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key("desired-retention", "desired_retention", _number(float, 0.70, 0.97), "chance of recall when due"),
        Key("new-per-day", "new_per_day", _number(int, 0, 9999), "new cards introduced per study day"),
        Key("reviews-per-day", "reviews_per_day", _number(int, 0, 99999), "review cards shown per study day"),
        Key("leech-threshold", "leech_threshold", _number(int, 1, 99), "lapses that make a card a leech"),
        Key("leech-action", "leech_action", _choice("suspend", "tag"), "suspend a leech, or only tag it"),
        Key("exam-date", "exam_date", _date, "the exam day, YYYY-MM-DD: scheduling aims at it"),
        Key("exam-target", "exam_target", _number(float, 0.80, 0.99), "recall each card should have on exam day"),
    )
}


def _unknown(name: str) -> UsageError:
    import difflib

    close = difflib.get_close_matches(name, KEYS, n=1)
    hint = f"did you mean {close[0]}?" if close else f"settings: {', '.join(KEYS)}"
    return UsageError(f"unknown setting {name!r}", hint=hint)


def parse(name: str, raw: str) -> Any:
    key = KEYS.get(name)
    if key is None:
        raise _unknown(name)
    try:
        return key.parse(raw.strip())
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}", hint=f"{name}: {key.help}") from None


def load(conn: sqlite3.Connection) -> CardsConfig:
    """Typed settings; a stored value that no longer parses (edited by hand) falls back to the default."""
    stored = all_settings(conn)
    values: dict[str, Any] = {}
    for key in KEYS.values():
        if key.name in stored:
            try:
                values[key.field] = key.parse(stored[key.name])
            except ValueError:
                continue
    return CardsConfig(**values)


def set_value(conn: sqlite3.Connection, name: str, raw: str | None) -> None:
    """Store a checked value (None removes the setting, back to its default)."""
    if raw is None:
        if name not in KEYS:
            raise _unknown(name)
        set_setting(conn, name, None)
        return
    value = parse(name, raw)
    set_setting(conn, name, value.isoformat() if isinstance(value, date) else str(value))


def shown(config: CardsConfig) -> dict[str, str]:
    """Every setting with its effective value, for `awsprep config`."""
    by_field = {f.name: getattr(config, f.name) for f in fields(config)}
    out = {}
    for key in KEYS.values():
        value = by_field[key.field]
        out[key.name] = "not set" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    return out
