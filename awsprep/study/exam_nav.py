"""Moving through a mock exam: what each entry does on the question and review screens. Pure state, no I/O.

The CLI only draws the screen this state describes and passes the learner's entries to `ExamNav.handle`;
`study.exam_session.ExamRun` saves the state after every action and keeps the clock.

On a question: letters answer it (exactly as many as it asks for) and move on; Enter alone or `n` moves on,
`p` goes back, `f` flags or unflags it (a lower-case `f`; an upper-case `F` is the option F), a number goes to that
question, `r` opens the review screen. After the last question comes the review screen: `s` submits, a number
goes to that question, Enter returns to the question you came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from awsprep.study.quiz import Presented, choice_problem, normalise_choice

QUESTION = "question"
REVIEW = "review"
KEYS = "letters or ↑↓ space · Enter next · p prev · f flag · N go to N · r review"
REVIEW_KEYS = "s submit · N go to N · Enter back"

Action = Literal["answered", "moved", "flagged", "unflagged", "review", "back", "submit", "refused"]


@dataclass(frozen=True)
class Outcome:
    action: Action
    message: str = ""  # why an entry was refused


@dataclass(frozen=True)
class Overview:
    """The review screen: 1-based question numbers."""

    answered: list[int]
    unanswered: list[int]
    flagged: list[int]


@dataclass
class ExamNav:
    presented: Sequence[Presented]
    answers: dict[int, str] = field(default_factory=dict)  # index -> letters as shown
    flags: set[int] = field(default_factory=set)
    current: int = 0
    screen: str = QUESTION

    @property
    def total(self) -> int:
        return len(self.presented)

    def handle(self, text: str) -> Outcome:
        """Apply one entry (what the learner typed, or marked with the arrows) and say what it did."""
        word = text.strip()
        if self.screen == REVIEW:
            return self._on_review(word.lower())
        return self._on_question(word)

    def _on_question(self, word: str) -> Outcome:
        if word.lower() in ("", "n"):
            self._next()
            return Outcome("review" if self.screen == REVIEW else "moved")
        if word.lower() == "p":
            self.current = max(0, self.current - 1)
            return Outcome("moved")
        if word == "f":
            flagged = self.toggle_flag(self.current)
            return Outcome("flagged" if flagged else "unflagged")
        if word.lower() == "r":
            self.screen = REVIEW
            return Outcome("review")
        if word.isdigit():
            return self._goto(int(word))
        p = self.presented[self.current]
        problem = choice_problem(word, p)
        if problem is not None:
            return Outcome("refused", f"{problem} Or: {KEYS}")
        self.answers[self.current] = normalise_choice(word, p)
        self._next()
        return Outcome("answered")

    def _on_review(self, word: str) -> Outcome:
        if word == "s":
            return Outcome("submit")
        if word == "":
            self.screen = QUESTION
            return Outcome("back")
        if word.isdigit():
            return self._goto(int(word))
        return Outcome("refused", f"s to submit, a question number (1-{self.total}) to go back to it, Enter to return")

    def _goto(self, number: int) -> Outcome:
        if not 1 <= number <= self.total:
            return Outcome("refused", f"There are questions 1 to {self.total}.")
        self.current = number - 1
        self.screen = QUESTION
        return Outcome("moved")

    def _next(self) -> None:
        if self.current + 1 < self.total:
            self.current += 1
        else:
            self.screen = REVIEW

    def toggle_flag(self, index: int) -> bool:
        flagged = index not in self.flags
        if flagged:
            self.flags.add(index)
        else:
            self.flags.discard(index)
        return flagged

    def overview(self) -> Overview:
        numbers = range(self.total)
        return Overview(
            answered=[i + 1 for i in numbers if i in self.answers],
            unanswered=[i + 1 for i in numbers if i not in self.answers],
            flagged=[i + 1 for i in numbers if i in self.flags],
        )
