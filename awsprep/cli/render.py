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


def reflow(text: str) -> str:
    """Join the lines authors wrapped in YAML block scalars; keep blank-line paragraph breaks and list items."""
    paragraphs = []
    for para in text.strip().split("\n\n"):
        lines = [line.strip() for line in para.splitlines()]
        merged: list[str] = []
        for line in lines:
            if merged and not line.startswith(("- ", "* ", "|")) and not merged[-1].startswith("|"):
                merged[-1] = f"{merged[-1]} {line}"
            else:
                merged.append(line)
        paragraphs.append("\n".join(merged))
    return "\n\n".join(paragraphs)
