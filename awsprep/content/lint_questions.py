"""Question-bank rules beyond the schema (`awsprep validate --strict`), each finding at `path:line:col: id: message`.

Per question: references (at least one docs.aws.amazon.com page, else a warning), an explanation for every option
that says something, a misconception tag on every distractor, the item shape (single response: exactly 4 options;
multiple response: 5-6 options with 2-3 correct) and a "(Choose two.)" stem that matches the number correct.
Across the bank: duplicate or near-duplicate stems (difflib ratio ≥ 0.9 over the lower-cased words), every topic
at its minimum, the bank at its minimum, the multiple-response share near 25 %, and the position of the correct
options in authored order within ±10 percentage points of uniform. On a learner's own files (not the whole tree)
the bank size, share and position rules are left out, and a topic's minimum applies to each question file given.
The labs' own checkpoint questions get the per-question rules, the near-duplicate rule (against the bank too) and
a position rule of their own; the bank's size, share and per-topic minimums do not count them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from awsprep.content.lint import Finding, Sources
from awsprep.content.schema import Question

MIN_BANK = 300
MIN_PER_TOPIC = 6
MULTIPLE_SHARE = (0.15, 0.35)  # "about a quarter"
POSITION_TOLERANCE = 0.10  # percentage points either side of uniform
NEAR_DUPLICATE = 0.9
KINDS = ("single", "multiple")
LAB_MIN_CORRECT = 20  # the labs' checkpoint questions' positions are judged from this many correct options
DOCS_HOST = "https://docs.aws.amazon.com/"
CHOOSE = re.compile(r"\(Choose (two|three|four)\.\)")
CHOOSE_COUNT = {"two": 2, "three": 3, "four": 4}
GENERIC_EXPLANATION = re.compile(r"^\s*(this (option |answer )?is )?(in)?correct\.?\s*$", re.IGNORECASE)
ALL_OR_NONE = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)


def lint_questions(
    sources: Sources, *, min_bank: int = MIN_BANK, min_per_topic: int = MIN_PER_TOPIC, warnings: bool = True
) -> list[str]:
    """Every finding as a line; `warnings=False` keeps only the errors."""
    return [
        str(f)
        for f in check_questions(sources, min_bank=min_bank, min_per_topic=min_per_topic)
        if warnings or not f.warning
    ]


def check_questions(sources: Sources, *, min_bank: int = MIN_BANK, min_per_topic: int = MIN_PER_TOPIC) -> list[Finding]:
    findings: list[Finding] = []
    for _, q in [*sources.catalog.questions, *sources.catalog.lab_questions]:  # a lab's own: the same item rules
        findings.extend(_question(sources, q))
    findings.extend(_near_duplicates(sources))
    findings.extend(_minimums(sources, min_bank, min_per_topic))
    if sources.whole:  # shares and positions are properties of the whole bank
        findings.extend(_multiple_share(sources))
        findings.extend(_positions(sources))
    return findings


def _question(sources: Sources, q: Question) -> Iterator[Finding]:
    def found(message: str, *field: int | str, warning: bool = False) -> Finding:
        return sources.finding(q, q.id, message, *field, warning=warning)

    if not q.references:
        yield found("no references", "references")
    elif not any(url.startswith(DOCS_HOST) for url in q.references):
        yield found(f"no reference on {DOCS_HOST} (only {', '.join(q.references)})", "references", warning=True)
    for i, option in enumerate(q.options):
        letter = "ABCDEF"[i]
        if not option.explanation.strip() or GENERIC_EXPLANATION.match(option.explanation):
            yield found(f"option {letter} has no explanation that says why", "options", i, "explanation")
        if not option.correct and not option.misconception:
            yield found(f"option {letter} is a distractor without a misconception tag", "options", i)
        if ALL_OR_NONE.search(option.text):
            yield found(f"option {letter} is an 'all/none of the above' option", "options", i, "text")
    n_options, n_correct = len(q.options), len(q.correct)
    if q.type == "single" and n_options != 4:
        yield found(f"a single-response question has exactly 4 options (has {n_options})", "options")
    if q.type == "multiple" and not (5 <= n_options <= 6 and 2 <= n_correct <= 3):
        yield found(
            f"a multiple-response question has 5-6 options with 2-3 correct (has {n_options}, {n_correct})", "options"
        )
    said = CHOOSE.search(q.stem)
    if q.type == "multiple" and said is None:
        yield found(f'the stem does not say "(Choose {_word(n_correct)}.)"', "stem")
    elif said is not None and CHOOSE_COUNT[said.group(1)] != n_correct:
        yield found(
            f'the stem says "{said.group(0)}" but {n_correct} option{"s are" if n_correct != 1 else " is"} correct',
            "stem",
        )


def _word(n: int) -> str:
    return {v: k for k, v in CHOOSE_COUNT.items()}.get(n, str(n))


def _near_duplicates(sources: Sources) -> Iterator[Finding]:
    """Pairs of stems whose word sequences match at ratio ≥ 0.9 (the cheap upper bounds rule most pairs out)."""
    every = [*sources.catalog.questions, *sources.catalog.lab_questions]  # a lab question copying a bank stem, too
    items = [(q, q.stem.lower().split()) for _, q in every]
    for i, (q, words) in enumerate(items):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)  # difflib caches what it learns about seq2
        for other, other_words in items[:i]:
            matcher.set_seq1(other_words)
            if (
                matcher.real_quick_ratio() >= NEAR_DUPLICATE
                and matcher.quick_ratio() >= NEAR_DUPLICATE
                and (ratio := matcher.ratio()) >= NEAR_DUPLICATE
            ):
                kind = "duplicate" if ratio == 1 else f"near-duplicate (ratio {ratio:.2f})"
                first = sources.finding(other, other.id, "", "stem")
                yield sources.finding(
                    q, q.id, f"stem is a {kind} of {other.id} ({first.path}:{first.line}:{first.col})", "stem"
                )


def _minimums(sources: Sources, min_bank: int, min_per_topic: int) -> Iterator[Finding]:
    catalog = sources.catalog
    for qfile in catalog.question_files:
        n = len(qfile.questions)
        if n < min_per_topic:
            yield sources.finding(qfile, qfile.topic, f"{_questions(n)}, under the minimum of {min_per_topic}", "topic")
    if not sources.whole:
        return
    with_file = {qfile.topic for qfile in catalog.question_files}
    for topic in catalog.topics:  # a topic with no question file at all, at its entry in the topics file
        if topic.id not in with_file and min_per_topic > 0:
            yield sources.finding(topic, topic.id, f"{_questions(0)}, under the minimum of {min_per_topic}", "id")
    total = len(catalog.questions)
    if total < min_bank:
        yield sources.about_bank("bank", f"{total} questions, under the minimum of {min_bank}")


def _questions(n: int) -> str:
    return f"{n} question{'s' if n != 1 else ''}"


def _multiple_share(sources: Sources) -> Iterator[Finding]:
    catalog = sources.catalog
    total = len(catalog.questions)
    if not total:
        return
    multiple = sum(1 for _, q in catalog.questions if q.type == "multiple")
    low, high = MULTIPLE_SHARE
    if not low <= multiple / total <= high:
        yield sources.about_bank(
            "bank",
            f"{multiple} of {total} questions ({100 * multiple / total:.0f} %) are multiple-response; "
            f"aim for about 25 % ({100 * low:.0f}-{100 * high:.0f} %)",
        )


def _positions(sources: Sources) -> Iterator[Finding]:
    """Where the correct options sit in authored order, per item type, against what uniform placement expects.

    For each position p the expected count is the sum over questions with more than p options of k/n (k correct
    of n options); a share of the correct options more than 10 points from its expected share is a skew.
    """
    groups = [(f"{kind}-response", [q for _, q in sources.catalog.questions if q.type == kind], 1) for kind in KINDS]
    groups += [
        (f"lab {kind}-response", [q for _, q in sources.catalog.lab_questions if q.type == kind], LAB_MIN_CORRECT)
        for kind in KINDS
    ]  # the labs' own checkpoint questions are a set of their own, judged once there are enough of them
    for label, qs, least in groups:
        n_correct = sum(len(q.correct) for q in qs)
        if not n_correct or n_correct < least:
            continue
        width = max(len(q.options) for q in qs)
        observed = [0] * width
        expected = [0.0] * width
        for q in qs:
            for i in q.correct:
                observed[i] += 1
            for p in range(len(q.options)):
                expected[p] += len(q.correct) / len(q.options)
        skewed = [
            f"{'ABCDEF'[p]} {100 * observed[p] / n_correct:.0f} % (expected {100 * expected[p] / n_correct:.0f} %)"
            for p in range(width)
            if abs(observed[p] - expected[p]) / n_correct > POSITION_TOLERANCE
        ]
        if skewed:
            shares = " · ".join(f"{'ABCDEF'[p]} {observed[p]}" for p in range(width))
            yield sources.about_bank(
                label,
                f"correct options in authored position {', '.join(skewed)}, beyond ±10 points of uniform "
                f"(counts: {shares})",
            )
