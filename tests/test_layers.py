"""The architecture's import rules (ARCHITECTURE.md), checked on the source rather than trusted."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "awsprep"
TERMINAL = ("typer", "rich", "questionary", "prompt_toolkit", "click")
# package -> awsprep packages it must not import
FORBIDDEN = {
    "sim": ("awsprep.study", "awsprep.cli", "awsprep.content", "awsprep.store", "awsprep.labs"),
    "study": ("awsprep.sim", "awsprep.cli", "awsprep.labs"),
    "store": ("awsprep.study", "awsprep.cli", "awsprep.sim", "awsprep.labs"),
    "content": ("awsprep.study", "awsprep.cli", "awsprep.sim", "awsprep.labs"),
    "labs": ("awsprep.cli",),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_does_not_import_what_it_must_not(layer: str) -> None:
    bad = [
        (str(path.relative_to(ROOT)), name)
        for path in sources(layer)
        for name in imports_of(path)
        if name.startswith(FORBIDDEN[layer]) or name.split(".")[0] in TERMINAL
    ]
    assert not bad, bad


def test_only_the_cli_knows_the_terminal() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]
    bad = [
        (str(p.relative_to(ROOT)), name) for p in outside for name in imports_of(p) if name.split(".")[0] in TERMINAL
    ]
    assert not bad, bad


SQL = re.compile(r"\.execute(many|script)?\(|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")


def test_all_sql_lives_in_the_store() -> None:
    # ARCHITECTURE.md: the store is the one place that knows the schema (issue 15: cards_stats/cards_io held SQL)
    outside = [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "store"]
    bad = [str(p.relative_to(ROOT)) for p in outside if SQL.search(p.read_text(encoding="utf-8"))]
    assert not bad, bad
