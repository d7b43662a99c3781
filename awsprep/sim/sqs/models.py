"""The SQS backend of one Region, the lookups every operation shares, and the service's `SPEC`.

Time-based changes (a visibility timeout running out, a delay passing, retention dropping a message) are
worked out from the clock whenever a queue is read, so SQS needs no timers.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import LEARNER, Principal
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec
from awsprep.sim.sqs.errors import SQS_ERRORS as E
from awsprep.sim.sqs.state import Message, Queue, SqsRegionState

if TYPE_CHECKING:
    from awsprep.sim.sqs.responses import Handler
    from awsprep.sim.world import World


class SqsBackend:
    """SQS in one Region. `handle()` serves the API; lookups raise the API's errors."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> SqsRegionState:
        """The Region's state (looked up each time: a restore replaces it)."""
        found: SqsRegionState = self.world.region_state("sqs", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions before)."""
        handler = handler_for("sqs", _operations(), operation)
        return handler(self, params)

    # ----- names ------------------------------------------------------------------------------------------
    def url_for(self, name: str) -> str:
        """`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`, the form CreateQueue returns today."""
        return f"https://sqs.{self.region}.amazonaws.com/{self.world.account_id}/{name}"

    def arn_for(self, name: str) -> str:
        """`arn:aws:sqs:REGION:ACCOUNT:NAME`."""
        return f"arn:aws:sqs:{self.region}:{self.world.account_id}:{name}"

    def new_uuid(self) -> str:
        """A message id (a UUID from the world's seeded generator)."""
        return str(uuid.UUID(int=self.world.ids.rng.getrandbits(128), version=4))

    # ----- lookups ----------------------------------------------------------------------------------------
    def queue_by_url(self, url: str | None) -> Queue:
        """A queue from its URL (the account and name in its path; another Region's queue does not exist here)."""
        if not url:
            raise E("MissingParameter", name="QueueUrl")
        parts = str(url).rstrip("/").split("/")
        if len(parts) < 2 or parts[-2] != self.world.account_id:
            raise E("NonExistentQueue")
        host = parts[2] if len(parts) > 3 else ""
        if host.startswith("sqs.") and host.split(".")[1] != self.region:
            raise E("NonExistentQueue")
        return self.queue_by_name(parts[-1])

    def queue_by_name(self, name: str) -> Queue:
        """A queue by name (NonExistentQueue)."""
        found = self.state.queues.get(name)
        if found is None:
            raise E("NonExistentQueue")
        return found

    def queue_by_arn(self, arn: str) -> Queue | None:
        """A queue of this Region by ARN (None when there is none)."""
        parts = arn.split(":")
        if len(parts) != 6 or parts[2] != "sqs" or parts[3] != self.region or parts[4] != self.world.account_id:
            return None
        return self.state.queues.get(parts[5])

    # ----- receipt handles --------------------------------------------------------------------------------
    def receipt_handle(self, queue: Queue, msg: Message) -> str:
        """An opaque handle naming the message and which receive it came from (only the newest deletes)."""
        salt = hashlib.sha256(f"{self.world.meta.seed}:{msg.message_id}:{msg.receipt_serial}".encode()).hexdigest()
        raw = f"{queue.name}\n{msg.message_id}\n{msg.receipt_serial}\n{salt[:32]}".encode()
        return base64.b64encode(raw).decode("ascii")

    def decode_handle(self, queue: Queue, handle: str | None) -> tuple[str, int]:
        """(message id, receive serial) of a handle this queue gave out (ReceiptHandleIsInvalid otherwise)."""
        if not handle:
            raise E("MissingParameter", name="ReceiptHandle")
        try:
            name, message_id, serial, _salt = base64.b64decode(handle, validate=True).decode().split("\n")
            if name != queue.name:
                raise ValueError(name)
            return message_id, int(serial)
        except ValueError:
            raise E("ReceiptHandleIsInvalid", handle=handle) from None

    # ----- the clock --------------------------------------------------------------------------------------
    def live(self, queue: Queue) -> list[Message]:
        """The queue's messages now: retention applied, expired visibility timeouts returned to the queue."""
        now = self.world.now
        keep = now - int(queue.attributes.get("MessageRetentionPeriod", "345600"))
        if queue.messages and queue.messages[0].sent <= keep:
            queue.messages = [m for m in queue.messages if m.sent > keep]
        for m in queue.messages:
            if m.in_flight and m.visible_at <= now:
                m.in_flight = False
        return queue.messages

    def counts(self, queue: Queue) -> tuple[int, int, int]:
        """(visible, in flight, delayed): the three ApproximateNumberOfMessages* attributes."""
        now = self.world.now
        visible = in_flight = delayed = 0
        for m in self.live(queue):
            if m.in_flight:
                in_flight += 1
            elif m.visible_at > now:
                delayed += 1
            else:
                visible += 1
        return visible, in_flight, delayed

    def sender_id(self, principal: Principal = LEARNER) -> str:
        """The SenderId SQS records: an IAM user's unique id, or a role's id and session."""
        digest = base64.b32encode(hashlib.sha256(principal.arn(self.world.account_id).encode()).digest()).decode()
        if principal.kind == "user":
            return "AIDA" + digest[:17]
        return f"AROA{digest[:17]}:{principal.session or principal.name}"


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.sqs.responses import OPERATIONS

    return OPERATIONS


def _lab_queue(world: World, region: str, ident: str) -> Queue | None:
    from awsprep.sim.sqs.api import backend

    b = backend(world, region)
    return b.state.queues.get(ident) or b.queue_by_arn(ident)


def _lab_count(index: int) -> Any:
    def field(world: World, region: str, queue: Queue) -> int:
        from awsprep.sim.sqs.api import backend

        return backend(world, region).counts(queue)[index]

    return field


SPEC = ServiceSpec(
    name="sqs",
    iam_prefix="sqs",
    title="Amazon SQS",
    state_type=SqsRegionState,
    new_state=lambda world, region: SqsRegionState(region=region),
    make_backend=SqsBackend,
    lab_resources={
        "queue": LabResource(
            _lab_queue,
            {
                "approximate_messages": _lab_count(0),
                "approximate_messages_not_visible": _lab_count(1),
                "approximate_messages_delayed": _lab_count(2),
            },
        )
    },
)
