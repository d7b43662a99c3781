"""Style rules beyond the schema (`awsprep validate --strict`), on the shipped tree or on a learner's own files.

A rule is a function `(Sources) -> Iterable[Finding]` listed in `rules()`. It reads validated models from
`sources.catalog` and makes each finding with `sources.finding(model, item, message, *field)`, which puts it at
the file:line:col where that model (or one of its fields) was written: every model of every file is mapped to
its place when the sources are built, so no rule re-reads a file or guesses a path from a topic id. Rules about
the whole bank (its size, shares, coverage of every topic) run only when `sources.whole` is true; on a learner's
files the per-item and per-file rules run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pydantic import BaseModel

from awsprep.content.catalog import Catalog
from awsprep.content.yamlsafe import Parsed

Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Finding:
    """A lint finding: at `path:line:col` of an item, or (line 0) about a set of files such as the bank."""

    path: str
    line: int
    col: int
    item: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        return f"{where}: {self.item}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass
class Sources:
    """Validated content, and where each of its models was written."""

    catalog: Catalog
    whole: bool  # the whole content tree (bank-wide rules apply), not a learner's handful of files
    bank: str = "content/questions/"  # how bank-wide findings name the question bank
    places: dict[int, tuple[Parsed, Loc]] = field(default_factory=dict)
    _keep: list[BaseModel] = field(default_factory=list)  # the mapped models stay alive, so ids stay unique

    @classmethod
    def of(cls, catalog: Catalog, files: Iterable[tuple[Parsed, BaseModel]], *, whole: bool, bank: str) -> Sources:
        sources = cls(catalog, whole, bank)
        for parsed, model in files:
            sources._map(parsed, model, ())
        return sources

    def _map(self, parsed: Parsed, model: BaseModel, loc: Loc) -> None:
        self.places[id(model)] = (parsed, loc)
        self._keep.append(model)
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                self._map(parsed, value, (*loc, name))
            elif isinstance(value, list):
                for i, child in enumerate(value):
                    if isinstance(child, BaseModel):
                        self._map(parsed, child, (*loc, name, i))
            elif isinstance(value, dict):
                for key, child in value.items():
                    if isinstance(child, BaseModel):
                        self._map(parsed, child, (*loc, name, key))

    def models(self) -> list[BaseModel]:
        """Every mapped model, files and their nested items, in the order they were written."""
        return list(self._keep)

    def path_of(self, model: BaseModel) -> str:
        return self.places[id(model)][0].path

    def finding(self, model: BaseModel, item: str, message: str, *fields: int | str, warning: bool = False) -> Finding:
        """A finding at the place of `model`, or of one of its fields (`"options", 2, "explanation"`)."""
        parsed, loc = self.places[id(model)]
        line, col, _ = parsed.locate((*loc, *fields))
        return Finding(parsed.path, line, col, item, message, warning)

    def about_bank(self, item: str, message: str) -> Finding:
        return Finding(self.bank, 0, 0, item, message)


Rule = Callable[[Sources], Iterable[Finding]]


def rules() -> list[Rule]:
    """Every rule `--strict` runs; a new lint module adds its entry point here."""
    from awsprep.content.lint_claims import lint_claims
    from awsprep.content.lint_cues import lint_cues
    from awsprep.content.lint_lessons import lint_lessons
    from awsprep.content.lint_questions import check_questions
    from awsprep.content.lint_sources import lint_sources

    return [lint_lessons, check_questions, lint_claims, lint_cues, lint_sources]


def lint(sources: Sources) -> list[Finding]:
    return [finding for rule in rules() for finding in rule(sources)]
