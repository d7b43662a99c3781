"""`awsprep lab NAME` at a prompt: the sandbox shell with the lab's steps, checks, hints and checkpoints.

The lab logic is `awsprep.labs.runner.LabRun`; this module only reads lines, prints turns and saves after each.
Shell output goes where the sandbox sends it (stdout/stderr); the lab's own words go to stderr.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from awsprep.content.catalog import Catalog
    from awsprep.content.schema import Question
    from awsprep.content.schema_labs import Lab
    from awsprep.labs.runner import Completed, LabRun, Turn

RULE = "-" * 60


def say(text: str = "") -> None:
    """Lab text on stderr (the terminal), kept apart from what commands print."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def wrapped(text: str, indent: str = "") -> str:
    """Authored text reflowed to the terminal width (lists, tables and code stay as written)."""
    from awsprep.cli.render import reflow

    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 110) - len(indent))
    out = []
    for para in reflow(text).split("\n\n"):
        lines = para.splitlines()
        if any(x.startswith(("|", "```", "    ")) for x in lines):
            out.append("\n".join(indent + x for x in lines))
        else:
            out.append(
                "\n".join(textwrap.fill(x, width, initial_indent=indent, subsequent_indent=indent) for x in lines)
            )
    return "\n\n".join(out)


def run_interactive(lab: Lab, catalog: Catalog) -> None:
    """Open (or resume) the lab and read lines until it is finished or the learner quits."""
    from awsprep.cli.session import debug_enabled, open_store
    from awsprep.cli.shell_prompt import attach_terminal, prompt_session, read_line, warm_up_in_background
    from awsprep.labs.progress import open_run, scratch_dir
    from awsprep.paths import data_dir

    conn = open_store()
    opened = open_run(lab, conn, scratch_dir(data_dir(), lab.id))
    run = opened.run
    run.shell.debug = debug_enabled()  # --debug: the simulator's notes after each command
    warm_up_in_background()
    say(f"{lab.title}  ({lab.id}, about {lab.minutes} minutes, {len(lab.steps)} steps)")
    if opened.message:
        say(opened.message)
    if opened.resumed:
        say(f"Resuming at step {run.index + 1} of {len(lab.steps)}; your account and variables are as you left them.")
        say("You are on your laptop: if you were logged in to an instance, `ssh` to it again.")
    else:
        say(wrapped(run.text(lab.introduction)))
    say("Lab commands: hint, show, check, skip, restart, quit (help lists them all).")
    _step_banner(run)
    session = prompt_session(run.shell)
    attach_terminal(run.shell)
    try:
        while not run.finished:
            try:
                line = read_line(session, _prompt(run))
            except KeyboardInterrupt:  # Ctrl-C clears the line, as in bash
                continue
            except EOFError:
                line = "quit" if run.shell.session is None else "exit"
            try:
                turn = run.handle(line)
            except KeyboardInterrupt:  # Ctrl-C while a command runs stops it, not the lab
                run.shell.last_status = 130
                say("")
                continue
            if turn.kind == "quit":
                _save(conn, run)
                say(f"Saved at step {run.index + 1} of {len(lab.steps)}. Resume with `awsprep lab {lab.id}`.")
                return
            _show(run, turn, catalog, conn)
            if turn.kind not in ("empty", "help", "show", "lab"):
                _save(conn, run)
    finally:
        if not run.finished:
            _save(conn, run)
    _save(conn, run)
    _summary(lab, run)


def _prompt(run: LabRun) -> str:
    return f"[{run.index + 1}/{len(run.lab.steps)}] {run.prompt}"


def _save(conn: sqlite3.Connection, run: LabRun) -> None:
    from awsprep.clock import now_ms
    from awsprep.labs.progress import save_run

    save_run(conn, run, now_ms())


def _step_banner(run: LabRun) -> None:
    step = run.current
    if step is None:
        return
    say(RULE)
    say(f"Step {run.index + 1} of {len(run.lab.steps)}: {run.text(step.title)}")
    say(wrapped(run.text(step.instruction), "  "))


