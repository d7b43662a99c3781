"""Flashcard statistics (`awsprep cards stats`): today, a 30-day forecast, states, a year of reviews, true
retention, leeches and predicted recall on exam day. Computed from plain columns and indexes: a 100,000-card
collection with a year of history stays well under a second.

Quiz questions are cards too (`q:<id>`, one memory model) but are left out of the card figures; their answers
do count in the heatmap, which shows every day the learner practised. Cram answers count nowhere: they are not
scheduled reviews.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from awsprep.content.cards import CardSpec
from awsprep.store import card_stats as queries
from awsprep.store import cards as card_store
from awsprep.store.records import NEW, REVIEW, STATE_NAMES
from awsprep.study.cards_config import CardsConfig
from awsprep.study.exam_date import ExamPlan
from awsprep.study.review import DAY_STARTS_AT_HOUR, day_start, exam_plan
from awsprep.study.scheduler import DAY_MS, ForgettingCurve, to_ms

FORECAST_DAYS = 30
HEATMAP_DAYS = 365


@dataclass(frozen=True)
class ExamOutlook:
    date: str
    days_left: int
    target: float
    recall_studied: float | None  # mean predicted recall on exam day over cards already studied
    recall_all: float  # the same over every card, an unseen card counting as forgotten
    below_target: int  # studied cards predicted below the target on exam day if not reviewed again
    unseen: int


@dataclass(frozen=True)
class CardStats:
    total: int
    by_state: dict[str, int]
    suspended: int
    buried: int
    due_today: int
    new_today: int
    reviews_today: int
    forecast: list[int]  # cards due on each of the next 30 study days; day 0 includes overdue cards
    heatmap: dict[str, int] = field(default_factory=dict)  # local study date (ISO) -> answers that day
    true_retention: dict[str, float | None] = field(default_factory=dict)  # "7d"/"30d" -> share of reviews passed
    retention_reviews: dict[str, int] = field(default_factory=dict)
    leeches: list[str] = field(default_factory=list)
    exam: ExamOutlook | None = None


def study_day(ms: int, utc_offset_min: int) -> date:
    return date(1970, 1, 1) + timedelta(days=(ms + utc_offset_min * 60_000 - DAY_STARTS_AT_HOUR * 3_600_000) // DAY_MS)


def compute(
    conn: sqlite3.Connection, now: datetime, utc_offset_min: int, config: CardsConfig, curve: ForgettingCurve
) -> CardStats:
    now_ms = to_ms(now)
    today = to_ms(day_start(now, utc_offset_min))
    tomorrow = today + DAY_MS

    by_state = dict.fromkeys(STATE_NAMES.values(), 0)
    suspended = buried = 0
    for state, is_suspended, is_buried, count in queries.state_counts(conn, now_ms):
        by_state[STATE_NAMES[state]] += count
        suspended += count if is_suspended else 0
        buried += count if is_buried and not is_suspended else 0

    forecast = [0] * FORECAST_DAYS
    for day, count in queries.due_by_day(conn, today, today + FORECAST_DAYS * DAY_MS, now_ms):
        forecast[day] += count
    plan = exam_plan(config, utc_offset_min, curve)
    if plan is not None and plan.active(now_ms):
        _add_exam_reviews(conn, plan, forecast, today, now_ms)

    introduced = card_store.answered_since(conn, today, NEW)
    unseen = by_state["new"] - queries.suspended_new(conn)
    quota = config.new_per_day
    if plan is not None and plan.active(now_ms):
        quota = plan.new_quota(unseen, introduced, today, quota)

    heatmap: dict[str, int] = {}
    since = today - (HEATMAP_DAYS - 1) * DAY_MS
    for day, count in queries.answers_by_day(conn, DAY_STARTS_AT_HOUR * 3_600_000, since):
        heatmap[(date(1970, 1, 1) + timedelta(days=day)).isoformat()] = count

    retention: dict[str, float | None] = {}
    counted: dict[str, int] = {}
    for label, days in (("7d", 7), ("30d", 30)):
        passed, total = queries.review_pass_rate(conn, tomorrow - days * DAY_MS, REVIEW)
        retention[label] = passed / total if total else None
        counted[label] = total

    leeches = queries.leech_ids(conn)
    return CardStats(
        total=sum(by_state.values()),
        by_state=by_state,
        suspended=suspended,
        buried=buried,
        due_today=sum(forecast[:1]),
        new_today=max(0, min(unseen, quota - introduced)),
        reviews_today=queries.answers_since(conn, today),
        forecast=forecast,
        heatmap=heatmap,
        true_retention=retention,
        retention_reviews=counted,
        leeches=leeches,
        exam=_exam_outlook(conn, plan, now_ms, utc_offset_min, config) if plan is not None else None,
    )


def _add_exam_reviews(conn: sqlite3.Connection, plan: ExamPlan, forecast: list[int], today: int, now_ms: int) -> None:
    """The extra pre-exam reviews fall due on their slot day (they are not in `due_ms`)."""
    if now_ms + FORECAST_DAYS * DAY_MS < plan.first_slot_ms:
        return
    for card_id, due_ms, last_ms, stability in card_store.exam_candidates(
        conn, plan.exam_ms, plan.ms_per_stability, now_ms
    ):
        slot = plan.slot_ms(card_id, due_ms, last_ms, stability)
        if slot is not None and not card_id.startswith("q:"):
            day = max(0, (slot - today) // DAY_MS)
            if day < len(forecast):
                forecast[day] += 1


def _exam_recall_sql(conn: sqlite3.Connection, plan: ExamPlan) -> tuple[int, int, float, int] | None:
    """(cards, studied, summed recall, studied below target) in one pass inside SQLite (None without math
    functions)."""
    return queries.exam_recall(conn, plan.target, plan.curve.factor, plan.curve.decay, plan.exam_ms)


def _exam_recall_py(conn: sqlite3.Connection, plan: ExamPlan) -> tuple[int, int, float, int]:
    total = studied = below = 0
    summed = 0.0
    for state, stability, last_review_ms in queries.memory_rows(conn):
        total += 1
        if state == NEW or stability is None or last_review_ms is None:
            continue
        studied += 1
        r = plan.curve.recall(stability, last_review_ms, plan.exam_ms)
        summed += r
        below += r < plan.target
    return total, studied, summed, below


def _exam_outlook(
    conn: sqlite3.Connection, plan: ExamPlan, now_ms: int, utc_offset_min: int, config: CardsConfig
) -> ExamOutlook:
    total, studied, summed, below = _exam_recall_sql(conn, plan) or _exam_recall_py(conn, plan)
    assert config.exam_date is not None
    return ExamOutlook(
        date=config.exam_date.isoformat(),
        days_left=(config.exam_date - study_day(now_ms, utc_offset_min)).days,
        target=plan.target,
        recall_studied=summed / studied if studied else None,
        recall_all=summed / total if total else 0.0,
        below_target=below,
        unseen=total - studied,
    )


@dataclass(frozen=True)
class BrowseRow:
    card_id: str
    topic: str
    state: str
    due_ms: int | None
    lapses: int
    suspended: bool
    leech: bool
    front: str

    def to_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def find_cards(
    conn: sqlite3.Connection, specs: list[CardSpec], *, search: str | None, leeches: bool, suspended: bool
) -> list[BrowseRow]:
    """Cards of `specs` matching every filter given (search: case-insensitive text in front, back or id)."""
    needle = (search or "").casefold()
    states = card_store.load(conn, [s.id for s in specs])
    rows = []
    for spec in specs:
        st = states.get(spec.id)
        if st is None:
            continue
        is_leech = "leech" in st.tags.split()
        if (leeches and not is_leech) or (suspended and not st.suspended):
            continue
        if needle and not any(needle in text.casefold() for text in (spec.id, spec.front, spec.back)):
            continue
        rows.append(
            BrowseRow(
                spec.id, spec.topic, STATE_NAMES[st.state], st.due_ms, st.lapses, st.suspended, is_leech, spec.front
            )
        )
    return rows
