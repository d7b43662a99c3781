"""A lesson drawn with rich: Markdown sections, a key-facts table, panels for tips and corrections."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from awsprep.content.records import Lesson


def heading(text: str, level: int = 2) -> RenderableType:
    """A Markdown heading, or without colour an underlined one (═ below the title, ─ below a section): with
    NO_COLOR rich would print a heading exactly like body text."""
    from rich.markdown import Markdown
    from rich.text import Text

    from awsprep.cli.render import plain

    if not plain():
        return Markdown(f"{'#' * level} {text}")
    return Text(f"\n{text}\n{('═' if level == 1 else '─') * min(len(text), 80)}")


def lesson_renderables(lesson: Lesson, markdown: str) -> Iterator[RenderableType]:
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from awsprep.cli.render import Sources, Unwrapped

    yield heading(lesson.title, 1)
    yield f"[dim]{lesson.reading_minutes} min read · facts checked {lesson.as_of}[/dim]"
    yield Panel(Markdown(lesson.summary.strip()), title="In short", border_style="cyan")
    for section in lesson.sections:
        yield heading(section.heading)
        yield Markdown(section.body.strip())
    sources = Sources()
    facts = Table(title="Key facts", show_lines=True, header_style="bold", expand=True)
    facts.add_column("fact", ratio=3)
    facts.add_column("value", ratio=3)
    facts.add_column("src", no_wrap=True, style="dim")
    for f in lesson.key_facts:
        facts.add_row(Text(f.fact), Text(f.value), sources.ref(f.source, *f.also))
    yield facts
    yield from sources.lines()
    tips = "\n".join(f"- {tip.strip()}" for tip in lesson.exam_tips)
    yield Panel(Markdown(tips), title="Exam tips and traps", border_style="yellow")
    if lesson.corrections:
        lines = []
        listed = len(sources.urls)
        for c in lesson.corrections:
            lines.append(f"- **§{c.notes_section}, {c.verdict.value}.** Your notes said: {c.notes_said.strip()}")
            lines.append(f"  **In fact:** {c.in_fact.strip()} {sources.ref(c.source)}")
        yield Panel(Markdown("\n".join(lines)), title="Your notes said … — in fact …", border_style="red")
        yield from sources.lines(listed)
    if lesson.not_in_notes:
        extra = "\n".join(f"- {t.strip()}" for t in lesson.not_in_notes)
        yield Panel(Markdown(extra), title="What the exam asks that the notes leave out", border_style="magenta")
    # the references are printed unwrapped (a URL folded by the terminal width can be neither clicked nor copied)
    yield heading("References")
    for ref in lesson.references:
        yield Unwrapped(f"- {ref.title}: {ref.url}")
    tail = markdown.split("## References", 1)[-1]
    if "## Practise" in tail:
        yield heading("Practise")
        yield Markdown(tail.split("## Practise", 1)[1])
