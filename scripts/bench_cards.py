#!/usr/bin/env python3
"""Flashcard speed targets on a synthetic 100,000-card collection with a year of history, and the exam-date
simulation. One line per figure, each with its baseline measured in the same run (see scripts/bench.py).

Targets (issue 6, on the project's usual machine): today's queue ≤ 100 ms, one answer (schedule + commit)
≤ 5 ms, `cards stats` ≤ 1 s. Exit status 1 if one is missed. The simulation prints how many reviews exam-date
scheduling saves for the same exam-day recall compared with plain FSRS at a higher desired retention.

    python scripts/bench_cards.py            # everything
    python scripts/bench_cards.py speed      # or: sim
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchlib import Targets, median_time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from awsprep.content.cards import CardSet, CardSpec  # noqa: E402
from awsprep.store.db import connect  # noqa: E402
from awsprep.store.records import NEW, REVIEW, CardState  # noqa: E402
from awsprep.study.cards_config import CardsConfig  # noqa: E402
from awsprep.study.cards_stats import compute  # noqa: E402
from awsprep.study.exam_date import ExamPlan  # noqa: E402
from awsprep.study.review import ReviewSession, build_queue  # noqa: E402
from awsprep.study.scheduler import DAY_MS, Rating, Scheduler, SchedulerConfig, to_ms  # noqa: E402

N_CARDS = 100_000
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGETS = Targets(width=44)


def build_collection(conn: object) -> list[CardSpec]:
    """100,000 cards (every tenth note reversed, so siblings exist): 80 % studied over the last year with ~4
    answers each, 2 % in learning, the rest new."""
    import sqlite3

    assert isinstance(conn, sqlite3.Connection)
    rng = random.Random(7)
    now_ms = to_ms(NOW)
    specs, cards, reviews = [], [], []
    for i in range(N_CARDS):
        note = f"n{i // 2 if i % 10 >= 8 else i}"
        card_id = f"{note}~r" if i % 10 == 9 else f"c{i}"
        specs.append(CardSpec(card_id, note, f"topic.t{i % 44}", f"front {i}", f"back {i}", "https://x"))
        roll = rng.random()
        if roll < 0.80:
            stability = rng.uniform(1, 300)
            last = now_ms - rng.randint(0, 364) * DAY_MS - rng.randint(0, DAY_MS)
            due = last + int(stability * DAY_MS)
            cards.append((card_id, note, specs[-1].topic, REVIEW, None, stability, 5.0, due, last, 4, 0))
            for k in range(4):
                when = last - k * rng.randint(1, 60) * DAY_MS
                before = json.dumps({"state": NEW if k == 3 else REVIEW})
                reviews.append((card_id, rng.choice((1, 3, 3, 3, 4)), when, 0, 0, "card", before, "{}"))
        elif roll < 0.82:
            due = now_ms + rng.randint(-3600_000, 3600_000)
            cards.append((card_id, note, specs[-1].topic, 1, 1, 1.0, 5.0, due, now_ms - DAY_MS, 1, 0))
        else:
            cards.append((card_id, note, specs[-1].topic, NEW, None, None, None, None, None, 0, 0))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO cards (card_id, note_id, topic, state, step, stability, difficulty, due_ms, last_review_ms, "
        "reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cards,
    )
    conn.executemany(
        "INSERT INTO reviews (card_id, rating, reviewed_ms, utc_offset_min, duration_ms, source, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    return specs


def bench_speed() -> None:
    os.environ["AWSPREP_HOME"] = tempfile.mkdtemp()
    conn = connect()
    specs = CardSet(build_collection(conn))
    assert specs.by_id  # indexed once, as loading a collection does
    n_reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    print(f"# cards: {N_CARDS:,} cards, {n_reviews:,} reviews over a year (baselines: plain SQL on the same file)")
    scheduler = Scheduler()
    curve = scheduler.forgetting_curve
    config = CardsConfig(exam_date=date(2026, 9, 15))  # six months ahead

    plain = conn.cursor()
    plain.row_factory = None
    # baselines: one plain read of every card's id and due date; one plain read of the year's review log
    baseline_scan = median_time(lambda: plain.execute("SELECT card_id, due_ms FROM cards").fetchall(), 7)
    queue_time = median_time(lambda: build_queue(conn, specs, NOW, 0, config=config, curve=curve), 7)
    TARGETS.seconds("today's queue (exam date set)", queue_time, baseline_scan, 0.100)

    queue = build_queue(conn, specs, NOW, 0, config=config, curve=curve)
    session = ReviewSession(conn, scheduler, queue, 0)
    answers = []
    for _ in range(50):
        start = time.perf_counter()
        session.answer(Rating.GOOD, NOW)
        answers.append(time.perf_counter() - start)

    def one_insert() -> None:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('bench', 'x') ON CONFLICT (key) DO UPDATE SET value = 'y'"
        )

    TARGETS.seconds("one answer (schedule + commit)", statistics.median(answers), median_time(one_insert, 50), 0.005)

    log_sql = "SELECT reviewed_ms, rating FROM reviews WHERE reviewed_ms >= ?"
    year_ago = to_ms(NOW) - 365 * DAY_MS
    baseline_count = median_time(lambda: plain.execute(log_sql, (year_ago,)).fetchall(), 5)
    stats_time = median_time(lambda: compute(conn, NOW, 0, config, curve), 5)
    TARGETS.seconds("cards stats", stats_time, baseline_count, 1.0)
    conn.close()


# --- the exam-date simulation ----------------------------------------------------------------------------------


def simulate(
    retention: float, with_exam_plan: bool, seed: int, n_cards: int = 600, exam_day: int = 60
) -> tuple[int, float]:
    """A simulated learner whose memory follows FSRS's own model: each day at 09:00 it answers what the queue
    holds (Good when it recalls, with probability R; Again otherwise), repeating learning steps the same day.
    New cards arrive at the same pace in both arms, all seen a week before the exam. Returns (answers given,
    mean predicted recall over all cards at the exam)."""
    scheduler = Scheduler(SchedulerConfig(desired_retention=retention))
    curve = scheduler.forgetting_curve
    start = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)
    exam_ms = to_ms(start + timedelta(days=exam_day))
    plan = ExamPlan(exam_ms, 0.95, curve) if with_exam_plan else None
    rng = random.Random(seed)
    cards = [CardState(f"s{seed}-{i}", f"s{seed}-{i}", "t") for i in range(n_cards)]
    per_day = math.ceil(n_cards / (exam_day - 7))
    answers = 0
    for day in range(exam_day):
        t = start + timedelta(days=day, hours=5)
        end_ms = to_ms(start + timedelta(days=day + 1))
        first_new = day * per_day
        for idx, card0 in enumerate(cards):
            card = card0
            is_new = card.state == NEW
            if is_new and not first_new <= idx < first_new + per_day:
                continue
            slot = plan.review_slot_ms(card) if plan is not None else None
            if not is_new and (card.due_ms or 0) >= end_ms and (slot is None or slot > to_ms(t)):
                continue
            when = t
            while True:
                if card.state == NEW:
                    p = 0.75
                elif card.state == REVIEW:
                    p = curve.recall(card.stability, card.last_review_ms, to_ms(when))
                else:
                    p = 0.9
                card = scheduler.review(card, Rating.GOOD if rng.random() < p else Rating.AGAIN, when)
                answers += 1
                if (card.due_ms or 0) >= end_ms:
                    break
                when = max(when, datetime.fromtimestamp((card.due_ms or 0) / 1000, tz=UTC))
            cards[idx] = card
    recall = statistics.fmean(curve.recall(c.stability, c.last_review_ms, exam_ms) for c in cards)
    return answers, recall


def bench_sim() -> None:
    seeds = (1, 2, 3)
    print("# exam-date simulation: 600 cards, exam on day 60, 3 simulated learners (baseline: plain FSRS)")

    def arm(retention: float, plan: bool) -> tuple[float, float]:
        runs = [simulate(retention, plan, seed) for seed in seeds]
        return statistics.fmean(r[0] for r in runs), statistics.fmean(r[1] for r in runs)

    plain = {r: arm(r, False) for r in (0.90, 0.93, 0.95, 0.96, 0.97)}
    for r, (reviews, recall) in plain.items():
        print(f"     plain FSRS, retention {r:.2f}: {reviews:8.0f} answers, exam-day recall {recall:.3f}")
    planned_reviews, planned_recall = arm(0.90, True)
    print(f"     exam date, retention 0.90, target 0.95: {planned_reviews:8.0f} answers, recall {planned_recall:.3f}")
    ordered = sorted(plain.items(), key=lambda kv: kv[1][1])
    matched = None
    for (_r0, (n0, p0)), (_r1, (n1, p1)) in itertools.pairwise(ordered):
        if p0 <= planned_recall <= p1:  # interpolate plain FSRS's cost for exactly this recall
            matched = n0 + (n1 - n0) * (planned_recall - p0) / (p1 - p0) if p1 > p0 else n1
    if matched is None:
        top = ordered[-1][1]
        print(f"     plain FSRS up to 0.97 reaches only {top[1]:.3f}: exam-date scheduling is beyond it")
        return
    saved = 1 - planned_reviews / matched
    print(
        f"ok   exam-date scheduling for the same exam-day recall ({planned_recall:.3f}): {planned_reviews:.0f} vs "
        f"{matched:.0f} answers with plain FSRS  ratio {planned_reviews / matched:.2f}  (saves {saved:.0%})"
    )


def main(argv: list[str]) -> int:
    chosen = argv or ["speed", "sim"]
    for name in chosen:
        {"speed": bench_speed, "sim": bench_sim}[name]()
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
