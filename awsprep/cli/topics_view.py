"""`awsprep topics` on any terminal width. The topic id is what the learner types, so it is never cut or wrapped:
a wide terminal gets the full table (titles wrap); a narrower one a compact list (id, then title and counts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

    from awsprep.study.coverage import TopicCoverage

TITLE_MIN = 20  # below this a wrapped title reads one word a line: switch to the compact list instead
HEADERS = ("topic", "title", "area", "from", "lesson", "questions", "cards", "labs")


def _labs(r: TopicCoverage) -> list[str]:
    return list(r.labs) or (["(planned)"] if r.needs_lab else [])


def table_width(rows: list[TopicCoverage]) -> int:
    """Columns the full table needs with titles squeezed to TITLE_MIN (borders and padding included)."""
    widest = [
        max([len(HEADERS[0]), *(len(r.id) for r in rows)]),
        TITLE_MIN,
        max([len(HEADERS[2]), *(len(r.area) for r in rows)]),
        max([len(HEADERS[3]), *(len(r.source) for r in rows)]),
        len("lesson"),
        len("questions"),
        len("cards"),
        max([len(HEADERS[7]), *(len(lab) for r in rows for lab in _labs(r))]),
    ]
    return sum(widest) + 3 * len(widest) + 1


def details(r: TopicCoverage) -> str:
    parts = [f"from the {r.source}", "lesson" if r.lesson else "no lesson", f"{r.questions} questions"]
    parts.append(f"{r.cards} cards")
    parts += [f"lab {lab}" for lab in r.labs] or (["lab planned"] if r.needs_lab else [])
    return " · ".join(parts)


def render_topics(rows: list[TopicCoverage]) -> None:
    from rich.table import Table

    from awsprep.cli.render import out

    console = out()
    if console.width >= table_width(rows):
        table = Table(title="awsprep topics", header_style="bold")
        for col in HEADERS:
            table.add_column(
                col,
                justify="right" if col in ("questions", "cards") else "left",
                no_wrap=col in ("topic", "area", "from", "labs"),
                min_width=TITLE_MIN if col == "title" else None,
            )
        for r in rows:
            labs = "\n".join(_labs(r))
            lesson = "yes" if r.lesson else "no"
            table.add_row(r.id, r.title, r.area, r.source, lesson, str(r.questions), str(r.cards), labs)
        console.print(table)
        return
    id_width = max(len(r.id) for r in rows)
    side_by_side = console.width >= id_width + 2 + TITLE_MIN
    areas: dict[str, list[TopicCoverage]] = {}
    for r in rows:
        areas.setdefault(r.area, []).append(r)
    for area, members in areas.items():
        console.print(f"\n{area}", style="bold", markup=False, highlight=False)
        if side_by_side:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(no_wrap=True, min_width=id_width)
            grid.add_column()
            for r in members:
                grid.add_row(r.id, _about(r))
        else:  # too narrow even for that: the id alone on its line, the rest indented below it
            grid = Table.grid(padding=(0, 0, 0, 2), pad_edge=True)
            grid.add_column()
            for r in members:
                grid.add_row(_about(r))
                console.print(r.id, markup=False, highlight=False, soft_wrap=True)
                console.print(grid)
                grid = Table.grid(padding=(0, 0, 0, 2), pad_edge=True)
                grid.add_column()
            continue
        console.print(grid)


def _about(r: TopicCoverage) -> Text:
    from rich.text import Text

    return Text.assemble(r.title, "\n", (details(r), "dim"))
