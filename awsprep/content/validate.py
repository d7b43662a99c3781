"""Turn a set of YAML files into validated models, collecting every problem with its file:line:col."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from awsprep.content.lab_kinds import known as known_lab_kinds
from awsprep.content.messages import explain
from awsprep.content.schema import Blueprint, Deck, FieldError, Lesson, Note, Question, QuestionFile, TopicsFile
from awsprep.content.schema_labs import BankCheckpoint, Lab, LabBillCheck, LabQuestionFile, LabStateCheck
from awsprep.content.yamlsafe import Located, Parsed, YamlProblem, parse_file

Kind = Literal["topics", "blueprint", "lesson", "questions", "deck", "lab", "lab-questions"]
MODELS: dict[Kind, type[BaseModel]] = {
    "topics": TopicsFile,
    "blueprint": Blueprint,
    "lesson": Lesson,
    "questions": QuestionFile,
    "deck": Deck,
    "lab": Lab,
    "lab-questions": LabQuestionFile,
}
KIND_KEY = "kind"
MAX_PER_FILE = 10  # problems listed per file; the rest are counted ("… and 24,990 more")


def kind_of(parsed: Parsed) -> Kind | Located:
    """What a file holds, told by the file itself: its `kind:` key, or else the top-level keys it uses.

    The folder a file sits in says nothing: a lesson validated from the learner's desktop is checked as a lesson.
    Without `kind:`, the kind whose fields the file's keys match most wins (ties go to the kind with fewer fields,
    so `topics:` alone is a topics file, not a lab); no match or a tie asks the author to say `kind:`.
    """
    data: dict[object, object] = parsed.data
    if KIND_KEY in data:
        declared = data[KIND_KEY]
        if declared in MODELS:
            return declared
        line, col, _ = parsed.locate((KIND_KEY,))
        return Located(parsed.path, line, col, KIND_KEY, f"expected one of {', '.join(MODELS)}, got {declared!r}")
    keys = {k for k in data if isinstance(k, str)}
    scores = sorted(
        (
            (len(keys & set(model.model_fields)), len(keys & set(model.model_fields)) / len(model.model_fields), kind)
            for kind, model in MODELS.items()
        ),
        reverse=True,
    )
    (best, share, kind), (second, second_share, _) = scores[0], scores[1]
    if best and (best, share) != (second, second_share):
        return kind
    return Located(
        parsed.path,
        1,
        1,
        "",
        f"cannot tell what this file holds (top-level keys: {', '.join(sorted(keys)) or 'none'}); "
        f"add `{KIND_KEY}: ` and one of {', '.join(MODELS)}",
    )


@dataclass
class Loaded:
    """Validated models by kind, with the parse trees kept for locating cross-reference errors."""

    items: dict[Kind, list[tuple[Parsed, BaseModel]]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Located] = field(default_factory=list)

    def of(self, kind: Kind) -> list[BaseModel]:
        return [model for _, model in self.items[kind]]


def _messages(parsed: Parsed, exc: ValidationError) -> Iterable[Located]:
    """Each error at its line:col (one pass: locating is a lookup per error), at most MAX_PER_FILE of them."""
    errors = exc.errors(include_url=False)
    for n, err in enumerate(errors):
        loc = tuple(err["loc"])
        error = err.get("ctx", {}).get("error")
        if isinstance(error, FieldError):  # a whole-model rule that knows which part is wrong
            loc += error.loc
        missing = err["type"] == "missing" and bool(loc)
        line, col, name = parsed.locate(loc[:-1] if missing else loc, key=err["type"] == "extra_forbidden")
        if missing:
            name = f"{name}.{loc[-1]}" if name else str(loc[-1])
        if n == MAX_PER_FILE:
            more = len(errors) - MAX_PER_FILE
            s = "s" if more > 1 else ""
            yield Located(parsed.path, line, col, "", f"… and {more:,} more problem{s} in this file", count=more)
            return
        yield Located(parsed.path, line, col, name, explain(err))


def load_files(files: Iterable[tuple[Path, str]]) -> Loaded:
    """Parse and validate each (path, shown name); never stop at the first problem."""
    out = Loaded()
    for path, shown in files:
        try:
            parsed = parse_file(path, shown)
        except YamlProblem as exc:
            out.problems.append(exc.problem)
            continue
        if not isinstance(parsed.data, dict):
            out.problems.append(Located(shown, 1, 1, "", "the file must hold a mapping of keys at the top level"))
            continue
        kind = kind_of(parsed)
        if isinstance(kind, Located):
            out.problems.append(kind)
            continue
        try:
            data = {k: v for k, v in parsed.data.items() if k != KIND_KEY}
            model = MODELS[kind].model_validate(data)
        except ValidationError as exc:
            out.problems.extend(_messages(parsed, exc))
            continue
        out.items[kind].append((parsed, model))
    return out


def cross_check(
    loaded: Loaded, topic_ids: set[str], *, whole: bool = True, shipped_own: dict[str, set[str]] | None = None
) -> list[Located]:
    """Checks that need more than one file: topic ids exist, ids are unique, files are named for their topic, lab
    checkpoints name questions that exist. `whole`: the whole tree; otherwise a learner's own files, where a lab
    whose question file is not given is checked against the shipped one (`shipped_own`: lab id -> question ids)."""
    problems: list[Located] = []
    seen: dict[str, tuple[Parsed, tuple[int | str, ...]]] = {}

    def where(parsed: Parsed, loc: tuple[int | str, ...]) -> tuple[str, int, int, str]:
        line, col, name = parsed.locate(loc)
        return parsed.path, line, col, name

    def unique(item_id: str, parsed: Parsed, loc: tuple[int | str, ...]) -> None:
        # Locations are computed only for a problem: walking the node tree for every id is the slow part.
        if item_id not in seen:
            seen[item_id] = (parsed, loc)
            return
        path, line, col, name = where(parsed, loc)
        first_path, first_line, _, _ = where(*seen[item_id])
        problems.append(
            Located(path, line, col, name, f"duplicate id {item_id!r} (first used in {first_path}:{first_line})")
        )

    def known(topic: str, parsed: Parsed, loc: tuple[int | str, ...]) -> None:
        if topic not in topic_ids:
            path, line, col, name = where(parsed, loc)
            problems.append(Located(path, line, col, name, f"unknown topic id {topic!r}"))

    def named_for(topic: str, parsed: Parsed) -> None:
        if Path(parsed.path).stem != topic:
            path, line, col, name = where(parsed, ("topic",))
            problems.append(Located(path, line, col, name, f"file holds topic {topic!r}; name it {topic}.yaml"))

    for parsed, topics_file in loaded.items["topics"]:
        assert isinstance(topics_file, TopicsFile)
        for i, topic in enumerate(topics_file.topics):
            unique(topic.id, parsed, ("topics", i, "id"))
    lesson_topics: dict[str, str] = {}
    for parsed, lesson in loaded.items["lesson"]:
        assert isinstance(lesson, Lesson)
        known(lesson.topic, parsed, ("topic",))
        named_for(lesson.topic, parsed)
        if lesson.topic in lesson_topics:
            path, line, col, name = where(parsed, ("topic",))
            problems.append(Located(path, line, col, name, f"second lesson for {lesson.topic!r}"))
        lesson_topics[lesson.topic] = parsed.path
    for parsed, file in [*loaded.items["questions"], *loaded.items["deck"]]:
        assert isinstance(file, QuestionFile | Deck)
        known(file.topic, parsed, ("topic",))
        named_for(file.topic, parsed)
        field = "questions" if isinstance(file, QuestionFile) else "notes"
        items: list[Question] | list[Note] = file.questions if isinstance(file, QuestionFile) else file.notes
        for i, item in enumerate(items):
            unique(item.id, parsed, (field, i, "id"))
    question_ids = {q.id for qf in loaded.of("questions") if isinstance(qf, QuestionFile) for q in qf.questions}
    problems.extend(_lab_checks(loaded, question_ids, unique, known, whole=whole, shipped_own=shipped_own))
    return problems


Locator = Callable[[str, Parsed, tuple[int | str, ...]], None]


def _where(parsed: Parsed, loc: tuple[int | str, ...]) -> tuple[str, int, int, str]:
    line, col, name = parsed.locate(loc)
    return parsed.path, line, col, name


def _lab_checks(
    loaded: Loaded,
    question_ids: set[str],
    unique: Locator,
    known: Locator,
    *,
    whole: bool,
    shipped_own: dict[str, set[str]] | None,
) -> list[Located]:
    """Labs and their own question files: names, ids, kinds, and checkpoints that resolve (see `cross_check`)."""
    problems: list[Located] = []
    lab_ids = {lab.id for lab in loaded.of("lab") if isinstance(lab, Lab)}
    own: dict[str, set[str]] = defaultdict(set)  # lab id -> ids of its own questions
    given = {f.lab for f in loaded.of("lab-questions") if isinstance(f, LabQuestionFile)}
    own.update({lab: set(ids) for lab, ids in (shipped_own or {}).items() if lab not in given})
    for parsed, lqfile in loaded.items["lab-questions"]:
        assert isinstance(lqfile, LabQuestionFile)
        if Path(parsed.path).stem != lqfile.lab:
            path, line, col, name = _where(parsed, ("lab",))
            problems.append(Located(path, line, col, name, f"holds lab {lqfile.lab!r}; name it {lqfile.lab}.yaml"))
        if lab_ids and lqfile.lab not in lab_ids:
            path, line, col, name = _where(parsed, ("lab",))
            problems.append(Located(path, line, col, name, f"unknown lab id {lqfile.lab!r}"))
        for i, q in enumerate(lqfile.questions):
            unique(q.id, parsed, ("questions", i, "id"))
            own[lqfile.lab].add(q.id)
    asked: set[str] = set()
    for parsed, lab in loaded.items["lab"]:
        assert isinstance(lab, Lab)
        unique(lab.id, parsed, ("id",))
        if Path(parsed.path).stem != lab.id:
            path, line, col, name = _where(parsed, ("id",))
            problems.append(Located(path, line, col, name, f"lab {lab.id!r} must live in {lab.id}.yaml"))
        for i, lab_topic in enumerate(lab.topics):
            known(lab_topic, parsed, ("topics", i))
        for s, step in enumerate(lab.steps):
            for k, entry in enumerate(step.checkpoint):
                message = _unresolved(entry, own.get(lab.id, set()), question_ids, lab.id, whole=whole)
                if isinstance(entry, str):
                    asked.add(entry)
                if message is not None:
                    path, line, col, name = _where(parsed, ("steps", s, "checkpoint", k))
                    problems.append(Located(path, line, col, name, f"step {step.id}: {message}"))
        for loc, kind, allowed in _lab_kind_uses(lab):
            if kind not in allowed:
                path, line, col, name = _where(parsed, loc)
                problems.append(
                    Located(
                        path, line, col, name, f"unknown kind {kind!r}; the simulator has: {', '.join(sorted(allowed))}"
                    )
                )
    if whole:  # a question no step asks would never be seen
        for parsed, lqfile in loaded.items["lab-questions"]:
            assert isinstance(lqfile, LabQuestionFile)
            for i, q in enumerate(lqfile.questions):
                if q.id not in asked and lqfile.lab in lab_ids:
                    path, line, col, name = _where(parsed, ("questions", i, "id"))
                    problems.append(
                        Located(
                            path,
                            line,
                            col,
                            name,
                            f"{q.id} is asked at no step of lab {lqfile.lab}; add it to a step's `checkpoint`",
                        )
                    )
    return problems


def _unresolved(entry: str | BankCheckpoint, own: set[str], bank: set[str], lab: str, *, whole: bool) -> str | None:
    """Why a checkpoint entry names no question, or None. A plain id is one of the lab's own questions;
    `{bank: id}` one of the topic banks (on a learner's own files, checked only when question files are given)."""
    if isinstance(entry, BankCheckpoint):
        if entry.bank in bank or (not whole and not bank):
            return None
        hint = "; it is one of this lab's own questions: write it without `bank:`" if entry.bank in own else ""
        return f"checkpoint {{bank: {entry.bank}}} is no question of the topic banks{hint}"
    if entry in own:
        return None
    where = f"content/questions/labs/{lab}.yaml"
    if entry in bank:
        return (
            f"checkpoint {entry!r} is a question of the topic banks, not of {where}; to ask it, write {{bank: {entry}}}"
        )
    return f"checkpoint {entry!r} is no question of this lab (its own questions live in {where})"


def _lab_kind_uses(lab: Lab) -> Iterator[tuple[tuple[int | str, ...], str, frozenset[str]]]:
    """Every resource/usage kind a lab names, with its location and the kinds allowed there (none when unset)."""
    kinds = known_lab_kinds()
    if kinds is None:
        return
    for s, step in enumerate(lab.steps):
        for c, check in enumerate(step.check):
            if isinstance(check, LabStateCheck):
                yield ("steps", s, "check", c, "resource"), check.resource, kinds.resources
            elif isinstance(check, LabBillCheck):
                yield ("steps", s, "check", c, "usage"), check.usage, kinds.usages
        for name, cap in step.capture.items():
            if cap.resource is not None:
                yield ("steps", s, "capture", name, "resource"), cap.resource, kinds.resources
