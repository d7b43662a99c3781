"""`awsprep cards`: flashcard review with FSRS scheduling, cram, statistics, export/import and the browser."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import sqlite3

    from awsprep.content.cards import CardSpec
    from awsprep.study.cards_config import CardsConfig
    from awsprep.study.review import ReviewSession
    from awsprep.study.scheduler import Rating, Scheduler

REVIEW_EPILOG = """Keys: space or enter reveals; 1 Again, 2 Hard, 3 Good, 4 Easy; u undoes the last answer (again for
the one before); b buries the card until tomorrow; s suspends it; q quits.

Examples:

  awsprep cards review

  awsprep cards review --topic ec2.elastic-ip

  awsprep cards review --ratings 3,3,1,4    (no terminal: answer today's first cards in order)
"""
CRAM_EPILOG = """Cram shows every card of the topic, weakest first, and logs the answers as `cram`: the schedule is
not touched. Cards answered Again come back in the same sitting.

Examples:

  awsprep cards cram --topic lambda.layers

  awsprep cards cram --area lambda --ratings 3,1,3
"""
STATS_EPILOG = "Examples:\n\n  awsprep cards stats\n\n  awsprep cards stats --json | jq .forecast"
EXPORT_EPILOG = """Examples:

  awsprep cards export --format apkg -o awsprep.apkg     (import into Anki: File > Import)

  awsprep cards export --format csv > cards.csv

  awsprep cards export --format csv --topic user -o mine.csv
"""
IMPORT_EPILOG = """The file needs a header row with `front` and `back`; optional columns: id, topic, tags, source,
reverse (1 adds the back-to-front card). Your cards go to the `user` deck and are reviewed with the others.

Examples:

  awsprep cards import my-cards.csv

  awsprep cards import own.tsv      (tab-separated: id, front, back, topic, tags, source, reverse)
"""
BROWSE_EPILOG = """In a terminal you can then pick cards to suspend or unsuspend; scripts use the flags.

Examples:

  awsprep cards browse --search "visibility timeout"

  awsprep cards browse --leeches

  awsprep cards browse --suspend ec2-elastic-ip-n05 --unsuspend lambda-layers-n02~r
"""


def register(app: typer.Typer) -> None:
    cards = typer.Typer(help="Flashcards with spaced repetition (FSRS).", no_args_is_help=True)
    cards.command("review", epilog=REVIEW_EPILOG)(review)
    cards.command("cram", epilog=CRAM_EPILOG)(cram)
    cards.command("stats", epilog=STATS_EPILOG)(stats)
    cards.command("export", epilog=EXPORT_EPILOG)(export)
    cards.command("import", epilog=IMPORT_EPILOG)(import_)
    cards.command("browse", epilog=BROWSE_EPILOG)(browse)
    app.add_typer(cards, name="cards")


TopicOpt = Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable; `user`: own).")]
AreaOpt = Annotated[list[str] | None, typer.Option("--area", "-a", help="Only this area, e.g. lambda.")]
RatingsOpt = Annotated[
    str | None, typer.Option("--ratings", help="Answer non-interactively: ratings 1-4, one per card, e.g. 3,3,1")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _engine(conn: sqlite3.Connection) -> tuple[CardsConfig, Scheduler]:
    from awsprep.study import cards_config
    from awsprep.study.scheduler import Scheduler

    config = cards_config.load(conn)
    return config, Scheduler(config.scheduler_config())


def _specs(topic: list[str] | None, area: list[str] | None) -> tuple[sqlite3.Connection, list[CardSpec]]:
    """The cards in scope, synced into the store (an unknown topic or area is a usage error)."""
    from awsprep.cli.session import open_catalog, open_store
    from awsprep.content.records import Area
    from awsprep.study.cards_io import USER_DECK, study_specs
    from awsprep.study.quiz import check_names
    from awsprep.study.review import sync_cards

    catalog = open_catalog()
    check_names("topic", topic or (), [*catalog.topic_by_id, USER_DECK])
    check_names("area", area or (), [a.value for a in Area])
    conn = open_store()
    specs = study_specs(conn, catalog, list(dict.fromkeys(topic or ())), set(area or ()))
    sync_cards(conn, specs)
    return conn, specs


def _parse_ratings(ratings: str | None, what: str) -> list[Rating] | None:
    from awsprep.cli import prompts
    from awsprep.errors import UsageError
    from awsprep.study.scheduler import Rating

    if ratings is None:
        prompts.require_tty(what, "--ratings 3,3,1 (1 Again, 2 Hard, 3 Good, 4 Easy)")
        return None
    try:
        return [Rating(int(r)) for r in ratings.split(",")]
    except ValueError:
        raise UsageError(f"--ratings takes numbers 1-4 separated by commas, not {ratings!r}") from None


def review(topic: TopicOpt = None, area: AreaOpt = None, ratings: RatingsOpt = None, json_: JsonOpt = False) -> None:
    """Review today's due and new cards; each answer is saved at once."""
    from awsprep import clock
    from awsprep.study.review import ReviewSession, build_queue

    given = _parse_ratings(ratings, "reviewing cards")
    conn, specs = _specs(topic, area)
    config, scheduler = _engine(conn)
    offset = clock.utc_offset_minutes()
    queue = build_queue(conn, specs, clock.now(), offset, config=config, curve=scheduler.forgetting_curve)
    _run(ReviewSession(conn, scheduler, queue, offset), given, json_)


def cram(topic: TopicOpt = None, area: AreaOpt = None, ratings: RatingsOpt = None, json_: JsonOpt = False) -> None:
    """Study a topic's cards without touching their schedule."""
    from awsprep import clock
    from awsprep.errors import UsageError
    from awsprep.study.review import ReviewSession, cram_queue

    if not topic and not area:
        raise UsageError("cram needs --topic or --area", hint="e.g. awsprep cards cram --topic lambda.layers")
    given = _parse_ratings(ratings, "cramming")
    conn, specs = _specs(topic, area)
    _config, scheduler = _engine(conn)
    queue = cram_queue(conn, specs, clock.now(), scheduler.forgetting_curve)
    _run(ReviewSession(conn, scheduler, queue, clock.utc_offset_minutes(), source="cram"), given, json_)


def _run(session: ReviewSession, given: list[Rating] | None, json_: bool) -> None:
    from awsprep.cli.cards_view import interactive

    if given is None:
        interactive(session)
    else:
        _answer_all(session, given, json_)


def _answer_all(session: ReviewSession, given: list[Rating], json_: bool) -> None:
    from awsprep import clock
    from awsprep.cli.render import out, print_json
    from awsprep.errors import UsageError
    from awsprep.study.scheduler import describe_interval, to_dt

    if len(given) > len(session.pending):
        raise UsageError(f"--ratings has {len(given)} ratings but only {len(session.pending)} cards are due now")
    from awsprep.errors import AwsprepError
    from awsprep.store.cards import StaleCard

    done: list[dict[str, object]] = []
    card = "?"
    try:
        for rating in given:
            item = session.current()
            assert item is not None
            card = item.spec.id
            now = clock.now()
            after = session.answer(rating, now)
            interval = (
                "unchanged (cram)" if session.source == "cram" else describe_interval(to_dt(after.due_ms or 0) - now)
            )
            done.append({"card": item.spec.id, "rating": int(rating), "reason": item.reason, "next_in": interval})
            if not json_:
                out().print(f"{item.spec.id}: {rating.name.lower()} → next in {interval}", markup=False)
    except StaleCard:
        # another terminal answered this card meanwhile: what was saved before it stands, and is reported
        why = (
            f"card {card} was answered in another terminal meanwhile; "
            f"{len(done)} of {len(given)} ratings were saved, the rest were not"
        )
        if json_:
            print_json({"reviewed": done, "left": len(session.pending), "leeches": session.leeches, "error": why})
        raise AwsprepError(why, hint="run the command again for the cards still due") from None
    if json_:
        print_json({"reviewed": done, "left": len(session.pending), "leeches": session.leeches})


def stats(json_: JsonOpt = False) -> None:
    """Due today, a 30-day forecast, cards by state, a year of reviews, true retention, leeches, exam outlook."""
    from dataclasses import asdict

    from awsprep import clock
    from awsprep.cli.cards_view import render_stats
    from awsprep.cli.render import print_json
    from awsprep.study.cards_stats import compute

    conn, _specs_in_scope = _specs(None, None)
    config, scheduler = _engine(conn)
    result = compute(conn, clock.now(), clock.utc_offset_minutes(), config, scheduler.forgetting_curve)
    if json_:
        print_json(asdict(result))
    else:
        render_stats(result, clock.now(), clock.utc_offset_minutes())


def export(
    format_: Annotated[str, typer.Option("--format", "-f", help="apkg (Anki package) or csv.")] = "apkg",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (csv: stdout if absent).")
    ] = None,
    topic: TopicOpt = None,
) -> None:
    """Export cards to an Anki package or a CSV file (CSV carries each card's scheduling state)."""
    from awsprep import clock
    from awsprep.cli.render import message, write_data
    from awsprep.cli.session import open_catalog
    from awsprep.errors import UsageError
    from awsprep.store.cards import load
    from awsprep.study.cards_io import export_apkg, export_csv, user_notes

    if format_ not in ("apkg", "csv"):
        raise UsageError(f"--format must be apkg or csv, not {format_!r}")
    if output is not None and (not str(output).strip() or output.is_dir()):
        # `--output ''` arrives as the current folder
        raise UsageError("--output must name a file, not a folder", hint="e.g. --output cards.csv")
    conn, specs = _specs(topic, None)
    if format_ == "apkg":
        target = output or Path("awsprep-cards.apkg")
        count = export_apkg(target, open_catalog(), user_notes(conn), set(topic or ()), clock.now().timestamp())
        message(f"wrote {count} notes to {target}")
        return
    tags = {n.id: " ".join(n.tags) for d in open_catalog().decks for n in d.notes}
    tags.update({n.note_id: n.tags for n in user_notes(conn)})
    text = export_csv(specs, load(conn, [s.id for s in specs]), tags)
    if output is None:
        write_data(text)
    else:
        output.write_text(text, encoding="utf-8")
        message(f"wrote {len(specs)} cards to {output}")


