"""The CloudWatch Logs backend of one Region, the lookups every operation shares, and the service's `SPEC`.

Retention is applied from the clock whenever a group is read (events older than the retention period are
gone), so Logs needs no timers.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec
from awsprep.sim.logs.errors import LOGS_ERRORS as E
from awsprep.sim.logs.state import LogGroup, LogsRegionState, LogStream

if TYPE_CHECKING:
    from awsprep.sim.logs.responses import Handler
    from awsprep.sim.world import World

DAY_MS = 86_400_000


class LogsBackend:
    """CloudWatch Logs in one Region. `handle()` serves the API; lookups raise the API's errors."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> LogsRegionState:
        """The Region's state (looked up each time: a restore replaces it)."""
        found: LogsRegionState = self.world.region_state("logs", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions before)."""
        handler = handler_for("logs", _operations(), operation)
        return handler(self, params)

    @property
    def now_ms(self) -> int:
        """The simulated time in epoch milliseconds."""
        return round(self.world.now * 1000)

    def group_arn(self, name: str) -> str:
        """`arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (DescribeLogGroups adds `:*` in its `arn` field)."""
        return f"arn:aws:logs:{self.region}:{self.world.account_id}:log-group:{name}"

    def group(self, name: Any = None, identifier: Any = None) -> LogGroup:
        """A group by name, or by `logGroupIdentifier` (a name or an ARN); not both."""
        if name and identifier:
            raise E(
                "InvalidParameter",
                message="LogGroup name and LogGroup ARN are mutually exclusive parameters.",
            )
        text = str(name or identifier or "")
        match = re.match(r"^arn:aws:logs:([^:]+):(\d{12}):log-group:(.+?)(:\*)?$", text)
        if match:
            if match.group(1) != self.region or match.group(2) != self.world.account_id:
                raise E("GroupNotFound")
            text = match.group(3)
        found = self.state.groups.get(text)
        if found is None:
            raise E("GroupNotFound")
        self.expire(found)
        return found

    def stream(self, group: LogGroup, name: Any) -> LogStream:
        """A stream of a group (ResourceNotFoundException)."""
        found = group.streams.get(str(name or ""))
        if found is None:
            raise E("StreamNotFound")
        return found

    def expire(self, group: LogGroup) -> None:
        """Drop the events older than the group's retention period."""
        if group.retention_days is None:
            return
        cutoff = self.now_ms - group.retention_days * DAY_MS
        for stream in group.streams.values():
            if stream.events and stream.events[0].timestamp < cutoff:
                stream.events = [e for e in stream.events if e.timestamp >= cutoff]

    def new_event_id(self) -> str:
        """A 56-digit event id, unique in the Region and increasing."""
        self.state.next_event += 1
        return f"{self.state.next_event:056d}"


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.logs.responses import OPERATIONS

    return OPERATIONS


def _lab_group(world: World, region: str, ident: str) -> LogGroup | None:
    from awsprep.sim.logs.api import backend

    try:
        return backend(world, region).group(ident)
    except AwsError:
        return None


SPEC = ServiceSpec(
    name="logs",
    iam_prefix="logs",
    title="Amazon CloudWatch Logs",
    state_type=LogsRegionState,
    new_state=lambda world, region: LogsRegionState(region=region),
    make_backend=LogsBackend,
    lab_resources={
        "log_group": LabResource(
            _lab_group,
            {
                "stream_count": lambda w, r, g: len(g.streams),
                "event_count": lambda w, r, g: sum(len(s.events) for s in g.streams.values()),
                "messages": lambda w, r, g: "\n".join(e.message for s in g.streams.values() for e in s.events),
            },
        )
    },
)
