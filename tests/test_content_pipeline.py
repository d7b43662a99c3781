"""The content pipeline on a learner's own files: kind from the file itself, capped error lists, messages that say
what was expected, lab reference errors at the step that makes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import validate_paths
from awsprep.content.validate import MAX_PER_FILE

ROOT = Path(__file__).resolve().parent.parent
LAB = ROOT / "content" / "labs" / "ec2-elastic-ip.yaml"
DECK = """topic: ec2.launch
notes:
  - id: n1
    type: basic
    front: What does a launch need?
    back: An AMI
    source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/LaunchingAndUsingInstances.html
"""


def _problems(*paths: Path) -> list[str]:
    return [str(p) for p in validate_paths(list(paths))[1]]


def test_a_deck_outside_the_tree_is_checked_as_a_deck(tmp_path: Path) -> None:
    deck = tmp_path / "ec2.launch.yaml"  # no decks/ folder around it
    deck.write_text(DECK)
    assert _problems(deck) == []
    deck.write_text(DECK.replace("back:", "bak:"))
    assert _problems(deck) == [
        f"{deck}:3:5: notes[0].back: Field required",
        f"{deck}:6:5: notes[0].bak: unknown key (check its spelling or remove it)",
    ]


def test_the_folder_name_does_not_decide_the_kind(tmp_path: Path) -> None:
    wrong_folder = tmp_path / "lessons" / "ec2.launch.yaml"  # a deck in a folder named for lessons
    wrong_folder.parent.mkdir()
    wrong_folder.write_text(DECK)
    assert _problems(wrong_folder) == []


def test_a_kind_key_says_what_the_file_is(tmp_path: Path) -> None:
    declared = tmp_path / "ec2.launch.yaml"
    declared.write_text("kind: deck\n" + DECK)
    assert _problems(declared) == []
    declared.write_text("kind: lesson\n" + DECK)  # checked as what it claims to be
    problems = _problems(declared)
    assert f"{declared}:3:1: notes: unknown key (check its spelling or remove it)" in problems, problems
    assert any(": summary: Field required" in p for p in problems)


def test_an_unknown_kind_value_is_located(tmp_path: Path) -> None:
    declared = tmp_path / "x.yaml"
    declared.write_text(DECK + "kind: flashcards\n")
    assert _problems(declared) == [
        f"{declared}:8:7: kind: expected one of topics, blueprint, lesson, questions, deck, lab, lab-questions, "
        "got 'flashcards'"
    ]


def test_a_file_of_no_known_shape_asks_for_a_kind(tmp_path: Path) -> None:
    vague = tmp_path / "decks" / "ec2.launch.yaml"
    vague.parent.mkdir()
    vague.write_text("topic: ec2.launch\nnotez: []\n")
    (problem,) = _problems(vague)
    assert problem.startswith(f"{vague}:1:1: cannot tell what this file holds (top-level keys: notez, topic)")
    assert "add `kind: `" in problem


def test_shipped_files_copied_elsewhere_keep_their_kind(tmp_path: Path) -> None:
    for source in [LAB, ROOT / "content" / "exam" / "dva-c02.yaml", ROOT / "content" / "topics.yaml"]:
        copy = tmp_path / source.name
        copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        assert _problems(copy) == [], source


def test_thousands_of_unknown_keys_give_a_capped_list(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    flood = tmp_path / "ec2.launch.yaml"
    flood.write_text(DECK + "".join(f"k{i}: 1\n" for i in range(25_000)))
    problems = _problems(flood)
    assert len(problems) == MAX_PER_FILE + 1
    assert problems[0] == f"{flood}:8:1: k0: unknown key (check its spelling or remove it)"
    assert problems[MAX_PER_FILE - 1] == f"{flood}:17:1: k9: unknown key (check its spelling or remove it)"
    assert problems[-1] == f"{flood}:18:1: … and 24,990 more problems in this file"
    result = cli("validate", str(flood))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == MAX_PER_FILE + 2
    assert result.stderr.splitlines()[-1] == "awsprep: error: 25,000 content problems found"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    difficulty: abc", "difficulty: expected a whole number, got 'abc'"),
        ('    difficulty: "2"', "difficulty: expected a whole number, got '2' (remove the quotes)"),
        ("    difficulty: 0", "difficulty: expected at least 1, got 0"),
        ("    type: singel", "type: expected 'single' or 'multiple', got 'singel'"),
        ("    stem: yes", "stem: expected text, got true (YAML reads yes/no/on/off as true/false: quote the text)"),
        ('    as_of: "2026-11-29"', "as_of: expected a date (YYYY-MM-DD), got '2026-11-29' (write the date unquoted)"),
        ("    options: lots", "options: expected a list, got 'lots'"),
    ],
)
def test_strict_type_messages_say_what_was_expected(tmp_path: Path, line: str, expected: str) -> None:
    source = ROOT / "content" / "questions" / "ec2.launch.yaml"
    lines = source.read_text(encoding="utf-8").splitlines()
    key = line.split(":", maxsplit=1)[0]
    at = next(i for i, text in enumerate(lines) if text.startswith(key + ":"))
    end = next((i for i in range(at + 1, len(lines)) if not lines[i].startswith("      ")), at + 1)
    edited = tmp_path / "ec2.launch.yaml"
    edited.write_text("\n".join([*lines[:at], line, *lines[end:]]) + "\n", encoding="utf-8")
    (problem,) = _problems(edited)
    assert problem == f"{edited}:{at + 1}:{line.index(':') + 3}: questions[0].{expected}"


def _lab_with(tmp_path: Path, old: str, new: str) -> tuple[Path, list[str], int]:
    text = LAB.read_text(encoding="utf-8")
    assert old in text
    edited = tmp_path / LAB.name
    edited.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    return edited, _problems(edited), line


def test_a_placeholder_used_before_its_capture_points_at_the_check(tmp_path: Path) -> None:
    check = "      - {kind: state, resource: instance, id: '{nope}', field: state, equals: running}\n"
    lab, problems, line = _lab_with(tmp_path, "    check:\n", "    check:\n" + check)
    col = check.index("'{nope}'") + 1
    assert problems == [
        f"{lab}:{line + 1}:{col}: steps[0].check[0].id: step launch: {{nope}} is not captured before it is used"
    ]


def test_a_repeated_step_id_points_at_the_second_step(tmp_path: Path) -> None:
    text = LAB.read_text(encoding="utf-8")
    second = text.split("  - id: ")[2].split("\n")[0]
    lab, problems, line = _lab_with(tmp_path, f"  - id: {second}\n", "  - id: launch\n")
    assert problems == [
        f"{lab}:{line}:9: steps[1].id: step id 'launch' is used twice; step ids are unique within a lab"
    ]


def test_an_unlisted_checkpoint_points_at_its_entry(tmp_path: Path) -> None:
    lab, problems, line = _lab_with(
        tmp_path, "    explanation: |\n", "    checkpoint: [no-such-question]\n    explanation: |\n"
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{lab}:{line}:18: steps[0].checkpoint[0]: step launch: checkpoint 'no-such-question'"
    )


def test_validate_strict_on_a_lesson_file_runs_the_lesson_rules_at_the_field(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    source = ROOT / "content" / "lessons" / "ec2.launch.yaml"
    text = source.read_text(encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("reading_minutes:"))
    lesson = tmp_path / "draft.yaml"  # not named for its topic, not in a lessons/ folder
    lesson.write_text(
        "\n".join("reading_minutes: 40" if t.startswith("reading_minutes:") else t for t in text.splitlines()) + "\n",
        encoding="utf-8",
    )
    result = cli("validate", "--strict", str(lesson))
    assert result.exit_code == 1
    assert f"{lesson}:{line}:18: ec2.launch: reading time 40 min is over 15; split the topic" in result.stderr
    assert "topic ec2.launch has no lesson" not in result.stderr  # a rule about the whole tree
    assert cli("validate", str(lesson)).stderr.count("reading time") == 0  # without --strict, no lint


def test_validate_strict_on_the_tree_counts_string_findings(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--strict")
    assert "internal error" not in result.stderr
    assert result.exit_code in (0, 1)
    if result.exit_code:
        findings = [line for line in result.stderr.splitlines() if line.startswith("content/")]
        assert result.stderr.splitlines()[-1] == f"awsprep: error: {len(findings):,} content problems found"
        assert all(line.split(":")[1].isdigit() or ": bank: " in line for line in findings), findings[:3]
