"""`awsprep study`: read a lesson, answer three checkpoint questions, see what to study next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from awsprep.content.catalog import Catalog
    from awsprep.content.records import Lesson

EPILOG = """Examples:

  awsprep study                      (pick a topic)

  awsprep study ec2.elastic-ip

  awsprep study --next

  awsprep study --errata

  awsprep study --search cooldown

  awsprep study ec2.elastic-ip --plain > eip.md
"""

CHECKPOINT_QUESTIONS = 3


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(study)


def study(
    topic: Annotated[str | None, typer.Argument(help="Topic id, e.g. ec2.elastic-ip (see `awsprep topics`).")] = None,
    next_: Annotated[bool, typer.Option("--next", help="Open the next unread, or weakest, topic.")] = False,
    errata: Annotated[bool, typer.Option("--errata", help="Every correction to the notes, in one list.")] = False,
    search: Annotated[str | None, typer.Option("--search", help="Find the lessons that mention a term.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Print the lesson as plain Markdown text.")] = False,
    checkpoint: Annotated[
        bool, typer.Option("--checkpoint/--no-checkpoint", help="Offer 3 questions at the end (terminal only).")
    ] = True,
    json_: Annotated[bool, typer.Option("--json", help="With --errata, --search or no topic: print JSON.")] = False,
) -> None:
    """Read a lesson: the idea, key facts with sources, exam traps, and where your notes went wrong."""
    from awsprep.cli import prompts
    from awsprep.cli.session import open_catalog, open_store
    from awsprep.store import progress
    from awsprep.study import lessons

    catalog = open_catalog()
    if errata:
        _errata(catalog, json_)
        return
    if search is not None:
        _search(catalog, search, json_)
        return
    if next_ or topic is None:
        conn = open_store()
        reads, accuracy = progress.lessons_read(conn), progress.topic_accuracy(conn)
    if next_:
        topic = lessons.next_topic(catalog, reads, accuracy)
        if topic is None:
            raise _no_lessons()
    if topic is None:
        if json_ or not prompts.is_interactive():
            _list(catalog, reads, accuracy, json_)
            return
        topic = _pick(catalog, reads, accuracy)
    catalog.topic(topic)  # unknown id -> one line with suggestions
    lesson = catalog.lesson_by_topic.get(topic)
    if lesson is None:
        from awsprep.errors import UsageError

        raise UsageError(f"topic {topic} has no lesson yet", hint="`awsprep topics` shows which topics have lessons")
    on_screen = not plain and _stdout_is_tty()
    _show(catalog, lesson, plain=not on_screen)
    if not (on_screen and prompts.is_interactive()):
        # printed to a file or a pipe, or nobody at a terminal to say so: not read yet (`--next` stays on it)
        from awsprep.cli.render import message

        message(f"{topic} is not marked as read: open it in a terminal to read it and say so")
        return
    taken = checkpoint and _checkpoint(catalog, topic)
    if taken or prompts.confirm(f"Mark {topic} as read?", default=True):
        _mark_read(topic)


def _mark_read(topic: str) -> None:
    """A lesson needs no progress store: on a damaged or read-only one it is shown, just not marked as read."""
    from awsprep import clock
    from awsprep.cli.render import message
    from awsprep.cli.session import open_store
    from awsprep.errors import StoreError
    from awsprep.store import progress

    try:
        progress.mark_read(open_store(), topic, clock.now_ms())
    except StoreError as exc:
        message(f"note: the lesson was not marked as read ({exc})")


def _no_lessons() -> Exception:
    from awsprep.errors import AwsprepError

    return AwsprepError("no lessons are installed")


def _stdout_is_tty() -> bool:
    import sys

    return sys.stdout.isatty()


def _pick(catalog: Catalog, reads: dict[str, int], accuracy: dict[str, tuple[int, int]]) -> str:
    from awsprep.cli import prompts
    from awsprep.content.records import AREA_TITLES
    from awsprep.study.lessons import status

    choices: list[tuple[str, str | None]] = []
    suggested: str | None = None
    for area, title in AREA_TITLES.items():
        topics = [t for t in catalog.topics if t.area == area and t.id in catalog.lesson_by_topic]
        if topics:
            choices.append((f"── {title} ──", None))
        for t in topics:
            state = status(t.id, reads, accuracy).value
            if suggested is None and state == "unread":
                suggested = t.id
            mark = "  (blueprint)" if t.source == "blueprint" else ""
            choices.append((f"{state:<9} {t.title}{mark}", t.id))
    if not choices:
        raise _no_lessons()
    return prompts.select("Which topic?", choices, default=suggested, instruction="(arrows, enter)")


def _list(catalog: Catalog, reads: dict[str, int], accuracy: dict[str, tuple[int, int]], json_: bool) -> None:
    from awsprep.study.lessons import status

    rows = [
        {
            "id": t.id,
            "title": t.title,
            "area": t.area.value,
            "source": t.source.value,
            "tasks": list(t.tasks),
            "status": status(t.id, reads, accuracy).value,
        }
        for t in catalog.topics
        if t.id in catalog.lesson_by_topic
    ]
    if json_:
        from awsprep.cli.render import print_json

        print_json(rows)
        return
    from awsprep.cli.render import out

    for row in rows:
        out().print(f"{row['status']:<9} {row['source']:<9} {row['id']:<32} {row['title']}", markup=False)
    from awsprep.cli.render import message

    message("open one with `awsprep study TOPIC`, or `awsprep study --next`")


def _show(catalog: Catalog, lesson: Lesson, *, plain: bool) -> None:
    from awsprep.study.lessons import to_markdown

    text = to_markdown(
        lesson,
        labs=catalog.labs_of(lesson.topic),
        questions=sum(1 for t, _ in catalog.questions if t == lesson.topic),
        cards=catalog.cards_count(lesson.topic),
    )
    if plain:
        import sys

        sys.stdout.write(text)
        return
    from awsprep.cli.lesson_view import lesson_renderables
    from awsprep.cli.render import page

    page(lesson_renderables(lesson, text))


def _checkpoint(catalog: Catalog, topic: str) -> bool:
    """Offer the checkpoint questions; True when the learner took them (they reached the end: the lesson is read)."""
    import random

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.question_view import ask, feedback
    from awsprep.cli.render import err
    from awsprep.cli.session import open_store, scheduler_for
    from awsprep.study.quiz import present
    from awsprep.study.quiz_session import QuizRun

    pool = [(t, q) for t, q in catalog.questions if t == topic]
    if not pool or not prompts.confirm(f"Three quick checkpoint questions on {topic}?", default=True):
        return False
    rng = random.Random()
    rng.shuffle(pool)
    shown = [present(t, q, rng) for t, q in pool[:CHECKPOINT_QUESTIONS]]
    conn = open_store()
    run = QuizRun.start(
        conn, shown, clock.now, scheduler_for(conn), seed=None, filters={"topics": [topic]}, kind="checkpoint"
    )
    interrupted = False
    try:
        for i, p in enumerate(shown, 1):
            feedback(run.answer(p, ask(p, i, len(shown))))
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        summary = run.finish(interrupted=interrupted)
    err().print(f"\nCheckpoint: {summary.correct}/{summary.total}. Lesson marked as read.", markup=False)
    return True


def _errata(catalog: Catalog, json_: bool) -> None:
    from dataclasses import asdict

    from awsprep.study.lessons import errata

    items = errata(catalog)
    if json_:
        from awsprep.cli.render import print_json

        print_json([asdict(e) for e in items])
        return
    from rich.table import Table
    from rich.text import Text

    from awsprep.cli.render import Sources, out, print_unwrapped

    sources = Sources()
    table = Table(title=f"Corrections to the notes ({len(items)})", show_lines=True, header_style="bold")
    for col in ("§", "the notes said", "in fact", "src"):
        table.add_column(col, overflow="fold", no_wrap=col == "src")
    for e in items:
        # Text cells: "[wrong]" and the notes' own brackets are words here, not rich markup
        table.add_row(
            Text(e.notes_section), Text(e.notes_said), Text(f"[{e.verdict}] {e.in_fact}"), sources.ref(e.source)
        )
    out().print(table)
    out().print("Sources", style="bold")
    for line in sources.lines():
        print_unwrapped(out(), line)


def _search(catalog: Catalog, text: str, json_: bool) -> None:
    from dataclasses import asdict

    from awsprep.study.lessons import search

    hits = search(catalog, text)
    if json_:
        from awsprep.cli.render import print_json

        print_json([asdict(h) for h in hits])
        return
    from awsprep.cli.render import message, out

    if not hits:
        message(f"no lesson mentions {text!r}")
        raise typer.Exit(1)
    for h in hits:
        out().print(f"{h.topic:<30} {h.where}: {h.excerpt}", markup=False)
