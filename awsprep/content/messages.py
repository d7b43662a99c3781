"""Validation messages an author can act on: what was expected, what the file holds, and how to fix it.

Pydantic's own wording ("Input should be a valid integer") names neither the value nor the YAML cause. The strict
types matter most where YAML 1.1 guesses: `yes` becomes true, `'80'` stays text, `12:30` becomes a number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# error type -> what the field expected
EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date without a time (YYYY-MM-DD)",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}
LIMITS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def shown(value: Any) -> str:
    """A value as the author wrote it in YAML, shortened."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…'"


def _hint(kind: str, value: Any) -> str:
    if kind == "string_type" and isinstance(value, bool):
        return " (YAML reads yes/no/on/off as true/false: quote the text)"
    if kind == "string_type" and isinstance(value, int | float | dt.date):
        return " (quote it to keep it as text)"
    if kind.startswith(("int_", "float_")) and isinstance(value, str) and _is_number(value):
        return " (remove the quotes)"
    if kind.startswith("bool_") and value in ("true", "false"):
        return " (remove the quotes)"
    if kind.startswith("date_") and isinstance(value, str):
        return " (write the date unquoted)"
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def explain(err: Any) -> str:
    """One line for one pydantic error (a `pydantic_core.ErrorDetails`)."""
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown key (check its spelling or remove it)"
    if kind in EXPECTED:
        return f"expected {EXPECTED[kind]}, got {shown(value)}{_hint(kind, value)}"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"expected {ctx['expected']}, got {shown(value)}"
    if kind in LIMITS and LIMITS[kind][0] in ctx:
        key, words = LIMITS[kind]
        return f"expected {words} {ctx[key]}, got {shown(value)}"
    message: str = err["msg"]
    return message.removeprefix("Value error, ")
