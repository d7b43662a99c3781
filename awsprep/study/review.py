"""Today's flashcard queue and answering a card. Times come in as arguments.

A study day starts at 4 AM local time (as in Anki), so a late-night session counts toward the evening before.

The queue, in order: cards in (re)learning and review cards that are due (most overdue first, at most
`reviews-per-day` review cards a day), then review cards brought forward — for the exam date (see
`exam_date.py`) or by a missed quiz question — and last today's share of new cards in the notes' order
(the topic map's, or the learner's chosen topics'), each deck's cards as authored.

Sibling burying: at most one card per note a day (a reversed card or another cloze of the same note waits until
tomorrow), except cards in learning steps. It is derived from today's review log rather than stored, so undoing
an answer un-buries its siblings with no extra bookkeeping.

One memory model, part 2: a missed quiz question (logged as a `quiz` review, rating Again) brings forward the
cards of its topic that were last reviewed before the miss and whose predicted recall now is below 0.95 — at most
`PULL_PER_MISSED_TOPIC`, weakest first, for a week after the miss. The question itself is rescheduled by FSRS like
any lapsed card (see `quiz_session.py`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from awsprep.content.cards import CardSet, CardSpec, cards_of_deck
from awsprep.content.catalog import Catalog
from awsprep.store import cards as card_store
from awsprep.store.records import LEARNING, NEW, RELEARNING, REVIEW, CardState
from awsprep.study.cards_config import CardsConfig
from awsprep.study.exam_date import ExamPlan, exam_start_ms
from awsprep.study.scheduler import ForgettingCurve, Rating, Scheduler, to_ms

DAY_STARTS_AT_HOUR = 4
LEARN_AHEAD = timedelta(minutes=20)
NEW_PER_DAY = 20
QUIZ_MISS_LOOKBACK = timedelta(days=7)
PULL_PER_MISSED_TOPIC = 5
PULL_BELOW_RECALL = 0.95
LEECH_TAG = "leech"
NEW_CHUNK = 500


@dataclass(frozen=True)
class QueueItem:
    spec: CardSpec
    state: CardState
    reason: str = "due"  # due, learning, new, exam (brought forward for the exam), quiz (after a missed question)


def day_start(now: datetime, utc_offset_min: int) -> datetime:
    """The UTC instant the learner's current study day began."""
    local = now.astimezone(timezone(timedelta(minutes=utc_offset_min)))
    start = local.replace(hour=DAY_STARTS_AT_HOUR, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(now.tzinfo)


def next_day_start(now: datetime, utc_offset_min: int) -> datetime:
    return day_start(now, utc_offset_min) + timedelta(days=1)


def catalog_cards(catalog: Catalog, topics: Sequence[str] | None = None, areas: set[str] | None = None) -> CardSet:
    """The bundled cards in the order new ones are introduced: the learner's chosen topics in the order given,
    else the topic map's order (content/topics.yaml, which follows the notes), never the decks' file names."""
    rank = {t: i for i, t in enumerate(topics or [t.id for t in catalog.topics])}
    specs = CardSet()
    for deck in sorted(catalog.decks, key=lambda d: rank.get(d.topic, len(rank))):
        if topics and deck.topic not in rank:
            continue
        if areas and catalog.topic_by_id[deck.topic].area.value not in areas:
            continue
        specs.extend(cards_of_deck(deck))
    return specs


def content_hash(spec: CardSpec) -> str:
    return hashlib.blake2b(f"{spec.front}\x00{spec.back}".encode(), digest_size=8).hexdigest()


def sync_cards(conn: sqlite3.Connection, specs: list[CardSpec]) -> None:
    card_store.sync(conn, (card_store.CardRef(s.id, s.note_id, s.topic, content_hash(s)) for s in specs))


def exam_plan(config: CardsConfig, utc_offset_min: int, curve: ForgettingCurve) -> ExamPlan | None:
    if config.exam_date is None:
        return None
    return ExamPlan(exam_start_ms(config.exam_date, utc_offset_min, DAY_STARTS_AT_HOUR), config.exam_target, curve)


def build_queue(
    conn: sqlite3.Connection,
    specs: list[CardSpec],
    now: datetime,
    utc_offset_min: int,
    *,
    config: CardsConfig | None = None,
    curve: ForgettingCurve | None = None,
) -> list[QueueItem]:
    """Today's cards among `specs` (see the module docstring for the order and the rules)."""
    config = config or CardsConfig()
    by_id = specs.by_id if isinstance(specs, CardSet) else {s.id: s for s in specs}
    now_ms, horizon = to_ms(now), to_ms(now + LEARN_AHEAD)
    today = to_ms(day_start(now, utc_offset_min))
    seen_notes = card_store.notes_answered_since(conn, today)

    learning = [
        QueueItem(by_id[st.card_id], st, "learning")
        for st in card_store.learning_states(conn, horizon, now_ms)
        if st.card_id in by_id
    ]
    seen_notes.update(item.spec.note_id for item in learning)

    room = max(0, config.reviews_per_day - card_store.answered_since(conn, today, REVIEW))
    reviews: list[QueueItem] = []

    def take(items: Iterable[QueueItem]) -> None:
        for item in items:
            if len(reviews) >= room:
                return
            if item.spec.note_id not in seen_notes:  # sibling burying: one card per note a day
                seen_notes.add(item.spec.note_id)
                reviews.append(item)

    page, offset = max(64, 2 * room), 0
    while len(reviews) < room:  # a backlog is read page by page, only as far as today's limit needs
        batch = card_store.due_reviews(conn, horizon, now_ms, page, offset)
        take(QueueItem(by_id[st.card_id], st, "due") for st in batch if st.card_id in by_id)
        if len(batch) < page:
            break
        offset += page
    plan = exam_plan(config, utc_offset_min, curve) if curve else None
    if len(reviews) < room:
        take(_brought_forward(conn, by_id, now_ms, horizon, plan, curve))

    timely = sorted(learning + [r for r in reviews if r.reason == "due"], key=lambda i: i.state.due_ms or 0)
    early = [r for r in reviews if r.reason != "due"]
    return timely + early + _new_cards(conn, specs, now_ms, today, config, plan, seen_notes)


def _brought_forward(
    conn: sqlite3.Connection,
    by_id: dict[str, CardSpec],
    now_ms: int,
    horizon: int,
    plan: ExamPlan | None,
    curve: ForgettingCurve | None,
) -> Iterator[QueueItem]:
    """Review cards not yet due that should be seen today: for the exam, then after a missed quiz question."""
    taken: set[str] = set()
    if plan is not None and plan.active(now_ms) and horizon >= plan.first_slot_ms:
        rows = card_store.exam_candidates(conn, plan.exam_ms, plan.ms_per_stability, now_ms)
        wanted = sorted(
            (slot, card_id)
            for card_id, due_ms, last_ms, stability in rows
            if card_id in by_id and (slot := plan.slot_ms(card_id, due_ms, last_ms, stability)) is not None
            and slot <= horizon
        )  # fmt: skip
        states = card_store.load(conn, [card_id for _slot, card_id in wanted])
        for _slot, card_id in wanted:
            taken.add(card_id)
            yield QueueItem(by_id[card_id], states[card_id], "exam")
    if curve is None:
        return
    lookback = now_ms - int(QUIZ_MISS_LOOKBACK.total_seconds() * 1000)
    for topic, missed_ms in sorted(card_store.quiz_misses_since(conn, lookback).items()):
        weak = []
        for st in card_store.topic_review_states(conn, topic, now_ms):
            if st.card_id not in by_id or st.card_id in taken or (st.due_ms or 0) <= horizon:
                continue
            if (st.last_review_ms or 0) < missed_ms:
                recall = curve.recall(st.stability, st.last_review_ms, now_ms)
                if recall < PULL_BELOW_RECALL:
                    weak.append((recall, st.card_id, st))
        for _recall, card_id, st in sorted(weak)[:PULL_PER_MISSED_TOPIC]:
            taken.add(card_id)
            yield QueueItem(by_id[card_id], st, "quiz")


def _new_cards(
    conn: sqlite3.Connection,
    specs: list[CardSpec],
    now_ms: int,
    today: int,
    config: CardsConfig,
    plan: ExamPlan | None,
    seen_notes: set[str],
) -> list[QueueItem]:
    """Today's share of new cards in authoring order. `specs` is read a chunk at a time and only until the
    allowance is filled: a day's 20 new cards never cost a pass over a 100,000-card collection."""
    introduced = card_store.answered_since(conn, today, NEW)
    quota = config.new_per_day
    if plan is not None and plan.active(now_ms):
        # the pace is set by every unseen card of the collection, whatever subset is studied now
        quota = plan.new_quota(card_store.count_new(conn), introduced, today, quota)
    allowance = max(0, quota - introduced)
    out: list[QueueItem] = []
    for start in range(0, len(specs), NEW_CHUNK):
        if len(out) >= allowance:
            break
        chunk = specs[start : start + NEW_CHUNK]
        states = card_store.load(conn, [s.id for s in chunk])
        for spec in chunk:
            st = states.get(spec.id)
            if len(out) >= allowance or st is None or st.state != NEW or st.suspended:
                continue
            if (st.buried_until_ms or 0) <= now_ms and spec.note_id not in seen_notes:
                seen_notes.add(spec.note_id)
                out.append(QueueItem(spec, st, "new"))
    return out


def cram_queue(
    conn: sqlite3.Connection, specs: list[CardSpec], now: datetime, curve: ForgettingCurve
) -> list[QueueItem]:
    """Every unsuspended card of `specs`, weakest first (new cards count as forgotten). Cram never reschedules."""
    states = card_store.load(conn, [s.id for s in specs])
    now_ms = to_ms(now)
    items = []
    for spec in specs:
        st = states.get(spec.id) or CardState(spec.id, spec.note_id, spec.topic)
        if not st.suspended:
            items.append((curve.recall(st.stability, st.last_review_ms, now_ms), QueueItem(spec, st, "cram")))
    return [item for _recall, item in sorted(items, key=lambda pair: pair[0])]


def add_tag(tags: str, tag: str) -> str:
    words = tags.split()
    return " ".join([*words, tag]) if tag not in words else tags


def apply_leech(before: CardState, after: CardState, threshold: int, action: str) -> CardState:
    """At `threshold` lapses (and every half-threshold more, as Anki does) tag the card and maybe suspend it."""
    if after.lapses <= before.lapses or after.lapses < threshold:
        return after
    if (after.lapses - threshold) % max(1, threshold // 2):
        return after
    return replace(after, tags=add_tag(after.tags, LEECH_TAG), suspended=after.suspended or action == "suspend")


def answer(
    conn: sqlite3.Connection,
    scheduler: Scheduler,
    item: QueueItem,
    rating: Rating,
    now: datetime,
    *,
    utc_offset_min: int,
    duration_ms: int = 0,
    source: str = "card",
) -> tuple[CardState, int]:
    """Schedule and commit one answer; returns the new state and the review's id (for undo)."""
    after = scheduler.review(item.state, rating, now)
    if source != "cram":
        after = apply_leech(item.state, after, scheduler.config.leech_lapses, scheduler.config.leech_action)
    return card_store.record_review(
        conn,
        item.state,
        after,
        rating=int(rating),
        reviewed_ms=to_ms(now),
        utc_offset_min=utc_offset_min,
        duration_ms=duration_ms,
        source=source,
    )


@dataclass
class ReviewSession:
    """A review sitting: the queue, answered cards (for undo) and counts. Learning cards due again within the
    learn-ahead window come back in the same sitting, as in Anki; in cram, a card answered Again comes back."""

    conn: sqlite3.Connection
    scheduler: Scheduler
    pending: list[QueueItem]
    utc_offset_min: int
    source: str = "card"
    answered: list[tuple[QueueItem, Rating, int]] = field(default_factory=list)
    counts: dict[Rating, int] = field(default_factory=lambda: dict.fromkeys(Rating, 0))
    leeches: list[str] = field(default_factory=list)

    def current(self) -> QueueItem | None:
        return self.pending[0] if self.pending else None

    def remaining(self) -> dict[str, int]:
        """What is left of the sitting (the current card included) as new, learning and review cards. A card
        answered Again comes back as learning, so the figures stay true while cards re-enter."""
        left = {"new": 0, "learning": 0, "review": 0}
        for item in self.pending:
            if item.reason == "new":
                left["new"] += 1
            elif item.reason == "learning" or item.state.state in (LEARNING, RELEARNING):
                left["learning"] += 1
            else:
                left["review"] += 1
        return left

    def answer(self, rating: Rating, now: datetime, duration_ms: int = 0) -> CardState:
        """Answer the current card. If another terminal answered it first (StaleCard), it is re-read and shown
        again when still due, and the error is re-raised for the caller to mention."""
        item = self.pending.pop(0)
        try:
            after, review_id = answer(
                self.conn,
                self.scheduler,
                item,
                rating,
                now,
                utc_offset_min=self.utc_offset_min,
                duration_ms=duration_ms,
                source=self.source,
            )
        except card_store.StaleCard:
            fresh = card_store.get(self.conn, item.spec.id)
            if fresh is not None and not fresh.suspended and (fresh.due_ms or 0) <= to_ms(now + LEARN_AHEAD):
                self.pending.insert(0, QueueItem(item.spec, fresh, item.reason))
            raise
        self.counts[rating] += 1
        self.answered.append((item, rating, review_id))
        if LEECH_TAG in after.tags.split() and LEECH_TAG not in item.state.tags.split():
            self.leeches.append(item.spec.id)
        if self.source == "cram":
            if rating == Rating.AGAIN:
                self.pending.append(item)
        elif not after.suspended and after.due_ms is not None and after.due_ms <= to_ms(now + LEARN_AHEAD):
            self.pending.append(QueueItem(item.spec, after, "learning"))
        return after

    def undo(self) -> bool:
        """Take back the last answer of this sitting: restore its state and show the card again. Several levels:
        each call undoes one more. Raises StaleCard if the card was changed elsewhere since."""
        if not self.answered:
            return False
        # popped first: an answer that cannot be undone (StaleCard) leaves the stack, so older ones still can
        item, rating, review_id = self.answered.pop()
        restored = card_store.undo_review(self.conn, review_id)
        if restored is None:
            return False
        self.counts[rating] -= 1
        if item.spec.id in self.leeches:
            self.leeches.remove(item.spec.id)
        self.pending = [p for p in self.pending if p.spec.id != item.spec.id]
        self.pending.insert(0, QueueItem(item.spec, item.state if self.source == "cram" else restored, item.reason))
        return True

    def bury(self, now: datetime) -> QueueItem | None:
        """Hide the current card until the next study day."""
        item = self.current()
        if item is not None:
            until = to_ms(next_day_start(now, self.utc_offset_min))
            card_store.set_flags(self.conn, [item.spec.id], buried_until_ms=until)
            self.pending.pop(0)
        return item

    def suspend(self) -> QueueItem | None:
        """Take the current card out of reviews until it is unsuspended (`awsprep cards browse --unsuspend`)."""
        item = self.current()
        if item is not None:
            card_store.set_flags(self.conn, [item.spec.id], suspended=True)
            self.pending.pop(0)
        return item
