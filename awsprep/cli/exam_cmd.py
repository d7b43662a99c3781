"""`awsprep exam`: the timed mock exam; answer in any order, flag, review, submit; resumable after an interruption."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from awsprep.cli.options import seed_in_range

if TYPE_CHECKING:
    import sqlite3

    from awsprep.content.records import Blueprint
    from awsprep.study.exam import ExamResult
    from awsprep.study.exam_session import ExamRun

EPILOG = """Examples:

  awsprep exam

  awsprep exam --accommodation

  awsprep exam --resume

  awsprep exam --count 20          (a shorter practice exam at the real pace: 40 minutes)

  awsprep exam --notes-only        (only the topics of your notes, not the whole blueprint)

  awsprep exam --count 5 --seed 7 --answers A,,BD,C,A --json

While answering: type the letters (B, or BD) or mark them with the arrow keys and space, then Enter; Enter
alone for the next question, p previous, f flag for review, a number to go to that question, r for the review
screen, where s submits.
"""


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(exam)


def exam(
    count: Annotated[
        int | None, typer.Option("--count", "-n", help="A shorter practice exam, same domain mix (default 65).")
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Reproducible selection and option order.", callback=seed_in_range),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option("--answers", help="Answer non-interactively, one per question, empty = unanswered: A,,BD"),
    ] = None,
    accommodation: Annotated[
        bool, typer.Option("--accommodation", help="30 more minutes (the ESL accommodation).")
    ] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the unfinished exam with its time left.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    notes_only_: Annotated[
        bool, typer.Option("--notes-only", help="Draw only from the topics of your notes, not the whole blueprint.")
    ] = False,
) -> None:
    """A timed mock exam drawn by the DVA-C02 domain weights, scored 100-1000 with the pass line at 720."""
    import random

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.session import open_catalog, open_store, scheduler_for
    from awsprep.errors import UsageError
    from awsprep.study.exam import draw_exam, notes_only, parse_exam_answers, result_json, time_limit_s
    from awsprep.study.exam_session import ExamRun

    if resume and notes_only_:
        raise UsageError("--resume continues the exam as it was drawn; it does not take --notes-only")
    if resume and answers is not None:
        raise UsageError("--resume continues an exam in a terminal; it does not take --answers")
    if answers is None:
        prompts.require_tty("an interactive exam", "--answers A,,BD,... (one per question; with --seed and --count)")
    catalog = open_catalog()
    conn = open_store()
    blueprint = catalog.blueprint
    if answers is None and not resume:
        resume = _offer_the_unfinished_exam(conn)
    if resume:
        run, changed = ExamRun.resume(conn, catalog.question_by_id, clock.monotonic, random.Random())
        _say(*_resume_screen(run, changed))
        given = None
    else:
        pool = notes_only(catalog.questions, catalog.topics) if notes_only_ else catalog.questions
        draw = draw_exam(pool, blueprint, blueprint.questions if count is None else count, random.Random(seed))
        limit_s = time_limit_s(blueprint, len(draw.presented), accommodation=accommodation)
        given = parse_exam_answers(answers, draw.presented) if answers is not None else None
        if given is None:
            _start_screen(len(draw.presented), limit_s, draw.shortfall_note)  # the clock starts after it
        elif draw.shortfall_note:
            _say(draw.shortfall_note)
        options = {"count": len(draw.presented), "accommodation": accommodation, "notes_only": notes_only_}
        run = ExamRun.start(
            conn, draw, limit_s=limit_s, now=clock.now(), ticker=clock.monotonic, seed=seed, options=options
        )
    timed_out = False
    if given is not None:
        run.answer_all(given)
    else:
        timed_out = _sit(run)
    result = run.submit(
        blueprint,
        now=clock.now(),
        scheduler=scheduler_for(conn),
        utc_offset_min=clock.utc_offset_minutes(),
        timed_out=timed_out,
    )
    if json_:
        from awsprep.cli.render import print_json

        print_json(result_json(run.attempt_id, result, blueprint, run.note))
    else:
        _report(result, blueprint, run.note, set(catalog.lesson_by_topic))


# --- before the clock starts ---------------------------------------------------------------------------------


def _offer_the_unfinished_exam(conn: sqlite3.Connection) -> bool:
    """Resume (True), or start afresh (False) after the learner confirmed giving the old exam up; or stop."""
    import random

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.session import open_catalog, scheduler_for
    from awsprep.errors import StoreError
    from awsprep.store import progress
    from awsprep.study.exam import format_duration
    from awsprep.study.exam_session import ExamRun
    from awsprep.study.quiz_session import exam_number

    waiting = progress.open_attempt(conn, "exam")
    if waiting is None:
        return False
    number = exam_number(conn, int(waiting["id"]))  # per kind: the first exam is exam 1 whatever came before
    left = format_duration(int(waiting["time_limit_s"] or 0) - float(waiting["elapsed_s"]))
    if prompts.confirm(f"An unfinished exam (exam {number}) has {left} left. Resume it?", default=True):
        return True
    if not prompts.confirm(
        f"Give exam {number} up for good and start a new one? (Its answers are kept: they count in "
        "your history and reviews.)",
        default=False,
    ):
        _say(f"Exam {number} is kept: `awsprep exam --resume` continues it.")
        raise typer.Exit(0)
    try:
        run, _ = ExamRun.resume(conn, open_catalog().question_by_id, clock.monotonic, random.Random())
    except StoreError as exc:  # a damaged state: it was set aside, and there is nothing to keep
        _say(str(exc))
        return False
    correct, answered = run.abandon(
        now=clock.now(), scheduler=scheduler_for(conn), utc_offset_min=clock.utc_offset_minutes()
    )
    _say(f"Exam {number} abandoned with {answered} answered ({correct} correct), kept in `awsprep quiz history`.")
    return False


def _start_screen(count: int, limit_s: int, note: str | None) -> None:
    from awsprep.cli import prompts
    from awsprep.study.exam import format_duration

    lines = [
        "",
        f"Mock exam: {count} question{'s' if count != 1 else ''}, {format_duration(limit_s)} on the clock.",
        *([note] if note else []),
        "Rules: answer in any order; flag questions to come back to; the review screen lists what is left.",
        "Unanswered questions count as wrong. Ctrl-C pauses the exam (`awsprep exam --resume` continues it).",
        "Keys: type the letter(s) (B, or BD) or mark with ↑↓ and space, then Enter; Enter alone next;",
        "p previous; f flag; a number goes to that question; r review; on the review screen s submits.",
    ]

    _say(*lines)
    # a plain line read, not a prompt: prompt_toolkit loads once the first question is on screen (issue 16)
    prompts.wait_for_enter("Press Enter to start the clock.", "Press Enter alone to start (Ctrl-C to leave).")


def _resume_screen(run: ExamRun, changed: str | None) -> list[str]:
    from awsprep.study.exam import format_duration
    from awsprep.study.quiz_session import exam_number

    n, number = len(run.presented), exam_number(run.conn, run.attempt_id)
    lines = [f"Resuming exam {number}: {n} questions, {format_duration(run.remaining())} left."]
    return [*lines, changed] if changed else lines


# --- sitting the exam in a terminal --------------------------------------------------------------------------


def _sit(run: ExamRun) -> bool:
    """The exam's one screen, redrawn in place, until the learner submits (False) or time runs out (True)."""
    import signal

    from awsprep.study.exam import format_duration

    def hang_up(_signum: int, _frame: object) -> None:  # a closed terminal pauses the exam like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGHUP, hang_up)
    try:
        return _screen(run)
    except KeyboardInterrupt:
        run.save()
        _say(f"\nExam paused with {format_duration(run.remaining())} left; `awsprep exam --resume` continues it.")
        raise
    finally:
        signal.signal(signal.SIGHUP, previous)


