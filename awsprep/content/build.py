"""Building the catalog from the YAML files: parse, validate with the pydantic schema, cross-check.

This is the slow path (a cache miss, `awsprep validate`, the lint): it is the only one that imports pydantic and
builds the schema's models. `content/catalog.py` turns what passed into plain records and caches them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from awsprep.content.catalog import _shown, content_files
from awsprep.content.schema import Blueprint, Deck, Lesson, Question, QuestionFile, Topic, TopicsFile
from awsprep.content.schema_labs import Lab, LabQuestionFile
from awsprep.errors import ContentError, UsageError

if TYPE_CHECKING:
    from awsprep.content.lint import Finding, Sources
    from awsprep.content.validate import Loaded
    from awsprep.content.yamlsafe import Located


class ModelCatalog(BaseModel):
    """Everything validated, as the schema's models: what the lint reads (each model is mapped to the file:line:col
    it was written at). Lists keep authoring order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topics: list[Topic]
    blueprint: Blueprint
    lessons: list[Lesson]
    question_files: list[QuestionFile]
    decks: list[Deck]
    labs: list[Lab]
    lab_question_files: list[LabQuestionFile]  # asked only at lab checkpoints; never in `questions`

    @cached_property
    def questions(self) -> list[tuple[str, Question]]:
        """(topic id, question) for every question."""
        return [(qf.topic, q) for qf in self.question_files for q in qf.questions]

    @cached_property
    def lab_questions(self) -> list[tuple[str, Question]]:
        """(topic id, question) for every lab's own checkpoint question; the topic is its lab's first."""
        first = {lab.id: lab.topics[0] for lab in self.labs}  # a learner's file checked without its lab: the lab id
        return [(first.get(f.lab, f.lab), q) for f in self.lab_question_files for q in f.questions]


def _build(root: Path, files: list[Path]) -> tuple[ModelCatalog, Loaded]:
    """Parse and validate everything. The cyclic garbage collector is paused meanwhile: the node trees kept for
    error locations are tens of thousands of acyclic objects that refcounting frees, and letting the collector
    walk them again and again made a cold load take twice as long as parsing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_catalog(root, files)
    finally:
        if was_enabled:
            gc.enable()


def _build_catalog(root: Path, files: list[Path]) -> tuple[ModelCatalog, Loaded]:
    from awsprep.content.validate import cross_check, load_files
    from awsprep.content.yamlsafe import Located

    loaded = load_files((f, _shown(f)) for f in files)
    problems: list[Located] = list(loaded.problems)
    topics_files = [m for m in loaded.of("topics") if isinstance(m, TopicsFile)]
    blueprints = [m for m in loaded.of("blueprint") if isinstance(m, Blueprint)]
    topic_ids = {t.id for tf in topics_files for t in tf.topics}
    problems.extend(cross_check(loaded, topic_ids))
    if not loaded.problems and (len(topics_files) != 1 or len(blueprints) != 1):
        problems.append(Located(str(root), 1, 1, "", "need exactly one content/topics.yaml and one exam blueprint"))
    if blueprints:
        problems.extend(_check_tasks(loaded, blueprints[0]))
    if problems:
        ordered = sorted(problems, key=_order)
        raise ContentError(ordered)
    return _catalog_of(loaded, topics_files[0].topics, blueprints[0]), loaded


def _catalog_of(loaded: Loaded, topics: list[Topic], blueprint: Blueprint) -> ModelCatalog:
    return ModelCatalog(
        topics=topics,
        blueprint=blueprint,
        lessons=[m for m in loaded.of("lesson") if isinstance(m, Lesson)],
        question_files=[m for m in loaded.of("questions") if isinstance(m, QuestionFile)],
        decks=[m for m in loaded.of("deck") if isinstance(m, Deck)],
        labs=[m for m in loaded.of("lab") if isinstance(m, Lab)],
        lab_question_files=[m for m in loaded.of("lab-questions") if isinstance(m, LabQuestionFile)],
    )


def _order(p: Located | Finding) -> tuple[str, bool, int, int]:
    return p.path, p.message.startswith("… and "), p.line, p.col  # a file's "… and N more" line comes last


def _check_tasks(loaded: Loaded, blueprint: Blueprint, *, whole: bool = True) -> Iterator[Located]:
    """Every question's and topic's task is a task statement of the blueprint; on the whole tree, every task
    statement is also served by some topic (a task no topic names would be missing from study and exam)."""
    from awsprep.content.yamlsafe import Located

    tasks = {t.id for d in blueprint.domains for t in d.tasks}
    for parsed, qfile in loaded.items["questions"]:
        assert isinstance(qfile, QuestionFile)
        for i, q in enumerate(qfile.questions):
            if q.task not in tasks:
                line, col, name = parsed.locate(("questions", i, "task"))
                yield Located(parsed.path, line, col, name, f"task {q.task} is not in the exam blueprint")
    served: set[str] = set()
    for parsed, tfile in loaded.items["topics"]:
        assert isinstance(tfile, TopicsFile)
        for i, topic in enumerate(tfile.topics):
            served.update(topic.tasks)
            for j, task in enumerate(topic.tasks):
                if task not in tasks:
                    line, col, name = parsed.locate(("topics", i, "tasks", j))
                    yield Located(parsed.path, line, col, name, f"{topic.id}: task {task} is not in the exam blueprint")
    if not whole or not loaded.items["topics"]:
        return
    for bp_parsed, _ in loaded.items["blueprint"][:1]:
        for d, domain in enumerate(blueprint.domains):
            for t, statement in enumerate(domain.tasks):
                if statement.id not in served:
                    line, col, name = bp_parsed.locate(("domains", d, "tasks", t, "id"))
                    yield Located(
                        bp_parsed.path,
                        line,
                        col,
                        name,
                        f"task statement {statement.id} ({statement.title}) is served by no topic; "
                        "name it in a topic's `tasks` in content/topics.yaml",
                    )


def validate_paths(paths: list[Path], *, strict: bool = False) -> tuple[int, list[Located | Finding]]:
    """Validate a learner's own files or folders against the shipped topics. Returns (files, problems); with
    `strict`, the lint's per-item and per-file rules run on the files that validated."""
    from awsprep.content.validate import cross_check, load_files

    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*.yaml") if q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise UsageError(f"no such file or folder: {p}")
    loaded = load_files((f, str(f)) for f in files)
    own_topics = [t for m in loaded.of("topics") if isinstance(m, TopicsFile) for t in m.topics]
    shipped_topics, shipped_blueprint = _shipped()
    own_blueprint = next((m for m in loaded.of("blueprint") if isinstance(m, Blueprint)), shipped_blueprint)
    problems: list[Located | Finding] = [
        *loaded.problems,
        *cross_check(
            loaded, {t.id for t in shipped_topics} | {t.id for t in own_topics}, whole=False, shipped_own=_shipped_own()
        ),
        *_check_tasks(loaded, own_blueprint, whole=False),
    ]
    problems.sort(key=_order)
    if strict:
        from awsprep.content.lint import Sources, lint

        blueprint = own_blueprint
        known = {t.id for t in own_topics}
        topics = [*own_topics, *(t for t in shipped_topics if t.id not in known)]
        catalog = _catalog_of(loaded, topics, blueprint)
        every = [pair for pairs in loaded.items.values() for pair in pairs]
        problems.extend(lint(Sources.of(catalog, every, whole=False, bank="the given files")))
    return len(files), problems


