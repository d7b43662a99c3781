"""The answer-cue lint: strictly shortest / longest shares against chance, the MR length ratio, bands and files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from awsprep.content.catalog import load_sources
from awsprep.content.lint import Sources
from awsprep.content.lint_cues import cue_figures, cue_report, lint_cues, measure
from awsprep.content.schema import Option, Question
from conftest import write_bank


def _q(qid: str, lengths: list[int], correct: set[int]) -> Question:
    options = [
        Option(
            text="w" * n,
            correct=i in correct,
            explanation="Why.",
            misconception=None if i in correct else "wrong-belief",
        )
        for i, n in enumerate(lengths)
    ]
    stem = "Pick one." if len(correct) == 1 else f"Pick. (Choose {['two', 'three'][len(correct) - 2]}.)"
    return Question(
        id=qid,
        type="single" if len(correct) == 1 else "multiple",
        domain=1,
        task="1.1",
        difficulty=1,
        as_of=dt.date(2026, 12, 6),
        stem=stem,
        options=options,
        references=["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"],
    )


def _catalog(tmp_path: Path, files: dict[str, list[Question]]) -> Sources:
    """The questions written as a content tree of their own (a fresh folder each call) and loaded from it."""
    return load_sources(write_bank(tmp_path / f"bank{len(list(tmp_path.iterdir()))}", files))


def _lines(sources: Sources) -> list[str]:
    """The findings, with the temporary tree's folder left out of their paths."""
    return [re.sub(r"^.*?(?=content/)", "", str(f)) for f in lint_cues(sources)]


def test_strictly_shortest_and_longest_ties_are_no_cue() -> None:
    cues = measure(
        "x",
        [
            _q("a", [10, 20, 30, 40], {0}),  # strictly shortest
            _q("b", [40, 20, 30, 10], {0}),  # strictly longest
            _q("c", [10, 10, 30, 40], {0}),  # tied shortest: neither
            _q("d", [20, 10, 30, 40], {0}),  # in the middle
        ],
    )
    assert (cues.single, cues.shortest, cues.longest, cues.chance) == (4, 1, 1, 1.0)
    assert cues.share(cues.shortest) == 1.0


def test_the_multiple_response_ratio_is_mean_correct_over_mean_wrong() -> None:
    cues = measure("x", [_q("m", [30, 30, 10, 10, 10], {0, 1})])
    assert cues.multiple == 1 and cues.ratio == pytest.approx(3.0)
    assert measure("x", [_q("s", [1, 2, 3, 4], {0})]).ratio is None


def _balanced(prefix: str, n: int) -> list[Question]:
    """n single-answer items: the correct option shortest, longest, second and third in turn (chance exactly)."""
    layouts = [[10, 20, 30, 40], [40, 10, 20, 30], [20, 10, 30, 40], [30, 10, 20, 40]]
    return [_q(f"{prefix}-{i}", layouts[i % 4], {0}) for i in range(n)]


def test_a_balanced_bank_passes(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"demo.good": _balanced("g", 8), "demo.bad": [_q("m1", [20, 20, 20, 20, 20], {0, 1})]})
    assert _lines(catalog) == []


def test_a_bank_where_the_answer_is_the_shortest_fails_and_says_why(tmp_path: Path) -> None:
    shortest = [_q(f"s{i}", [10, 20, 30, 40], {0}) for i in range(4)]
    catalog = _catalog(tmp_path, {"demo.good": _balanced("g", 8) + shortest})  # 6 of 12 shortest = 2.00 x chance
    findings = _lines(catalog)
    assert (
        "content/questions/: bank: the correct option is strictly the shortest in 6 of 12 single-answer questions, "
        "2.00 x chance (allowed 0.65-1.35); rewrite options, never pad" in findings
    )
    assert len(findings) == 1  # 2 of 12 longest is 0.67 x chance: inside the band, not reported


def test_the_bank_band_edges(tmp_path: Path) -> None:
    # 16 items, chance 4: 5 shortest = 1.25 x (in), 6 shortest = 1.5 x (out); 3 longest = 0.75 x (in)
    base = _balanced("g", 12)  # 3 shortest, 3 longest
    inside = _catalog(
        tmp_path,
        {
            "demo.good": [
                *base,
                _q("a", [10, 20, 30, 40], {0}),
                _q("b", [10, 20, 30, 40], {0}),
                _q("c", [20, 10, 30, 40], {0}),
                _q("d", [20, 10, 30, 40], {0}),
            ]
        },
    )
    assert not [f for f in _lines(inside) if "bank" in f]
    outside = _catalog(
        tmp_path, {"demo.good": [*base, *(_q(x, [10, 20, 30, 40], {0}) for x in "abc"), _q("d", [20, 10, 30, 40], {0})]}
    )
    assert [f for f in _lines(outside) if "bank" in f and "shortest in 6 of 16" in f]


def test_a_multiple_response_length_cue_fails(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"demo.good": _balanced("g", 8), "demo.bad": [_q("m1", [40, 40, 20, 20, 20], {0, 1})]})
    assert _lines(catalog) == [
        "content/questions/: bank: correct multiple-response options are 2.00 x the length of the distractors "
        "(allowed 0.85-1.15)"
    ]


def test_an_extreme_file_is_reported_even_when_the_bank_passes(tmp_path: Path) -> None:
    extreme = [_q(f"s{i}", [10, 20, 30, 40], {0}) for i in range(4)] + [
        _q(f"t{i}", [20, 10, 30, 40], {0}) for i in range(2)
    ]
    longest = [_q(f"l{i}", [40, 10, 20, 30], {0}) for i in range(4)] + [
        _q(f"u{i}", [20, 10, 30, 40], {0}) for i in range(6)
    ]
    catalog = _catalog(tmp_path, {"demo.bad": extreme, "demo.good": longest})  # bank: 4/16 shortest, 4/16 longest
    assert _lines(catalog) == [
        "content/questions/demo.bad.yaml:3:1: file: the correct option is strictly the shortest in 4 of 6 "
        "single-answer questions, 2.67 x chance (over 2.0 x is extreme)"
    ]
    small = _catalog(
        tmp_path, {"demo.bad": extreme[:5], "demo.good": longest}
    )  # under 6 single items: informational only
    assert not [f for f in _lines(small) if "file:" in f]


def test_the_report_has_the_bank_then_every_file(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"demo.good": _balanced("g", 8), "demo.bad": [_q("m1", [20, 20, 20, 20, 20], {0, 1})]})
    _, files = cue_figures(catalog.catalog)
    assert [f.where for f in files] == ["demo.bad", "demo.good"]  # the files' order
    assert cue_report(catalog.catalog) == [
        "bank: 8 single · shortest 2 (1.00x) · longest 2 (1.00x) · MR 1.00 (1)",
        "demo.bad: 0 single · shortest - · longest - · MR 1.00 (1)",
        "demo.good: 8 single · shortest 2 (1.00x) · longest 2 (1.00x) · MR -",
    ]
    assert all(len(line) < 80 for line in cue_report(catalog.catalog))


def test_validate_strict_prints_the_figures(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", "--strict")
    shown = result.stdout + result.stderr
    assert "answer cues" in shown and "  bank: " in shown