def _screen(run: ExamRun) -> bool:
    from awsprep.cli import prompts
    from awsprep.study.exam_nav import KEYS, REVIEW, REVIEW_KEYS

    nav = run.state_nav
    # the clock counts from here: the prompt draws the question before its timer can first fire, so an exam
    # resumed with a second left always shows its question before time is up, however slow the start
    run.start_clock()
    if run.remaining() <= 0:
        _say("\nTime is up: the exam is submitted as it stands.")
        return True

    def on_review() -> bool:
        return nav.screen == REVIEW

    def submit(text: str) -> prompts.Reply:
        outcome = run.handle(text)
        return prompts.Reply(done=outcome.action == "submit", message=outcome.message)

    def hint() -> str:
        if on_review():
            return f"Submit?  ({REVIEW_KEYS})"
        return f"{run.presented[nav.current].choose_hint()}  ({KEYS})"

    try:
        prompts.choose(
            lambda: "" if on_review() else run.presented[nav.current].letters(),
            submit,
            hint=hint,
            single=lambda: len(run.presented[nav.current].question.correct) == 1,
            body=lambda: _review_text(run) if on_review() else _question_text(run),
            tick=run.save_if_due,
            on_key=run.save,
            seconds_left=run.remaining,
        )
    except TimeoutError:
        _say("\nTime is up: the exam is submitted as it stands.")
        return True
    return False


