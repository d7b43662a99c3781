"""The mock exam: draw questions by the blueprint's domain weights, grade them, and scale the score. Pure logic.

Randomness comes in as a `random.Random`; nothing here reads the clock, the store or a terminal.

Scaling (AWS does not publish its method): the raw share of correct answers `p` maps piecewise-linearly onto the
scaled range, with the pass mark at `PASS_RAW` = 72 % correct:

    p ≤ 72 %:  score = 100 + (720 - 100) · p / 0.72
    p ≥ 72 %:  score = 720 + (1000 - 720) · (p - 0.72) / 0.28

rounded down, so 0 % is 100, 72 % is exactly 720 (a pass) and anything below 72 % stays under 720; 100 % is 1000.
Unanswered questions count as wrong. The real exam has 15 unscored items that are not identified; the mock scores
every question it shows.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from awsprep.content.records import Blueprint, Question, Source, Topic
from awsprep.errors import UsageError
from awsprep.study.quiz import Presented, present, read_choice

PASS_RAW = Fraction(72, 100)
UNSCORED_NOTE = (
    "The real exam has 15 unscored items among its 65, not identified; this mock scores every question it shows."
)


# --- choosing the questions ----------------------------------------------------------------------------------


def largest_remainder(seats: int, weights: Mapping[int, int | Fraction]) -> dict[int, int]:
    """Hamilton's method: floor of each exact quota, then one more seat each for the largest remainders.

    Ties between equal remainders go to the lower key, so the result is deterministic.
    """
    if seats < 0:
        raise ValueError("seats must not be negative")
    total = sum(Fraction(w) for w in weights.values())
    if not weights or total <= 0:
        return dict.fromkeys(weights, 0)
    quotas = {k: Fraction(seats) * Fraction(w) / total for k, w in weights.items()}
    alloc = {k: math.floor(q) for k, q in quotas.items()}
    left = seats - sum(alloc.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - alloc[k]), k))[:left]:
        alloc[k] += 1
    return alloc


def apportion(seats: int, weights: Mapping[int, int], capacity: Mapping[int, int]) -> dict[int, int]:
    """Seats per domain by weight, as far as each domain's capacity (questions in the bank) allows.

    Seats a full domain cannot take are apportioned again, by weight, among the domains that still have room.
    Raises UsageError when the bank as a whole is too small.
    """
    available = sum(capacity.get(k, 0) for k in weights)
    if seats > available:
        raise UsageError(
            f"the bank has {available} questions; use --count {available} or fewer",
            hint="an exam never repeats a question",
        )
    alloc = dict.fromkeys(weights, 0)
    open_ = {k for k in weights if capacity.get(k, 0) > 0}
    left = seats
    while left > 0:
        share = largest_remainder(left, {k: weights[k] for k in sorted(open_)})
        left = 0
        for k, n in share.items():
            take = min(n, capacity[k] - alloc[k])
            alloc[k] += take
            left += n - take
        open_ = {k for k in open_ if alloc[k] < capacity[k]}
    return alloc


@dataclass(frozen=True)
class Draw:
    """The exam's questions in the order shown, with what the blueprint wanted per domain and what was drawn."""

    presented: list[Presented]
    wanted: dict[int, int]
    drawn: dict[int, int]

    @property
    def shortfall_note(self) -> str | None:
        """One line when the bank could not follow the weights, else None."""
        short = {d: (self.wanted[d], self.drawn[d]) for d in self.wanted if self.drawn[d] < self.wanted[d]}
        if not short:
            return None
        parts = ", ".join(f"domain {d} has {got} of the {want} its weight asks for" for d, (want, got) in short.items())
        mix = " · ".join(f"D{d} {n}" for d, n in sorted(self.drawn.items()))
        return f"The bank cannot follow the blueprint: {parts}; the rest came from the other domains ({mix})."


