"""Strict pydantic models for every kind of authored content.

One YAML file holds one topic's lessons, questions or cards. Models forbid unknown keys and coerce nothing
(YAML 1.1 turns `yes` into True and `12:30` into 750; strict types catch that at the boundary).
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

TOPIC_ID = r"^[a-z][a-z0-9]*(\.[a-z0-9]+(-[a-z0-9]+)*)+$"
ITEM_ID = r"^[a-z0-9]+([.-][a-z0-9]+)*$"
MISCONCEPTION = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::(.+?))?\}\}", re.DOTALL)


def _aws_doc(url: str) -> str:
    """A reference must be an https URL; AWS documentation is the norm (checked by the content lint)."""
    if not url.startswith("https://"):
        raise ValueError("must be an https:// URL")
    return url


Url = Annotated[str, AfterValidator(_aws_doc)]
TopicId = Annotated[str, Field(pattern=TOPIC_ID)]
ItemId = Annotated[str, Field(pattern=ITEM_ID, max_length=80)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


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
}


# --- topics and the exam blueprint -------------------------------------------------------------------------


class Topic(Strict):
    id: TopicId
    title: Text
    area: Annotated[Area, Field(strict=False)]
    sections: list[Text] = Field(min_length=1)
    domains: list[Annotated[int, Field(ge=1, le=4)]] = Field(min_length=1)
    lab: bool = False


class TopicsFile(Strict):
    topics: list[Topic] = Field(min_length=1)


class TaskStatement(Strict):
    id: Annotated[str, Field(pattern=r"^[1-4]\.[1-9]$")]
    title: Text


class Domain(Strict):
    id: Annotated[int, Field(ge=1, le=4)]
    title: Text
    weight: Annotated[int, Field(ge=1, le=100)]
    tasks: list[TaskStatement] = Field(min_length=1)


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
    domains: list[Domain] = Field(min_length=1)

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


class KeyFact(Strict):
    fact: Text
    value: Text
    source: Url
    also: list[Url] = Field(default_factory=list)  # further pages that state the same fact


class Verdict(StrEnum):
    WRONG = "wrong"
    OUTDATED = "outdated"
    MISLEADING = "misleading"
    INCOMPLETE = "incomplete"


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


# --- labs --------------------------------------------------------------------------------------------------
# A lab is steps over the simulator. Each step says what to do and why, gives the reference command(s), and
# checks the result with predicates over simulator state or over the output of the commands typed during the
# step. Values captured by earlier steps (`{instance_id}`) fill later steps' text, commands and checks.

CAPTURE_NAME = r"^[a-z][a-z0-9_]*$"
LAB_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
CaptureName = Annotated[str, Field(pattern=CAPTURE_NAME, max_length=40)]
LabValue = str | int | bool
LabResource = Literal[
    "instance", "address", "security_group", "image", "launch_template", "key_pair", "volume", "vpc", "subnet"
]


def _regex(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_regex)]


class LabStateCheck(Strict):
    """A field of a simulated resource, e.g. instance `{instance_id}` field `state` equals `running`.

    Without an operator the check asks that the resource exists; `missing: true` that it does not.
    `field` is a dotted path (`metadata.http_tokens`); instances also have `public_address` (the EIP when one is
    associated), launch templates `latest_version`.
    """

    kind: Literal["state"]
    resource: LabResource
    id: Text
    region: str | None = None
    field: str | None = None
    equals: LabValue | None = None
    not_equals: LabValue | None = None
    contains: LabValue | None = None
    empty: bool | None = None
    missing: bool = False
    says: Text | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> LabStateCheck:
        ops = [x for x in (self.equals, self.not_equals, self.contains, self.empty) if x is not None]
        if len(ops) > 1:
            raise ValueError("use at most one of equals, not_equals, contains, empty")
        if ops and self.field is None:
            raise ValueError("an operator needs a field")
        if self.missing and (ops or self.field):
            raise ValueError("missing: true takes no field or operator")
        return self


class LabOutputCheck(Strict):
    """The commands typed during this step: the last one's exit code, or text in any of their output."""

    kind: Literal["output"]
    exit_code: int | None = None
    failed: bool | None = None  # true: the last command exited non-zero
    contains: Text | None = None
    matches: Regex | None = None
    stream: Literal["stdout", "stderr", "any"] = "any"
    says: Text | None = None


class LabHttpCheck(Strict):
    """What the learner's laptop gets from `host:port` (through security groups and instance state)."""

    kind: Literal["http"]
    host: Text
    port: Annotated[int, Field(ge=1, le=65535)] = 80
    path: str = "/"
    outcome: Literal["connected", "timeout", "refused"] = "connected"
    status: int | None = None
    contains: Text | None = None
    says: Text | None = None


