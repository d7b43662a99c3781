"""Today's flashcard queue and answering a card. Times come in as arguments.

A study day starts at 4 AM local time (as in Anki), so a late-night session counts toward the evening before.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from awsprep.content.cards import CardSpec, cards_of_deck
from awsprep.content.catalog import Catalog
from awsprep.store import cards as card_store
from awsprep.store.records import NEW, CardState
from awsprep.study.scheduler import Rating, Scheduler, to_ms

DAY_STARTS_AT_HOUR = 4
LEARN_AHEAD = timedelta(minutes=20)
NEW_PER_DAY = 20


@dataclass(frozen=True)
class QueueItem:
    spec: CardSpec
    state: CardState


def day_start(now: datetime, utc_offset_min: int) -> datetime:
    """The UTC instant the learner's current study day began."""
    local = now.astimezone(timezone(timedelta(minutes=utc_offset_min)))
    start = local.replace(hour=DAY_STARTS_AT_HOUR, minute=0, second=0, microsecond=0)
    if local < start:
        start -= timedelta(days=1)
    return start.astimezone(now.tzinfo)


def catalog_cards(catalog: Catalog, topics: set[str] | None = None, areas: set[str] | None = None) -> list[CardSpec]:
    specs = []
    for deck in catalog.decks:
        if topics and deck.topic not in topics:
            continue
        if areas and catalog.topic_by_id[deck.topic].area.value not in areas:
            continue
        specs.extend(cards_of_deck(deck))
    return specs


def content_hash(spec: CardSpec) -> str:
    return hashlib.blake2b(f"{spec.front}\x00{spec.back}".encode(), digest_size=8).hexdigest()


def sync_cards(conn: sqlite3.Connection, specs: list[CardSpec]) -> None:
    card_store.sync(conn, (card_store.CardRef(s.id, s.note_id, s.topic, content_hash(s)) for s in specs))


def new_introduced_since(conn: sqlite3.Connection, since_ms: int) -> int:
    row = conn.execute(
        "SELECT count(DISTINCT card_id) FROM reviews WHERE source = 'card' AND undone = 0 AND reviewed_ms >= ? "
        "AND json_extract(before, '$.state') = 0",
        (since_ms,),
    ).fetchone()
    return int(row[0])


def build_queue(
    conn: sqlite3.Connection,
    specs: list[CardSpec],
    now: datetime,
    utc_offset_min: int,
    *,
    new_per_day: int = NEW_PER_DAY,
) -> list[QueueItem]:
    """Due cards first (most overdue first), then today's share of new cards in authoring order."""
    states = card_store.load(conn, [s.id for s in specs])
    horizon = to_ms(now + LEARN_AHEAD)
    now_ms = to_ms(now)
    due: list[QueueItem] = []
    fresh: list[QueueItem] = []
    for spec in specs:
        state = states.get(spec.id)
        if state is None or state.suspended or (state.buried_until_ms or 0) > now_ms:
            continue
        if state.state == NEW:
            fresh.append(QueueItem(spec, state))
        elif state.due_ms is not None and state.due_ms <= horizon:
            due.append(QueueItem(spec, state))
    due.sort(key=lambda item: item.state.due_ms or 0)
    allowance = max(0, new_per_day - new_introduced_since(conn, to_ms(day_start(now, utc_offset_min))))
    return due + fresh[:allowance]


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
) -> CardState:
    after = scheduler.review(item.state, rating, now)
    return card_store.save_review(
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
    learn-ahead window come back in the same sitting, as in Anki."""

    conn: sqlite3.Connection
    scheduler: Scheduler
    pending: list[QueueItem]
    utc_offset_min: int
    source: str = "card"
    answered: list[QueueItem] = field(default_factory=list)
    counts: dict[Rating, int] = field(default_factory=lambda: dict.fromkeys(Rating, 0))

    def current(self) -> QueueItem | None:
        return self.pending[0] if self.pending else None

    def answer(self, rating: Rating, now: datetime, duration_ms: int = 0) -> CardState:
        item = self.pending.pop(0)
        try:
            after = answer(
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
            raise
        self.counts[rating] += 1
        self.answered.append(item)
        if self.source != "cram" and after.due_ms is not None and after.due_ms <= to_ms(now + LEARN_AHEAD):
            self.pending.append(QueueItem(item.spec, after))
        return after

    def undo(self) -> bool:
        """Take back the last answer of this sitting: restore its state and show the card again."""
        if not self.answered:
            return False
        restored = card_store.undo_last(self.conn, self.source)
        if restored is None:
            return False
        last = self.answered.pop()
        self.pending = [p for p in self.pending if p.spec.id != last.spec.id]
        self.pending.insert(0, QueueItem(last.spec, restored))
        return True