def draw_exam(questions: Sequence[tuple[str, Question]], blueprint: Blueprint, count: int, rng: random.Random) -> Draw:
    """`count` distinct questions, apportioned over the domains by weight; within a domain shared as evenly as
    the bank allows among its task statements (a task with few questions gives its unused seats to the others),
    and within a task statement spread over its topics, preferring topics the exam has not drawn yet; then
    shuffled, with their options shuffled too."""
    if count < 1:
        raise UsageError("--count must be at least 1")
    weights = {d.id: d.weight for d in blueprint.domains}
    pools: dict[int, list[tuple[str, Question]]] = {d: [] for d in weights}
    for topic, q in questions:
        pools.setdefault(q.domain, []).append((topic, q))
    wanted = largest_remainder(count, weights)
    drawn = apportion(count, weights, {d: len(p) for d, p in pools.items()})
    picked: list[tuple[str, Question]] = []
    used: set[str] = set()  # topics drawn so far: the next task statement prefers others, for a wide exam
    for d in sorted(drawn):
        by_task: dict[str, list[tuple[str, Question]]] = {}
        for tq in pools[d]:
            by_task.setdefault(tq[1].task, []).append(tq)
        tasks = sorted(by_task)
        rng.shuffle(tasks)  # which task statements get the odd seats is random (seeded)
        seats = even_shares(drawn[d], [len(by_task[t]) for t in tasks])
        for i, task in enumerate(tasks):
            picked.extend(diverse(by_task[task], seats[i], used, rng))
    rng.shuffle(picked)
    return Draw([present(t, q, rng) for t, q in picked], wanted, drawn)


def even_shares(seats: int, capacity: Sequence[int]) -> list[int]:
    """`seats` shared as evenly as the capacities allow (one seat a round to each group with room left), so two
    shares differ by more than one only where the smaller group is full. Earlier groups get the odd seats."""
    shares = [0] * len(capacity)
    while seats > 0 and any(s < c for s, c in zip(shares, capacity, strict=True)):
        for i, c in enumerate(capacity):
            if seats and shares[i] < c:
                shares[i] += 1
                seats -= 1
    return shares


def diverse(
    items: Sequence[tuple[str, Question]], seats: int, used: set[str], rng: random.Random
) -> list[tuple[str, Question]]:
    """`seats` of one task statement's questions, one topic at a time: topics not yet in the exam first, then the
    rest, round after round, each question drawn at random from its topic. Adds the topics it drew to `used`."""
    by_topic: dict[str, list[tuple[str, Question]]] = {}
    for tq in items:
        by_topic.setdefault(tq[0], []).append(tq)
    for pool in by_topic.values():
        rng.shuffle(pool)
    fresh = sorted(t for t in by_topic if t not in used)
    seen = sorted(t for t in by_topic if t in used)
    rng.shuffle(fresh)
    rng.shuffle(seen)
    order = fresh + seen
    out: list[tuple[str, Question]] = []
    while len(out) < seats:
        for topic in order:
            if by_topic[topic] and len(out) < seats:
                out.append(by_topic[topic].pop())
    used.update(t for t, _ in out)
    return out


def notes_only(questions: Sequence[tuple[str, Question]], topics: Sequence[Topic]) -> list[tuple[str, Question]]:
    """The questions of the topics that come from the learner's notes (`awsprep exam --notes-only`)."""
    from_notes = {t.id for t in topics if t.source is Source.NOTES}
    return [(topic, q) for topic, q in questions if topic in from_notes]


def parse_exam_answers(text: str, presented: Sequence[Presented]) -> list[str]:
    """`A,,BD` -> one answer per question in order; an empty answer leaves that question unanswered."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != len(presented):
        raise UsageError(
            f"--answers has {len(parts)} answer{'s' if len(parts) != 1 else ''} but the exam has {len(presented)} "
            f"question{'s' if len(presented) != 1 else ''}; give one per question, empty for unanswered, e.g. A,,BD"
        )
    return [read_choice(part, p) if part else "" for part, p in zip(parts, presented, strict=True)]


# --- scoring -------------------------------------------------------------------------------------------------


def scaled_score(correct: int, total: int, blueprint: Blueprint, pass_raw: Fraction = PASS_RAW) -> int:
    """The raw share correct mapped onto score_min..score_max with `pass_raw` landing on the passing score."""
    low, mark, high = blueprint.score_min, blueprint.passing_score, blueprint.score_max
    if total <= 0:
        return low
    p = Fraction(min(max(correct, 0), total), total)
    if p < pass_raw:
        return math.floor(low + (mark - low) * p / pass_raw)
    return math.floor(mark + (high - mark) * (p - pass_raw) / (1 - pass_raw))


@dataclass(frozen=True)
class ExamItem:
    number: int  # 1-based position in the exam
    presented: Presented
    chosen: str  # letters as shown; "" = unanswered
    correct: bool
    flagged: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class DomainResult:
    id: int
    title: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class TaskResult:
    """One task statement's share of the exam; `missed` are the topics of its wrong answers, most missed first."""

    id: str
    title: str
    domain: int
    correct: int
    total: int
    missed: list[str]

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExamResult:
    items: list[ExamItem]
    score: int
    passing_score: int
    by_domain: list[DomainResult]
    by_topic: dict[str, tuple[int, int]]
    elapsed_s: float
    limit_s: int
    timed_out: bool = False
    by_task: list[TaskResult] = field(default_factory=list)

    def weakest_tasks(self, domain: int, most: int = 2) -> list[TaskResult]:
        """The domain's task statements with the lowest share correct (only those with a miss), at most `most`."""
        missed = [t for t in self.by_task if t.domain == domain and t.correct < t.total]
        return sorted(missed, key=lambda t: (t.correct / t.total, -t.total, t.id))[:most]

    @property
    def correct(self) -> int:
        return sum(1 for i in self.items if i.correct)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.chosen)

    @property
    def passed(self) -> bool:
        return self.score >= self.passing_score

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    @property
    def wrong(self) -> list[ExamItem]:
        return [i for i in self.items if not i.correct]


