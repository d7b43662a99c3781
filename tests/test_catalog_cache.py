"""The compiled catalog cache (issue 16, speed): plain records decoded from marshal, validated with pydantic only
when the content changed. A stale, corrupt or half-written cache is rebuilt silently; concurrent writers never
leave a broken one; a warm start imports no pydantic; the records are the schema's models, field for field."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsprep.content import catalog as catalog_mod
from awsprep.content import records, schema, schema_labs
from awsprep.content.catalog import load_catalog
from conftest import ROOT

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "exam_bank"


def _cache(home: Path) -> Path:
    [cache] = (home / "cache").glob("catalog-*.bin")
    return cache


def _no_build(*_: object, **__: object) -> None:
    raise AssertionError("the YAML was validated again")


def test_a_warm_start_is_a_cache_hit_and_equal_to_a_fresh_build(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_catalog(FIXTURE_BANK, use_cache=False)
    load_catalog(FIXTURE_BANK)
    monkeypatch.setattr(catalog_mod, "_build", _no_build)
    warm = load_catalog(FIXTURE_BANK)
    assert warm == fresh
    assert warm.questions == fresh.questions and warm.blueprint == fresh.blueprint and warm.topics == fresh.topics


def test_a_changed_file_is_a_miss_even_with_the_same_size(
    home: Path, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog(content_copy)
    topics = content_copy / "content" / "topics.yaml"
    text = topics.read_text()
    topics.write_text(text.replace("Why cloud, why AWS", "Why cloud, why aws"))  # same size, new mtime
    assert load_catalog(content_copy).topics[0].title == "Why cloud, why aws"
    assert len(list((home / "cache").glob("catalog-*.bin"))) == 1


@pytest.mark.parametrize("damage", ["bit flip", "cut short", "empty", "another key"])
def test_a_damaged_cache_is_detected_and_rebuilt_silently(home: Path, damage: str) -> None:
    fresh = load_catalog(FIXTURE_BANK, use_cache=False)
    load_catalog(FIXTURE_BANK)
    cache = _cache(home)
    raw = bytearray(cache.read_bytes())
    if damage == "bit flip":  # inside a question's text: marshal would still load it, wrongly
        at = raw.index(b"A developer")
        raw[at + 2] ^= 0x01
    elif damage == "cut short":
        raw = raw[: len(raw) // 2]
    elif damage == "empty":
        raw = bytearray()
    else:  # a sound file for other content, under this name
        other = catalog_mod._encode("some other content", fresh)
        raw = bytearray(other)
    cache.write_bytes(bytes(raw))
    assert load_catalog(FIXTURE_BANK) == fresh
    assert catalog_mod._read_cache(cache, _key(FIXTURE_BANK)) is not None  # and written again, sound


def _key(root: Path) -> str:
    return catalog_mod._cache_key(root, catalog_mod.content_files(root))


def test_a_section_that_does_not_fit_the_records_is_rebuilt(home: Path) -> None:
    """A sound file whose data no longer fits the records (a field added without the cache key changing)."""
    fresh = load_catalog(FIXTURE_BANK, use_cache=False)
    load_catalog(FIXTURE_BANK)
    cache, key = _cache(home), _key(FIXTURE_BANK)
    odd = catalog_mod.Catalog({**fresh._data, "question_files": [{"topic": "x", "questions": [{"id": "q"}]}]})
    cache.write_bytes(catalog_mod._encode(key, odd))
    assert load_catalog(FIXTURE_BANK).questions == fresh.questions


def test_a_cache_folder_that_refuses_writes_still_loads(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only cache folder (tests run as root, who may write anywhere, so the refusal is simulated)."""

    def refused(self: Path, *_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refused)
    monkeypatch.setattr(Path, "write_bytes", refused)
    assert load_catalog(FIXTURE_BANK) == load_catalog(FIXTURE_BANK, use_cache=False)
    assert not (home / "cache").exists()


