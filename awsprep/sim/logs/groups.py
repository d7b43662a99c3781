"""Log groups and streams: create, describe (prefix, pattern, order, pages), delete, retention, tags."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.describe import Paging, paginate
from awsprep.sim.logs.errors import LOGS_ERRORS as E
from awsprep.sim.logs.state import LogGroup, LogStream

if TYPE_CHECKING:
    from awsprep.sim.logs.models import LogsBackend

GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
STREAM_NAME = re.compile(r"^[^:*]{1,512}$")
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def _paging(maximum: int) -> Paging:
    return Paging(
        1,
        maximum,
        lambda v, lo, hi: E(
            "InvalidParameter",
            message=f"1 validation error detected: Value '{v}' at 'limit' failed to satisfy constraint: "
            f"Member must have value less than or equal to {hi}",
        ),
        lambda t: E("BadToken"),
    )


def _check_group_name(name: str) -> None:
    if not GROUP_NAME.match(name):
        raise E(
            "InvalidParameter",
            message=f"1 validation error detected: Value '{name}' at 'logGroupName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
        )


def create_group(b: LogsBackend, name: str, tags: dict[str, str] | None = None, **extra: Any) -> LogGroup:
    """A new group (ResourceAlreadyExistsException when the name is taken)."""
    _check_group_name(name)
    if name in b.state.groups:
        raise E("GroupExists")
    group = LogGroup(name, b.now_ms, tags=dict(tags or {}), **extra)
    b.state.groups[name] = group
    return group


def create_stream(b: LogsBackend, group: LogGroup, name: str) -> LogStream:
    """A new stream in a group (ResourceAlreadyExistsException when it exists)."""
    if not STREAM_NAME.match(name):
        raise E(
            "InvalidParameter",
            message=f"1 validation error detected: Value '{name}' at 'logStreamName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [^:*]*",
        )
    if name in group.streams:
        raise E("StreamExists")
    stream = LogStream(name, b.now_ms)
    group.streams[name] = stream
    return stream


def create_log_group(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """CreateLogGroup."""
    log_class = str(p.get("logGroupClass") or "STANDARD")
    if log_class not in ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY"):
        raise E("InvalidParameter", message=f"Invalid log group class: {log_class}")
    create_group(
        b,
        str(p.get("logGroupName") or ""),
        p.get("tags"),
        kms_key_id=str(p.get("kmsKeyId") or ""),
        log_group_class=log_class,
        deletion_protection=bool(p.get("deletionProtectionEnabled")),
    )
    return {}


def delete_log_group(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteLogGroup: its streams and events go with it."""
    group = b.group(p.get("logGroupName"))
    if group.deletion_protection:
        raise E("Validation", message="Log group has deletion protection enabled.")
    del b.state.groups[group.name]
    return {}


def group_row(b: LogsBackend, g: LogGroup) -> dict[str, Any]:
    """A group as DescribeLogGroups shows it."""
    row: dict[str, Any] = {
        "logGroupName": g.name,
        "creationTime": g.created,
        "metricFilterCount": 0,
        "arn": b.group_arn(g.name) + ":*",
        "storedBytes": sum(len(e.message.encode()) for s in g.streams.values() for e in s.events),
        "logGroupClass": g.log_group_class,
        "logGroupArn": b.group_arn(g.name),
    }
    if g.retention_days is not None:
        row["retentionInDays"] = g.retention_days
    if g.kms_key_id:
        row["kmsKeyId"] = g.kms_key_id
    if g.deletion_protection:
        row["deletionProtectionEnabled"] = True
    return row


