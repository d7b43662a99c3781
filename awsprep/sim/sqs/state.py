"""SQS state of one Region: queues by name, each holding its messages (plain dataclasses for snapshots)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class MessageAttribute:
    """One message attribute as the API carries it (`DataType` String, Number or Binary, with a custom suffix)."""

    data_type: str
    string_value: str | None = None
    binary_value: str | None = None  # base64 of the bytes, so the snapshot stays JSON


@dataclass
class Message:
    """A message in a queue. `receipt_serial` counts receives: only the newest receipt handle deletes it."""

    message_id: str
    body: str
    md5_body: str
    sent: float  # when it was first sent (a DLQ keeps the original time, as AWS does for standard queues)
    visible_at: float  # not before its delay has passed, nor while a receiver holds it
    attributes: dict[str, MessageAttribute] = field(default_factory=dict)
    md5_attributes: str = ""
    system_attributes: dict[str, MessageAttribute] = field(default_factory=dict)
    md5_system_attributes: str = ""
    sender_id: str = ""
    receive_count: int = 0
    first_receive: float = 0.0
    receipt_serial: int = 0
    in_flight: bool = False  # received and its visibility timeout has not run out yet
    group_id: str = ""
    dedup_id: str = ""
    sequence_number: str = ""
    dlq_source_arn: str = ""


@dataclass
class Queue:
    """A queue: its attributes as AWS reports them (strings), tags and messages in the order sent."""

    name: str
    url: str
    arn: str
    created: float
    modified: float
    attributes: dict[str, str] = field(default_factory=dict)  # the settable ones only
    tags: dict[str, str] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    last_purge: float = -1.0e12
    dedup: dict[str, float] = field(default_factory=dict)  # FIFO deduplication id -> when it was first seen
    sequence: int = 0

    @property
    def fifo(self) -> bool:
        """Whether this is a FIFO queue."""
        return self.attributes.get("FifoQueue") == "true"


@dataclass
class SqsRegionState:
    """The queues of one Region, and when names were last deleted (a name is reusable 60 s later)."""

    region: str = ""
    queues: dict[str, Queue] = field(default_factory=dict)
    deleted: dict[str, float] = field(default_factory=dict)
