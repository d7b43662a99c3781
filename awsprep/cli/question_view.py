"""A question on the terminal: its text, the prompt for an answer, and the feedback on every option.

Shared by `awsprep quiz`, the lesson checkpoints of `awsprep study` and the review of `awsprep exam`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.study.quiz import ItemResult, Presented


def question_text(p: Presented, number: int, total: int) -> str:
    from awsprep.cli.render import reflow
    from awsprep.study.quiz import LETTERS

    lines = [f"Question {number} of {total}  ·  {p.topic}", "", reflow(p.question.stem), ""]
    for i, orig in enumerate(p.order):
        lines.append(f"  {LETTERS[i]}. {reflow(p.question.options[orig].text)}")
    return "\n".join(lines)


def ask(p: Presented, number: int, total: int) -> str:
    from awsprep.cli import prompts
    from awsprep.cli.render import err
    from awsprep.study.quiz import LETTERS

    err().print()
    err().print(question_text(p, number, total), markup=False, highlight=False)
    choices = [(f"{LETTERS[i]}", LETTERS[i]) for i in range(len(p.order))]
    if p.question.type == "single":
        return prompts.select(p.choose_hint(), choices)
    return "".join(sorted(prompts.checkbox(p.choose_hint(), choices)))


def feedback(result: ItemResult) -> None:
    from rich.text import Text

    from awsprep.cli.render import out, reflow
    from awsprep.study.quiz import LETTERS

    p = result.presented
    console = out()
    verdict = Text("Correct" if result.correct else "Incorrect", style="bold green" if result.correct else "bold red")
    verdict.append(f"  — answer {p.correct_letters()}, you chose {result.chosen or '-'}", style="")
    console.print(verdict)
    for i, orig in enumerate(p.order):
        option = p.question.options[orig]
        mark = "✔" if option.correct else "✘"
        chosen = "»" if LETTERS[i] in result.chosen else " "
        console.print(f"{chosen}{LETTERS[i]} {mark} {reflow(option.explanation)}", markup=False, highlight=False)
    for ref in p.question.references:
        console.print(f"   see {ref}", markup=False, style="dim")
