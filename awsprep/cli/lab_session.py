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

    from prompt_toolkit import PromptSession

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
    from awsprep.cli.session import open_store
    from awsprep.cli.shell_prompt import prompt_session, read_line, warm_up_in_background
    from awsprep.labs.progress import open_run, scratch_dir
    from awsprep.paths import data_dir

    conn = open_store()
    opened = open_run(lab, conn, scratch_dir(data_dir(), lab.id))
    run = opened.run
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
    try:
        while not run.finished:
            try:
                line = read_line(session, _prompt(run))
            except KeyboardInterrupt:  # Ctrl-C clears the line, as in bash
                continue
            except EOFError:
                line = "quit" if run.shell.session is None else "exit"
            turn = run.handle(line)
            if turn.kind == "quit":
                _save(conn, run)
                say(f"Saved at step {run.index + 1} of {len(lab.steps)}. Resume with `awsprep lab {lab.id}`.")
                return
            _show(run, turn, catalog, session)
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


def _show(run: LabRun, turn: Turn, catalog: Catalog, session: PromptSession[str]) -> None:
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
        _completed(run, turn.completed, catalog, session)
    if turn.kind == "restart" or (turn.completed is not None and not turn.completed.finished):
        _step_banner(run)


def _completed(run: LabRun, done: Completed, catalog: Catalog, session: PromptSession[str]) -> None:
    say(RULE)
    verb = "skipped (the commands above were run for you)" if done.skipped else "done"
    say(f"Step {done.index + 1} {verb}: {done.title}")
    say(wrapped(done.explanation, "  "))
    for qid in done.checkpoint:
        found = catalog.question_by_id.get(qid)
        if found is not None:
            _checkpoint(found[1], session)


def _checkpoint(q: Question, session: PromptSession[str]) -> None:
    """A question from the bank, answered by letter(s); Enter alone skips it.

    A second prompt loop beside `question_view.choose_letters` (the quiz's, through `prompts.choose`): the lab
    reads every line, answers included, through its one `PromptSession`, while `prompts.choose` builds its own
    application. Not folded yet; the feedback, at least, is one function (`checkpoint_feedback`)."""
    letters = "ABCDEF"[: len(q.options)]
    need = len(q.correct)
    say(RULE)
    say("Checkpoint question" + (f" (choose {need}):" if q.type == "multiple" else ":"))
    say(wrapped(q.stem, "  "))
    for letter, option in zip(letters, q.options, strict=False):
        say(wrapped(f"{letter}. {option.text}", "  "))
    while True:
        try:
            raw = session.prompt(f"answer ({letters[0]}-{letters[-1]}, Enter to skip)> ")
        except (EOFError, KeyboardInterrupt):
            raw = ""
        chosen = {c for c in raw.upper() if c.isalpha()}
        if not chosen:
            say("Skipped.")
            return
        if chosen <= set(letters) and (q.type == "single") == (len(chosen) == 1):
            break
        how = "one letter" if q.type == "single" else f"{need} letters, e.g. AC"
        say(f"Type {how} from {letters[0]} to {letters[-1]}.")
    picked = frozenset(letters.index(c) for c in chosen)
    for line in checkpoint_feedback(q, picked, letters):
        say(line)


def checkpoint_feedback(q: Question, picked: frozenset[int], letters: str) -> list[str]:
    """Right: why. Wrong: why each chosen wrong option is wrong, then why the right one(s) are right."""
    right = "".join(letters[i] for i in sorted(q.correct))
    if picked == q.correct:
        return ["Correct.", *(wrapped(q.options[i].explanation, "  ") for i in sorted(q.correct))]
    lines = [f"Not quite: the answer is {right}."]
    for i in sorted(picked - q.correct):
        lines.append(wrapped(f"You chose {letters[i]}: {q.options[i].explanation}", "  "))
    for i in sorted(q.correct):
        lines.append(wrapped(f"{letters[i]} is right: {q.options[i].explanation}", "  "))
    return lines


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