def load_sources(root: Path | None = None) -> Sources:
    """The whole content tree validated (never from the cache), with where each model was written: what the
    lint needs to put its findings at file:line:col."""
    from awsprep.content.lint import Sources
    from awsprep.paths import content_root

    root = root or content_root()
    files = content_files(root)
    if not files:
        raise ContentError([f"{root}: no content files found (is the installation complete?)"])
    catalog, loaded = _build(root, files)
    every = [pair for pairs in loaded.items.values() for pair in pairs]
    return Sources.of(catalog, every, whole=True, bank=_shown(root / "content" / "questions") + "/")


def _shipped() -> tuple[list[Topic], Blueprint]:
    """Only the shipped topics and blueprint: checking one's own files must not depend on the rest of the content."""
    from awsprep.content.validate import load_files
    from awsprep.paths import content_root

    base = content_root() / "content"
    blueprints = sorted((base / "exam").glob("*.yaml"))
    loaded = load_files((f, str(f)) for f in [base / "topics.yaml", *blueprints[:1]])
    if loaded.problems:
        raise ContentError(loaded.problems)
    topics = [t for m in loaded.of("topics") if isinstance(m, TopicsFile) for t in m.topics]
    (blueprint,) = [m for m in loaded.of("blueprint") if isinstance(m, Blueprint)]
    return topics, blueprint


def _shipped_own() -> dict[str, set[str]]:
    """Lab id -> the ids of its own shipped checkpoint questions, for a lab file checked without its question file."""
    from awsprep.content.validate import load_files
    from awsprep.paths import content_root

    files = sorted((content_root() / "content" / "questions" / "labs").glob("*.yaml"))
    loaded = load_files((f, str(f)) for f in files)
    return {m.lab: {q.id for q in m.questions} for m in loaded.of("lab-questions") if isinstance(m, LabQuestionFile)}
