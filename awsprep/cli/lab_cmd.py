"""`awsprep lab`: guided labs on the simulator (list, run at a prompt, or run the reference solution)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from awsprep.content.catalog import Catalog
    from awsprep.content.schema_labs import Lab
    from awsprep.labs.auto import AutoStep

EPILOG = """Examples:

  awsprep lab

  awsprep lab list --json

  awsprep lab ec2-elastic-ip

  awsprep lab ec2-elastic-ip --auto
"""


def register(app: typer.Typer) -> None:
    app.command(epilog=EPILOG)(lab)


def lab(
    name: Annotated[
        str | None, typer.Argument(help="The lab to run, e.g. ec2-elastic-ip; `list` (or nothing) lists the labs.")
    ] = None,
    auto: Annotated[
        bool, typer.Option("--auto", help="Run the lab's reference solution and every check; exit 1 if one fails.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with `list` or --auto).")] = False,
) -> None:
    """Guided hands-on labs in the simulated AWS account: what to type, why, and a check after each step.

    Inside a lab, type AWS CLI commands as usual, plus `hint`, `show`, `check`, `skip`, `restart` and `quit`.
    """
    from awsprep.cli.session import open_catalog
    from awsprep.errors import UsageError
    from awsprep.labs import lesson_links

    catalog = open_catalog()
    lesson_links.install(frozenset(catalog.lesson_by_topic))  # the shell's not-simulated lines name a lesson
    if name is None or name == "list":
        if auto:
            raise UsageError("--auto needs a lab name", hint="e.g. `awsprep lab ec2-elastic-ip --auto`")
        _list(catalog.labs, as_json)
        return
    chosen = _find(catalog.labs, name)
    if auto:
        raise typer.Exit(_auto(chosen, catalog, as_json))
    if as_json:
        raise UsageError("--json goes with `awsprep lab list` or `--auto`")
    from awsprep.cli.prompts import is_interactive

    if not is_interactive():
        raise UsageError(
            f"`awsprep lab {name}` needs a terminal; to run its reference solution, use `awsprep lab {name} --auto`"
        )
    from awsprep.cli.lab_session import run_interactive

    run_interactive(chosen, catalog)


def _find(labs: list[Lab], name: str) -> Lab:
    import difflib

    from awsprep.errors import UsageError

    by_id = {x.id: x for x in labs}
    if name in by_id:
        return by_id[name]
    close = difflib.get_close_matches(name, list(by_id), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run `awsprep lab list` to see the labs"
    raise UsageError(f"unknown lab {name!r}", hint=hint)


def _debug() -> bool:
    """`--debug`: the simulator's notes print under each command of `--auto`."""
    from awsprep.cli.session import debug_enabled

    return debug_enabled()


def _list(labs: list[Lab], as_json: bool) -> None:
    from awsprep.cli.render import message, out, print_json
    from awsprep.cli.session import open_store
    from awsprep.labs.progress import statuses

    rows = statuses(labs, open_store())
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    if not rows:
        message("No labs are installed.")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    for col in ("lab", "title", "minutes", "steps", "progress"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.id, r.title, str(r.minutes), str(r.steps), r.status)
    out().print(table)
    message("Run one with `awsprep lab NAME`; `awsprep lab NAME --auto` runs its reference solution.")


def _answers(catalog: Catalog, lab_id: str, qids: tuple[str, ...]) -> list[dict[str, object]]:
    """Each checkpoint of a step answered with its key, as the learner would answer it (options shuffled)."""
    import random

    from awsprep.study.quiz import answer_by_key

    out: list[dict[str, object]] = []
    for qid in qids:
        found = catalog.checkpoint(qid)
        if found is None:
            out.append({"question": qid, "found": False, "correct": False})
            continue
        topic, question, own = found
        letters, correct = answer_by_key(topic, question, random.Random(f"{lab_id}:{qid}"))
        out.append({"question": qid, "found": True, "lab_question": own, "answered": letters, "correct": correct})
    return out


def _auto(chosen: Lab, catalog: Catalog, as_json: bool) -> int:
    """Run the reference solution, printing each step and check as it goes, and answer each step's checkpoint
    questions with their key; 0 only if every check passed and every checkpoint was answered right."""
    from awsprep.cli.render import print_json
    from awsprep.labs.auto import run_auto

    answered: dict[int, list[dict[str, object]]] = {}

    def show(step: AutoStep) -> None:
        answered[step.index] = _answers(catalog, chosen.id, step.checkpoint)
        if as_json:
            return
        lines = [f"[{step.index + 1}/{len(chosen.steps)}] {step.title}\n"]
        for cmd, result in step.ran:
            lines.append(f"  $ {cmd}\n")
            if result.exit_code:
                first = (result.stderr or result.stdout).strip().splitlines()[:1]
                lines.append(f"    exit {result.exit_code}: {first[0] if first else ''}\n")
            if result.notes and _debug():  # --debug: the simulator's notes on this command, under it
                lines.extend(f"    {note}\n" for note in result.notes.splitlines())
        for line in step.report.lines:
            mark = "PASS" if line.passed else "FAIL"
            lines.append(
                f"  {mark} {line.says}" + (f" ({line.found})" if line.found and not line.passed else "") + "\n"
            )
        for a in answered[step.index]:
            if not a["found"]:
                lines.append(f"  FAIL checkpoint {a['question']}: no such question\n")
                continue
            kind = "lab question" if a["lab_question"] else "bank question"
            mark = "PASS" if a["correct"] else "FAIL"
            lines.append(f"  {mark} checkpoint {a['question']} ({kind}): answered {a['answered']}\n")
        sys.stdout.write("".join(lines))
        sys.stdout.flush()

    if not as_json:
        sys.stdout.write(f"{chosen.id}: {chosen.title} (reference solution)\n")
    with tempfile.TemporaryDirectory(prefix="awsprep-lab-") as tmp:
        report = run_auto(chosen, Path(tmp), on_step=show)
    checkpoints_ok = all(a["correct"] for answers in answered.values() for a in answers)
    passed = report.passed and checkpoints_ok
    if as_json:
        print_json(
            {
                "lab": chosen.id,
                "passed": passed,
                "steps": [
                    {
                        "step": s.index + 1,
                        "title": s.title,
                        "commands": [{"command": c, "exit_code": r.exit_code} for c, r in s.ran],
                        "passed": s.report.passed,
                        "checks": [{"says": x.says, "passed": x.passed, "found": x.found} for x in s.report.lines],
                        "checkpoints": answered.get(s.index, []),
                    }
                    for s in report.steps
                ],
            }
        )
    elif passed:
        asked = sum(len(a) for a in answered.values())
        sys.stdout.write(
            f"PASS: all {report.total} steps of {chosen.id} passed their checks; {asked} checkpoint question"
            f"{'s' if asked != 1 else ''} answered.\n"
        )
    elif report.passed:
        sys.stdout.write(f"FAIL: {chosen.id} passed its checks, but a checkpoint question is missing or wrong.\n")
    else:
        sys.stdout.write(f"FAIL: {chosen.id} stopped at step {len(report.steps)} of {report.total}.\n")
    return 0 if passed else 1
