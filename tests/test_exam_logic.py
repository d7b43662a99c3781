"""The mock exam's pure logic: apportionment over the domains, drawing, answer lists, scoring and scaling."""

from __future__ import annotations

import math
import random
from collections import Counter
from fractions import Fraction
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsprep.content.catalog import Catalog, load_catalog
from awsprep.content.schema import Blueprint
from awsprep.errors import UsageError
from awsprep.study.exam import (
    ExamItem,
    apportion,
    draw_exam,
    format_duration,
    grade_exam,
    largest_remainder,
    parse_exam_answers,
    scaled_score,
)
from awsprep.study.quiz import grade

WEIGHTS = {1: 32, 2: 26, 3: 24, 4: 18}


@cache
def _blueprint() -> Blueprint:
    return load_catalog().blueprint


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(use_cache=False)


def test_largest_remainder_for_the_65_question_exam() -> None:
    # quotas 20.8, 16.9, 15.6, 11.7: floors 20+16+15+11 = 62, the 3 left go to remainders .9, .8, .7
    assert largest_remainder(65, WEIGHTS) == {1: 21, 2: 17, 3: 15, 4: 12}
    assert largest_remainder(50, WEIGHTS) == {1: 16, 2: 13, 3: 12, 4: 9}
    assert largest_remainder(5, WEIGHTS) == {1: 2, 2: 1, 3: 1, 4: 1}


def test_ties_go_to_the_lower_domain() -> None:
    assert largest_remainder(1, {1: 25, 2: 25, 3: 25, 4: 25}) == {1: 1, 2: 0, 3: 0, 4: 0}


@given(st.integers(min_value=0, max_value=400))
def test_largest_remainder_stays_within_one_of_each_quota(seats: int) -> None:
    alloc = largest_remainder(seats, WEIGHTS)
    assert sum(alloc.values()) == seats
    for d, n in alloc.items():
        quota = Fraction(seats * WEIGHTS[d], 100)
        assert math.floor(quota) <= n <= math.ceil(quota)


def test_a_short_domain_gives_its_seats_to_the_others() -> None:
    alloc = apportion(65, WEIGHTS, {1: 100, 2: 100, 3: 100, 4: 5})
    assert alloc[4] == 5
    assert sum(alloc.values()) == 65
    # the 7 seats domain 4 cannot take are shared by weight among 1-3
    assert alloc == {1: 21 + 3, 2: 17 + 2, 3: 15 + 2, 4: 5}


@given(
    st.integers(min_value=1, max_value=80),
    st.fixed_dictionaries({d: st.integers(min_value=0, max_value=40) for d in WEIGHTS}),
)
def test_apportion_never_exceeds_a_domain_and_fills_the_exam(seats: int, capacity: dict[int, int]) -> None:
    if seats > sum(capacity.values()):
        with pytest.raises(UsageError, match="use --count"):
            apportion(seats, WEIGHTS, capacity)
        return
    alloc = apportion(seats, WEIGHTS, capacity)
    assert sum(alloc.values()) == seats
    assert all(alloc[d] <= capacity[d] for d in WEIGHTS)


def test_the_shipped_bank_fills_a_full_exam_by_the_weights(catalog: Catalog) -> None:
    draw = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(1))
    assert len({p.id for p in draw.presented}) == 65
    assert Counter(p.question.domain for p in draw.presented) == {1: 21, 2: 17, 3: 15, 4: 12}
    assert draw.shortfall_note is None


def test_a_draw_is_reproducible_with_a_seed(catalog: Catalog) -> None:
    first = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(7))
    again = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(7))
    other = draw_exam(catalog.questions, catalog.blueprint, 65, random.Random(8))
    assert [(p.id, p.order) for p in first.presented] == [(p.id, p.order) for p in again.presented]
    assert [p.id for p in first.presented] != [p.id for p in other.presented]


def test_a_shorter_exam_keeps_the_proportions(catalog: Catalog) -> None:
    draw = draw_exam(catalog.questions, catalog.blueprint, 10, random.Random(3))
    assert Counter(p.question.domain for p in draw.presented) == {1: 3, 2: 3, 3: 2, 4: 2}


