"""`awsprep quiz`: practice questions with immediate feedback on every option."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from awsprep.cli.options import seed_in_range

if TYPE_CHECKING:
    from awsprep.study.quiz import ItemResult, Summary
    from awsprep.study.quiz_session import QuizRun

EPILOG = """Examples:

  awsprep quiz --topic ec2.elastic-ip

  awsprep quiz --area lambda --count 20

  awsprep quiz --missed

  awsprep quiz --topic ec2.elastic-ip --seed 7 --answers A,BD,C,A,B --json

  awsprep quiz --count 10 --confidence

  awsprep quiz history

  awsprep quiz history --json
"""


def register(app: typer.Typer) -> None:
    # a group whose callback is the quiz itself: `awsprep quiz [OPTIONS]` runs one, `awsprep quiz history` lists
    group = typer.Typer(no_args_is_help=False, add_completion=False)
    group.callback(invoke_without_command=True, epilog=EPILOG)(quiz)
    group.command("history", epilog="Examples:\n\n  awsprep quiz history\n\n  awsprep quiz history --json")(history)
    app.add_typer(group, name="quiz")


def quiz(
    ctx: typer.Context,
    topic: Annotated[list[str] | None, typer.Option("--topic", "-t", help="Only this topic (repeatable).")] = None,
    area: Annotated[list[str] | None, typer.Option("--area", "-a", help="Only this area, e.g. lambda.")] = None,
    domain: Annotated[list[int] | None, typer.Option("--domain", "-d", help="Only this exam domain (1-4).")] = None,
    count: Annotated[int | None, typer.Option("--count", "-n", help="How many questions (default 10).")] = None,
    missed: Annotated[bool, typer.Option("--missed", help="Only questions you last answered wrong.")] = False,
    new: Annotated[bool, typer.Option("--new", help="Only questions you have never answered.")] = False,
    seed: Annotated[
        int | None,
        typer.Option("--seed", help="Reproducible selection and option order.", callback=seed_in_range),
    ] = None,
    answers: Annotated[
        str | None, typer.Option("--answers", help="Answer non-interactively, one per question: A,BD,C")
    ] = None,
    confidence: Annotated[bool, typer.Option("--confidence", help="Ask how sure you were after each answer.")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Practice questions with an explanation for every option, and a summary by topic and misconception.

    `awsprep quiz history` lists your past quizzes and exams instead.
    """
    if ctx.invoked_subcommand is not None:
        return
    import random

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.question_view import feedback, fit, question_text
    from awsprep.cli.session import open_catalog, open_store, scheduler_for
    from awsprep.store import progress
    from awsprep.study.quiz import Filters, draw_quiz, matching, parse_answer_list
    from awsprep.study.quiz_session import QuizRun

    catalog = open_catalog()
    conn = open_store()
    filters = Filters(tuple(topic or ()), tuple(area or ()), tuple(domain or ()), missed, new)
    if missed and not matching(catalog, filters, progress.last_results(conn)):
        from awsprep.cli.render import message

        message("Nothing to retake: no missed questions. Try `awsprep quiz --new`.")
        return
    if answers is None:
        prompts.require_tty("an interactive quiz", "--answers A,BD,C (with --seed to fix the selection)")
    shown = draw_quiz(catalog, filters, progress.last_results(conn), count, random.Random(seed))
    given = parse_answer_list(answers, shown) if answers is not None else None
    run = QuizRun.start(
        conn,
        shown,
        clock.now,
        scheduler_for(conn),
        seed=seed,
        filters={"topics": topic, "areas": area, "domains": domain, "missed": missed, "new": new},
        utc_offset_min=clock.utc_offset_minutes(),
    )
    interrupted = False
    try:
        if given is not None:
            for p, letters in zip(shown, given, strict=True):
                run.answer(p, letters)
        else:
            _answer_interactively(run, confidence)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        summary = run.finish(interrupted=interrupted)
        if interrupted:
            from awsprep.cli.render import message

            message(f"Interrupted: {len(run.results)} answer(s) saved.")
    if json_:
        from awsprep.cli.render import print_json

        print_json(result_json(run.attempt_id, summary, run.results))
    else:
        if given is not None:
            from awsprep.cli.render import out

            for i, result in enumerate(run.results, 1):
                text = fit(question_text(result.presented, i, len(run.results)), out().width - 1)
                out().print(text, markup=False, highlight=False)
                feedback(result)
        _summary(summary, run.results)


