"""Log events: PutLogEvents (the checks of its reference: chronological batches, 24-hour span, too old or
too new events rejected), GetLogEvents (from the head or the tail, forward and backward tokens) and
FilterLogEvents (across streams, interleaved by time, with a filter pattern)."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from awsprep.sim.logs.errors import LOGS_ERRORS as E
from awsprep.sim.logs.models import DAY_MS
from awsprep.sim.logs.patterns import compile_pattern
from awsprep.sim.logs.state import LogEvent, LogGroup, LogStream

if TYPE_CHECKING:
    from awsprep.sim.logs.models import LogsBackend

MAX_BATCH = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD = 26  # bytes each event counts for, on top of its message
FUTURE_MS = 2 * 3_600_000
PAST_MS = 14 * DAY_MS


def append(b: LogsBackend, group: LogGroup, stream: LogStream, events: list[tuple[int, str]]) -> dict[str, Any]:
    """Store a batch of (timestamp ms, message); returns PutLogEvents' rejected-events info (maybe empty)."""
    now = b.now_ms
    if len(events) > MAX_BATCH:
        raise E("InvalidParameter", message=f"Log event count {len(events)} exceeds the maximum of {MAX_BATCH}.")
    size = sum(len(m.encode()) + EVENT_OVERHEAD for _, m in events)
    if size > MAX_BATCH_BYTES:
        raise E(
            "InvalidParameter", message=f"Log events batch of {size} bytes exceeds the maximum of {MAX_BATCH_BYTES}."
        )
    if any(events[i][0] > events[i + 1][0] for i in range(len(events) - 1)):
        raise E(
            "InvalidParameter", message="Log events in a single PutLogEvents request must be in chronological order."
        )
    oldest = now - PAST_MS
    if group.retention_days is not None:
        oldest = max(oldest, now - group.retention_days * DAY_MS)
    valid = [(i, e) for i, e in enumerate(events) if oldest <= e[0] <= now + FUTURE_MS]
    if valid and valid[-1][1][0] - valid[0][1][0] > DAY_MS:
        raise E(
            "InvalidParameter",
            message="The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
        )
    rejected: dict[str, int] = {}
    too_old = [i for i, e in enumerate(events) if e[0] < oldest]
    too_new = [i for i, e in enumerate(events) if e[0] > now + FUTURE_MS]
    if too_old:
        key = (
            "expiredLogEventEndIndex"
            if group.retention_days is not None and events[too_old[-1]][0] >= now - PAST_MS
            else "tooOldLogEventEndIndex"
        )
        rejected[key] = too_old[-1]
    if too_new:
        rejected["tooNewLogEventStartIndex"] = too_new[0]
    keys = [e.timestamp for e in stream.events]
    for _, (ts, message) in valid:
        event = LogEvent(ts, message, now, b.new_event_id())
        at = bisect.bisect_right(keys, ts)
        stream.events.insert(at, event)
        keys.insert(at, ts)
    if valid:
        stream.last_ingestion = now
        stream.sequence += 1
        dims = {"LogGroupName": group.name}
        b.world.put_metric("AWS/Logs", "IncomingLogEvents", dims, len(valid), "None")
        b.world.put_metric("AWS/Logs", "IncomingBytes", dims, sum(len(m.encode()) for _, (_, m) in valid), "Bytes")
    return rejected


