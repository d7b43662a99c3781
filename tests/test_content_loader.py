"""The safe loader and validator: every broken fixture gets its path:line:col message, and nothing else leaks."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsprep.content.catalog import validate_paths
from awsprep.content.yamlsafe import MAX_BYTES, YamlProblem, parse_file, parse_text

BROKEN = Path(__file__).parent / "fixtures" / "broken"

# file (relative to the broken folder) -> every message it must produce, as `line:col: field: message`
EXPECTED = {
    "decks/ec2.custom-ami.yaml": ["5:12: YAML tags such as !!python/... are not allowed"],
    "decks/ec2.imds.yaml": ["7:1: while scanning a quoted scalar found unexpected end of stream"],
    "decks/ec2.instance-types.yaml": ["5:15: file is not valid UTF-8"],
    "decks/ec2.key-pairs-ssh.yaml": ["1:1: the file must hold a mapping of keys at the top level"],
    "decks/ec2.launch.yaml": ["8:9: notes[1].id: duplicate id 'broken-dup'"],
    "decks/ec2.overview.yaml": [
        "3:5: notes[0].source: Field required",
        "7:5: notes[0].sauce: unknown key (check its spelling or remove it)",
    ],
    "decks/ec2.scenarios.yaml": ["3:5: notes[0]: a cloze note needs at least one {{c1::...}} deletion"],
    "decks/ec2.security-groups.yaml": ["nested deeper than 40 levels"],
    "decks/ec2.user-data.yaml": ["anchors and aliases (&, *) are not allowed in content files"],
    "decks/ec2.web-server.yaml": ["1:8: topic: file holds topic 'ec2.launch'; name it ec2.launch.yaml"],
    "decks/ec2.windows-rdp.yaml": ["1:1: file is empty"],
    "labs/lab-no-steps.yaml": ["7:8: steps: List should have at least 1 item"],
    "lessons/ec2.launch-templates.yaml": [
        "3:8: as_of: expected a date (YYYY-MM-DD), got '2026-11-29' (write the date unquoted)",
        "11:12: key_facts[0].value: expected text, got 750 (quote it to keep it as text)",
        "12:13: key_facts[0].source: must be an https:// URL",
    ],
    "questions/ec2.elastic-ip.yaml": [
        "3:5: questions[0]: a single-response question needs exactly one correct option (has 2)"
    ],
    "questions/ec2.ip-addressing.yaml": [
        "3:5: questions[0]: a multiple-response question needs at least two correct options (has 1)"
    ],
    "questions/no.such-topic.yaml": ["1:8: topic: unknown topic id 'no.such-topic'"],
}


def test_every_broken_fixture_is_listed() -> None:
    on_disk = {str(p.relative_to(BROKEN)) for p in BROKEN.rglob("*.yaml")}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_message(name: str) -> None:
    path = BROKEN / name
    count, located = validate_paths([path])
    problems = [str(p) for p in located]
    assert count == 1
    for expected in EXPECTED[name]:
        assert any(p.startswith(f"{path}:") and expected in p for p in problems), (expected, problems)
    assert len(problems) == len(EXPECTED[name]), problems


def test_all_problems_of_a_folder_are_listed_at_once() -> None:
    count, problems = validate_paths([BROKEN])
    assert count == len(EXPECTED)
    assert len(problems) == sum(len(v) for v in EXPECTED.values())


def test_validate_command_lists_every_problem_and_exits_1(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", str(BROKEN))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sum(1 for line in lines if line.startswith(str(BROKEN))) == sum(len(v) for v in EXPECTED.values())
    assert "Traceback" not in result.stderr
    assert lines[-1] == f"awsprep: error: {sum(len(v) for v in EXPECTED.values())} content problems found"


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "decks" / "ec2.launch.yaml"
    big.parent.mkdir()
    big.write_text("topic: ec2.launch\n# " + "x" * MAX_BYTES + "\n")
    with pytest.raises(YamlProblem, match="larger than 256 KiB"):
        parse_file(big)


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(YamlProblem, match="anchors and aliases"):
        parse_text(bomb, "bomb.yaml")


def test_yaml_11_booleans_are_caught_by_strict_types(tmp_path: Path) -> None:
    deck = tmp_path / "decks" / "ec2.launch.yaml"
    deck.parent.mkdir()
    deck.write_text(
        "topic: ec2.launch\nnotes:\n  - id: n1\n    type: basic\n    front: Is it on?\n    back: yes\n"
        "    source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/concepts.html\n"
    )
    _, problems = validate_paths([deck])
    assert [str(p) for p in problems] == [
        f"{deck}:6:11: notes[0].back: expected text, got true (YAML reads yes/no/on/off as true/false: quote the text)"
    ]


def test_missing_path_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "/no/such/place")
    assert result.exit_code == 2
    assert result.stderr.strip() == "awsprep: error: no such file or folder: /no/such/place"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_either_parses_or_raises_a_located_problem(text: str) -> None:
    try:
        parse_text(text, "fuzz.yaml")
    except YamlProblem as exc:
        assert exc.problem.path == "fuzz.yaml"
        assert exc.problem.line >= 1 and exc.problem.col >= 1


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: &x [1]\nb: [2,*x]\n",
        "a: &x 1\nb: {k: *x}\n",
        "a: &x 1\nb:\n  - *x\n",
        "a: &x 1\n? *x\n: 2\n",
    ],
)
def test_every_alias_style_is_refused(text: str) -> None:
    with pytest.raises(YamlProblem, match="anchors and aliases"):
        parse_text(text, "alias.yaml")


def test_markdown_emphasis_is_not_mistaken_for_an_alias() -> None:
    parsed = parse_text("body: |\n  Use *italic* and **bold** text.\n", "md.yaml")
    assert parsed.data == {"body": "Use *italic* and **bold** text.\n"}


def test_prose_cut_short_by_a_comment_is_refused() -> None:
    text = "topic: ec2.user-data\nnotes:\n  - front: Install the server with yum install -y httpd # as root\n"
    with pytest.raises(YamlProblem, match="would be lost; quote the whole value") as info:
        parse_text(text, "cut.yaml")
    assert (info.value.problem.line, info.value.problem.col) == (3, 12)


def test_a_short_value_may_carry_a_comment() -> None:
    assert parse_text("type: single  # one correct option\n", "ok.yaml").data == {"type": "single"}


def test_a_shebang_after_a_space_is_refused() -> None:
    with pytest.raises(YamlProblem, match="would be lost"):
        parse_text("text: Start with #!/bin/bash\n", "shebang.yaml")


def test_an_impossible_date_is_a_located_problem() -> None:
    with pytest.raises(YamlProblem, match="invalid timestamp") as info:
        parse_text("topic: x\nas_of: 2026-13-45\n", "date.yaml")
    assert (info.value.problem.line, info.value.problem.col) == (2, 8)


def test_the_fast_builder_gives_exactly_what_safe_load_gives() -> None:
    import yaml

    from awsprep.content.catalog import content_files
    from awsprep.paths import content_root

    files = content_files(content_root())
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert parse_text(text, str(path)).data == yaml.load(text, Loader=yaml.CSafeLoader), path


def test_a_duplicate_key_is_refused_at_the_second_key(tmp_path: Path) -> None:
    # the second `correct:` would silently win and turn a distractor into the answer key
    text = "topic: x\noptions:\n  - text: A\n    correct: false\n    explanation: e\n    correct: true\n"
    with pytest.raises(YamlProblem, match=r"duplicate key 'correct' \(first at line 4\)") as info:
        parse_text(text, "dup.yaml")
    assert (info.value.problem.line, info.value.problem.col) == (6, 5)


def test_a_duplicate_top_level_key_is_reported_by_validate(tmp_path: Path) -> None:
    deck = tmp_path / "decks" / "ec2.launch.yaml"
    deck.parent.mkdir()
    deck.write_text("topic: ec2.launch\ntopic: ec2.launch\nnotes: []\n")
    _, problems = validate_paths([deck])
    assert [str(p) for p in problems] == [f"{deck}:2:1: duplicate key 'topic' (first at line 1)"]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"topic: x\n\xffnotes: y\n", (2, 1)),  # bad byte at the start of line 2
        (b"a: \xc3\xa9\xc3\xa9\nb: caf\xe9\n", (2, 7)),  # Latin-1 after UTF-8: the column counts characters
        (b"a: b\n\xc3", (2, 1)),  # a truncated sequence at the very end
    ],
)
def test_invalid_utf8_is_reported_at_its_line_and_column(tmp_path: Path, raw: bytes, where: tuple[int, int]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(raw)
    with pytest.raises(YamlProblem, match="not valid UTF-8") as info:
        parse_file(path)
    assert (info.value.problem.line, info.value.problem.col) == where


@pytest.mark.parametrize(
    ("text", "where", "char"),
    [
        ("a: b\n\x00c: d\n", (2, 1), "U+0000"),
        ("a: \u00e9\u00e9\u00e9\nb: x\x00\n", (2, 5), "U+0000"),  # libyaml counts bytes; the column is in characters
        ("a: ok\nb: |\n  text\n  more \x1b[2J here\n", (4, 8), "U+001B"),
    ],
)
def test_a_forbidden_character_is_reported_where_it_is(text: str, where: tuple[int, int], char: str) -> None:
    with pytest.raises(YamlProblem, match=re.escape(f"character {char} is not allowed")) as info:
        parse_text(text, "nul.yaml")
    assert (info.value.problem.line, info.value.problem.col) == where


class _CountingPath(type(Path())):  # type: ignore[misc]
    """A path whose every opened file counts the bytes read from it."""

    read_sizes: ClassVar[list[int]] = []

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = super().open(*args, **kwargs)
        read = handle.read

        def counted(*a):  # type: ignore[no-untyped-def]
            data = read(*a)
            _CountingPath.read_sizes.append(len(data))
            return data

        handle.read = counted
        return handle


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # 50 MB, sparse: costs no disk
        handle.truncate(50 * 1024 * 1024)
    _CountingPath.read_sizes = []
    with pytest.raises(YamlProblem, match="larger than 256 KiB"):
        parse_file(_CountingPath(huge))
    assert sum(_CountingPath.read_sizes) <= MAX_BYTES + 1


def test_a_file_that_grows_past_the_limit_is_read_only_one_byte_over(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    grown = tmp_path / "grown.yaml"
    grown.write_bytes(b"a: " + b"x" * (2 * MAX_BYTES) + b"\n")
    real_stat = Path.stat

    def stat(self: Path, **kw: bool) -> os.stat_result:  # the file grows after its size was checked
        return os.stat_result((0,) * 10) if self == grown else real_stat(self, **kw)

    monkeypatch.setattr(Path, "stat", stat)
    _CountingPath.read_sizes = []
    with pytest.raises(YamlProblem, match="larger than 256 KiB"):
        parse_file(_CountingPath(grown))
    assert sum(_CountingPath.read_sizes) == MAX_BYTES + 1


def test_a_url_written_as_a_block_scalar_is_refused(tmp_path: Path) -> None:
    deck = tmp_path / "decks" / "ec2.launch.yaml"
    deck.parent.mkdir()
    deck.write_text(
        "topic: ec2.launch\nnotes:\n  - id: n1\n    type: basic\n    front: Port of SSH?\n    back: TCP 22\n"
        "    source: |\n      https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/concepts.html\n"
    )
    _, problems = validate_paths([deck])
    assert [str(p) for p in problems] == [
        f"{deck}:7:13: notes[0].source: must be one URL, with no spaces or line breaks"
    ]
