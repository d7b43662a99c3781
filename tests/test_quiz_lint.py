"""The question-bank lint: each rule on a small bad fixture, the bank-wide rules, and the shipped bank."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprep.content.catalog import Catalog, load_catalog
from awsprep.content.lint_questions import check_questions, lint_questions
from awsprep.content.schema import QuestionFile

FIXTURE = Path(__file__).parent / "fixtures" / "exam_bank"
BAD = "content/questions/demo.bad.yaml"


@pytest.fixture(scope="module")
def bank() -> Catalog:
    return load_catalog(FIXTURE, use_cache=False)


@pytest.fixture(scope="module")
def lines(bank: Catalog) -> list[str]:
    return lint_questions(bank)


@pytest.mark.parametrize(
    "expected",
    [
        f"{BAD}: bad-refs: warning: no reference on https://docs.aws.amazon.com/",
        f"{BAD}: bad-explanation: option B has no explanation that says why",
        f"{BAD}: bad-untagged: option B is a distractor without a misconception tag",
        f'{BAD}: bad-choose-count: the stem says "(Choose three.)" but 2 options are correct',
        f'{BAD}: bad-no-choose: the stem does not say "(Choose two.)"',
        f"{BAD}: bad-single-five: a single-response question has exactly 4 options (has 5)",
        f"{BAD}: bad-multiple-four: a multiple-response question has 5-6 options with 2-3 correct (has 4, 2)",
        f"{BAD}: bad-all-above: option D is an 'all/none of the above' option",
        "content/questions/demo.good.yaml: demo-good-q01: stem is a duplicate of bad-duplicate",
        "content/questions/demo.good.yaml: demo-good-q02: stem is a near-duplicate (ratio 0.94) of bad-near-duplicate",
        "content/questions/demo.empty.yaml: demo.empty: 0 questions, under the minimum of 6",
        "content/questions/: bank: 16 questions, under the minimum of 300",
        "content/questions/: single-response: correct options in authored position A 100 % (expected 25 %)",
    ],
)
def test_each_rule_reports_path_item_and_message(lines: list[str], expected: str) -> None:
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


def test_clean_questions_raise_nothing_of_their_own(lines: list[str]) -> None:
    own = [line for line in lines if line.startswith("content/questions/demo.good.yaml")]
    assert all("duplicate" in line for line in own)  # only the pairs the bad file copied


def test_warnings_can_be_left_out(bank: Catalog) -> None:
    errors = lint_questions(bank, warnings=False)
    assert not [line for line in errors if "warning:" in line]
    assert len(errors) == len(lint_questions(bank)) - 1


def test_thresholds_are_parameters(bank: Catalog) -> None:
    lines = lint_questions(bank, min_bank=10, min_per_topic=0)
    assert not [line for line in lines if "under the minimum" in line]


def _with_questions(bank: Catalog, questions: list[tuple[str, object]]) -> Catalog:
    by_topic: dict[str, list[object]] = {}
    for topic, q in questions:
        by_topic.setdefault(topic, []).append(q)
    files = [QuestionFile.model_construct(topic=t, questions=qs) for t, qs in by_topic.items()]
    # a new Catalog, not model_copy: the copy would keep the cached `questions` of the original
    return Catalog(topics=bank.topics, blueprint=bank.blueprint, lessons=[], question_files=files, decks=[], labs=[])


def test_a_balanced_bank_has_no_position_or_share_findings(bank: Catalog) -> None:
    good = [(t, q) for t, q in bank.questions if t == "demo.good"]
    rotated = []
    for n, (topic, q) in enumerate(good * 2):  # 12 single-response items, correct answer at A, B, C, D in turn
        k = n % 4
        options = q.options[-k:] + q.options[:-k] if k else q.options
        rotated.append((topic, q.model_copy(update={"id": f"{q.id}-{n}", "options": options})))
    balanced = _with_questions(bank, rotated)
    found = [f for f in check_questions(balanced, min_bank=0, min_per_topic=0) if f.path == "content/questions/"]
    assert [f.item for f in found] == ["bank"]  # no multiple-response items at all: the share rule speaks
    assert "0 of 12 questions (0 %) are multiple-response" in found[0].message


def test_the_multiple_response_share_rule(bank: Catalog) -> None:
    singles = [(t, q) for t, q in bank.questions if t == "demo.good"][:3]
    multi = [(t, q) for t, q in bank.questions if q.id == "bad-choose-count"]
    catalog = _with_questions(bank, singles + multi)  # 1 of 4 = 25 %
    assert not [f for f in check_questions(catalog, min_bank=0, min_per_topic=0) if "multiple-response;" in f.message]


# --- the shipped bank ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[str]:
    return lint_questions(load_catalog(use_cache=False))


def test_the_shipped_bank_is_lint_clean(shipped: list[str]) -> None:
    assert shipped == [], "\n".join(shipped)
