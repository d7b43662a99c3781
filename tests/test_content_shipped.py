"""The shipped content validates, covers the topic map, and is cached so a warm start never re-parses YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsprep.content.catalog import content_files, load_catalog
from awsprep.paths import content_root

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "exam_bank"


def authored_topic_ids() -> list[str]:
    """The topic ids as written in content/topics.yaml, read without the catalog (so a catalog bug cannot hide)."""
    import yaml

    doc = yaml.safe_load((Path(__file__).resolve().parent.parent / "content" / "topics.yaml").read_text())
    return [t["id"] for t in doc["topics"]]


# The notes' topic map, copied: these ids are a contract (learners' progress refers to them).
TOPIC_MAP_IDS = [
    "cloud.benefits",
    "iam.root-user",
    "iam.users-groups",
    "iam.authn-authz",
    "global.regions-azs",
    "ec2.overview",
    "ec2.launch",
    "ec2.instance-types",
    "ec2.web-server",
    "ec2.imds",
    "ec2.security-groups",
    "ec2.ip-addressing",
    "ec2.elastic-ip",
    "ec2.user-data",
    "ec2.launch-templates",
    "ec2.custom-ami",
    "ec2.key-pairs-ssh",
    "ec2.windows-rdp",
    "ec2.scenarios",
    "vpc.default-vpc",
    "billing.access",
    "billing.alarms-budgets",
    "elb.overview",
    "net.osi-layers",
    "elb.types",
    "elb.listeners-rules",
    "elb.target-groups",
    "elb.microservices",
    "elb.nlb",
    "asg.overview",
    "asg.scaling-policies",
    "asg.cloudwatch-alarms",
    "asg.operations",
    "serverless.concepts",
    "lambda.basics",
    "lambda.configuration",
    "lambda.versions-aliases",
    "lambda.concurrency",
    "lambda.execution-environment",
    "lambda.invocation-sync",
    "lambda.invocation-async",
    "lambda.edge",
    "lambda.layers",
    "lambda.best-practices",
]


def test_shipped_content_validates_without_cache() -> None:
    catalog = load_catalog(use_cache=False)
    # the notes' topics, in the topic map's order; blueprint topics come after them
    assert [t.id for t in catalog.topics if t.source.value == "notes"] == TOPIC_MAP_IDS
    assert [t.id for t in catalog.topics][: len(TOPIC_MAP_IDS)] == TOPIC_MAP_IDS
    assert catalog.blueprint.questions == 65 and catalog.blueprint.minutes == 130


def test_validate_command_exits_0(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate")
    assert result.exit_code == 0, result.stderr
    topics = len(authored_topic_ids())
    assert result.stderr.startswith(f"content valid: {topics} topics")


def test_topics_json_lists_every_topic_with_its_coverage(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("topics", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == authored_topic_ids()
    assert [r["id"] for r in rows][: len(TOPIC_MAP_IDS)] == TOPIC_MAP_IDS
    for row in rows:
        assert {"id", "title", "area", "lesson", "questions", "cards", "labs"} <= set(row)
    catalog = load_catalog()
    eip = next(r for r in rows if r["id"] == "ec2.elastic-ip")
    assert eip["lesson"] is True
    assert eip["questions"] == sum(1 for t, _ in catalog.questions if t == "ec2.elastic-ip") >= 5


def test_topics_table_is_readable(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("topics")
    assert result.exit_code == 0
    assert "ec2.elastic-ip" in result.stdout and "lesson" in result.stdout


def test_content_export_is_the_whole_catalog(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("content", "export", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    catalog = load_catalog()
    assert len(data["topics"]) == len(authored_topic_ids())
    assert sum(len(f["questions"]) for f in data["question_files"]) == len(catalog.questions)
    assert data["blueprint"]["passing_score"] == 720


def test_warm_load_reads_the_cache_not_the_yaml(
    home: Path, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = load_catalog(content_copy)
    caches = list((home / "cache").glob("catalog-*.bin"))
    assert len(caches) == 1

    def no_yaml(*_: object, **__: object) -> None:
        raise AssertionError("YAML was parsed on a warm start")

    monkeypatch.setattr("awsprep.content.catalog._build", no_yaml)
    assert load_catalog(content_copy) == cold


def test_cache_is_invalidated_when_a_file_changes(content_copy: Path, home: Path) -> None:
    root = content_copy
    first = load_catalog(root)
    topics = root / "content" / "topics.yaml"
    topics.write_text(topics.read_text().replace("Why cloud, why AWS", "Why the cloud"))
    second = load_catalog(root)
    assert first.topics[0].title != second.topics[0].title == "Why the cloud"
    assert len(list((home / "cache").glob("catalog-*.bin"))) == 1  # the stale one is removed


def test_a_corrupt_cache_is_rebuilt(home: Path) -> None:
    load_catalog()
    cache = next((home / "cache").glob("catalog-*.bin"))
    cache.write_bytes(b"not a catalog")
    assert len(load_catalog().topics) == len(authored_topic_ids())


def test_every_content_file_is_found() -> None:
    files = content_files(content_root())
    assert any(f.name == "topics.yaml" for f in files)
    assert any(f.parent.name == "exam" for f in files)


def test_a_rebuilt_cache_removes_only_its_own_stale_caches(content_copy: Path, home: Path) -> None:
    cache = home / "cache"
    load_catalog(content_copy)
    load_catalog(FIXTURE_BANK)  # another content root shares the cache folder
    other_root = {p.name for p in cache.glob("catalog-*.bin")}
    assert len(other_root) == 2
    foreign = [cache / "catalog-1234abcd-0000.bin", cache / "catalog-notes.bin", cache / "catalog-keep.txt"]
    for path in foreign:
        path.write_text("not ours")
    topics = content_copy / "content" / "topics.yaml"
    topics.write_text(topics.read_text().replace("Why cloud, why AWS", "Why the cloud"))
    load_catalog(content_copy)  # a new cache for the changed content; its own old one goes
    left = {p.name for p in cache.iterdir()}
    assert all(path.name in left for path in foreign)
    assert len(left & other_root) == 1  # the fixture root's cache stays; the copy's stale one is gone
    assert not [name for name in left if name.endswith(".tmp")]


def test_a_cache_that_cannot_be_written_leaves_no_temp_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from awsprep.content import catalog as catalog_module

    def full_disk(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full_disk)
    assert len(catalog_module.load_catalog().topics) == len(authored_topic_ids())  # the catalog still loads
    assert not list((home / "cache").glob("*.tmp"))
