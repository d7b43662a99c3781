"""`awsprep` alone: the home screen. Reads progress only (a fresh or read-only store is fine) and exits 0."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3
    from datetime import datetime

    from awsprep.content.catalog import Catalog
    from awsprep.study.home import Home


def gather() -> Home:
    import sqlite3

    from awsprep import clock
    from awsprep.cli.session import open_catalog, open_store
    from awsprep.errors import AwsprepError
    from awsprep.study.home import Home

    catalog = open_catalog()
    with_lessons = [t.id for t in catalog.topics if t.id in catalog.lesson_by_topic]
    first = with_lessons[0] if with_lessons else None
    blank = Home(
        0, len(with_lessons), first, _title(first), 0, 0, None, None, None, [], problem=None
    )  # what a fresh store shows
    try:
        conn = open_store()
        return _from_store(conn, catalog, blank, clock.now(), clock.utc_offset_minutes())
    except (AwsprepError, sqlite3.Error) as exc:
        from dataclasses import replace

        return replace(blank, problem=str(exc))


def _title(topic: str | None) -> str | None:
    from awsprep.cli.session import open_catalog

    return None if topic is None else open_catalog().topic_by_id[topic].title


def _from_store(conn: sqlite3.Connection, catalog: Catalog, blank: Home, now: datetime, offset: int) -> Home:
    from dataclasses import replace

    from awsprep.store import progress
    from awsprep.study import cards_config, lessons
    from awsprep.study.cards_stats import compute, study_day
    from awsprep.study.home import Score, days_until
    from awsprep.study.quiz_session import exam_number, load_history
    from awsprep.study.scheduler import Scheduler, to_ms

    reads, accuracy = progress.lessons_read(conn), progress.topic_accuracy(conn)
    topic = lessons.next_topic(catalog, reads, accuracy)
    config = cards_config.load(conn)
    stats = compute(conn, now, offset, config, Scheduler(config.scheduler_config()).forgetting_curve)
    unsynced = sum(len(d.notes) for d in catalog.decks) if stats.total == 0 else 0
    new = stats.new_today if stats.total else min(config.new_per_day, unsynced)
    today = study_day(to_ms(now), offset).isoformat()
    exam = None if config.exam_date is None else config.exam_date.isoformat()
    waiting = progress.open_attempt(conn, "exam")
    found = load_history(conn)
    scores = [Score(a.kind, a.correct, a.total, a.score) for a in found.attempts if a.status == "submitted"]
    return replace(
        blank,
        lessons_read=sum(1 for t in reads if t in catalog.lesson_by_topic),
        next_topic=topic,
        next_title=_title(topic),
        cards_due=stats.due_today,
        cards_new=new,
        days_to_exam=days_until(exam, today),
        exam_date=exam,
        open_exam=None if waiting is None else exam_number(conn, int(waiting["id"])),
        last_scores=scores[-3:],
    )


def home(json_: bool) -> None:
    from awsprep.cli.render import out, print_json

    h = gather()
    if json_:
        print_json(h.to_dict())
        return
    console = out()
    rows = [
        ("lessons", f"{h.lessons_read} of {h.lessons_total} read"
         + (f" · next: {h.next_topic} ({h.next_title})" if h.next_topic else "")),
        ("cards", f"{h.cards_due} due · {h.cards_new} new today"),
        ("exam day", "not set (awsprep config set exam-date YYYY-MM-DD)" if h.exam_date is None
         else f"{h.exam_date}, in {h.days_to_exam} days" if (h.days_to_exam or 0) >= 0 else f"{h.exam_date} (past)"),
        ("last scores", " · ".join(_score(s) for s in h.last_scores) or "none yet"),
    ]  # fmt: skip
    if h.open_exam is not None:
        rows.insert(0, ("unfinished", f"exam {h.open_exam} is waiting (awsprep exam --resume)"))
    console.print("awsprep — DVA-C02 study", style="bold", markup=False, highlight=False)
    if h.problem:
        console.print(f"progress unavailable: {h.problem}", markup=False, highlight=False)
    for label, text in rows:
        console.print(f"  {label:<12} {text}", markup=False, highlight=False)
    console.print(f"\nnext: {h.next_command}", style="bold", markup=False, highlight=False)
    console.print("all commands: awsprep --help", style="dim", markup=False, highlight=False)


def _score(s: object) -> str:
    from awsprep.study.home import Score

    assert isinstance(s, Score)
    tail = f" ({s.score})" if s.score is not None else ""
    return f"{s.kind} {s.correct}/{s.total}{tail}"