class LabRuleCheck(Strict):
    """A security group has (or no longer has) a rule letting `protocol`/`port` in from a CIDR or a group."""

    kind: Literal["sg_rule"]
    group: Text
    direction: Literal["ingress", "egress"] = "ingress"
    protocol: Literal["tcp", "udp", "icmp", "-1"] = "tcp"
    port: Annotated[int, Field(ge=-1, le=65535)] | None = None
    cidr: str | None = None
    source_group: Text | None = None
    present: bool = True
    says: Text | None = None


class LabBillCheck(Strict):
    """The simulated bill has a line for a resource, optionally still accruing and above a cost."""

    kind: Literal["bill"]
    resource: Text
    usage: Literal["instance", "public-ipv4", "ebs"]
    accruing: bool | None = None
    min_cost: float = 0.0
    says: Text | None = None


class LabRanCheck(Strict):
    """A command typed during this step matches a pattern (and succeeded): for actions that leave no trace in
    the world's state, such as a reboot."""

    kind: Literal["ran"]
    matches: Regex
    succeeded: bool = True
    says: Text | None = None


LabCheck = Annotated[
    LabStateCheck | LabOutputCheck | LabHttpCheck | LabRuleCheck | LabBillCheck | LabRanCheck,
    Field(discriminator="kind"),
]


class LabCapture(Strict):
    """Where a captured value comes from: a shell variable, the step's output (regex), or simulator state."""

    var: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = None
    pattern: Regex | None = None
    resource: LabResource | None = None
    id: Text | None = None
    field: str | None = None
    region: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> LabCapture:
        sources = sum(x is not None for x in (self.var, self.pattern, self.resource))
        if sources != 1:
            raise ValueError("give exactly one of var, pattern or resource (with id and field)")
        if self.resource is not None and (self.id is None or self.field is None):
            raise ValueError("a resource capture needs id and field")
        return self


class LabVpcSetup(Strict):
    """A non-default VPC with an internet gateway and one public subnet (the CLI cannot make an internet gateway
    in the simulator); captures their ids."""

    kind: Literal["public-vpc"]
    name: Text
    cidr: str
    subnet_cidr: str
    vpc_capture: CaptureName
    subnet_capture: CaptureName


class LabFileSetup(Strict):
    """A file the lab puts in the scratch folder before step 1 (a user data script from the notes)."""

    kind: Literal["file"]
    path: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+$")]
    content: Text


LabSetup = Annotated[LabVpcSetup | LabFileSetup, Field(discriminator="kind")]


class LabStep(Strict):
    id: ItemId
    title: Text
    instruction: Text  # what to do and why (Markdown)
    commands: list[Text] = Field(min_length=1)  # the reference solution, one shell line each
    hints: list[Text] = Field(default_factory=list)
    check: list[LabCheck] = Field(min_length=1)  # all must pass
    capture: dict[CaptureName, LabCapture] = Field(default_factory=dict)  # taken when the checks pass
    explanation: Text  # shown after success
    nudge: Text | None = None  # said after a failed command, instead of the generic nudge
    checkpoint: list[ItemId] = Field(default_factory=list)  # question ids (from `questions`) asked after it


class Lab(Strict):
    id: ItemId
    title: Text
    topics: list[TopicId] = Field(min_length=1)
    as_of: dt.date
    minutes: Annotated[int, Field(ge=1, le=120)]
    introduction: Text
    setup: list[LabSetup] = Field(default_factory=list)
    steps: list[LabStep] = Field(min_length=1)
    questions: list[ItemId] = Field(default_factory=list)
    summary: Text
    exam_tips: list[Text] = Field(min_length=1)
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Lab:
        """Captures, then checks, may only use values captured before them; checkpoints come from `questions`."""
        known = {n for s in self.setup if isinstance(s, LabVpcSetup) for n in (s.vpc_capture, s.subnet_capture)}
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError("step ids must be unique within a lab")
        for step in self.steps:
            for name, cap in step.capture.items():
                _known_names(cap.model_dump(), known, step.id)
                known.add(name)
            for check in step.check:
                _known_names(check.model_dump(exclude={"kind", "says"}), known, step.id)
            missing = [q for q in step.checkpoint if q not in self.questions]
            if missing:
                raise ValueError(f"step {step.id}: checkpoint {missing[0]!r} is not listed in the lab's questions")
        return self


def _known_names(fields: dict[str, object], known: set[str], step: str) -> None:
    for key, value in fields.items():
        if key in ("matches", "pattern"):
            continue  # regular expressions may use {m,n}
        for name in LAB_PLACEHOLDER.findall(value) if isinstance(value, str) else []:
            if name not in known:
                raise ValueError(f"step {step}: {{{name}}} is not captured before it is used")
