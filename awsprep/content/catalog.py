"""The catalog of all content, and its cache.

A cold start parses and validates every YAML file with the pydantic schema (`content/build.py`); what passed is
written to the cache directory as plain data (marshal, one blob per section, with a checksum) under a key made of
the Python and package versions, the content code and every content file's name, size and mtime. A warm start
scans that metadata, reads the file and decodes only the sections a command touches into plain records
(`content/records.py`): no YAML, no pydantic. A missing, corrupt or stale cache is rebuilt silently; one that
cannot be written only costs the next start its speed.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from awsprep.content import records as rec
from awsprep.errors import ContentError, UsageError

if TYPE_CHECKING:
    from awsprep.content.build import ModelCatalog
    from awsprep.content.lint import Finding, Sources
    from awsprep.content.schema_labs import Lab
    from awsprep.content.validate import Loaded
    from awsprep.content.yamlsafe import Located

CACHE_FORMAT = 3  # 3: lab checkpoint questions
MAGIC = b"awsprep-catalog\n"
SECTIONS = ("topics", "blueprint", "lessons", "question_files", "decks", "labs", "lab_question_files")


class Catalog:
    """Everything a learner can study, validated, as plain records; lists keep authoring order. Each section is
    decoded when first used (`awsprep exam` never decodes the lessons' text, the decks or the labs)."""

    def __init__(self, data: dict[str, Any], *, rebuild: Callable[[], Catalog] | None = None) -> None:
        self._data = data  # section name -> its plain data, or the marshal bytes of it
        self._rebuild = rebuild
        self._labs: list[Lab] | None = None

    def _plain(self, name: str) -> Any:
        value = self._data[name]
        if isinstance(value, bytes):
            value = self._data[name] = marshal.loads(value)
        return value

    def _section(self, name: str, load: Callable[[Any], Any]) -> Any:
        try:
            return load(self._plain(name))
        except (ValueError, EOFError, TypeError, KeyError, AttributeError):
            if self._rebuild is None:
                raise
            # a cache whose checksum held but whose data does not fit these records: build afresh, silently
            fresh, self._rebuild = self._rebuild(), None
            self._data = fresh._data
            return load(self._plain(name))

    @cached_property
    def topics(self) -> list[rec.Topic]:
        return self._section("topics", lambda d: [rec.load_topic(t) for t in d])  # type: ignore[no-any-return]

    @cached_property
    def blueprint(self) -> rec.Blueprint:
        return self._section("blueprint", rec.load_blueprint)  # type: ignore[no-any-return]

    @cached_property
    def lessons(self) -> list[rec.Lesson]:
        return self._section("lessons", lambda d: [rec.load_lesson(x) for x in d])  # type: ignore[no-any-return]

    @cached_property
    def question_files(self) -> list[rec.QuestionFile]:
        return self._section(  # type: ignore[no-any-return]
            "question_files", lambda d: [rec.load_question_file(x) for x in d]
        )

    @cached_property
    def decks(self) -> list[rec.Deck]:
        return self._section("decks", lambda d: [rec.load_deck(x) for x in d])  # type: ignore[no-any-return]

    @cached_property
    def lab_question_files(self) -> list[rec.LabQuestionFile]:
        """Asked only at lab checkpoints; never in `questions`."""
        return self._section(  # type: ignore[no-any-return]
            "lab_question_files", lambda d: [rec.load_lab_question_file(x) for x in d]
        )

    @property
    def labs(self) -> list[Lab]:
        """The labs as the schema's models (the lab runner uses their check unions); validated when first used."""
        if self._labs is None:
            import json

            from pydantic import TypeAdapter

            from awsprep.content.schema_labs import Lab

            # JSON mode: the schema's strict types take dates and enums as the JSON strings the cache holds
            self._labs = TypeAdapter(list[Lab]).validate_json(json.dumps(self._plain("labs")))
        return self._labs

    @cached_property
    def topic_by_id(self) -> dict[str, rec.Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def lesson_by_topic(self) -> dict[str, rec.Lesson]:
        return {lesson.topic: lesson for lesson in self.lessons}

    @cached_property
    def questions(self) -> list[tuple[str, rec.Question]]:
        """(topic id, question) for every question."""
        return [(qf.topic, q) for qf in self.question_files for q in qf.questions]

    @cached_property
    def question_by_id(self) -> dict[str, tuple[str, rec.Question]]:
        return {q.id: (topic, q) for topic, q in self.questions}

    @cached_property
    def lab_questions(self) -> list[tuple[str, rec.Question]]:
        """(topic id, question) for every lab's own checkpoint question; the topic is its lab's first. Quiz,
        exam, cards and the coverage counts read `questions`, so these are drawn by none of them."""
        first = {lab["id"]: lab["topics"][0] for lab in self._plain("labs")}  # a lab left out: the lab id
        return [(first.get(f.lab, f.lab), q) for f in self.lab_question_files for q in f.questions]

    @cached_property
    def lab_question_by_id(self) -> dict[str, tuple[str, rec.Question]]:
        return {q.id: (topic, q) for topic, q in self.lab_questions}

    def checkpoint(self, qid: str) -> tuple[str, rec.Question, bool] | None:
        """What a lab checkpoint asks: (topic, question, whether it is the lab's own), or None if it is gone."""
        if qid in self.lab_question_by_id:
            return (*self.lab_question_by_id[qid], True)
        if qid in self.question_by_id:
            return (*self.question_by_id[qid], False)
        return None

    def topic(self, topic_id: str) -> rec.Topic:
        try:
            return self.topic_by_id[topic_id]
        except KeyError:
            raise UsageError(f"unknown topic {topic_id!r}", hint=_suggest(topic_id, self.topic_by_id)) from None

    def cards_count(self, topic_id: str) -> int:
        from awsprep.content.cards import cards_of_deck

        return sum(len(cards_of_deck(d)) for d in self.decks if d.topic == topic_id)

    def labs_of(self, topic_id: str) -> list[str]:
        return [lab["id"] for lab in self._plain("labs") if topic_id in lab["topics"]]

    def to_json(self, indent: int | None = None) -> str:
        """The whole catalog as one JSON document (`awsprep content export`)."""
        import json

        return json.dumps({name: self._plain(name) for name in SECTIONS}, indent=indent, ensure_ascii=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Catalog):
            return NotImplemented
        return all(self._plain(name) == other._plain(name) for name in SECTIONS)

    __hash__ = None  # type: ignore[assignment]  # equal by content, and mutable inside (lazy sections)

    @classmethod
    def of_models(cls, models: ModelCatalog) -> Catalog:
        """The records of a freshly validated catalog (the plain data is what the cache stores)."""
        data: dict[str, Any] = {
            "topics": [t.model_dump(mode="json") for t in models.topics],
            "blueprint": models.blueprint.model_dump(mode="json"),
            "lessons": [x.model_dump(mode="json") for x in models.lessons],
            "question_files": [x.model_dump(mode="json") for x in models.question_files],
            "decks": [x.model_dump(mode="json") for x in models.decks],
            "labs": [x.model_dump(mode="json") for x in models.labs],
            "lab_question_files": [x.model_dump(mode="json") for x in models.lab_question_files],
        }
        catalog = cls(data)
        catalog._labs = list(models.labs)
        return catalog


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


# --- the slow path, in content/build.py (pydantic) -------------------------------------------------------------


def _build(root: Path, files: list[Path]) -> tuple[ModelCatalog, Loaded]:
    from awsprep.content.build import _build as build

    return build(root, files)


def validate_paths(paths: list[Path], *, strict: bool = False) -> tuple[int, list[Located | Finding]]:
    """Validate a learner's own files or folders against the shipped topics (see `content/build.py`)."""
    from awsprep.content.build import validate_paths as validate

    return validate(paths, strict=strict)


def load_sources(root: Path | None = None) -> Sources:
    """The whole content tree validated (never from the cache), with where each model was written."""
    from awsprep.content.build import load_sources as load

    return load(root)


def _cache_key(root: Path, files: list[Path]) -> str:
    """What the cache was built from, spelled out: the formats (this one's, marshal's, Python's), the content code
    (a changed schema or record must not read an old cache; an upgrade changes it too) and every content file's
    name, size and mtime. The file stores it whole and a hit compares it whole, so a short hash of it can name
    the file (hashlib and importlib.metadata would cost a warm start more than reading the cache)."""
    code = Path(__file__).parent
    parts = [f"{CACHE_FORMAT}|{sys.version_info[0]}.{sys.version_info[1]}/{marshal.version}|{root}"]
    for f in sorted(code.glob("*.py")):
        st = f.stat()
        parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    for f in files:
        st = f.stat()
        parts.append(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _short(text: str) -> str:
    data = text.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _root_key(root: Path) -> str:
    """Names the caches of one content root, so cleaning up never touches another's."""
    return _short(f"{CACHE_FORMAT}|{root.resolve()}")[:8]


def load_catalog(root: Path | None = None, *, use_cache: bool = True) -> Catalog:
    """The validated catalog, from the cache when nothing changed since it was written."""
    from awsprep.paths import cache_dir, content_root

    root = root or content_root()
    files = content_files(root)
    if not files:
        raise ContentError([f"{root}: no content files found (is the installation complete?)"])
    key = _cache_key(root, files)
    cache = cache_dir() / f"catalog-{_root_key(root)}-{_short(key)}.bin"

    def rebuild() -> Catalog:
        catalog = Catalog.of_models(_build(root, files)[0])
        if use_cache:
            _write_cache(cache, key, catalog)
        return catalog

    if use_cache:
        sections = _read_cache(cache, key)
        if sections is not None:
            return Catalog(sections, rebuild=rebuild)
    return rebuild()


# --- the cache file: MAGIC, crc32 of the payload (4 bytes), payload = marshal of {key, sections} ---------------


def _read_cache(cache: Path, key: str) -> dict[str, Any] | None:
    """The sections (marshal bytes each) of a sound cache written for `key`; None when it is missing, unreadable,
    cut short, damaged or for other content (the caller rebuilds it)."""
    try:
        raw = cache.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    if raw[:head] != MAGIC or len(raw) < head + 4:
        return None
    payload = raw[head + 4 :]
    if zlib.crc32(payload) != int.from_bytes(raw[head : head + 4], "big"):
        return None
    try:
        data = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    sections = data.get("sections")
    if not isinstance(sections, dict) or set(sections) != set(SECTIONS):
        return None
    if not all(isinstance(blob, bytes) for blob in sections.values()):
        return None
    return sections


def _encode(key: str, catalog: Catalog) -> bytes:
    sections = {name: marshal.dumps(catalog._plain(name)) for name in SECTIONS}
    payload = marshal.dumps({"key": key, "sections": sections})
    return MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload


def _write_cache(cache: Path, key: str, catalog: Catalog) -> None:
    """Write atomically, then remove this root's stale caches; errors only cost speed, so they are ignored.

    Concurrent writers each write their own temp file (named by pid) and rename it into place: a reader sees
    one whole file or another, never a mix. Only files named like this root's caches (`catalog-<root key>-…`),
    and only regular files, are removed: the cache folder is shared with other installations, checkouts and
    content roots (a test's fixture root, an author's AWSPREP_CONTENT), whose caches are theirs to keep.
    """
    tmp = cache.with_name(f"{cache.stem}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(_encode(key, catalog))
        tmp.replace(cache)
        prefix = cache.name.rsplit("-", 1)[0] + "-"
        for old in cache.parent.iterdir():
            ours = old.name.startswith(prefix) and old.suffix in (".bin", ".json") and old != cache
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