def _show(run: LabRun, turn: Turn, catalog: Catalog, conn: sqlite3.Connection) -> None:
    """Print one turn: command output, nudges, hints, check results, a completed step and what comes next."""
    if turn.result is not None:
        sys.stdout.write(turn.result.stdout)
        sys.stdout.flush()
        sys.stderr.write(turn.result.stderr)
    for cmd, result in turn.ran:
        say(f"$ {cmd}")
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
        sys.stderr.write(result.stderr)
    if turn.kind == "show":
        say("This step's command(s):")
        say("\n".join(f"  {c}" for c in turn.text.splitlines()))
    elif turn.text:
        say(wrapped(turn.text) if turn.kind in ("hint", "lab") else turn.text)
    if turn.nudge:
        say(f"[lab] {turn.nudge}")
    if turn.report is not None and turn.kind in ("check", "skip") and turn.completed is None:
        say("Not done yet:")
        for line in turn.report.lines:
            say(f"  {'ok ' if line.passed else 'not'} {line.says}" + (f" ({line.found})" if line.found else ""))
    if turn.kind == "restart":
        say(wrapped(run.text(run.lab.introduction)))
    if turn.completed is not None:
        _completed(run, turn.completed, catalog, conn)
    if turn.kind == "restart" or (turn.completed is not None and not turn.completed.finished):
        _step_banner(run)


def _completed(run: LabRun, done: Completed, catalog: Catalog, conn: sqlite3.Connection) -> None:
    say(RULE)
    verb = "skipped (the commands above were run for you)" if done.skipped else "done"
    say(f"Step {done.index + 1} {verb}: {done.title}")
    say(wrapped(done.explanation, "  "))
    found = [x for x in map(catalog.checkpoint, done.checkpoint) if x is not None]
    if found:
        _checkpoints(run.lab.id, found, conn)


def _checkpoints(lab_id: str, found: list[tuple[str, Question, bool]], conn: sqlite3.Connection) -> None:
    """The step's checkpoint questions, options shuffled, graded and stored like any quiz answer. A bank
    question's answer is also a review of its question card (one memory model); a lab's own question is asked
    nowhere else, so it has no card. Enter alone skips one."""
    import random

    from awsprep import clock
    from awsprep.cli.question_view import ask, feedback
    from awsprep.cli.session import scheduler_for
    from awsprep.study.quiz import present
    from awsprep.study.quiz_session import QuizRun

    rng = random.Random()
    shown = [present(topic, q, rng) for topic, q, _ in found]
    own = frozenset(q.id for _, q, is_own in found if is_own)
    quiz = QuizRun.start(
        conn,
        shown,
        clock.now,
        scheduler_for(conn),
        seed=None,
        filters={"lab": lab_id},
        kind="checkpoint",
        unreviewed=own,
    )
    try:
        for i, p in enumerate(shown, 1):
            say(RULE)
            say("Checkpoint question")
            try:
                letters = ask(p, i, len(shown), skippable=True)
            except KeyboardInterrupt:  # Ctrl-C skips the question, as it clears a line at the lab prompt
                letters = ""
            if not letters:
                say("Skipped.")
                continue
            feedback(quiz.answer(p, letters))
    finally:
        quiz.finish()


def _summary(lab: Lab, run: LabRun) -> None:
    say(RULE)
    say(f"Lab complete: {lab.title}")
    if run.skipped:
        say(f"(You skipped {len(run.skipped)} step(s): {', '.join(run.skipped)}.)")
    say(wrapped(run.text(lab.summary), "  "))
    say("What the exam asks:")
    for tip in lab.exam_tips:
        say(wrapped(f"- {tip}", "  "))
    say("Read more:")
    for ref in lab.references:
        say(f"  {ref.title}: {ref.url}")
    topics = ", ".join(lab.topics)
    say(f"Next: `awsprep quiz --topic {lab.topics[0]}` ({topics}); this lab starts afresh next time.")
