"""Strict pydantic models for every kind of authored content.

One YAML file holds one topic's lessons, questions or cards. Models forbid unknown keys and coerce nothing
(YAML 1.1 turns `yes` into True and `12:30` into 750; strict types catch that at the boundary).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

# one definition of the enums and the cloze pattern, shared with the plain records the study commands load
from awsprep.content import records

Area = records.Area
Source = records.Source
Verdict = records.Verdict
AREA_TITLES = records.AREA_TITLES
CLOZE = records.CLOZE

TOPIC_ID = r"^[a-z][a-z0-9]*(\.[a-z0-9]+(-[a-z0-9]+)*)+$"
ITEM_ID = r"^[a-z0-9]+([.-][a-z0-9]+)*$"
MISCONCEPTION = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _aws_doc(url: str) -> str:
    """A reference must be an https URL; AWS documentation is the norm (checked by the content lint)."""
    if not url.startswith("https://"):
        raise ValueError("must be an https:// URL")
    # a URL written as a YAML block scalar keeps its line break; split() is one C call (a per-character
    # generator here was half of the time of validating the catalog)
    if url.split() != [url]:
        raise ValueError("must be one URL, with no spaces or line breaks")
    return url


Url = Annotated[str, AfterValidator(_aws_doc)]
TopicId = Annotated[str, Field(pattern=TOPIC_ID)]
ItemId = Annotated[str, Field(pattern=ITEM_ID, max_length=80)]
Text = Annotated[str, Field(min_length=1)]


class FieldError(ValueError):
    """A whole-model rule's error that knows which part is wrong: `loc` is appended to the error's location,
    so the message points at that part's line:col instead of the start of the model."""

    def __init__(self, message: str, *loc: int | str) -> None:
        super().__init__(message)
        self.loc = loc


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- topics and the exam blueprint -------------------------------------------------------------------------


TASK_ID = r"^[1-4]\.[1-9]$"
TaskId = Annotated[str, Field(pattern=TASK_ID)]


class Topic(Strict):
    id: TopicId
    title: Text
    area: Annotated[Area, Field(strict=False)]
    sections: list[Text] = Field(default_factory=list)  # the notes' sections; a blueprint topic has none
    domains: list[Annotated[int, Field(ge=1, le=4)]] = Field(min_length=1)
    tasks: list[TaskId] = Field(min_length=1)  # the task statements of the blueprint this topic serves
    source: Annotated[Source, Field(strict=False)]
    lab: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Topic:
        if self.source is Source.NOTES and not self.sections:
            raise FieldError("a topic from the notes names its notes sections", "sections")
        if self.source is Source.BLUEPRINT and self.sections:
            raise FieldError("a blueprint topic has no notes sections; leave `sections` out", "sections")
        for i, task in enumerate(self.tasks):
            if task in self.tasks[:i]:
                raise FieldError(f"task {task} is listed twice", "tasks", i)
            if int(task[0]) not in self.domains:
                raise FieldError(f"task {task} is of domain {task[0]}; add {task[0]} to `domains`", "tasks", i)
        task_domains = {int(t[0]) for t in self.tasks}
        for i, d in enumerate(self.domains):
            if d not in task_domains:
                raise FieldError(f"domain {d} has none of this topic's tasks; add one or drop the domain", "domains", i)
        return self


class TopicsFile(Strict):
    topics: list[Topic] = Field(min_length=1)


STATEMENT_ID = r"^[1-4]\.[1-9]\.[ks][1-9][0-9]?$"


class Statement(Strict):
    """One knowledge ("Knowledge of: …", id `1.1.k3`) or skill ("Skills in: …", id `1.1.s2`) line of a task
    statement, condensed from the exam guide."""

    id: Annotated[str, Field(pattern=STATEMENT_ID)]
    text: Text


class TaskStatement(Strict):
    id: TaskId
    title: Text
    knowledge: list[Statement] = Field(min_length=1)
    skills: list[Statement] = Field(min_length=1)

    @model_validator(mode="after")
    def _numbered(self) -> TaskStatement:
        for field, letter in (("knowledge", "k"), ("skills", "s")):
            for i, st in enumerate(getattr(self, field)):
                want = f"{self.id}.{letter}{i + 1}"
                if st.id != want:
                    raise FieldError(f"expected id {want} (numbered in order, from 1)", field, i, "id")
        return self


class Domain(Strict):
    id: Annotated[int, Field(ge=1, le=4)]
    title: Text
    weight: Annotated[int, Field(ge=1, le=100)]
    tasks: list[TaskStatement] = Field(min_length=1)

    @model_validator(mode="after")
    def _own_tasks(self) -> Domain:
        for i, task in enumerate(self.tasks):
            if task.id != f"{self.id}.{i + 1}":
                raise FieldError(f"expected task {self.id}.{i + 1} (numbered in order, from 1)", "tasks", i, "id")
        return self


class ServiceGroup(Strict):
    """One category of the guide's in-scope services appendix."""

    category: Text
    services: list[Text] = Field(min_length=1)


