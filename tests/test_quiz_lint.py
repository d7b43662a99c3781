"""The question-bank lint: each rule on a small bad fixture, the bank-wide rules, and the shipped bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import load_sources
from awsprep.content.lint import Sources
from awsprep.content.lint_questions import check_questions, lint_questions
from conftest import shown, write_bank

FIXTURE = Path(__file__).parent / "fixtures" / "exam_bank"
AT = shown(FIXTURE) + "/"  # findings name files as the learner can open them from the working folder
BAD = f"{AT}content/questions/demo.bad.yaml"


@pytest.fixture(scope="module")
def bank() -> Sources:
    return load_sources(FIXTURE)


@pytest.fixture(scope="module")
def lines(bank: Sources) -> list[str]:
    return lint_questions(bank)


@pytest.mark.parametrize(
    "expected",
    [
        f"{BAD}:24:7: bad-refs: warning: no reference on https://docs.aws.amazon.com/",
        f"{BAD}:37:22: bad-explanation: option B has no explanation that says why",
        f"{BAD}:58:9: bad-untagged: option B is a distractor without a misconception tag",
        f'{BAD}:118:11: bad-choose-count: the stem says "(Choose three.)" but 2 options are correct',
        f'{BAD}:143:11: bad-no-choose: the stem does not say "(Choose two.)"',
        f"{BAD}:170:7: bad-single-five: a single-response question has exactly 4 options (has 5)",
        f"{BAD}:195:7: bad-multiple-four: a multiple-response question has 5-6 options with 2-3 correct (has 4, 2)",
        f"{BAD}:226:15: bad-all-above: option D is an 'all/none of the above' option",
        f"{AT}content/questions/demo.good.yaml:9:11: demo-good-q01: stem is a duplicate of bad-duplicate "
        f"({AT}content/questions/demo.bad.yaml:74:11)",
        f"{AT}content/questions/demo.good.yaml:31:11: demo-good-q02: stem is a near-duplicate (ratio 0.94) of "
        "bad-near-duplicate",
        f"{AT}content/topics.yaml:17:9: demo.empty: 0 questions, under the minimum of 6",
        f"{AT}content/questions/: bank: 16 questions, under the minimum of 300",
        f"{AT}content/questions/: single-response: correct options in authored position A 100 % (expected 25 %)",
    ],
)
def test_each_rule_reports_path_item_and_message(lines: list[str], expected: str) -> None:
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


def test_clean_questions_raise_nothing_of_their_own(lines: list[str]) -> None:
    own = [line for line in lines if line.startswith(f"{AT}content/questions/demo.good.yaml")]
    assert all("duplicate" in line for line in own)  # only the pairs the bad file copied


def test_warnings_can_be_left_out(bank: Sources) -> None:
    errors = lint_questions(bank, warnings=False)
    assert not [line for line in errors if "warning:" in line]
    assert len(errors) == len(lint_questions(bank)) - 1


def test_thresholds_are_parameters(bank: Sources) -> None:
    lines = lint_questions(bank, min_bank=10, min_per_topic=0)
    assert not [line for line in lines if "under the minimum" in line]


def _with_questions(tmp_path: Path, bank: Sources, questions: list[tuple[str, object]]) -> Sources:
    by_topic: dict[str, list[object]] = {}
    for topic, q in questions:
        by_topic.setdefault(topic, []).append(q)
    return load_sources(write_bank(tmp_path / "bank", by_topic))  # real files: every finding has a real place


def test_a_balanced_bank_has_no_position_or_share_findings(tmp_path: Path, bank: Sources) -> None:
    good = [(t, q) for t, q in bank.catalog.questions if t == "demo.good"]
    rotated = []
    for n, (topic, q) in enumerate(good * 2):  # 12 single-response items, correct answer at A, B, C, D in turn
        k = n % 4
        options = q.options[-k:] + q.options[:-k] if k else q.options
        rotated.append((topic, q.model_copy(update={"id": f"{q.id}-{n}", "options": options})))
    balanced = _with_questions(tmp_path, bank, rotated)
    found = [f for f in check_questions(balanced, min_bank=0, min_per_topic=0) if f.path.endswith("content/questions/")]
    assert [f.item for f in found] == ["bank"]  # no multiple-response items at all: the share rule speaks
    assert "0 of 12 questions (0 %) are multiple-response" in found[0].message


def test_the_multiple_response_share_rule(tmp_path: Path, bank: Sources) -> None:
    singles = [(t, q) for t, q in bank.catalog.questions if t == "demo.good"][:3]
    multi = [(t, q) for t, q in bank.catalog.questions if q.id == "bad-choose-count"]
    sources = _with_questions(tmp_path, bank, singles + multi)  # 1 of 4 = 25 %
    assert not [f for f in check_questions(sources, min_bank=0, min_per_topic=0) if "multiple-response;" in f.message]


def test_given_files_get_the_per_item_rules_at_their_own_paths(cli) -> None:  # type: ignore[no-untyped-def]
    bad = FIXTURE / "content/questions/demo.bad.yaml"
    result = cli("validate", "--strict", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{bad}:37:22: bad-explanation: option B has no explanation that says why" in lines
    assert f"{bad}:226:15: bad-all-above: option D is an 'all/none of the above' option" in lines
    assert not [line for line in lines if ": bank: " in line or "-response: correct options" in line]  # bank-wide
    without = cli("validate", str(bad))
    assert not [line for line in without.stderr.splitlines() if "bad-explanation" in line]


# --- the shipped bank ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[str]:
    return lint_questions(load_sources())


def test_the_shipped_bank_is_lint_clean(shipped: list[str]) -> None:
    assert shipped == [], "\n".join(shipped)


def test_findings_name_paths_that_open_from_anywhere(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AWSPREP_CONTENT", str(FIXTURE))  # an author's copy, validated from another folder
    monkeypatch.chdir(tmp_path)
    result = cli("validate", "--strict")
    assert result.exit_code == 1
    paths = {line.split(":")[0] for line in result.stderr.splitlines() if not line.startswith(("awsprep:", "  "))}
    paths.discard("answer cues (correct option strictly shortest / longest, x chance; MR = correct/wrong length)")
    assert paths and all(Path(p).exists() for p in paths), paths
    assert f"{FIXTURE}/content/questions/demo.bad.yaml" in paths