def grade_exam(
    items: Sequence[ExamItem], blueprint: Blueprint, *, elapsed_s: float, limit_s: int, timed_out: bool = False
) -> ExamResult:
    correct = sum(1 for i in items if i.correct)
    domains: list[DomainResult] = []
    for d in blueprint.domains:
        mine = [i for i in items if i.presented.question.domain == d.id]
        domains.append(DomainResult(d.id, d.title, sum(1 for i in mine if i.correct), len(mine)))
    by_topic: dict[str, tuple[int, int]] = {}
    for i in items:
        c, n = by_topic.get(i.presented.topic, (0, 0))
        by_topic[i.presented.topic] = (c + int(i.correct), n + 1)
    by_task: list[TaskResult] = []
    for d in blueprint.domains:
        for task in d.tasks:
            mine = [i for i in items if i.presented.question.task == task.id]
            misses: dict[str, int] = {}
            for i in mine:
                if not i.correct:
                    misses[i.presented.topic] = misses.get(i.presented.topic, 0) + 1
            missed = sorted(misses, key=lambda t: (-misses[t], t))
            by_task.append(TaskResult(task.id, task.title, d.id, sum(1 for i in mine if i.correct), len(mine), missed))
    return ExamResult(
        by_task=by_task,
        items=list(items),
        score=scaled_score(correct, len(items), blueprint),
        passing_score=blueprint.passing_score,
        by_domain=domains,
        by_topic=dict(sorted(by_topic.items())),
        elapsed_s=elapsed_s,
        limit_s=limit_s,
        timed_out=timed_out,
    )


def format_duration(seconds: float) -> str:
    """`7800` -> `2:10:00`; `59` -> `0:59`."""
    s = max(0, math.ceil(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def time_limit_s(blueprint: Blueprint, count: int, *, accommodation: bool) -> int:
    """The real exam's pace (130 minutes for 65 questions, plus 30 with the accommodation), scaled to a
    shorter practice exam, so `--count 20` gives 40 minutes rather than the full 130."""
    minutes = blueprint.minutes + (blueprint.accommodation_minutes if accommodation else 0)
    return round(minutes * 60 * min(count, blueprint.questions) / blueprint.questions)


# --- the result as data (`awsprep exam --json`) ----------------------------------------------------------

SCALING = "scaled piecewise-linearly: 0 % correct = 100, 72 % = 720 (the pass line), 100 % = 1000; unanswered = wrong"


def result_json(attempt_id: int, result: ExamResult, blueprint: Blueprint, note: str | None) -> dict[str, object]:
    return {
        "attempt": attempt_id,
        "score": result.score,
        "passed": result.passed,
        "passing_score": result.passing_score,
        "score_range": [blueprint.score_min, blueprint.score_max],
        "correct": result.correct,
        "total": result.total,
        "answered": result.answered,
        "percent": round(result.percent, 1),
        "elapsed_s": round(result.elapsed_s, 1),
        "limit_s": result.limit_s,
        "timed_out": result.timed_out,
        "scaling": SCALING,
        "unscored_note": UNSCORED_NOTE,
        "note": note,
        "by_domain": [{"id": d.id, "title": d.title, "correct": d.correct, "total": d.total} for d in result.by_domain],
        "by_topic": {t: {"correct": c, "total": n} for t, (c, n) in result.by_topic.items()},
        "by_task": [
            {"id": t.id, "domain": t.domain, "correct": t.correct, "total": t.total, "missed_topics": t.missed}
            for t in result.by_task
        ],
        "weakest_tasks": {str(d.id): [t.id for t in result.weakest_tasks(d.id)] for d in blueprint.domains},
        "questions": [
            {
                "number": i.number,
                "id": i.presented.id,
                "topic": i.presented.topic,
                "domain": i.presented.question.domain,
                "chosen": i.chosen,
                "answer": i.presented.correct_letters(),
                "correct": i.correct,
                "flagged": i.flagged,
            }
            for i in result.items
        ],
    }