class Blueprint(Strict):
    code: Text
    title: Text
    questions: Annotated[int, Field(ge=1)]
    scored: Annotated[int, Field(ge=1)]
    minutes: Annotated[int, Field(ge=1)]
    accommodation_minutes: Annotated[int, Field(ge=0)]
    score_min: int
    score_max: int
    passing_score: int
    source: Url
    as_of: dt.date
    guide_version: Text  # the exam guide's version the task statements were taken from
    guide_pages: list[Url] = Field(min_length=1)  # where the guide's text was read
    domains: list[Domain] = Field(min_length=1)
    in_scope_services: list[ServiceGroup] = Field(min_length=1)

    @property
    def task_by_id(self) -> dict[str, TaskStatement]:
        return {t.id: t for d in self.domains for t in d.tasks}

    @model_validator(mode="after")
    def _weights(self) -> Blueprint:
        if sum(d.weight for d in self.domains) != 100:
            raise ValueError("domain weights must add up to 100")
        if not self.score_min < self.passing_score <= self.score_max:
            raise ValueError("passing_score must lie between score_min and score_max")
        if self.scored > self.questions:
            raise ValueError("scored must not exceed questions")
        return self


# --- lessons -----------------------------------------------------------------------------------------------


class Reference(Strict):
    title: Text
    url: Url


class LessonSection(Strict):
    heading: Text
    body: Text  # Markdown
    sources: list[Url] = Field(default_factory=list)  # pages behind an absolute claim in the body (content lint)


class KeyFact(Strict):
    fact: Text
    value: Text
    source: Url
    also: list[Url] = Field(default_factory=list)  # further pages that state the same fact


class Correction(Strict):
    notes_section: Text
    notes_said: Text
    in_fact: Text
    verdict: Annotated[Verdict, Field(strict=False)]
    source: Url
    also: list[Url] = Field(default_factory=list)
    audit: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list
    )  # row numbers of the notes' fact audit this corrects


class Lesson(Strict):
    topic: TopicId
    title: Text
    as_of: dt.date
    reading_minutes: Annotated[int, Field(ge=1, le=60)]
    summary: Text
    sections: list[LessonSection] = Field(min_length=1)
    key_facts: list[KeyFact] = Field(min_length=1)
    exam_tips: list[Text] = Field(min_length=1)
    corrections: list[Correction] = Field(default_factory=list)
    not_in_notes: list[Text] = Field(default_factory=list)
    references: list[Reference] = Field(min_length=1)


# --- questions ---------------------------------------------------------------------------------------------


class Option(Strict):
    text: Text
    correct: bool = False
    explanation: Text
    misconception: Annotated[str, Field(pattern=MISCONCEPTION)] | None = None
    source: Url | None = None  # the page behind an absolute claim in the explanation (content lint)

    @model_validator(mode="after")
    def _tagged(self) -> Option:
        if self.correct and self.misconception is not None:
            raise ValueError("a correct option carries no misconception tag")
        return self


class Question(Strict):
    id: ItemId
    type: Literal["single", "multiple"]
    domain: Annotated[int, Field(ge=1, le=4)]
    task: Annotated[str, Field(pattern=r"^[1-4]\.[1-9]$")]
    difficulty: Annotated[int, Field(ge=1, le=3)]
    as_of: dt.date
    stem: Text
    options: list[Option] = Field(min_length=4, max_length=6)
    references: list[Url] = Field(min_length=1)

    @property
    def correct(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    @model_validator(mode="after")
    def _shape(self) -> Question:
        n_correct = len(self.correct)
        if self.type == "single" and n_correct != 1:
            raise ValueError(f"a single-response question needs exactly one correct option (has {n_correct})")
        if self.type == "multiple" and n_correct < 2:
            raise ValueError(f"a multiple-response question needs at least two correct options (has {n_correct})")
        if not self.task.startswith(f"{self.domain}."):
            raise ValueError(f"task {self.task} is not a task statement of domain {self.domain}")
        return self


class QuestionFile(Strict):
    topic: TopicId
    questions: list[Question] = Field(min_length=1)


# --- flashcards --------------------------------------------------------------------------------------------


class BasicNote(Strict):
    id: ItemId
    type: Literal["basic"]
    front: Text
    back: Text
    reverse: bool = False  # also make the back-to-front card (siblings)
    source: Url
    tags: list[Text] = Field(default_factory=list)


class ClozeNote(Strict):
    id: ItemId
    type: Literal["cloze"]
    text: Text
    extra: str = ""
    source: Url
    tags: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_cloze(self) -> ClozeNote:
        if not CLOZE.search(self.text):
            raise ValueError("a cloze note needs at least one {{c1::...}} deletion")
        return self

    @property
    def cloze_numbers(self) -> list[int]:
        return sorted({int(m.group(1)) for m in CLOZE.finditer(self.text)})


Note = Annotated[BasicNote | ClozeNote, Field(discriminator="type")]


class Deck(Strict):
    topic: TopicId
    notes: list[Note] = Field(min_length=1)