def _answer_interactively(run: QuizRun, confidence: bool) -> None:
    """Ask each question in turn, feedback at once; every answer is committed by `run.answer` as it is given."""
    from awsprep import clock
    from awsprep.cli.question_view import ask, feedback

    for i, p in enumerate(run.presented, 1):
        started = clock.monotonic()
        letters = ask(p, i, len(run.presented))
        sure = _ask_confidence() if confidence else None
        feedback(run.answer(p, letters, confidence=sure, duration_ms=int((clock.monotonic() - started) * 1000)))


def result_json(attempt_id: int, summary: Summary, results: list[ItemResult]) -> dict[str, object]:
    return {
        "attempt": attempt_id,
        "correct": summary.correct,
        "total": summary.total,
        "percent": round(summary.percent, 1),
        "by_topic": {t: {"correct": c, "total": n} for t, (c, n) in summary.by_topic.items()},
        "misconceptions": dict(summary.misconceptions),
        "confidence": {k: {"correct": c, "total": n} for k, (c, n) in summary.by_confidence.items()},
        "questions": [
            {
                "id": r.presented.id,
                "topic": r.presented.topic,
                "chosen": r.chosen,
                "answer": r.presented.correct_letters(),
                "correct": r.correct,
                "confidence": r.confidence,
            }
            for r in results
        ],
    }


def _ask_confidence() -> str:
    from awsprep.cli import prompts

    return prompts.select("How sure were you?", [("sure", "sure"), ("unsure", "unsure"), ("a guess", "guess")])


def _summary(summary: Summary, results: list[ItemResult]) -> None:
    from rich.table import Table

    from awsprep.cli.render import out
    from awsprep.study.quiz_next import next_steps, readable

    console = out()
    console.print(f"\nScore: {summary.correct}/{summary.total} ({summary.percent:.0f} %)", style="bold")
    table = Table("topic", "correct", header_style="bold")
    for topic, (c, n) in sorted(summary.by_topic.items()):
        table.add_row(topic, f"{c}/{n}")
    console.print(table)
    if summary.misconceptions:
        console.print("Misconceptions to revisit:", style="bold")
        for tag, n in summary.misconceptions:
            console.print(f"  {readable(tag)}{f' (×{n})' if n > 1 else ''}", markup=False, highlight=False)
    calibration = summary.calibration()
    if calibration:
        console.print("Confidence calibration:", style="bold")
        for line in calibration:
            console.print(f"  {line}", markup=False)
    steps = next_steps(summary, results)
    console.print("Next:", style="bold")
    labels = ["read the weakest topic again", "then retake what you missed"] if len(steps) == 2 else ["practise more"]
    for label, command in zip(labels, steps, strict=True):
        console.print(f"  {command}    ({label})", markup=False, highlight=False, soft_wrap=True)


def history(json_: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False) -> None:
    """Your past quizzes and exams with scores and a trend."""
    from awsprep.cli.session import open_store
    from awsprep.study.quiz_session import load_history

    found = load_history(open_store())
    if json_:
        from awsprep.cli.render import print_json

        print_json(
            {
                "attempts": [{**asdict(a), "percent": round(a.percent, 1)} for a in found.attempts],
                "trend": None if found.trend is None else round(found.trend, 1),
                "trend_window": found.window,
                "trend_word": found.trend_word,
            }
        )
        return
    from datetime import UTC, datetime

    from rich.table import Table

    from awsprep.cli.render import message, out
    from awsprep.study.exam import format_duration

    if not found.attempts:
        message("No quizzes or exams yet: start with `awsprep quiz` or `awsprep exam --count 10`.")
        return
    table = Table("#", "when (UTC)", "kind", "correct", "%", "score", "time", "status", header_style="bold")
    for a in found.attempts:
        when = datetime.fromtimestamp(a.started_ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M")
        # an unfinished exam grades nothing until it is submitted (its answers live in its saved state): not 0/0
        pending = a.status == "open" and a.kind == "exam"
        table.add_row(
            str(a.number),  # per kind: the first exam is exam 1 (the ids, shared by all kinds, are in --json)
            when,
            a.kind,
            "in progress" if pending else f"{a.correct}/{a.total}",
            f"{a.percent:.0f}" if a.total and not pending else "-",
            "" if a.score is None else str(a.score),
            format_duration(a.elapsed_s),
            a.status,
        )
    out().print(table)
    bars = "▁▂▃▄▅▆▇█"
    done = [a.percent for a in found.attempts if a.status != "open" and a.total]
    spark = "".join(bars[min(7, int(p / 12.5))] for p in done[-30:])
    window = f" (last {found.window} vs the {found.window} before)" if found.window else ""
    out().print(f"Trend: {found.trend_word}{window}  {spark}", markup=False)
