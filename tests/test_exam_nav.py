"""The exam's navigation as a pure state machine: every command on the question and review screens."""

from __future__ import annotations

import random

import pytest

from awsprep.content.catalog import Catalog, load_catalog
from awsprep.study.exam_nav import QUESTION, REVIEW, ExamNav
from awsprep.study.quiz import Presented, present


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def nav_of(catalog: Catalog, needs: list[int]) -> ExamNav:
    """An exam whose questions ask for these numbers of answers, options in authored order."""
    pools = {n: [(t, q) for t, q in catalog.questions if len(q.correct) == n] for n in set(needs)}
    picked = [pools[n].pop() for n in needs]
    shown: list[Presented] = [present(t, q, random.Random(0), shuffle=False) for t, q in picked]
    return ExamNav(shown)


def test_letters_answer_and_move_on_enter_alone_skips(catalog: Catalog) -> None:
    nav = nav_of(catalog, [1, 2, 1])
    assert nav.handle("b").action == "answered" and nav.answers == {0: "B"} and nav.current == 1
    assert nav.handle("").action == "moved" and nav.current == 2 and 1 not in nav.answers
    assert nav.handle("n").action == "review" and nav.screen == REVIEW  # after the last question


def test_an_answer_needs_the_count_asked_and_a_refusal_changes_nothing(catalog: Catalog) -> None:
    nav = nav_of(catalog, [2, 1])
    for wrong, says in (("a", "Give two letters, not 1"), ("abc", "not 3"), ("az", "Z is not an option")):
        outcome = nav.handle(wrong)
        assert outcome.action == "refused" and says in outcome.message
        assert (nav.current, nav.answers, nav.screen) == (0, {}, QUESTION)
    assert nav.handle("d, b").action == "answered" and nav.answers == {0: "BD"}
    assert nav.handle("ab").action == "refused"  # choose-one
    assert nav.answers == {0: "BD"} and nav.current == 1


def test_previous_flag_goto_and_review(catalog: Catalog) -> None:
    nav = nav_of(catalog, [1, 1, 1])
    assert nav.handle("p").action == "moved" and nav.current == 0  # not below the first
    assert nav.handle("3").action == "moved" and nav.current == 2
    assert nav.handle("p").action == "moved" and nav.current == 1
    assert nav.handle("f").action == "flagged" and nav.flags == {1} and nav.current == 1
    assert nav.handle("f").action == "unflagged" and nav.flags == set()
    assert nav.handle("f").action == "flagged"
    refused = nav.handle("9")
    assert refused.action == "refused" and "questions 1 to 3" in refused.message and nav.current == 1
    assert nav.handle("R").action == "review" and nav.screen == REVIEW
    assert nav.overview().flagged == [2] and nav.overview().unanswered == [1, 2, 3]


def test_the_review_screen(catalog: Catalog) -> None:
    nav = nav_of(catalog, [1, 1, 1])
    nav.handle("3")
    nav.handle("r")
    assert nav.handle("x").action == "refused" and nav.screen == REVIEW
    assert nav.handle("").action == "back" and (nav.screen, nav.current) == (QUESTION, 2)
    nav.handle("r")
    assert nav.handle("1").action == "moved" and (nav.screen, nav.current) == (QUESTION, 0)
    nav.handle("r")
    assert nav.handle(" S ").action == "submit"


def test_upper_case_f_is_the_option_f_lower_case_f_flags(catalog: Catalog) -> None:
    six = [(t, q) for t, q in catalog.questions if len(q.options) >= 6 and len(q.correct) == 1]
    if not six:
        pytest.skip("no single-answer question with six options in the bank")
    nav = ExamNav([present(six[0][0], six[0][1], random.Random(0), shuffle=False)])
    assert nav.handle("F").action == "answered" and nav.answers == {0: "F"}
