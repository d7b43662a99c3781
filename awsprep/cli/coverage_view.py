"""`awsprep topics --coverage`: each task statement of the exam blueprint with what serves it. Two columns (the
task id, then its title, counts and topics, wrapped), so it reads on an 80-column terminal and narrower."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.content.records import Blueprint
    from awsprep.study.coverage import TaskCoverage


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_coverage(blueprint: Blueprint, rows: list[TaskCoverage], strays: int) -> None:
    from rich.table import Table
    from rich.text import Text

    from awsprep.cli.render import out

    console = out()
    console.print(
        f"{blueprint.code} blueprint (exam guide {blueprint.guide_version}, checked {blueprint.as_of}): "
        "what serves each task statement",
        style="bold",
        markup=False,
        highlight=False,
    )
    for domain in blueprint.domains:
        console.print(f"\nDomain {domain.id} · {domain.title} · {domain.weight} %", style="bold", markup=False)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, min_width=3)
        grid.add_column()
        for r in (r for r in rows if r.domain == domain.id):
            parts = [_n(len(r.topics), "topic"), _n(len(r.lessons), "lesson"), _n(r.questions, "question")]
            counts = " · ".join([*parts, _n(r.cards, "card")])
            body = Text.assemble(r.title, "\n", (counts, "dim"))
            if r.gaps:
                body.append(f"  (gap: {', '.join(r.gaps)})", style="bold red")
            body.append("\n" + (", ".join(r.topics) or "no topic serves it"))
            grid.add_row(r.id, body)
        console.print(grid)
    gaps = [r for r in rows if r.gaps]
    console.print()
    if gaps:
        console.print("Gaps:", style="bold", markup=False)
        for r in gaps:
            console.print(f"  {r.id} {r.title}: {', '.join(r.gaps)}", markup=False, highlight=False)
    else:
        console.print("No gaps: every task statement has a topic, a lesson and questions.", markup=False)
    if strays:
        console.print(
            f"{_n(strays, 'question')} tagged with a task statement that their topic's `tasks` do not name "
            "(see --json: stray_questions)",
            markup=False,
            highlight=False,
        )
