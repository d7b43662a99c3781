"""Consoles and small rendering helpers. Data goes to stdout; messages, prompts and progress to stderr."""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


@cache
def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def message(text: str) -> None:
    """A one-line note to the learner on stderr (kept off stdout so `--json` output stays clean)."""
    err().print(text, markup=False)
