"""`awsprep cards`: flashcard review with FSRS scheduling."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from awsprep.study.review import ReviewSession
    from awsprep.study.scheduler import Rating

REVIEW_EPILOG = """Keys: space or enter reveals; 1 Again, 2 Hard, 3 Good, 4 Easy; u undoes the last answer; q quits.

Examples:

  awsprep cards review

  awsprep cards review --topic ec2.elastic-ip

  awsprep cards review --ratings 3,3,1,4    (no terminal: answer today's first cards in order)
"""


def register(app: typer.Typer) -> None:
    cards = typer.Typer(help="Flashcards with spaced repetition (FSRS).", no_args_is_help=True)
    cards.command("review", epilog=REVIEW_EPILOG)(review)
    app.add_typer(cards, name="cards")


def review(
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable).")] = None,
    area: Annotated[list[str] | None, typer.Option("--area", "-a", help="Only this area, e.g. lambda.")] = None,
    ratings: Annotated[
        str | None, typer.Option("--ratings", help="Answer non-interactively: ratings 1-4, one per card, e.g. 3,3,1")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="With --ratings: print what was reviewed as JSON.")] = False,
) -> None:
    """Review today's due and new cards; each answer is saved at once."""
    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.session import open_catalog, open_store, scheduler_for
    from awsprep.errors import UsageError
    from awsprep.study.quiz import _check_names
    from awsprep.study.review import ReviewSession, build_queue, catalog_cards, sync_cards
    from awsprep.study.scheduler import Rating

    given: list[Rating] | None = None
    if ratings is not None:
        try:
            given = [Rating(int(r)) for r in ratings.split(",")]
        except ValueError:
            raise UsageError(f"--ratings takes numbers 1-4 separated by commas, not {ratings!r}") from None
    else:
        prompts.require_tty("reviewing cards", "--ratings 3,3,1 (1 Again, 2 Hard, 3 Good, 4 Easy)")
    catalog = open_catalog()
    _check_names("topic", topic or (), catalog.topic_by_id)
    conn = open_store()
    specs = catalog_cards(catalog, set(topic or ()), set(area or ()))
    sync_cards(conn, specs)
    offset = clock.utc_offset_minutes()
    session = ReviewSession(conn, scheduler_for(conn), build_queue(conn, specs, clock.now(), offset), offset)
    if given is not None:
        _answer_all(session, given, json_)
        return
    _interactive(session)


def _answer_all(session: ReviewSession, given: list[Rating], json_: bool) -> None:
    from awsprep import clock
    from awsprep.cli.render import out, print_json
    from awsprep.errors import UsageError
    from awsprep.study.scheduler import describe_interval, to_dt

    if len(given) > len(session.pending):
        raise UsageError(f"--ratings has {len(given)} ratings but only {len(session.pending)} cards are due now")
    done = []
    for rating in given:
        item = session.current()
        assert item is not None
        now = clock.now()
        after = session.answer(rating, now)
        interval = describe_interval(to_dt(after.due_ms or 0) - now)
        done.append({"card": item.spec.id, "rating": int(rating), "next_in": interval})
        if not json_:
            out().print(f"{item.spec.id}: {rating.name.lower()} → next in {interval}", markup=False)
    if json_:
        print_json({"reviewed": done, "left": len(session.pending)})


def _interactive(session: ReviewSession) -> None:
    from rich.panel import Panel

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.render import err
    from awsprep.store.cards import StaleCard
    from awsprep.study.scheduler import Rating, describe_interval

    console = err()
    if session.current() is None:
        console.print("Nothing is due now. Come back later, or study a topic with `awsprep study`.")
        return
    try:
        while (item := session.current()) is not None:
            console.print(
                f"\n{len(session.answered)} done · {len(session.pending)} left · {item.spec.topic}",
                style="dim",
                markup=False,
                highlight=False,
            )
            console.print(Panel(item.spec.front, title="question", expand=False))
            action = prompts.key(
                "space: show answer · u: undo · q: quit", {" ": "show", "enter": "show", "u": "undo", "q": "quit"}
            )
            if action == "quit":
                break
            if action == "undo":
                if not session.undo():
                    console.print("nothing to undo", style="dim")
                continue
            console.print(Panel(item.spec.back, title="answer", expand=False))
            console.print(f"source: {item.spec.source}", style="dim", markup=False, highlight=False)
            preview = session.scheduler.preview(item.state, clock.now())
            labels = "  ".join(f"{int(r)} {r.name.capitalize()} ({describe_interval(preview[r])})" for r in Rating)
            keys: dict[str, Rating | str] = {str(int(r)): r for r in Rating}
            keys.update({"u": "undo", "q": "quit"})
            started = clock.monotonic()
            choice = prompts.key(labels, keys)
            if choice == "quit":
                break
            if choice == "undo":
                session.undo()
                continue
            assert isinstance(choice, Rating)
            try:
                session.answer(choice, clock.now(), int((clock.monotonic() - started) * 1000))
            except StaleCard as exc:
                console.print(str(exc), style="yellow", markup=False)
                session.pending.pop(0)
    except KeyboardInterrupt:
        console.print(f"\nInterrupted: {len(session.answered)} answer(s) saved.")
        raise
    counts = ", ".join(f"{r.name.capitalize()} {session.counts[r]}" for r in Rating)
    console.print(f"\nSession: {len(session.answered)} reviewed — {counts}", markup=False)