def put_log_events(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """PutLogEvents (the sequence token is ignored, as AWS now does)."""
    group = b.group(p.get("logGroupName"))
    stream = b.stream(group, p.get("logStreamName"))
    raw = list(p.get("logEvents") or [])
    if not raw:
        raise E(
            "InvalidParameter",
            message="1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1",
        )
    rejected = append(b, group, stream, [(int(e["timestamp"]), str(e["message"])) for e in raw])
    out: dict[str, Any] = {"nextSequenceToken": f"{stream.sequence:056d}"}
    if rejected:
        out["rejectedLogEventsInfo"] = rejected
    return out


def _token(prefix: str, index: int) -> str:
    return f"{prefix}/{index:056d}"


def _read_token(token: str) -> tuple[str, int]:
    prefix, _, digits = token.partition("/")
    if prefix not in ("f", "b") or not digits.isdigit():
        raise E("BadToken")
    return prefix, int(digits)


def _in_range(events: list[LogEvent], start: Any, end: Any, end_inclusive: bool) -> list[LogEvent]:
    out = events
    if start is not None:
        out = [e for e in out if e.timestamp >= int(start)]
    if end is not None:
        out = (
            [e for e in out if e.timestamp <= int(end)] if end_inclusive else [e for e in out if e.timestamp < int(end)]
        )
    return out


def _limit(p: dict[str, Any], maximum: int) -> int:
    limit = int(p.get("limit") or maximum)
    if not 1 <= limit <= maximum:
        raise E(
            "InvalidParameter",
            message=f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: "
            f"Member must have value less than or equal to {maximum}",
        )
    return limit


def _event(e: LogEvent) -> dict[str, Any]:
    return {"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion}


def get_log_events(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """GetLogEvents: the newest `limit` events by default, the oldest with startFromHead; tokens page on.
    At the end of the stream the forward token comes back unchanged (the API reference's rule)."""
    group = b.group(p.get("logGroupName"), p.get("logGroupIdentifier"))
    events = _in_range(b.stream(group, p.get("logStreamName")).events, p.get("startTime"), p.get("endTime"), False)
    limit = _limit(p, 10_000)
    token = p.get("nextToken")
    direction = ""
    if token:
        direction, index = _read_token(str(token))
        index = min(index, len(events))
        if direction == "f":
            page, start = events[index : index + limit], index
        else:
            start = max(0, index - limit)
            page = events[start:index]
    elif p.get("startFromHead"):
        page, start = events[:limit], 0
    else:
        start = max(0, len(events) - limit)
        page = events[start:]
    forward = str(token) if direction == "f" and not page else _token("f", start + len(page))
    return {"events": [_event(e) for e in page], "nextForwardToken": forward, "nextBackwardToken": _token("b", start)}


def matching(b: LogsBackend, group: LogGroup, p: dict[str, Any]) -> list[tuple[LogStream, LogEvent]]:
    """The events FilterLogEvents selects, oldest first (ties in stream-name order)."""
    names = p.get("logStreamNames")
    prefix = p.get("logStreamNamePrefix")
    if names and prefix:
        raise E("InvalidParameter", message="logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
    if names:
        for name in names:
            b.stream(group, name)
        streams = [group.streams[n] for n in names]
    else:
        streams = [s for s in group.streams.values() if s.name.startswith(str(prefix or ""))]
    match = compile_pattern(p.get("filterPattern"))
    found = [
        (s, e)
        for s in streams
        for e in _in_range(s.events, p.get("startTime"), p.get("endTime"), True)
        if match(e.message)
    ]
    found.sort(key=lambda pair: (pair[1].timestamp, pair[0].name, pair[1].event_id))
    return found


def filter_log_events(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """FilterLogEvents: up to `limit` (10,000) events across the chosen streams."""
    from awsprep.sim.core.describe import decode_token, encode_token

    group = b.group(p.get("logGroupName"), p.get("logGroupIdentifier"))
    found = matching(b, group, p)
    limit = _limit(p, 10_000)
    start = 0
    if p.get("nextToken"):
        position = decode_token(str(p["nextToken"]), "FilterLogEvents")
        if position is None:
            raise E("BadToken")
        start = position
    page = found[start : start + limit]
    out: dict[str, Any] = {
        "events": [{"logStreamName": s.name, **_event(e), "eventId": e.event_id} for s, e in page],
        "searchedLogStreams": [],
    }
    if start + limit < len(found):
        out["nextToken"] = encode_token(start + limit, "FilterLogEvents")
    return out
