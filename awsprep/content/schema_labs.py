"""Strict pydantic models for labs: steps over the simulator, their checks, captures and setup."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from awsprep.content.schema import FieldError, ItemId, Question, Reference, Strict, Text, TopicId

# --- labs --------------------------------------------------------------------------------------------------
# A lab is steps over the simulator. Each step says what to do and why, gives the reference command(s), and
# checks the result with predicates over simulator state or over the output of the commands typed during the
# step. Values captured by earlier steps (`{instance_id}`) fill later steps' text, commands and checks.

CAPTURE_NAME = r"^[a-z][a-z0-9_]*$"
LAB_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
CaptureName = Annotated[str, Field(pattern=CAPTURE_NAME, max_length=40)]
LabValue = str | int | bool
# Resource and usage kinds are the simulator's services' to define (each registers its own), so the schema checks
# only their spelling; the cross-file check compares them with the registered kinds (content/lab_kinds.py).
KIND_NAME = r"^[a-z][a-z0-9_-]*$"
LabResource = Annotated[str, Field(pattern=KIND_NAME, max_length=40)]
LabUsage = Annotated[str, Field(pattern=KIND_NAME, max_length=40)]


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
    usage: LabUsage
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


class BankCheckpoint(Strict):
    """A question of the topic banks asked at a lab checkpoint, written `{bank: ID}` so the choice shows.

    A lab asks its own questions (a plain id: `content/questions/labs/<lab-id>.yaml`), about what the learner just
    did and saw; a bank question is what the lesson's checkpoint and the quiz ask, so cite one only where it truly
    is the best question for the step.
    """

    bank: ItemId


Checkpoint = ItemId | BankCheckpoint


def checkpoint_id(entry: Checkpoint) -> str:
    """The question id an entry names, whichever kind of question it is."""
    return entry.bank if isinstance(entry, BankCheckpoint) else entry


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
    # asked after the step: ids of the lab's own questions, or `{bank: id}` for a question of the topic banks
    checkpoint: list[Checkpoint] = Field(default_factory=list)


class Lab(Strict):
    id: ItemId
    title: Text
    topics: list[TopicId] = Field(min_length=1)
    as_of: dt.date
    minutes: Annotated[int, Field(ge=1, le=120)]
    introduction: Text
    setup: list[LabSetup] = Field(default_factory=list)
    steps: list[LabStep] = Field(min_length=1)
    summary: Text
    exam_tips: list[Text] = Field(min_length=1)
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Lab:
        """Captures, then checks, may only use values captured before them; a question is asked at one step only
        (where it resolves is the cross-file check's: `validate.cross_check`)."""
        known = {n for s in self.setup if isinstance(s, LabVpcSetup) for n in (s.vpc_capture, s.subnet_capture)}
        seen: set[str] = set()
        asked: dict[str, str] = {}
        for i, step in enumerate(self.steps):
            if step.id in seen:
                raise FieldError(
                    f"step id {step.id!r} is used twice; step ids are unique within a lab", "steps", i, "id"
                )
            seen.add(step.id)
            for name, cap in step.capture.items():
                _known_names(cap.model_dump(), known, step.id, ("steps", i, "capture", name))
                known.add(name)
            for j, check in enumerate(step.check):
                _known_names(check.model_dump(exclude={"kind", "says"}), known, step.id, ("steps", i, "check", j))
            for k, entry in enumerate(step.checkpoint):
                qid = checkpoint_id(entry)
                if qid in asked:
                    raise FieldError(
                        f"step {step.id}: checkpoint {qid!r} is already asked at step {asked[qid]}",
                        *("steps", i, "checkpoint", k),
                    )
                asked[qid] = step.id
        return self


def _known_names(fields: dict[str, object], known: set[str], step: str, loc: tuple[int | str, ...]) -> None:
    for key, value in fields.items():
        if key in ("matches", "pattern"):
            continue  # regular expressions may use {m,n}
        for name in LAB_PLACEHOLDER.findall(value) if isinstance(value, str) else []:
            if name not in known:
                raise FieldError(f"step {step}: {{{name}}} is not captured before it is used", *loc, key)


class LabQuestionFile(Strict):
    """A lab's own checkpoint questions (`content/questions/labs/<lab-id>.yaml`): the schema and the lint of bank
    questions, but asked only at the lab's steps. Quiz, exam, cards, the lesson's checkpoint and the coverage
    counts never draw them (they live outside `Catalog.questions`). Their topic is the lab's first topic."""

    lab: ItemId
    questions: list[Question] = Field(min_length=1)