def test_concurrent_writers_leave_one_sound_cache(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writer A is half-way through its file when writer B (another process) writes and renames its own; then
    A finishes. Their bytes differ (marshal's output depends on the writer's objects, and B may be another build).
    Each writes a temp file of its own, so whichever rename lands last, the cache is whole."""
    catalog = load_catalog(FIXTURE_BANK, use_cache=False)
    plain = catalog._plain("topics")
    other = catalog_mod.Catalog({**catalog._data, "topics": [{**plain[0], "title": "B's build"}, *plain[1:]]})
    key = _key(FIXTURE_BANK)
    cache = home / "cache" / f"catalog-{catalog_mod._root_key(FIXTURE_BANK)}-{catalog_mod._short(key)}.bin"
    real_write = Path.write_bytes
    pids = iter([1111, 2222])
    state = {"nested": False}

    def interleaved(self: Path, data: bytes) -> int:
        if state["nested"]:
            return real_write(self, data)
        state["nested"] = True
        with self.open("wb") as f:  # A: the first half, then B runs from start to end, then A's second half
            f.write(data[: len(data) // 2])
            f.flush()
            catalog_mod._write_cache(cache, key, other)
            f.write(data[len(data) // 2 :])
        return len(data)

    with monkeypatch.context() as patch:
        patch.setattr(os, "getpid", lambda: next(pids))
        patch.setattr(Path, "write_bytes", interleaved)
        catalog_mod._write_cache(cache, key, catalog)
    monkeypatch.setattr(catalog_mod, "_build", _no_build)
    assert load_catalog(FIXTURE_BANK) == catalog  # a hit: A renamed last, and its whole file is the cache
    assert [p.name for p in cache.parent.iterdir()] == [cache.name]  # no temp file left behind


def test_processes_starting_together_agree(home: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from awsprep.content.catalog import load_catalog; "
        "c = load_catalog(Path(sys.argv[1])); print(len(c.questions), c.blueprint.code)"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(FIXTURE_BANK)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(4)
    ]
    outs = {p.communicate(timeout=120)[0] for p in procs}
    assert len(outs) == 1 and all(p.returncode == 0 for p in procs)
    names = [p.name for p in (home / "cache").iterdir()]
    assert len(names) == 1 and names[0].endswith(".bin")


def test_a_warm_exam_path_imports_no_pydantic(home: Path) -> None:
    load_catalog()
    code = (
        "import sys\nfrom awsprep.content.catalog import load_catalog\nimport awsprep.study.exam_session\n"
        "c = load_catalog()\nc.questions, c.topics, c.blueprint, c.lessons, c.decks, c.labs_of('ec2.elastic-ip')\n"
        "print([m for m in ('pydantic', 'yaml') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr


PAIRS = [
    (records.Topic, schema.Topic),
    (records.Statement, schema.Statement),
    (records.TaskStatement, schema.TaskStatement),
    (records.Domain, schema.Domain),
    (records.ServiceGroup, schema.ServiceGroup),
    (records.Blueprint, schema.Blueprint),
    (records.Reference, schema.Reference),
    (records.LessonSection, schema.LessonSection),
    (records.KeyFact, schema.KeyFact),
    (records.Correction, schema.Correction),
    (records.Lesson, schema.Lesson),
    (records.Option, schema.Option),
    (records.Question, schema.Question),
    (records.QuestionFile, schema.QuestionFile),
    (records.BasicNote, schema.BasicNote),
    (records.ClozeNote, schema.ClozeNote),
    (records.Deck, schema.Deck),
    (records.LabQuestionFile, schema_labs.LabQuestionFile),
]


@pytest.mark.parametrize(("record", "model"), PAIRS, ids=[r.__name__ for r, _ in PAIRS])
def test_each_record_has_its_models_fields_in_order(record: type, model: type[schema.Strict]) -> None:
    assert [f.name for f in dataclasses.fields(record)] == list(model.model_fields)


def test_a_question_fingerprint_is_the_same_from_record_or_model() -> None:
    """A saved exam stores each question's hash; resuming must not see every question as edited."""
    from awsprep.content.build import _build

    models, _ = _build(ROOT, catalog_mod.content_files(ROOT))
    plain = catalog_mod.Catalog.of_models(models)
    pairs = list(zip((q for _, q in models.questions), (q for _, q in plain.questions), strict=True))
    assert pairs and all(m.model_dump_json() == r.to_json() for m, r in pairs)
