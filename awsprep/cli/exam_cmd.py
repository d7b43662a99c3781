"""`awsprep exam`: the timed mock exam; answer in any order, flag, review, submit; resumable after an interruption."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from awsprep.content.schema import Blueprint
    from awsprep.study.exam import ExamResult
    from awsprep.study.exam_session import ExamRun

EPILOG = """Examples:

  awsprep exam

  awsprep exam --accommodation

  awsprep exam --resume

  awsprep exam --count 20          (a shorter practice exam at the real pace: 40 minutes)

  awsprep exam --count 5 --seed 7 --answers A,,BD,C,A --json

While answering: type the letters (B, or BD), Enter for the next question, p previous, f flag for review,
a number to go to that question, r for the review screen, where s submits.
"""

KEYS = "letters · Enter next · p prev · f flag · N go to N · r review"


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(exam)


def exam(
    count: Annotated[
        int | None, typer.Option("--count", "-n", help="A shorter practice exam, same domain mix (default 65).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Reproducible selection and option order.")] = None,
    answers: Annotated[
        str | None,
        typer.Option("--answers", help="Answer non-interactively, one per question, empty = unanswered: A,,BD"),
    ] = None,
    accommodation: Annotated[
        bool, typer.Option("--accommodation", help="30 more minutes (the ESL accommodation).")
    ] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the unfinished exam with its time left.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """A timed mock exam drawn by the DVA-C02 domain weights, scored 100-1000 with the pass line at 720."""
    import random

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.session import open_catalog, open_store, scheduler_for
    from awsprep.errors import UsageError
    from awsprep.store import progress
    from awsprep.study.exam import draw_exam, format_duration, parse_exam_answers, time_limit_s
    from awsprep.study.exam_session import ExamRun

    if resume and answers is not None:
        raise UsageError("--resume continues an exam in a terminal; it does not take --answers")
    if answers is None:
        prompts.require_tty("an interactive exam", "--answers A,,BD,... (one per question; with --seed and --count)")
    catalog = open_catalog()
    conn = open_store()
    blueprint = catalog.blueprint
    waiting = progress.open_attempt(conn, "exam") if answers is None and not resume else None
    if waiting is not None:
        left = format_duration(int(waiting["time_limit_s"] or 0) - float(waiting["elapsed_s"]))
        resume = prompts.confirm(f"An unfinished exam (#{waiting['id']}) has {left} left. Resume it?", default=True)
        if not resume:
            progress.update_attempt_status(conn, int(waiting["id"]), "abandoned")
            _say(f"Exam #{waiting['id']} abandoned.")
    if resume:
        run, changed = ExamRun.resume(conn, catalog.question_by_id, clock.monotonic, random.Random())
        _say(
            f"Resuming exam #{run.attempt_id}: {len(run.presented)} questions, {format_duration(run.remaining())} left."
        )
        if changed:
            _say(changed)
        given = None
    else:
        draw = draw_exam(
            catalog.questions, blueprint, blueprint.questions if count is None else count, random.Random(seed)
        )
        limit_s = time_limit_s(blueprint, len(draw.presented), accommodation=accommodation)
        given = parse_exam_answers(answers, draw.presented) if answers is not None else None
        if draw.shortfall_note:
            _say(draw.shortfall_note)
        options = {"count": len(draw.presented), "accommodation": accommodation}
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
        _report(result, blueprint, run.note)


# --- sitting the exam in a terminal --------------------------------------------------------------------------


def _sit(run: ExamRun) -> bool:
    """The question and review screens until the learner submits (False) or the time runs out (True)."""
    import signal

    from awsprep.study.exam import format_duration

    def hang_up(_signum: int, _frame: object) -> None:  # a closed terminal pauses the exam like Ctrl-C
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGHUP, hang_up)
    try:
        return _loop(run)
    except KeyboardInterrupt:
        run.save()
        _say(f"\nExam paused with {format_duration(run.remaining())} left; `awsprep exam --resume` continues it.")
        raise
    finally:
        signal.signal(signal.SIGHUP, previous)


def _loop(run: ExamRun) -> bool:
    on_review = False
    total = len(run.presented)
    while True:
        if run.remaining() <= 0:
            _say("\nTime is up: the exam is submitted as it stands.")
            return True
        try:
            if on_review:
                reply = _review_screen(run)
                if reply == "s":
                    return False
                on_review = False
                if reply.isdigit():
                    run.go(int(reply) - 1)
                continue
            reply = _question_screen(run)
        except TimeoutError:
            _say("\nTime is up: the exam is submitted as it stands.")
            return True
        command = reply.strip().lower()
        if command in ("", "n"):
            if run.current + 1 < total:
                run.go(run.current + 1)
            else:
                on_review = True
        elif command == "p":
            run.go(max(0, run.current - 1))
        elif command == "f":
            run.toggle_flag(run.current)
        elif command == "r":
            on_review = True
        elif command.isdigit():
            run.go(int(command) - 1)
        else:
            from awsprep.errors import UsageError
            from awsprep.study.quiz import normalise_choice

            try:
                choice = normalise_choice(command, run.presented[run.current])
            except UsageError as exc:  # a typo mid-exam: say so and ask again, never end the exam
                _say(f"{exc}; or Enter next · p prev · f flag · N go to N · r review")
                continue
            run.answer(run.current, choice)
            if run.current + 1 < total:
                run.go(run.current + 1)
            else:
                on_review = True


def _say(*lines: str) -> None:
    """Plain text on stderr, wrapped to the terminal (rich would cost ~100 ms before the first question)."""
    import shutil
    import sys
    import textwrap

    width = max(40, shutil.get_terminal_size().columns - 1)
    for text in lines:
        for line in text.split("\n"):
            indent = " " * (len(line) - len(line.lstrip(" ")) + (3 if line.lstrip()[1:3] == ". " else 0))
            sys.stderr.write((textwrap.fill(line, width, subsequent_indent=indent) if line else "") + "\n")
    sys.stderr.flush()


def _status(run: ExamRun) -> str:
    from awsprep.study.exam import format_duration

    seen = run.overview()
    return (
        f" {format_duration(run.remaining())} left  ·  {len(seen.answered)}/{len(run.presented)} answered  ·  "
        f"{len(seen.flagged)} flagged"
    )


def _question_screen(run: ExamRun) -> str:
    from awsprep.cli.question_view import question_text
    from awsprep.errors import UsageError
    from awsprep.study.quiz import normalise_choice

    index = run.current
    p = run.presented[index]
    total = len(run.presented)
    lines = ["", f"[{_status(run).strip()}]{'  ⚑ flagged' if index in run.flags else ''}"]
    lines.append(question_text(p, index + 1, total))
    if index in run.answers:
        lines.append(f"Your answer: {run.answers[index]}")
    _say(*lines)
    need = len(p.question.correct)

    def check(text: str) -> bool | str:
        word = text.strip().lower()
        if word in ("", "n", "p", "f", "r"):
            return True
        if word.isdigit():
            return 1 <= int(word) <= total or f"there are questions 1 to {total}"
        try:
            letters = normalise_choice(word, p)
        except UsageError:
            return f"use letters {p.letters()[0]}-{p.letters()[-1]}, or: {KEYS}"
        if len(letters) != need:
            return f"{p.choose_hint()} Give {need} letter{'s' if need != 1 else ''}."
        return True

    return _timed_prompt(run, p.choose_hint(), check)


def _review_screen(run: ExamRun) -> str:
    seen = run.overview()

    def numbers(values: list[int]) -> str:
        return " ".join(str(n) for n in values) or "none"

    _say(
        "",
        f"Review  ·{_status(run)}",
        f"Answered ({len(seen.answered)}): {numbers(seen.answered)}",
        f"Unanswered ({len(seen.unanswered)}): {numbers(seen.unanswered)}",
        f"Flagged for review ({len(seen.flagged)}): {numbers(seen.flagged)}",
        *(["Unanswered questions count as wrong."] if seen.unanswered else []),
    )
    total = len(run.presented)

    def check(text: str) -> bool | str:
        word = text.strip().lower()
        if word in ("", "s") or (word.isdigit() and 1 <= int(word) <= total):
            return True
        return f"s to submit, a question number (1-{total}) to go back to it, Enter to return"

    return _timed_prompt(run, "Submit?", check, instruction="s submit · N go to N · Enter back").strip().lower()


def _timed_prompt(run: ExamRun, message: str, check: object, *, instruction: str = KEYS) -> str:
    """A text prompt with a live countdown; raises TimeoutError when the exam's time runs out."""
    import asyncio

    import questionary

    from awsprep.cli.prompts import on_terminal
    from awsprep.study.exam import format_duration

    def toolbar() -> str:
        run.save_if_due()
        return _status(run)

    question = questionary.text(
        message,
        qmark="",
        instruction=f"({instruction})",
        validate=check,
        bottom_toolbar=toolbar,  # shown where the terminal reports its cursor position (real terminals do)
        rprompt=lambda: f"{format_duration(run.remaining())} left",  # shown everywhere, refreshed every second
        refresh_interval=1.0,
    )

    async def guarded() -> str | None:
        # Ctrl-C must not escape from inside a task (asyncio would re-raise it out of the event loop mid-way)
        try:
            answer: str = await question.unsafe_ask_async()
        except KeyboardInterrupt:
            return None
        return answer

    async def ask() -> str | None:
        return await asyncio.wait_for(guarded(), timeout=max(run.remaining(), 0.01))

    with on_terminal():
        reply = asyncio.run(ask())
    if reply is None:
        raise KeyboardInterrupt
    return reply