def _say(*lines: str) -> None:
    """Plain text on stderr, wrapped to the terminal (rich would cost ~100 ms before the first question)."""
    import sys

    from awsprep.cli.question_view import fit, screen_width

    for text in lines:
        sys.stderr.write(fit(text, screen_width()) + "\n")
    sys.stderr.flush()


def _status(run: ExamRun) -> str:
    from awsprep.study.exam import format_duration

    seen = run.overview()
    return (
        f"{format_duration(run.remaining())} left  ·  {len(seen.answered)}/{len(run.presented)} answered  ·  "
        f"{len(seen.flagged)} flagged"
    )


def _question_text(run: ExamRun) -> str:
    from awsprep.cli.question_view import question_text

    index = run.current
    lines = [f"[{_status(run)}]{'  ⚑ flagged' if index in run.flags else ''}"]
    lines.append(question_text(run.presented[index], index + 1, len(run.presented)))
    if index in run.answers:
        lines.append(f"Your answer: {run.answers[index]}  (Enter keeps it)")
    return "\n".join(lines)


def _review_text(run: ExamRun) -> str:
    seen = run.overview()

    def numbers(values: list[int]) -> str:
        return " ".join(str(n) for n in values) or "none"

    lines = [
        f"Review  ·  {_status(run)}",
        f"Answered ({len(seen.answered)}): {numbers(seen.answered)}",
        f"Unanswered ({len(seen.unanswered)}): {numbers(seen.unanswered)}",
        f"Flagged for review ({len(seen.flagged)}): {numbers(seen.flagged)}",
        *(["Unanswered questions count as wrong."] if seen.unanswered else []),
    ]
    return "\n".join(lines)


# --- the result ----------------------------------------------------------------------------------------------


def _weakest(result: ExamResult, lessons: set[str]) -> None:
    """Per domain, the task statements answered worst, each with the lessons of the topics missed there."""
    from awsprep.cli.render import out

    lines: list[str] = []
    for d in result.by_domain:
        for t in result.weakest_tasks(d.id):
            lines.append(f"  {t.id} {t.title}: {t.correct}/{t.total} correct")
            lines.extend(f"      read: awsprep study {topic}" for topic in t.missed if topic in lessons)
    if lines:
        out().print("Weakest task statements", style="bold", markup=False)
        for line in lines:
            out().print(line, markup=False, highlight=False)


def _report(result: ExamResult, blueprint: Blueprint, note: str | None, lessons: set[str]) -> None:
    from rich.table import Table

    from awsprep.cli.question_view import feedback, fit, question_text
    from awsprep.cli.render import out
    from awsprep.study.exam import SCALING, UNSCORED_NOTE, format_duration
    from awsprep.study.quiz import ItemResult

    console = out()
    verdict = "PASS" if result.passed else "FAIL"
    console.print(
        f"\nScore {result.score} of {blueprint.score_max}: {verdict} (pass mark {result.passing_score})",
        style="bold green" if result.passed else "bold red",
        markup=False,
    )
    console.print(
        f"{result.correct}/{result.total} correct ({result.percent:.0f} %), {result.answered} answered, "
        f"time {format_duration(result.elapsed_s)} of {format_duration(result.limit_s)}"
        + ("  (time ran out)" if result.timed_out else ""),
        markup=False,
    )
    console.print(f"Scoring: {SCALING}. {UNSCORED_NOTE}", style="dim", markup=False)
    if note:
        console.print(note, style="dim", markup=False)
    domains = Table("domain", "correct", "%", header_style="bold", title="By domain")
    for d in result.by_domain:
        domains.add_row(f"{d.id} {d.title}", f"{d.correct}/{d.total}", f"{d.percent:.0f}" if d.total else "-")
    console.print(domains)
    _weakest(result, lessons)
    topics = Table("topic", "correct", header_style="bold", title="By topic")
    for topic, (c, n) in result.by_topic.items():
        topics.add_row(topic, f"{c}/{n}")
    console.print(topics)
    if result.wrong:
        console.print(f"Review of the {len(result.wrong)} wrong or unanswered questions", style="bold")
    for item in result.wrong:
        console.print()
        text = fit(question_text(item.presented, item.number, result.total), console.width - 1)
        console.print(text, markup=False, highlight=False)
        feedback(ItemResult(item.presented, item.chosen, item.correct))
