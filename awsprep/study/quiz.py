"""Practice quizzes: choose questions, present them with shuffled options, grade, summarise. Pure logic.

Randomness comes in as a `random.Random`; nothing here reads the clock or touches a terminal.
"""

from __future__ import annotations

import random
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from awsprep.content.catalog import Catalog
from awsprep.content.schema import Area, Question
from awsprep.errors import UsageError

LETTERS = string.ascii_uppercase


@dataclass(frozen=True)
class Presented:
    """A question as shown: `order[i]` is the authored index of the option shown at letter i."""

    topic: str
    question: Question
    order: tuple[int, ...]

    @property
    def id(self) -> str:
        return self.question.id

    def letters(self) -> str:
        return LETTERS[: len(self.order)]

    def correct_letters(self) -> str:
        return "".join(LETTERS[i] for i, orig in enumerate(self.order) if self.question.options[orig].correct)

    def to_original(self, letters: str) -> frozenset[int]:
        return frozenset(self.order[LETTERS.index(ch)] for ch in letters)

    def choose_hint(self) -> str:
        n = len(self.question.correct)
        return "Choose one." if n == 1 else f"Choose {('two', 'three', 'four')[n - 2]}."


def present(topic: str, question: Question, rng: random.Random, *, shuffle: bool = True) -> Presented:
    order = list(range(len(question.options)))
    if shuffle:
        rng.shuffle(order)
    return Presented(topic, question, tuple(order))


def normalise_choice(text: str, presented: Presented) -> str:
    """`"b, d"` -> `"BD"`; raises UsageError on a letter the question does not have."""
    letters = "".join(ch for ch in text.upper() if not ch.isspace() and ch != ",")
    valid = presented.letters()
    bad = [ch for ch in letters if ch not in valid]
    if bad or not letters:
        raise UsageError(f"{text!r} is not an answer to {presented.id}: use letters {valid[0]}-{valid[-1]}")
    return "".join(sorted(set(letters)))


def choice_problem(text: str, presented: Presented) -> str | None:
    """Why `text` is not an answer to the question as shown (a letter it lacks, too few or too many), or None."""
    valid = presented.letters()
    letters = "".join(ch for ch in text.upper() if not ch.isspace() and ch != ",")
    need = len(presented.question.correct)
    word = "one letter" if need == 1 else f"{('two', 'three', 'four')[need - 2]} letters"
    if not letters:
        return f"{presented.choose_hint()} Type {word} ({valid[0]}-{valid[-1]}), or mark with the arrows and space."
    bad = sorted({ch for ch in letters if ch not in valid})
    if bad:
        return f"{', '.join(bad)} is not an option here: use {valid[0]}-{valid[-1]}."
    given = len(set(letters))
    if given != need:
        return f"{presented.choose_hint()} Give {word}, not {given}."
    return None


def read_choice(text: str, presented: Presented) -> str:
    """The learner's letters as recorded (`"b, d"` -> `"BD"`): exactly as many as the question asks for."""
    problem = choice_problem(text, presented)
    if problem is not None:
        raise UsageError(f"{text!r} is not an answer to {presented.id}: {problem}")
    return normalise_choice(text, presented)


def grade(presented: Presented, letters: str) -> bool:
    """All-or-nothing, as in the real exam: every correct option and nothing else."""
    return presented.to_original(letters) == presented.question.correct


def answer_by_key(topic: str, question: Question, rng: random.Random) -> tuple[str, bool]:
    """The reference answer to a question as shown with shuffled options (`awsprep lab --auto` answers the
    checkpoints with it): its correct letters, read and graded as a learner's answer is."""
    shown = present(topic, question, rng)
    letters = read_choice(shown.correct_letters(), shown)
    return letters, grade(shown, letters)


