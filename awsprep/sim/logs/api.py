"""CloudWatch Logs' typed API for other services: Lambda writes its START/END/REPORT lines and the
handler's output here; the sandbox's `aws logs tail` reads through `filter_events`.

A write as a principal (a Lambda execution role) is authorised as `logs:PutLogEvents` (and
`logs:CreateLogGroup`/`logs:CreateLogStream` when it creates them), like the calls the Lambda runtime makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import Principal

if TYPE_CHECKING:
    from awsprep.sim.logs.models import LogsBackend
    from awsprep.sim.logs.state import LogEvent, LogGroup, LogStream
    from awsprep.sim.world import World

Event = tuple[float, str] | str  # (timestamp in seconds, message), or a message at the current time


def backend(world: World, region: str | None = None) -> LogsBackend:
    """The typed Logs backend of a Region (the default Region when None)."""
    from awsprep.sim.logs.models import LogsBackend

    found = world.backend("logs", region)
    assert isinstance(found, LogsBackend)
    return found


def write(
    world: World,
    region: str,
    group: str,
    stream: str,
    events: Iterable[Event],
    *,
    create: bool = True,
    principal: Principal | None = None,
) -> dict[str, Any]:
    """Append events to a stream, creating the group and stream first when `create` (as the Lambda runtime
    does on a function's first invocation). Events are sorted by time before they are put (a batch must be
    chronological). Returns PutLogEvents' rejected-events info ({} when all were stored). Raises `AwsError`
    (ResourceNotFoundException without `create`, the access-denied error for `principal`)."""
    from awsprep.sim.logs.groups import create_group, create_stream
    from awsprep.sim.logs.log_events import append

    b = backend(world, region)
    if principal is not None:
        world.authorize("logs", "PutLogEvents", principal)
    log_group = b.state.groups.get(group)
    if log_group is None and create:
        if principal is not None:
            world.authorize("logs", "CreateLogGroup", principal)
        log_group = create_group(b, group)
    found = b.group(group) if log_group is None else log_group
    b.expire(found)
    log_stream = found.streams.get(stream)
    if log_stream is None and create:
        if principal is not None:
            world.authorize("logs", "CreateLogStream", principal)
        log_stream = create_stream(b, found, stream)
    target = b.stream(found, stream) if log_stream is None else log_stream
    batch = sorted(
        ((round((e[0] if isinstance(e, tuple) else world.now) * 1000), e[1] if isinstance(e, tuple) else e))
        for e in events
    )
    return append(b, found, target, batch) if batch else {}


def group(world: World, region: str, name: str) -> LogGroup | None:
    """A log group (None when there is none)."""
    return backend(world, region).state.groups.get(name)


def events(world: World, region: str, group_name: str, stream: str | None = None) -> list[LogEvent]:
    """The stored events of a group (one stream, or all of them by time), after retention."""
    b = backend(world, region)
    found = b.state.groups.get(group_name)
    if found is None:
        return []
    b.expire(found)
    streams: list[LogStream] = (
        [found.streams[stream]] if stream in found.streams else [] if stream else list(found.streams.values())
    )
    return sorted((e for s in streams for e in s.events), key=lambda e: (e.timestamp, e.event_id))


def filter_events(world: World, region: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """FilterLogEvents' events for `params` (its parameter names), every page at once (`aws logs tail`)."""
    from awsprep.sim.logs.log_events import filter_log_events

    out: list[dict[str, Any]] = []
    p = dict(params)
    while True:
        page = filter_log_events(backend(world, region), p)
        out.extend(page["events"])
        if "nextToken" not in page:
            return out
        p["nextToken"] = page["nextToken"]
