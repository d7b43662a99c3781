"""Lab files: a malformed one fails validation with path:line:col; each lab is linked from its topics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsprep.content.catalog import load_catalog, validate_paths
from awsprep.content.schema_labs import checkpoint_id

BROKEN = Path(__file__).parent / "fixtures" / "labs-broken" / "labs"

EXPECTED = {
    "bad-check-kind.yaml": "16:9: steps[0].check[0]: Input tag 'sate' found using 'kind' does not match",
    "bad-regex.yaml": "16:33: steps[0].check[0].matches: not a valid regular expression",
    "no-check.yaml": "8:5: steps[0].check: Field required",
    "not-captured.yaml": "16:46: steps[0].check[0].id: step launch: {alloc_id} is not captured before it is used",
    "port-as-text.yaml": "16:44: steps[0].check[0].port: expected a whole number, got '80' (remove the quotes)",
    "two-operators.yaml": "16:9: steps[0].check[0]: use at most one of equals, not_equals, contains, empty",
    "unknown-resource.yaml": "16:33: steps[0].check[0].resource: unknown kind 'instanse'; the simulator has: ",
}


@pytest.fixture(autouse=True, scope="module")
def lab_kinds() -> None:
    """Lab check kinds come from the simulator's registry (as `awsprep validate` installs them)."""
    from awsprep.labs import kinds

    kinds.install()


def test_lab_kinds_are_the_services_registered_ones() -> None:
    from awsprep.content.lab_kinds import LabKinds, known, set_known
    from awsprep.labs import kinds

    found = kinds.install()
    assert {"instance", "security_group"} <= found.resources and {"instance", "ebs", "public-ipv4"} <= found.usages
    path = BROKEN / "unknown-resource.yaml"
    assert validate_paths([path])[1]  # 'instanse' is no kind
    try:  # a service that registers the kind makes the same lab valid, with no change to content or the runner
        set_known(LabKinds(found.resources | {"instanse"}, found.usages))
        assert validate_paths([path])[1] == []
    finally:
        set_known(found)
    assert known() == found


def test_every_broken_lab_fixture_is_listed() -> None:
    assert {p.name for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malformed_lab_points_at_the_mistake(name: str) -> None:
    path = BROKEN / name
    count, located = validate_paths([path])
    problems = [str(p) for p in located]
    assert count == 1
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:"), problems
    assert EXPECTED[name] in problems[0], problems


def test_validate_command_reports_path_line_col(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", str(BROKEN / "port-as-text.yaml"))
    assert result.exit_code == 1
    assert f"{BROKEN / 'port-as-text.yaml'}:16:44:" in result.stderr
    assert "Traceback" not in result.stderr


def test_each_lab_is_linked_from_its_topics(cli) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog()
    rows = {r["id"]: r for r in json.loads(cli("topics", "--json").stdout)}
    for lab in catalog.labs:
        for topic in lab.topics:
            assert lab.id in rows[topic]["labs"], (lab.id, topic)
    for lab in catalog.labs:
        page = cli("study", lab.topics[0], "--plain")
        assert page.exit_code == 0
        assert f"awsprep lab {lab.id}" in page.stdout


def test_lab_text_uses_only_known_checkpoints_and_references() -> None:
    catalog = load_catalog()
    lesson_urls = {r.url for lesson in catalog.lessons for r in lesson.references}
    lesson_urls |= {k.source for lesson in catalog.lessons for k in lesson.key_facts}
    for lab in catalog.labs:
        for ref in lab.references:
            assert ref.url in lesson_urls, f"{lab.id}: {ref.url} is not cited by any lesson"
        for step in lab.steps:
            for entry in step.checkpoint:
                assert catalog.checkpoint(checkpoint_id(entry)) is not None, (lab.id, step.id, entry)
        assert lab.exam_tips and lab.summary


def test_unknown_lab_suggests_and_list_needs_no_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("lab", "ec2-elastc-ip")
    assert result.exit_code == 2
    assert "did you mean ec2-elastic-ip" in result.stderr
    listing = cli("lab", "list")
    assert listing.exit_code == 0 and "not started" in listing.stdout
