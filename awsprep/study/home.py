"""The home screen (`awsprep` alone): where the learner stands and the one command to type next."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    kind: str  # quiz or exam
    correct: int
    total: int
    score: int | None  # the scaled exam score

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class Home:
    lessons_read: int
    lessons_total: int
    next_topic: str | None  # the next unread, or weakest, lesson
    next_title: str | None
    cards_due: int
    cards_new: int  # new cards today's allowance would introduce
    days_to_exam: int | None
    exam_date: str | None
    open_exam: int | None  # an unfinished exam's number among exams
    last_scores: list[Score] = field(default_factory=list)
    problem: str | None = None  # why progress could not be read (the screen still shows the rest)

    @property
    def next_command(self) -> str:
        """One command, by what matters most now: finish the open exam, start reading, clear due cards, read on,
        then practise."""
        if self.problem is not None:
            return "awsprep data path"
        if self.open_exam is not None:
            return "awsprep exam --resume"
        if self.lessons_read == 0 and self.next_topic:
            return f"awsprep study {self.next_topic}"
        if self.cards_due:
            return "awsprep cards review"
        if self.next_topic and self.lessons_read < self.lessons_total:
            return f"awsprep study {self.next_topic}"
        if not self.last_scores:
            return "awsprep quiz"
        return "awsprep exam" if self.last_scores[-1].kind == "quiz" else "awsprep quiz --missed"

    def to_dict(self) -> dict[str, object]:
        return {
            "lessons_read": self.lessons_read,
            "lessons_total": self.lessons_total,
            "next_topic": self.next_topic,
            "cards_due": self.cards_due,
            "cards_new": self.cards_new,
            "days_to_exam": self.days_to_exam,
            "exam_date": self.exam_date,
            "open_exam": self.open_exam,
            "last_scores": [
                {"kind": s.kind, "correct": s.correct, "total": s.total, "score": s.score} for s in self.last_scores
            ],
            "problem": self.problem,
            "next_command": self.next_command,
        }


def days_until(exam: str | None, today: str) -> int | None:
    from datetime import date

    return None if exam is None else (date.fromisoformat(exam) - date.fromisoformat(today)).days
