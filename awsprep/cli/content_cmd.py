"""`awsprep validate`, `awsprep topics` and `awsprep content export`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from awsprep.content.build import ModelCatalog
    from awsprep.content.catalog import Catalog


def register(app: typer.Typer) -> None:
    app.command(epilog="Examples:\n\n  awsprep validate\n\n  awsprep validate my-content/")(validate)
    app.command(
        epilog="Examples:\n\n  awsprep topics\n\n  awsprep topics --coverage\n\n"
        "  awsprep topics --json | jq '.[] | select(.questions < 6)'"
    )(topics)
    content = typer.Typer(help="The content itself, for use in other tools.", no_args_is_help=True)
    content.command("export", epilog="Example:\n\n  awsprep content export --json > awsprep-content.json")(export)
    app.add_typer(content, name="content")


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders of your own content.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Also run the content lint (style rules).")] = False,
) -> None:
    """Validate the shipped content, or your own content files; list every problem with file:line:col."""
    from awsprep.cli.render import message
    from awsprep.content.catalog import load_catalog, validate_paths
    from awsprep.errors import ContentError
    from awsprep.labs import kinds

    kinds.install()  # lab checks may name only the kinds the simulator's services register

    if paths:
        count, problems = validate_paths(paths, strict=strict)
        if problems:
            raise ContentError(problems)
        message(f"{count} file{'s' if count != 1 else ''} valid")
        return
    catalog: Catalog | ModelCatalog  # the records, or (with --strict) the models the lint maps to file:line:col
    if not strict:
        catalog = load_catalog(use_cache=False)
    else:
        from awsprep.content.catalog import load_sources
        from awsprep.content.lint import lint
        from awsprep.content.lint_cues import cue_report

        sources = load_sources()
        catalog = sources.catalog
        # the figures come first and always: an author rebalancing options reads them even when all is well
        message("answer cues (correct option strictly shortest / longest, x chance; MR = correct/wrong length):")
        for line in cue_report(sources.catalog):
            message(f"  {line}")
        findings = lint(sources)
        if findings:
            raise ContentError(findings)
    n_questions = len(catalog.questions)
    message(
        f"content valid: {len(catalog.topics)} topics, {len(catalog.lessons)} lessons, {n_questions} questions, "
        f"{sum(len(d.notes) for d in catalog.decks)} flashcard notes, {len(catalog.labs)} labs"
    )


def topics(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    coverage_: Annotated[
        bool,
        typer.Option(
            "--coverage", help="Each task statement of the exam blueprint: its topics, lessons, questions, cards."
        ),
    ] = False,
) -> None:
    """Every topic with its source, lesson, questions, flashcards and labs: the coverage dashboard."""
    from awsprep.content.catalog import load_catalog
    from awsprep.study.coverage import coverage

    catalog = load_catalog()
    if coverage_:
        _task_coverage(catalog, json_)
        return
    rows = coverage(catalog)
    if json_:
        from awsprep.cli.render import print_json

        print_json([r.to_dict() for r in rows])
        return
    from awsprep.cli.topics_view import render_topics

    render_topics(rows)


def _task_coverage(catalog: Catalog, json_: bool) -> None:
    from awsprep.study.coverage import stray_questions, task_coverage

    rows = task_coverage(catalog)
    strays = stray_questions(catalog)
    if json_:
        from awsprep.cli.render import print_json

        print_json(
            {
                "exam": catalog.blueprint.code,
                "guide_version": catalog.blueprint.guide_version,
                "tasks": [r.to_dict() for r in rows],
                "gaps": [{"task": r.id, "gaps": r.gaps} for r in rows if r.gaps],
                "stray_questions": [{"question": q, "task": t, "topic": topic} for q, t, topic in strays],
            }
        )
        return
    from awsprep.cli.coverage_view import render_coverage

    render_coverage(catalog.blueprint, rows, len(strays))


def export(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON (the only format).")] = True,
) -> None:
    """The whole validated catalog as one JSON document on stdout."""
    import sys

    from awsprep.content.catalog import load_catalog

    sys.stdout.write(load_catalog().to_json(indent=2) + "\n")