def test_a_bank_that_cannot_follow_the_weights_says_so_in_one_line(catalog: Catalog) -> None:
    few_security = [(t, q) for t, q in catalog.questions if q.domain != 2][:200]
    few_security += [(t, q) for t, q in catalog.questions if q.domain == 2][:4]
    draw = draw_exam(few_security, catalog.blueprint, 65, random.Random(2))
    assert len(draw.presented) == 65
    assert draw.drawn[2] == 4
    note = draw.shortfall_note
    assert note is not None and "\n" not in note
    assert "domain 2 has 4 of the 17 its weight asks for" in note


@pytest.mark.parametrize("count", [0, -1])
def test_count_must_be_positive(catalog: Catalog, count: int) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        draw_exam(catalog.questions, catalog.blueprint, count, random.Random(0))


def test_count_larger_than_the_bank(catalog: Catalog) -> None:
    with pytest.raises(UsageError, match=f"the bank has {len(catalog.questions)} questions"):
        draw_exam(catalog.questions, catalog.blueprint, len(catalog.questions) + 1, random.Random(0))


def test_answer_lists_allow_empty_answers(catalog: Catalog) -> None:
    # the first seed whose draw ends with a multiple-response question (the draw itself is tested elsewhere)
    draws = (draw_exam(catalog.questions, catalog.blueprint, 3, random.Random(s)).presented for s in range(200))
    shown = next(
        d
        for d in draws
        if d[0].question.type == "single" and d[2].question.type == "multiple" and len(d[2].question.correct) == 2
    )
    assert parse_exam_answers("a, ,b d", shown) == ["A", "", "BD"]
    with pytest.raises(UsageError, match="--answers has 2 answers but the exam has 3 questions"):
        parse_exam_answers("A,B", shown)
    with pytest.raises(UsageError, match="'Z' is not an answer"):
        parse_exam_answers("A,Z,", shown)


def test_scaled_score_boundaries(catalog: Catalog) -> None:
    bp = catalog.blueprint
    assert scaled_score(0, 65, bp) == 100
    assert scaled_score(65, 65, bp) == 1000
    assert scaled_score(18, 25, bp) == 720  # exactly 72 %: the pass line
    assert scaled_score(17, 25, bp) < 720
    assert scaled_score(47, 65, bp) >= 720 > scaled_score(46, 65, bp)  # 72.3 % passes, 70.8 % does not
    assert scaled_score(0, 0, bp) == 100


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=200), st.data())
def test_scaled_score_is_monotone_and_in_range(total: int, data: st.DataObject) -> None:
    bp = _blueprint()
    a = data.draw(st.integers(min_value=0, max_value=total))
    b = data.draw(st.integers(min_value=a, max_value=total))
    low, high = scaled_score(a, total, bp), scaled_score(b, total, bp)
    assert 100 <= low <= high <= 1000
    assert (low >= 720) == (Fraction(a, total) >= Fraction(72, 100))


def test_grading_counts_unanswered_as_wrong_and_breaks_down_by_domain(catalog: Catalog) -> None:
    shown = draw_exam(catalog.questions, catalog.blueprint, 10, random.Random(5)).presented
    items = []
    for i, p in enumerate(shown):
        chosen = p.correct_letters() if i < 6 else ""
        items.append(ExamItem(i + 1, p, chosen, bool(chosen) and grade(p, chosen)))
    result = grade_exam(items, catalog.blueprint, elapsed_s=600, limit_s=7800)
    assert (result.correct, result.total, result.answered) == (6, 10, 6)
    assert [i.number for i in result.wrong] == [7, 8, 9, 10]
    assert sum(d.total for d in result.by_domain) == 10
    assert sum(d.correct for d in result.by_domain) == 6
    assert sum(n for _, n in result.by_topic.values()) == 10
    assert result.score == scaled_score(6, 10, catalog.blueprint) and not result.passed


def test_format_duration() -> None:
    assert format_duration(7800) == "2:10:00"
    assert format_duration(59.2) == "1:00"
    assert format_duration(-3) == "0:00"


def test_practice_exams_keep_the_real_pace() -> None:
    from awsprep.content.catalog import load_catalog
    from awsprep.study.exam import time_limit_s

    blueprint = load_catalog().blueprint
    assert time_limit_s(blueprint, 65, accommodation=False) == 130 * 60
    assert time_limit_s(blueprint, 65, accommodation=True) == 160 * 60
    assert time_limit_s(blueprint, 20, accommodation=False) == 40 * 60
    assert time_limit_s(blueprint, 5, accommodation=True) == round(160 * 60 * 5 / 65)
