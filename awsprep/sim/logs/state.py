"""CloudWatch Logs state of one Region: log groups, their streams and events (times in epoch milliseconds,
as the API speaks them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LogEvent:
    """One event: when it happened (the caller's timestamp), when it arrived, its text, a unique id."""

    timestamp: int
    message: str
    ingestion: int
    event_id: str


@dataclass
class LogStream:
    """A stream: events ordered by timestamp."""

    name: str
    created: int
    events: list[LogEvent] = field(default_factory=list)
    last_ingestion: int = 0
    sequence: int = 0


@dataclass
class LogGroup:
    """A log group: retention (None = never expire), its streams by name, tags."""

    name: str
    created: int
    retention_days: int | None = None
    streams: dict[str, LogStream] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    kms_key_id: str = ""
    log_group_class: str = "STANDARD"
    deletion_protection: bool = False


@dataclass
class LogsRegionState:
    """The log groups of one Region, by name, and the counter behind event ids."""

    region: str = ""
    groups: dict[str, LogGroup] = field(default_factory=dict)
    next_event: int = 0
