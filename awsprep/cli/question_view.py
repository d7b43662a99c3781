"""A question on the terminal: its text, the prompt for an answer, and the feedback on every option.

Shared by `awsprep quiz`, the lesson checkpoints of `awsprep study` and the review of `awsprep exam`.
"""

from __future__ import annotations

import re
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


# an option line ("  A. text") or a feedback line ("»A ✔ text"): its wrapped lines continue under the text
_HANGING = re.compile(r"^(\s*[A-Z]\. |[» ][A-Z] [✔✘] |\s+see )")


def fit(text: str, width: int) -> str:
    """Wrap `text` to `width` columns; an option's continuation lines start under its text, not at column 0.
    Words are never broken (a long URL stays whole). The quiz, the checkpoints and the exam all print through it."""
    import textwrap

    lines = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append("")
            continue
        match = _HANGING.match(line)
        indent = " " * (len(match.group(1)) if match else len(line) - len(line.lstrip(" ")))
        lines.append(
            textwrap.fill(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
        )
    return "\n".join(lines)


def screen_width() -> int:
    import shutil

    return max(20, shutil.get_terminal_size().columns - 1)


KEYS_HINT = "type the letter(s), or ↑↓ and space; Enter answers"


def ask(p: Presented, number: int, total: int, *, skippable: bool = False) -> str:
    """The learner's answer, exactly as many letters as the question asks for ("" = skipped, if `skippable`)."""
    from awsprep.cli.render import err

    err().print()
    err().print(fit(question_text(p, number, total), err().width - 1), markup=False, highlight=False)
    return choose_letters(p, skippable=skippable)


def choose_letters(p: Presented, *, skippable: bool = False) -> str:
    """The shared choice prompt for one question: typed letters or arrows, refused until the count is right."""
    from awsprep.cli import prompts
    from awsprep.study.quiz import choice_problem, normalise_choice

    def submit(text: str) -> prompts.Reply:
        if skippable and not text.strip():
            return prompts.Reply(done=True)
        problem = choice_problem(text, p)
        return prompts.Reply(done=problem is None, message=problem or "")

    hint = f"{p.choose_hint()}  ({KEYS_HINT}{'; Enter alone skips' if skippable else ''})"
    text = prompts.choose(p.letters(), submit, hint=hint, single=len(p.question.correct) == 1)
    return normalise_choice(text, p) if text.strip() else ""


def feedback(result: ItemResult) -> None:
    from rich.text import Text

    from awsprep.cli.render import out, print_unwrapped, reflow
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
        line = fit(f"{chosen}{LETTERS[i]} {mark} {reflow(option.explanation)}", console.width - 1)
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    for ref in p.question.references:
        print_unwrapped(console, f"   see {ref}", style="dim")