def describe_log_groups(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DescribeLogGroups: by name prefix or a case-insensitive pattern (not both), 50 a page."""
    prefix, pattern = p.get("logGroupNamePrefix"), p.get("logGroupNamePattern")
    if prefix and pattern:
        raise E(
            "InvalidParameter",
            message="LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
        )
    names = sorted(b.state.groups)
    if prefix:
        names = [n for n in names if n.startswith(str(prefix))]
    if pattern:
        names = [n for n in names if str(pattern).lower() in n.lower()]
    if p.get("logGroupIdentifiers"):
        wanted = {str(i).split(":log-group:")[-1].removesuffix(":*") for i in p["logGroupIdentifiers"]}
        names = [n for n in names if n in wanted]
    if p.get("logGroupClass"):
        names = [n for n in names if b.state.groups[n].log_group_class == p["logGroupClass"]]
    page, token = paginate(
        names,
        p.get("limit") or (50 if len(names) > 50 or p.get("nextToken") else None),
        p.get("nextToken"),
        _paging(50),
        salt="DescribeLogGroups",
    )
    for n in page:
        b.expire(b.state.groups[n])
    out: dict[str, Any] = {"logGroups": [group_row(b, b.state.groups[n]) for n in page]}
    if token:
        out["nextToken"] = token
    return out


def create_log_stream(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """CreateLogStream."""
    create_stream(b, b.group(p.get("logGroupName")), str(p.get("logStreamName") or ""))
    return {}


def delete_log_stream(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteLogStream."""
    group = b.group(p.get("logGroupName"))
    del group.streams[b.stream(group, p.get("logStreamName")).name]
    return {}


def stream_row(b: LogsBackend, group: LogGroup, s: LogStream) -> dict[str, Any]:
    """A stream as DescribeLogStreams shows it (event times only once it has events)."""
    row: dict[str, Any] = {
        "logStreamName": s.name,
        "creationTime": s.created,
        "arn": f"{b.group_arn(group.name)}:log-stream:{s.name}",
        "storedBytes": 0,  # deprecated: AWS reports 0 here
    }
    if s.events:
        row.update(
            {
                "firstEventTimestamp": s.events[0].timestamp,
                "lastEventTimestamp": s.events[-1].timestamp,
                "lastIngestionTime": s.last_ingestion,
                "uploadSequenceToken": f"{s.sequence:056d}",
            }
        )
    return row


def describe_log_streams(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DescribeLogStreams: by name (a prefix allowed) or by last event time, 50 a page."""
    group = b.group(p.get("logGroupName"), p.get("logGroupIdentifier"))
    order = str(p.get("orderBy") or "LogStreamName")
    prefix = str(p.get("logStreamNamePrefix") or "")
    if order == "LastEventTime" and prefix:
        raise E("InvalidParameter", message="Cannot order by LastEventTime with a logStreamNamePrefix.")
    streams = [s for s in group.streams.values() if s.name.startswith(prefix)]
    if order == "LastEventTime":
        streams.sort(key=lambda s: (s.events[-1].timestamp if s.events else 0, s.name))
    else:
        streams.sort(key=lambda s: s.name)
    if p.get("descending"):
        streams.reverse()
    page, token = paginate(
        streams,
        p.get("limit") or (50 if len(streams) > 50 or p.get("nextToken") else None),
        p.get("nextToken"),
        _paging(50),
        salt="DescribeLogStreams",
    )
    out: dict[str, Any] = {"logStreams": [stream_row(b, group, s) for s in page]}
    if token:
        out["nextToken"] = token
    return out


def put_retention_policy(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """PutRetentionPolicy: one of the allowed day counts; older events expire at once."""
    group = b.group(p.get("logGroupName"))
    days = p.get("retentionInDays")
    if days not in RETENTION_DAYS:
        allowed = ", ".join(str(d) for d in RETENTION_DAYS)
        raise E(
            "InvalidParameter",
            message=f"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{allowed}]",
        )
    group.retention_days = int(days)
    b.expire(group)
    return {}


def delete_retention_policy(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteRetentionPolicy: events never expire again."""
    b.group(p.get("logGroupName")).retention_days = None
    return {}


def _by_arn(b: LogsBackend, arn: Any) -> LogGroup:
    text = str(arn or "")
    if ":log-group:" not in text:
        raise E("ResourceNotFound")
    return b.group(identifier=text)


def tag_resource(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """TagResource (log groups)."""
    _by_arn(b, p.get("resourceArn")).tags.update(dict(p.get("tags") or {}))
    return {}


def untag_resource(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """UntagResource."""
    group = _by_arn(b, p.get("resourceArn"))
    for key in p.get("tagKeys") or []:
        group.tags.pop(key, None)
    return {}


def list_tags_for_resource(b: LogsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListTagsForResource."""
    return {"tags": dict(_by_arn(b, p.get("resourceArn")).tags)}
