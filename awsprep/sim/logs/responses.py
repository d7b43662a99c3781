"""CloudWatch Logs API operation name -> handler(backend, botocore params) -> response dict."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.logs import groups, log_events

if TYPE_CHECKING:
    from awsprep.sim.logs.models import LogsBackend

Handler = Callable[["LogsBackend", dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {
    "CreateLogGroup": groups.create_log_group,
    "DeleteLogGroup": groups.delete_log_group,
    "DescribeLogGroups": groups.describe_log_groups,
    "CreateLogStream": groups.create_log_stream,
    "DeleteLogStream": groups.delete_log_stream,
    "DescribeLogStreams": groups.describe_log_streams,
    "PutRetentionPolicy": groups.put_retention_policy,
    "DeleteRetentionPolicy": groups.delete_retention_policy,
    "TagResource": groups.tag_resource,
    "UntagResource": groups.untag_resource,
    "ListTagsForResource": groups.list_tags_for_resource,
    "PutLogEvents": log_events.put_log_events,
    "GetLogEvents": log_events.get_log_events,
    "FilterLogEvents": log_events.filter_log_events,
}