def parse_answer_list(text: str, presented: Sequence[Presented]) -> list[str]:
    """`A,BD,C` -> one normalised answer per presented question, in order."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != len(presented):
        raise UsageError(
            f"--answers has {len(parts)} answer{'s' if len(parts) != 1 else ''} but {len(presented)} question"
            f"{'s were' if len(presented) != 1 else ' was'} selected; give one per question, e.g. A,BD,C"
        )
    return [read_choice(part, p) for part, p in zip(parts, presented, strict=True)]


# --- choosing questions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    domains: tuple[int, ...] = ()
    missed: bool = False
    new: bool = False


def check_names(kind: str, given: Iterable[str], known: Iterable[str]) -> None:
    import difflib

    known = list(known)
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
            if len(known) > 12:  # a long list on one line helps nobody: the closest, and where the list is
                where = "`awsprep topics` lists them all" if kind == "topic" else f"{len(known)} {kind}s exist"
                hint = f"did you mean {', '.join(close)}? ({where})" if close else where
            else:
                hint = f"did you mean {', '.join(close)}?" if close else f"known {kind}s: {', '.join(known)}"
            raise UsageError(f"unknown {kind} {name!r}", hint=hint)


def matching(catalog: Catalog, filters: Filters, history: dict[str, bool]) -> list[tuple[str, Question]]:
    """Questions that pass the filters. `history` maps question id -> last answer correct."""
    check_names("topic", filters.topics, catalog.topic_by_id)
    check_names("area", filters.areas, [a.value for a in Area])
    for d in filters.domains:
        if d not in {dom.id for dom in catalog.blueprint.domains}:
            raise UsageError(f"unknown domain {d}", hint="domains are 1 to 4 (see `awsprep exam --help`)")
    out = []
    for topic, q in catalog.questions:
        area = catalog.topic_by_id[topic].area.value
        if filters.topics and topic not in filters.topics:
            continue
        if filters.areas and area not in filters.areas:
            continue
        if filters.domains and q.domain not in filters.domains:
            continue
        if filters.missed and history.get(q.id, True):
            continue
        if filters.new and q.id in history:
            continue
        out.append((topic, q))
    return out


def select(pool: list[tuple[str, Question]], count: int | None, rng: random.Random) -> list[tuple[str, Question]]:
    if not pool:
        raise UsageError("no questions match these filters", hint="widen them, or drop --missed / --new")
    if count is not None:
        if count < 1:
            raise UsageError("--count must be at least 1")
        if count > len(pool):
            raise UsageError(f"only {len(pool)} questions match; use --count {len(pool)} or fewer")
    picked = list(pool)
    rng.shuffle(picked)
    return picked[: count or len(picked)]


DEFAULT_COUNT = 10


def draw_quiz(
    catalog: Catalog, filters: Filters, history: dict[str, bool], count: int | None, rng: random.Random
) -> list[Presented]:
    """The questions of one quiz, options shuffled: `count` of them, or up to DEFAULT_COUNT."""
    pool = matching(catalog, filters, history)
    picked = select(pool, count if count is not None else min(DEFAULT_COUNT, len(pool)), rng)
    return [present(topic, question, rng) for topic, question in picked]


# --- results -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    presented: Presented
    chosen: str  # letters as shown; "" when unanswered
    correct: bool
    confidence: str | None = None

    @property
    def misconceptions(self) -> list[str]:
        """Tags of the wrong options the learner picked."""
        q = self.presented.question
        picked = self.presented.to_original(self.chosen) if self.chosen else frozenset()
        return [
            q.options[i].misconception or ""
            for i in sorted(picked)
            if not q.options[i].correct and q.options[i].misconception
        ]


CONFIDENCE_LEVELS = ("sure", "unsure", "guess")


@dataclass(frozen=True)
class Summary:
    correct: int
    total: int
    by_topic: dict[str, tuple[int, int]] = field(default_factory=dict)
    misconceptions: list[tuple[str, int]] = field(default_factory=list)
    by_confidence: dict[str, tuple[int, int]] = field(default_factory=dict)  # level -> (correct, answered)

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    def calibration(self) -> list[str]:
        """How well confidence matched results: one line per level used, then a verdict when one is due."""
        lines = []
        for level in CONFIDENCE_LEVELS:
            if level in self.by_confidence:
                c, n = self.by_confidence[level]
                lines.append(f"{level:<7} {c}/{n} correct ({100 * c / n:.0f} %)")
        sure_c, sure_n = self.by_confidence.get("sure", (0, 0))
        doubted = [self.by_confidence.get(k, (0, 0)) for k in ("unsure", "guess")]
        low_c, low_n = sum(c for c, _ in doubted), sum(n for _, n in doubted)
        if sure_n and sure_c < sure_n:
            wrong = sure_n - sure_c
            lines.append(
                f"{wrong} answer{'s' if wrong != 1 else ''} you were sure of {'were' if wrong != 1 else 'was'} wrong: "
                "a confident mistake is a misconception, so review those first."
            )
        if low_n and low_c == low_n:
            lines.append("Every answer you doubted was right: you know more than you think.")
        elif sure_n and low_n and sure_c / sure_n > low_c / low_n:
            lines.append("Your confidence tracks your results: trust it when you pace the exam.")
        return lines


def summarise(items: Sequence[ItemResult]) -> Summary:
    by_topic: dict[str, list[int]] = {}
    by_confidence: dict[str, list[int]] = {}
    tags: Counter[str] = Counter()
    for item in items:
        entry = by_topic.setdefault(item.presented.topic, [0, 0])
        entry[0] += int(item.correct)
        entry[1] += 1
        tags.update(item.misconceptions)
        if item.confidence:
            level = by_confidence.setdefault(item.confidence, [0, 0])
            level[0] += int(item.correct)
            level[1] += 1
    return Summary(
        correct=sum(int(i.correct) for i in items),
        total=len(items),
        by_topic={t: (c, n) for t, (c, n) in by_topic.items()},
        misconceptions=tags.most_common(),
        by_confidence={k: (c, n) for k, (c, n) in by_confidence.items()},
    )


# --- history -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptLine:
    id: int
    kind: str  # quiz, exam or checkpoint
    started_ms: int
    status: str  # open, submitted or abandoned
    correct: int
    total: int
    score: int | None  # the scaled exam score
    elapsed_s: float
    number: int = 0  # its place among attempts of its kind: the learner's first exam is exam 1, whatever came before

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class History:
    attempts: list[AttemptLine]
    trend: float | None  # percentage points: mean of the latest window minus the one before it
    window: int

    @property
    def trend_word(self) -> str:
        if self.trend is None:
            return "not enough attempts yet"
        if abs(self.trend) < 2:
            return "steady"
        return f"{'up' if self.trend > 0 else 'down'} {abs(self.trend):.0f} points"


def history(attempts: Sequence[AttemptLine], window: int = 5) -> History:
    """Attempts oldest first, and the trend of the percent correct over finished attempts with answers.

    The trend compares the mean of the last `window` finished attempts (fewer when there are fewer than
    2 × window) with the mean of as many before them.
    """
    done = [a for a in attempts if a.status != "open" and a.total]
    size = min(window, len(done) // 2)
    trend = None
    if size:
        latest = [a.percent for a in done[-size:]]
        before = [a.percent for a in done[-2 * size : -size]]
        trend = sum(latest) / size - sum(before) / size
    return History(list(attempts), trend, size)