def import_(file: Annotated[Path, typer.Argument(help="A CSV (or .tsv) file with front and back columns.")]) -> None:
    """Add your own cards (the `user` deck) from a CSV file; the same ids again update them."""
    from awsprep import clock
    from awsprep.cli.render import message
    from awsprep.cli.session import open_catalog, open_store
    from awsprep.study.cards_io import import_csv, user_specs
    from awsprep.study.review import sync_cards

    conn = open_store()
    result = import_csv(conn, file, open_catalog().topic_by_id, clock.now_ms())
    sync_cards(conn, user_specs(conn))
    message(f"imported {file}: {result.added} added, {result.updated} updated, {result.skipped} rows skipped")


def browse(
    search: Annotated[str | None, typer.Option("--search", "-s", help="Text in the front or back, or an id.")] = None,
    leeches: Annotated[bool, typer.Option("--leeches", help="Only cards tagged leech.")] = False,
    suspended: Annotated[bool, typer.Option("--suspended", help="Only suspended cards.")] = False,
    topic: TopicOpt = None,
    suspend: Annotated[list[str] | None, typer.Option("--suspend", help="Suspend this card id (repeatable).")] = None,
    unsuspend: Annotated[list[str] | None, typer.Option("--unsuspend", help="Unsuspend this card id.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many cards.")] = 50,
    json_: JsonOpt = False,
) -> None:
    """List cards (filter by text, leeches, suspended, topic); suspend or unsuspend them."""
    from awsprep.cli import prompts
    from awsprep.cli.cards_view import pick_and_toggle, render_browse
    from awsprep.cli.render import message, print_json
    from awsprep.errors import UsageError
    from awsprep.store.cards import set_flags
    from awsprep.study.cards_stats import find_cards

    conn, specs = _specs(topic, None)
    known = {s.id for s in specs}
    for flag, ids in (("--suspend", suspend or []), ("--unsuspend", unsuspend or [])):
        for card_id in ids:
            if card_id not in known:
                raise UsageError(f"{flag}: unknown card id {card_id!r}", hint="list ids with `awsprep cards browse`")
    if suspend:
        message(f"suspended {len(set_flags(conn, suspend, suspended=True))} card(s)")
    if unsuspend:
        message(f"unsuspended {len(set_flags(conn, unsuspend, suspended=False))} card(s)")
    rows = find_cards(conn, specs, search=search, leeches=leeches, suspended=suspended)
    if json_:
        print_json([row.to_dict() for row in rows[:limit]])
        return
    render_browse(rows, limit)
    if not (suspend or unsuspend) and rows and prompts.is_interactive():
        pick_and_toggle(conn, rows[:limit])
