"""Length cues in the answer options (`awsprep validate --strict`).

A test-wise learner picks the shortest option, or strikes out the longest, when the bank lets them. So for the
single-answer questions we count how often the correct option is *strictly* the shortest and *strictly* the longest
(by characters; a tie is no cue), and compare each count with chance: the sum over the questions of 1 / number of
options. For multiple-response questions we compare the mean length of the correct options with the mean length
of the distractors.

The gate is the whole bank: each single-answer share within 0.65-1.35 x chance, and the multiple-response ratio
within 0.85-1.15. Why that band: with ~100 multiple-response items (~250 correct and ~330 wrong options) and option
lengths that vary by about a third around their mean, the ratio's standard error is about 0.03, so a ratio outside
±15 % is a habit of the authors, not noise, and a difference under 15 % is too small to pick answers by.
Per-file figures are reported for the author to read (a file has 5-15 questions, where chance swings widely); a
file is an error only when it is extreme: at least 6 single-answer questions and a share above 2 x chance.
The labs' own checkpoint questions are measured together as one more set, held to the bank's bands once it has
`LAB_MIN_SINGLE` single-answer questions (fewer swing too widely to judge).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from awsprep.content.catalog import Catalog
from awsprep.content.lint import Finding, Sources
from awsprep.content.schema import Question

SHARE_BAND = (0.65, 1.35)  # x chance, whole bank
RATIO_BAND = (0.85, 1.15)  # mean correct length / mean distractor length, whole bank
EXTREME = 2.0  # x chance, per file
EXTREME_MIN_SINGLE = 6
LAB_MIN_SINGLE = 20  # the labs' own checkpoint questions are held to the bank's bands from this many on


@dataclass(frozen=True)
class Cues:
    """The cue figures of a set of questions."""

    where: str
    single: int  # single-answer questions
    chance: float  # expected count of "strictly shortest" (and of "strictly longest") under chance
    shortest: int  # correct option strictly the shortest
    longest: int  # correct option strictly the longest
    multiple: int  # multiple-response questions
    ratio: float | None  # mean correct length / mean distractor length, None without multiple-response items

    def share(self, count: int) -> float | None:
        """Observed count / chance count (1.0 = chance)."""
        return count / self.chance if self.chance else None

    def __str__(self) -> str:
        """One line under 80 columns: `where: N single · shortest k (r x) · longest k (r x) · MR ratio (n)`."""

        def part(count: int) -> str:
            rel = self.share(count)
            return f"{count} ({rel:.2f}x)" if rel is not None else "-"

        ratio = f"{self.ratio:.2f} ({self.multiple})" if self.ratio is not None else "-"
        return (
            f"{self.where}: {self.single} single · shortest {part(self.shortest)} · longest {part(self.longest)}"
            f" · MR {ratio}"
        )


def measure(where: str, questions: Iterable[Question]) -> Cues:
    single = shortest = longest = multiple = 0
    chance = 0.0
    correct_len = wrong_len = 0
    n_correct = n_wrong = 0
    for q in questions:
        lengths = [len(o.text.strip()) for o in q.options]
        if q.type == "single":
            (ci,) = q.correct
            others = lengths[:ci] + lengths[ci + 1 :]
            single += 1
            chance += 1 / len(q.options)
            shortest += lengths[ci] < min(others)
            longest += lengths[ci] > max(others)
        else:
            multiple += 1
            for i, n in enumerate(lengths):
                if i in q.correct:
                    correct_len, n_correct = correct_len + n, n_correct + 1
                else:
                    wrong_len, n_wrong = wrong_len + n, n_wrong + 1
    ratio = (correct_len / n_correct) / (wrong_len / n_wrong) if n_correct and n_wrong and wrong_len else None
    return Cues(where, single, chance, shortest, longest, multiple, ratio)


def cue_figures(catalog: Catalog) -> tuple[Cues, list[Cues]]:
    """The whole bank's figures, then each question file's."""
    bank = measure("bank", (q for _, q in catalog.questions))
    files = [measure(qf.topic, qf.questions) for qf in catalog.question_files]
    return bank, files


def lab_figures(catalog: Catalog) -> Cues:
    """The figures of the labs' own checkpoint questions, taken together (a lab has only a few)."""
    return measure("lab checkpoints", (q for _, q in catalog.lab_questions))


def lint_cues(sources: Sources) -> Iterator[Finding]:
    """Findings: the bank or the labs' questions outside their bands (whole tree only), or an extreme file."""
    bank, files = cue_figures(sources.catalog)
    labs = lab_figures(sources.catalog)
    if sources.whole:
        yield from _bands(sources, "bank", bank)
        if labs.single >= LAB_MIN_SINGLE:
            yield from _bands(sources, "lab checkpoints", labs)
    for qfile, f in zip(sources.catalog.question_files, files, strict=True):
        if f.single < EXTREME_MIN_SINGLE:
            continue
        for name, count in (("shortest", f.shortest), ("longest", f.longest)):
            rel = f.share(count)
            if rel is not None and rel > EXTREME:
                yield sources.finding(
                    qfile,
                    "file",
                    f"the correct option is strictly the {name} in {count} of {f.single} single-answer questions, "
                    f"{rel:.2f} x chance (over {EXTREME} x is extreme)",
                    "questions",
                )


def _bands(sources: Sources, item: str, cues: Cues) -> Iterator[Finding]:
    low, high = SHARE_BAND
    for name, count in (("shortest", cues.shortest), ("longest", cues.longest)):
        rel = cues.share(count)
        if rel is not None and not low <= rel <= high:
            yield sources.about_bank(
                item,
                f"the correct option is strictly the {name} in {count} of {cues.single} "
                f"single-answer questions, {rel:.2f} x chance (allowed {low}-{high}); rewrite options, never pad",
            )
    low, high = RATIO_BAND
    if cues.ratio is not None and not low <= cues.ratio <= high:
        yield sources.about_bank(
            item,
            f"correct multiple-response options are {cues.ratio:.2f} x the length of the "
            f"distractors (allowed {low}-{high})",
        )


def cue_report(catalog: Catalog) -> list[str]:
    """The figures as lines: the bank first, then the labs' own questions (if any), then every file."""
    bank, files = cue_figures(catalog)
    labs = [str(lab_figures(catalog))] if catalog.lab_question_files else []
    return [str(bank), *labs, *(str(f) for f in files)]