# --- the result ----------------------------------------------------------------------------------------------

SCALING = "scaled piecewise-linearly: 0 % correct = 100, 72 % = 720 (the pass line), 100 % = 1000; unanswered = wrong"


def result_json(attempt_id: int, result: ExamResult, blueprint: Blueprint, note: str | None) -> dict[str, object]:
    from awsprep.study.exam import UNSCORED_NOTE

    return {
        "attempt": attempt_id,
        "score": result.score,
        "passed": result.passed,
        "passing_score": result.passing_score,
        "score_range": [blueprint.score_min, blueprint.score_max],
        "correct": result.correct,
        "total": result.total,
        "answered": result.answered,
        "percent": round(result.percent, 1),
        "elapsed_s": round(result.elapsed_s, 1),
        "limit_s": result.limit_s,
        "timed_out": result.timed_out,
        "scaling": SCALING,
        "unscored_note": UNSCORED_NOTE,
        "note": note,
        "by_domain": [{"id": d.id, "title": d.title, "correct": d.correct, "total": d.total} for d in result.by_domain],
        "by_topic": {t: {"correct": c, "total": n} for t, (c, n) in result.by_topic.items()},
        "questions": [
            {
                "number": i.number,
                "id": i.presented.id,
                "topic": i.presented.topic,
                "domain": i.presented.question.domain,
                "chosen": i.chosen,
                "answer": i.presented.correct_letters(),
                "correct": i.correct,
                "flagged": i.flagged,
            }
            for i in result.items
        ],
    }


def _report(result: ExamResult, blueprint: Blueprint, note: str | None) -> None:
    from rich.table import Table

    from awsprep.cli.question_view import feedback, question_text
    from awsprep.cli.render import out
    from awsprep.study.exam import UNSCORED_NOTE, format_duration
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
    topics = Table("topic", "correct", header_style="bold", title="By topic")
    for topic, (c, n) in result.by_topic.items():
        topics.add_row(topic, f"{c}/{n}")
    console.print(topics)
    if result.wrong:
        console.print(f"Review of the {len(result.wrong)} wrong or unanswered questions", style="bold")
    for item in result.wrong:
        console.print()
        console.print(question_text(item.presented, item.number, result.total), markup=False, highlight=False)
        feedback(ItemResult(item.presented, item.chosen, item.correct))
