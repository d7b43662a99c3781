"""The flashcard engine on fixed dates: day boundary, limits, learning steps, leeches, bury, siblings, undo,
exam-date scheduling and quiz misses. No wall clock: every time is a constant."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from awsprep.content.cards import CardSpec
from awsprep.store import cards as card_store
from awsprep.store.db import connect
from awsprep.store.records import LEARNING, RELEARNING, REVIEW, CardState
from awsprep.study.cards_config import CardsConfig
from awsprep.study.review import ReviewSession, build_queue, day_start, sync_cards
from awsprep.study.scheduler import DAY_MS, Rating, Scheduler, SchedulerConfig, to_ms

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
SCHED = Scheduler(SchedulerConfig(fuzz=False))
CURVE = SCHED.forgetting_curve


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    return connect(tmp_path / "p.sqlite3")


def specs(n: int, topic: str = "ec2.elastic-ip", prefix: str = "c") -> list[CardSpec]:
    return [
        CardSpec(f"{prefix}{i:03d}", f"{prefix}{i:03d}", topic, f"front {i}", f"back {i}", "https://x")
        for i in range(n)
    ]


def put(conn: sqlite3.Connection, card_id: str, **fields: object) -> CardState:
    """Give a card a state directly (as if it had been reviewed before)."""
    before = card_store.get(conn, card_id)
    assert before is not None
    after = replace(before, **fields)  # type: ignore[arg-type]
    return card_store.record_review(
        conn, before, after, rating=3, reviewed_ms=int(after.last_review_ms or 0), utc_offset_min=0,
        duration_ms=0, source="card",
    )[0]  # fmt: skip


def as_review(conn: sqlite3.Connection, card_id: str, last: datetime, stability: float, due: datetime) -> CardState:
    return put(
        conn, card_id, state=REVIEW, step=None, stability=stability, difficulty=5.0, due_ms=to_ms(due),
        last_review_ms=to_ms(last), reps=3,
    )  # fmt: skip


def ids(queue: list) -> list[str]:  # type: ignore[type-arg]
    return [item.spec.id for item in queue]


def test_the_study_day_starts_at_4am_local_time() -> None:
    # 03:59 local (+02:00) still belongs to the day before; 04:00 starts a new one
    assert day_start(datetime(2026, 3, 2, 1, 59, tzinfo=UTC), 120) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert day_start(datetime(2026, 3, 2, 2, 0, tzinfo=UTC), 120) == datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    assert day_start(datetime(2026, 3, 2, 3, 59, tzinfo=UTC), 0) == datetime(2026, 3, 1, 4, 0, tzinfo=UTC)


def test_new_cards_per_day_counts_todays_introductions_and_renews_at_4am(conn: sqlite3.Connection) -> None:
    cards = specs(30)
    sync_cards(conn, cards)
    config = CardsConfig(new_per_day=5)
    queue = build_queue(conn, cards, T0, 0, config=config)
    assert ids(queue) == ["c000", "c001", "c002", "c003", "c004"]
    session = ReviewSession(conn, SCHED, queue, 0)
    session.answer(Rating.EASY, T0)
    session.answer(Rating.EASY, T0)
    later = build_queue(conn, cards, T0 + timedelta(hours=18, minutes=30), 0, config=config)  # 03:30 next day
    assert [i.reason for i in later] == ["new"] * 3
    tomorrow = build_queue(conn, cards, T0 + timedelta(hours=19, minutes=1), 0, config=config)  # 04:01
    assert [i.reason for i in tomorrow].count("new") == 5


def test_reviews_per_day_limits_review_cards_but_not_learning(conn: sqlite3.Connection) -> None:
    cards = specs(10)
    sync_cards(conn, cards)
    for c in cards[:8]:
        as_review(conn, c.id, T0 - timedelta(days=5), 4.0, T0 - timedelta(hours=1))
    for c in cards[8:]:
        put(conn, c.id, state=LEARNING, step=1, stability=1.0, difficulty=5.0, due_ms=to_ms(T0), last_review_ms=0)
    config = CardsConfig(reviews_per_day=3, new_per_day=0)
    queue = build_queue(conn, cards, T0, 0, config=config)
    assert sorted(i.reason for i in queue) == ["due", "due", "due", "learning", "learning"]
    session = ReviewSession(conn, SCHED, [i for i in queue if i.reason == "due"][:2], 0)
    session.answer(Rating.GOOD, T0)
    session.answer(Rating.GOOD, T0)
    assert [i.reason for i in build_queue(conn, cards, T0, 0, config=config)].count("due") == 1


def test_learning_steps_are_1m_then_10m_and_relearning_10m() -> None:
    new = CardState("a", "a", "t")
    again = SCHED.review(new, Rating.AGAIN, T0)
    assert (again.state, again.due_ms) == (LEARNING, to_ms(T0 + timedelta(minutes=1)))
    good = SCHED.review(new, Rating.GOOD, T0)
    assert good.due_ms == to_ms(T0 + timedelta(minutes=10))
    review = CardState("b", "b", "t", REVIEW, None, 10.0, 5.0, to_ms(T0), to_ms(T0 - timedelta(days=10)), 5, 0)
    lapse = SCHED.review(review, Rating.AGAIN, T0)
    assert (lapse.state, lapse.due_ms, lapse.lapses) == (RELEARNING, to_ms(T0 + timedelta(minutes=10)), 1)


@pytest.mark.parametrize(("action", "suspended"), [("suspend", True), ("tag", False)])
def test_the_eighth_lapse_makes_a_leech(conn: sqlite3.Connection, action: str, suspended: bool) -> None:
    cards = specs(1)
    sync_cards(conn, cards)
    as_review(conn, "c000", T0 - timedelta(days=3), 3.0, T0 - timedelta(hours=1))
    put(conn, "c000", lapses=7)
    scheduler = Scheduler(SchedulerConfig(fuzz=False, leech_action=action))
    session = ReviewSession(conn, scheduler, build_queue(conn, cards, T0, 0), 0)
    after = session.answer(Rating.AGAIN, T0)
    assert (after.lapses, after.tags, after.suspended) == (8, "leech", suspended)
    assert session.leeches == ["c000"]
    assert session.undo()
    restored = card_store.get(conn, "c000")
    assert restored is not None and (restored.lapses, restored.tags, restored.suspended) == (7, "", False)


def test_bury_hides_a_card_until_the_next_study_day(conn: sqlite3.Connection) -> None:
    cards = specs(3)
    sync_cards(conn, cards)
    session = ReviewSession(conn, SCHED, build_queue(conn, cards, T0, 0), 0)
    buried = session.bury(T0)
    assert buried is not None and buried.spec.id == "c000"
    assert "c000" not in ids(build_queue(conn, cards, T0 + timedelta(hours=18), 0))
    assert "c000" in ids(build_queue(conn, cards, T0 + timedelta(hours=19), 0))


def test_suspend_takes_a_card_out_until_unsuspended(conn: sqlite3.Connection) -> None:
    cards = specs(2)
    sync_cards(conn, cards)
    ReviewSession(conn, SCHED, build_queue(conn, cards, T0, 0), 0).suspend()
    assert ids(build_queue(conn, cards, T0 + timedelta(days=3), 0)) == ["c001"]
    card_store.set_flags(conn, ["c000"], suspended=False)
    assert ids(build_queue(conn, cards, T0 + timedelta(days=3), 0)) == ["c000", "c001"]


def test_siblings_of_a_note_wait_until_tomorrow(conn: sqlite3.Connection) -> None:
    note = [
        CardSpec("n1", "n1", "t.x", "q", "a", "s"),
        CardSpec("n1~r", "n1", "t.x", "a", "q", "s"),
        CardSpec("n2~c1", "n2", "t.x", "[...] b", "[a] b", "s"),
        CardSpec("n2~c2", "n2", "t.x", "a [...]", "a [b]", "s"),
    ]
    sync_cards(conn, note)
    first = build_queue(conn, note, T0, 0)
    assert ids(first) == ["n1", "n2~c1"]  # one card per note
    session = ReviewSession(conn, SCHED, first, 0)
    session.answer(Rating.EASY, T0)  # n1 graduates: its reverse sibling is buried for today
    assert "n1~r" not in ids(build_queue(conn, note, T0 + timedelta(hours=2), 0))
    assert "n1~r" in ids(build_queue(conn, note, T0 + timedelta(days=1), 0))
    session.undo()  # un-answering n1 un-buries its sibling (burying is derived from today's log)
    assert ids(build_queue(conn, note, T0, 0)) == ["n1", "n2~c1"]


def test_undo_goes_back_several_answers_exactly(conn: sqlite3.Connection) -> None:
    cards = specs(4)
    sync_cards(conn, cards)
    original = card_store.load(conn)
    session = ReviewSession(conn, SCHED, build_queue(conn, cards, T0, 0), 0)
    for minutes, rating in enumerate((Rating.GOOD, Rating.AGAIN, Rating.EASY)):
        session.answer(rating, T0 + timedelta(minutes=minutes))
    assert sum(session.counts.values()) == 3
    for expected_front in ("c002", "c001", "c000"):
        assert session.undo()
        current = session.current()
        assert current is not None and current.spec.id == expected_front
    assert not session.undo()
    assert sum(session.counts.values()) == 0
    now = card_store.load(conn)
    for card_id, before in original.items():
        assert replace(now[card_id], version=0) == replace(before, version=0)
    undone = conn.execute("SELECT count(*) FROM reviews WHERE undone = 1").fetchone()[0]
    assert undone == 3


def test_undo_is_refused_when_another_terminal_answered_since(conn: sqlite3.Connection, tmp_path: Path) -> None:
    cards = specs(1)
    sync_cards(conn, cards)
    mine = ReviewSession(conn, SCHED, build_queue(conn, cards, T0, 0), 0)
    mine.answer(Rating.GOOD, T0)
    other_conn = connect(tmp_path / "p.sqlite3")
    other = ReviewSession(other_conn, SCHED, build_queue(other_conn, cards, T0 + timedelta(minutes=15), 0), 0)
    other.answer(Rating.GOOD, T0 + timedelta(minutes=15))
    with pytest.raises(card_store.StaleCard):
        mine.undo()
    assert conn.execute("SELECT count(*) FROM reviews WHERE undone = 0").fetchone()[0] == 2


# --- the exam date ---------------------------------------------------------------------------------------------

EXAM = date(2026, 4, 20)
EXAM_START = datetime(2026, 4, 20, 4, 0, tzinfo=UTC)


def test_a_card_due_after_the_exam_with_low_exam_day_recall_gets_one_review_in_the_last_week(
    conn: sqlite3.Connection,
) -> None:
    cards = specs(3)
    sync_cards(conn, cards)
    last = datetime(2026, 3, 25, 9, tzinfo=UTC)
    as_review(conn, "c000", last, 40.0, last + timedelta(days=40))  # 26 days to the exam: recall < 0.95
    as_review(conn, "c001", last, 400.0, last + timedelta(days=300))  # strong: recall on exam day > 0.95
    as_review(conn, "c002", last, 5.0, last + timedelta(days=5))  # due before the exam anyway
    assert (
        CURVE.recall(40.0, to_ms(last), to_ms(EXAM_START)) < 0.95 < CURVE.recall(400.0, to_ms(last), to_ms(EXAM_START))
    )
    config = CardsConfig(exam_date=EXAM, new_per_day=0)
    week_before = datetime(2026, 4, 12, 9, tzinfo=UTC)
    assert "c000" not in ids(build_queue(conn, cards, week_before, 0, config=config, curve=CURVE))
    eve = datetime(2026, 4, 19, 9, tzinfo=UTC)
    queue = build_queue(conn, cards, eve, 0, config=config, curve=CURVE)
    assert [(i.spec.id, i.reason) for i in queue] == [("c002", "due"), ("c000", "exam")]
    # without an exam date the same day shows only the ordinary due card
    assert ids(build_queue(conn, cards, eve, 0, config=CardsConfig(new_per_day=0), curve=CURVE)) == ["c002"]
    # reviewed on the eve, it is not asked for again before the exam
    ReviewSession(conn, SCHED, [queue[1]], 0).answer(Rating.GOOD, eve)
    after = build_queue(conn, cards, eve + timedelta(hours=12), 0, config=config, curve=CURVE)
    assert "c000" not in ids(after)


def test_the_exam_review_day_is_fixed_by_the_card_and_lies_in_the_last_week(conn: sqlite3.Connection) -> None:
    from awsprep.study.review import exam_plan

    plan = exam_plan(CardsConfig(exam_date=EXAM), 0, CURVE)
    assert plan is not None and plan.exam_ms == to_ms(EXAM_START)
    last = to_ms(datetime(2026, 3, 1, tzinfo=UTC))
    slots = set()
    for i in range(200):
        s = CardState(f"k{i}", f"k{i}", "t", REVIEW, None, 30.0, 5.0, to_ms(EXAM_START) + DAY_MS, last, 3)
        slot = plan.review_slot_ms(s)
        assert slot is not None and slot == plan.review_slot_ms(s)
        slots.add((to_ms(EXAM_START) - slot) // DAY_MS)
    assert slots == set(range(1, 8))


def test_new_cards_are_all_introduced_a_week_before_the_exam(conn: sqlite3.Connection) -> None:
    cards = specs(100)
    sync_cards(conn, cards)
    config = CardsConfig(exam_date=EXAM, new_per_day=5)
    day = datetime(2026, 4, 3, 9, tzinfo=UTC)  # 17 days before the exam: 10 days to introduce 100 cards
    introduced = 0
    while day < EXAM_START - timedelta(days=7):
        queue = build_queue(conn, cards, day, 0, config=config, curve=CURVE)
        fresh = [i for i in queue if i.reason == "new"]
        assert len(fresh) >= min(10, 100 - introduced)
        introduced += len(fresh)
        session = ReviewSession(conn, SCHED, fresh, 0)
        while session.current() is not None:
            session.answer(Rating.EASY, day)
        day += timedelta(days=1)
    assert introduced == 100
    assert conn.execute("SELECT count(*) FROM cards WHERE state = 0").fetchone()[0] == 0


def test_a_missed_quiz_question_brings_its_topics_weak_cards_forward(conn: sqlite3.Connection) -> None:
    mine, other = specs(8, "lambda.layers", "l"), specs(3, "ec2.imds", "e")
    sync_cards(conn, mine + other)
    last = T0 - timedelta(days=12)
    for c in mine + other:
        as_review(conn, c.id, last, 20.0, last + timedelta(days=20))
    as_review(conn, "l007", T0 - timedelta(hours=1), 20.0, T0 + timedelta(days=20))  # fresh: recall ~1, stays
    assert build_queue(conn, mine + other, T0, 0, curve=CURVE) == []
    quiz = CardState("q:lambda-layers-q01", "q:lambda-layers-q01", "lambda.layers")
    missed = SCHED.review(quiz, Rating.AGAIN, T0)
    card_store.record_review(
        conn, quiz, missed, rating=1, reviewed_ms=to_ms(T0), utc_offset_min=0, duration_ms=0, source="quiz"
    )
    queue = build_queue(conn, mine + other, T0 + timedelta(minutes=5), 0, curve=CURVE)
    assert [i.reason for i in queue] == ["quiz"] * 5
    assert {i.spec.topic for i in queue} == {"lambda.layers"} and "l007" not in ids(queue)
    session = ReviewSession(conn, SCHED, queue, 0)
    while session.current() is not None:
        session.answer(Rating.GOOD, T0 + timedelta(minutes=6))
    rest = build_queue(conn, mine + other, T0 + timedelta(minutes=30), 0, curve=CURVE)
    assert sorted(ids(rest)) == ["l005", "l006"]  # the remaining weak ones; the reviewed five are settled
    question = card_store.get(conn, "q:lambda-layers-q01")  # the missed question is itself due again soon
    assert question is not None and question.state == LEARNING
    assert question.due_ms == to_ms(T0 + timedelta(minutes=1))
