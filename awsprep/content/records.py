"""The content as the study commands use it: plain frozen dataclasses, no pydantic.

`content/schema.py` validates what authors write (strict pydantic models, errors at path:line:col). What passed is
stored in the catalog cache as plain data and read back into these records, so `awsprep exam`, `quiz`, `study` and
`cards` start without importing pydantic or building its models (that cost more than `import typer` itself).
Each record has the fields of the schema model of the same name (tests/test_catalog_cache.py checks they match)
and the same derived properties. The `load_*` functions turn the cache's plain data (`model_dump(mode="json")`)
back into records; they trust it, because only validated content is ever written there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Literal

CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.+?))?\}\}", re.DOTALL)


class Area(StrEnum):
    CLOUD = "cloud"
    IAM = "iam"
    GLOBAL = "global"
    EC2 = "ec2"
    VPC = "vpc"
    BILLING = "billing"
    ELB = "elb"
    ASG = "asg"
    SERVERLESS = "serverless"
    LAMBDA = "lambda"
    # areas of the topics written from the exam blueprint (issue 17) rather than from the notes
    DEV = "dev"
    DATA = "data"
    APIS = "apis"
    INTEGRATION = "integration"
    SECURITY = "security"
    DEPLOY = "deploy"
    OBSERVABILITY = "observability"
    PERFORMANCE = "performance"


AREA_TITLES: dict[Area, str] = {
    Area.CLOUD: "Cloud concepts",
    Area.IAM: "IAM",
    Area.GLOBAL: "Global infrastructure",
    Area.EC2: "EC2",
    Area.VPC: "VPC",
    Area.BILLING: "Billing",
    Area.ELB: "Elastic Load Balancing",
    Area.ASG: "Auto Scaling",
    Area.SERVERLESS: "Serverless",
    Area.LAMBDA: "Lambda",
    Area.DEV: "Developing on AWS",
    Area.DATA: "Data stores",
    Area.APIS: "APIs",
    Area.INTEGRATION: "Messaging, events and workflows",
    Area.SECURITY: "Identity, encryption and secrets",
    Area.DEPLOY: "Deployment and CI/CD",
    Area.OBSERVABILITY: "Logging, monitoring and tracing",
    Area.PERFORMANCE: "Performance and caching",
}


class Source(StrEnum):
    """Where a topic comes from: the learner's notes, or the exam guide's blueprint beyond them (issue 17)."""

    NOTES = "notes"
    BLUEPRINT = "blueprint"


class Verdict(StrEnum):
    WRONG = "wrong"
    OUTDATED = "outdated"
    MISLEADING = "misleading"
    INCOMPLETE = "incomplete"


# --- topics and the exam blueprint -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    area: Area
    sections: list[str]
    domains: list[int]
    tasks: list[str]
    source: Source
    lab: bool


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class TaskStatement:
    id: str
    title: str
    knowledge: list[Statement]
    skills: list[Statement]


@dataclass(frozen=True, slots=True)
class Domain:
    id: int
    title: str
    weight: int
    tasks: list[TaskStatement]


@dataclass(frozen=True, slots=True)
class ServiceGroup:
    category: str
    services: list[str]


@dataclass(frozen=True, slots=True)
class Blueprint:
    code: str
    title: str
    questions: int
    scored: int
    minutes: int
    accommodation_minutes: int
    score_min: int
    score_max: int
    passing_score: int
    source: str
    as_of: dt.date
    guide_version: str
    guide_pages: list[str]
    domains: list[Domain]
    in_scope_services: list[ServiceGroup]

    @property
    def task_by_id(self) -> dict[str, TaskStatement]:
        return {t.id: t for d in self.domains for t in d.tasks}


# --- lessons -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class LessonSection:
    heading: str
    body: str
    sources: list[str]


@dataclass(frozen=True, slots=True)
class KeyFact:
    fact: str
    value: str
    source: str
    also: list[str]


@dataclass(frozen=True, slots=True)
class Correction:
    notes_section: str
    notes_said: str
    in_fact: str
    verdict: Verdict
    source: str
    also: list[str]
    audit: list[int]


@dataclass(frozen=True, slots=True)
class Lesson:
    topic: str
    title: str
    as_of: dt.date
    reading_minutes: int
    summary: str
    sections: list[LessonSection]
    key_facts: list[KeyFact]
    exam_tips: list[str]
    corrections: list[Correction]
    not_in_notes: list[str]
    references: list[Reference]


# --- questions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    text: str
    correct: bool
    explanation: str
    misconception: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: Literal["single", "multiple"]
    domain: int
    task: str
    difficulty: int
    as_of: dt.date
    stem: str
    options: list[Option]
    references: list[str]

    @property
    def correct(self) -> frozenset[int]:
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    def to_json(self) -> str:
        """The JSON pydantic's `model_dump_json()` writes for this question (same keys, order and escapes), so a
        fingerprint taken from it (a saved exam's question hash) is the same whichever side made it."""
        data = _fields(self)
        data["as_of"] = self.as_of.isoformat()
        data["options"] = [_fields(o) for o in self.options]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class QuestionFile:
    topic: str
    questions: list[Question]


@dataclass(frozen=True, slots=True)
class LabQuestionFile:
    """A lab's own checkpoint questions (schema_labs.LabQuestionFile): asked only at the lab's steps."""

    lab: str
    questions: list[Question]


# --- flashcards --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BasicNote:
    id: str
    type: Literal["basic"]
    front: str
    back: str
    reverse: bool
    source: str
    tags: list[str]


@dataclass(frozen=True, slots=True)
class ClozeNote:
    id: str
    type: Literal["cloze"]
    text: str
    extra: str
    source: str
    tags: list[str]

    @property
    def cloze_numbers(self) -> list[int]:
        return sorted({int(m.group(1)) for m in CLOZE.finditer(self.text)})


@dataclass(frozen=True, slots=True)
class Deck:
    topic: str
    notes: list[BasicNote | ClozeNote]


# --- from the cache's plain data -----------------------------------------------------------------------------
# Hand-written rather than derived from the type hints: a few nested lists, enums and dates, and this runs for
# every record on every start (a generic walk over the hints cost several times as much).

Data = dict[str, Any]
_date = dt.date.fromisoformat


def load_topic(d: Data) -> Topic:
    return Topic(**{**d, "area": Area(d["area"]), "source": Source(d["source"])})


def load_blueprint(d: Data) -> Blueprint:
    def task(t: Data) -> TaskStatement:
        return TaskStatement(
            t["id"], t["title"], [Statement(**s) for s in t["knowledge"]], [Statement(**s) for s in t["skills"]]
        )

    domains = [Domain(x["id"], x["title"], x["weight"], [task(t) for t in x["tasks"]]) for x in d["domains"]]
    services = [ServiceGroup(**g) for g in d["in_scope_services"]]
    return Blueprint(**{**d, "as_of": _date(d["as_of"]), "domains": domains, "in_scope_services": services})


def load_lesson(d: Data) -> Lesson:
    return Lesson(
        **{
            **d,
            "as_of": _date(d["as_of"]),
            "sections": [LessonSection(**s) for s in d["sections"]],
            "key_facts": [KeyFact(**f) for f in d["key_facts"]],
            "corrections": [Correction(**{**c, "verdict": Verdict(c["verdict"])}) for c in d["corrections"]],
            "references": [Reference(**r) for r in d["references"]],
        }
    )


def load_question(d: Data) -> Question:
    return Question(**{**d, "as_of": _date(d["as_of"]), "options": [Option(**o) for o in d["options"]]})


def load_question_file(d: Data) -> QuestionFile:
    return QuestionFile(d["topic"], [load_question(q) for q in d["questions"]])


def load_lab_question_file(d: Data) -> LabQuestionFile:
    return LabQuestionFile(d["lab"], [load_question(q) for q in d["questions"]])


def load_deck(d: Data) -> Deck:
    notes: list[BasicNote | ClozeNote] = [
        BasicNote(**n) if n["type"] == "basic" else ClozeNote(**n) for n in d["notes"]
    ]
    return Deck(d["topic"], notes)


def _fields(record: Any) -> dict[str, Any]:
    """A record's fields in order, one level deep (`asdict` deep-copies every value: 130 question fingerprints
    at the start of an exam took longer than loading the catalog)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def _plain(record: Any) -> Any:
    """A record as the plain data pydantic's JSON mode gives: dates as ISO strings, enums as their values."""

    def fix(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    return fix(asdict(record))


def plain(record: Any) -> Any:
    """A record (or a list of them) as plain JSON-ready data, in the schema's field order."""
    if isinstance(record, list):
        return [_plain(r) for r in record]
    return _plain(record)
