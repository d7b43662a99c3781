"""The validated catalog of all content, and its JSON cache.

A cold start parses and validates every YAML file; the result is written as JSON to the cache directory under a
key made of the package version and every content file's name, size and mtime. A warm start only scans file
metadata and reads that JSON.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from awsprep.content.schema import Blueprint, Deck, Lesson, Question, QuestionFile, Topic, TopicsFile
from awsprep.content.schema_labs import Lab, LabQuestionFile
from awsprep.errors import ContentError, UsageError

if TYPE_CHECKING:
    from awsprep.content.lint import Finding, Sources
    from awsprep.content.validate import Loaded
    from awsprep.content.yamlsafe import Located

CACHE_FORMAT = 2  # 2: lab checkpoint questions


class Catalog(BaseModel):
    """Everything a learner can study, validated. Lists keep authoring order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topics: list[Topic]
    blueprint: Blueprint
    lessons: list[Lesson]
    question_files: list[QuestionFile]
    decks: list[Deck]
    labs: list[Lab]
    lab_question_files: list[LabQuestionFile]  # asked only at lab checkpoints; never in `questions`

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def lesson_by_topic(self) -> dict[str, Lesson]:
        return {lesson.topic: lesson for lesson in self.lessons}

    @cached_property
    def questions(self) -> list[tuple[str, Question]]:
        """(topic id, question) for every question."""
        return [(qf.topic, q) for qf in self.question_files for q in qf.questions]

    @cached_property
    def question_by_id(self) -> dict[str, tuple[str, Question]]:
        return {q.id: (topic, q) for topic, q in self.questions}

    @cached_property
    def lab_questions(self) -> list[tuple[str, Question]]:
        """(topic id, question) for every lab's own checkpoint question; the topic is its lab's first. Quiz,
        exam, cards and the coverage counts read `questions`, so these are drawn by none of them."""
        first = {lab.id: lab.topics[0] for lab in self.labs}  # a learner's file checked without its lab: the lab id
        return [(first.get(f.lab, f.lab), q) for f in self.lab_question_files for q in f.questions]

    @cached_property
    def lab_question_by_id(self) -> dict[str, tuple[str, Question]]:
        return {q.id: (topic, q) for topic, q in self.lab_questions}

    def checkpoint(self, qid: str) -> tuple[str, Question, bool] | None:
        """What a lab checkpoint asks: (topic, question, whether it is the lab's own), or None if it is gone."""
        if qid in self.lab_question_by_id:
            return (*self.lab_question_by_id[qid], True)
        if qid in self.question_by_id:
            return (*self.question_by_id[qid], False)
        return None

    def topic(self, topic_id: str) -> Topic:
        try:
            return self.topic_by_id[topic_id]
        except KeyError:
            raise UsageError(f"unknown topic {topic_id!r}", hint=_suggest(topic_id, self.topic_by_id)) from None

    def cards_count(self, topic_id: str) -> int:
        from awsprep.content.cards import cards_of_deck

        return sum(len(cards_of_deck(d)) for d in self.decks if d.topic == topic_id)

    def labs_of(self, topic_id: str) -> list[str]:
        return [lab.id for lab in self.labs if topic_id in lab.topics]


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    return f"did you mean {', '.join(close)}?" if close else "run `awsprep topics` to list the topic ids"


def content_files(root: Path) -> list[Path]:
    """Every content file under a root holding `content/` and `decks/`, in a stable order."""
    found: list[Path] = []
    for sub in ("content", "decks"):
        base = root / sub
        if base.is_dir():
            found.extend(p for p in base.rglob("*.yaml") if p.is_file())
    return sorted(found)


def _shown(path: Path) -> str:
    """A path as the learner can open it from where they are: relative to the working folder, else absolute
    (the shipped content of an installed wheel lives inside the package, not under `content/` of the cwd)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _build(root: Path, files: list[Path]) -> tuple[Catalog, Loaded]:
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


def _build_catalog(root: Path, files: list[Path]) -> tuple[Catalog, Loaded]:
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


def _catalog_of(loaded: Loaded, topics: list[Topic], blueprint: Blueprint) -> Catalog:
    return Catalog(
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


def _cache_key(root: Path, files: list[Path]) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("awsprep")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        ver = "0"
    h = hashlib.sha256(f"{CACHE_FORMAT}|{ver}|{root}".encode())
    for f in files:
        st = f.stat()
        h.update(f"|{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def _root_key(root: Path) -> str:
    """Names the caches of one content root (and package version), so cleaning up never touches another's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("awsprep")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        ver = "0"
    return hashlib.sha256(f"{CACHE_FORMAT}|{ver}|{root.resolve()}".encode()).hexdigest()[:8]


def load_catalog(root: Path | None = None, *, use_cache: bool = True) -> Catalog:
    """The validated catalog, from the JSON cache when nothing changed since it was written."""
    from awsprep.paths import cache_dir, content_root

    root = root or content_root()
    files = content_files(root)
    if not files:
        raise ContentError([f"{root}: no content files found (is the installation complete?)"])
    cache = cache_dir() / f"catalog-{_root_key(root)}-{_cache_key(root, files)}.json"
    if use_cache:
        try:
            return Catalog.model_validate_json(cache.read_bytes())
        except (OSError, ValueError):
            pass  # missing, unreadable or stale: rebuild below
    catalog, _ = _build(root, files)
    if use_cache:
        _write_cache(cache, catalog)
    return catalog


def _write_cache(cache: Path, catalog: Catalog) -> None:
    """Write atomically, then remove this root's stale caches; errors only cost speed, so they are ignored.

    Only files named like this root's caches (`catalog-<root key>-<content key>.json`), and only regular files, are
    removed: the cache folder is shared with other installations, checkouts and content roots (a test's fixture
    root, an author's AWSPREP_CONTENT), whose caches are theirs to keep.
    """
    tmp = cache.with_name(f"{cache.stem}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(catalog.model_dump_json(), encoding="utf-8")
        tmp.replace(cache)
        prefix = cache.name.rsplit("-", 1)[0] + "-"
        for old in cache.parent.iterdir():
            ours = old.name.startswith(prefix) and old.suffix == ".json" and old != cache
            if ours and old.is_file() and not old.is_symlink():
                old.unlink(missing_ok=True)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)  # no half-written cache left to eat the disk
    _remove_stale_temps(cache)


def _remove_stale_temps(cache: Path, older_than_s: float = 600) -> None:
    """Temp files of this root's writers that died mid-write (a kill, a full disk): a live writer finishes in
    well under a minute, so an older one is garbage that would otherwise stay for good."""
    import time

    prefix = cache.name.rsplit("-", 1)[0] + "-"
    try:
        temps = [p for p in cache.parent.glob("catalog-*.tmp") if p.name.startswith(prefix)]
    except OSError:
        return
    for tmp in temps:
        with contextlib.suppress(OSError):
            if tmp.is_file() and not tmp.is_symlink() and time.time() - tmp.stat().st_mtime > older_than_s:
                tmp.unlink()
