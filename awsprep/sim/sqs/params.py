"""Checking what a caller sends: queue attributes and their ranges, message attributes, batch entries.

Ranges come from the CreateQueue, SetQueueAttributes, SendMessage and ReceiveMessage API references.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from awsprep.sim.sqs.errors import SQS_ERRORS as E
from awsprep.sim.sqs.state import MessageAttribute

MAX_MESSAGE_SIZE = 1_048_576  # 1 MiB: the ceiling of MaximumMessageSize and its default for new queues

# Settable attribute -> (minimum, maximum) for the integer ones, None for the others.
SETTABLE: dict[str, tuple[int, int] | None] = {
    "DelaySeconds": (0, 900),
    "MaximumMessageSize": (1024, MAX_MESSAGE_SIZE),
    "MessageRetentionPeriod": (60, 1_209_600),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "VisibilityTimeout": (0, 43_200),
    "Policy": None,
    "RedrivePolicy": None,
    "RedriveAllowPolicy": None,
    "KmsMasterKeyId": (0, 0),  # any string
    "KmsDataKeyReusePeriodSeconds": (60, 86_400),
    "SqsManagedSseEnabled": None,
    "FifoQueue": None,
    "ContentBasedDeduplication": None,
    "DeduplicationScope": None,
    "FifoThroughputLimit": None,
}
FIFO_ONLY = ("ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")
DEFAULTS = {
    "DelaySeconds": "0",
    "MaximumMessageSize": str(MAX_MESSAGE_SIZE),
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "VisibilityTimeout": "30",
    "SqsManagedSseEnabled": "true",  # SSE-SQS is on by default for queues created since 2022
}
FIFO_DEFAULTS = {"ContentBasedDeduplication": "false", "DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}
ENUMS = {"DeduplicationScope": ("messageGroup", "queue"), "FifoThroughputLimit": ("perQueue", "perMessageGroupId")}
READ_ONLY = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
)
NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
BATCH_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
ATTRIBUTE_NAME = re.compile(r"^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$")


def check_queue_name(name: str, fifo: bool) -> None:
    """A name of 1–80 letters, digits, hyphens and underscores; a FIFO queue's ends in `.fifo`."""
    if fifo:
        if not (name.endswith(".fifo") and NAME.match(name[: -len(".fifo")]) and len(name) <= 80):
            raise E(
                "InvalidParameterValue",
                message="The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                "underscores, must end with .fifo suffix and be 1 to 80 in length.",
            )
    elif not NAME.match(name):
        raise E(
            "InvalidParameterValue",
            message="Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
        )


def check_attributes(attrs: dict[str, Any], fifo: bool, creating: bool) -> dict[str, str]:
    """Validated attribute values as the strings SQS stores (raises InvalidAttributeName/Value)."""
    out: dict[str, str] = {}
    for name, raw in attrs.items():
        value = str(raw)
        if name not in SETTABLE or (name == "FifoQueue" and not creating):
            raise E("InvalidAttributeName", name=name)
        if name in FIFO_ONLY and not fifo:
            raise E("InvalidAttributeName", name=name)
        bounds = SETTABLE[name]
        if bounds is not None and bounds != (0, 0):
            if not re.fullmatch(r"-?\d+", value) or not bounds[0] <= int(value) <= bounds[1]:
                raise E("InvalidAttributeValue", name=name)
            value = str(int(value))
        elif name in ("FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"):
            if value.lower() not in ("true", "false"):
                raise E("InvalidAttributeValue", name=name)
            value = value.lower()
        elif value not in ENUMS.get(name, (value,)):
            raise E("InvalidAttributeValue", name=name)
        elif name in ("Policy", "RedriveAllowPolicy") and value:
            try:
                json.loads(value)
            except ValueError:
                raise E("InvalidAttributeValue", name=name) from None
        out[name] = value
    return out


def message_attributes(raw: dict[str, Any] | None, what: str = "message attribute") -> dict[str, MessageAttribute]:
    """Message attributes from botocore's dict, checked as SendMessage checks them (at most 10)."""
    out: dict[str, MessageAttribute] = {}
    if not raw:
        return out
    if len(raw) > 10:
        raise E(
            "InvalidParameterValue",
            message=f"Number of message attributes [{len(raw)}] exceeds the allowed maximum [10].",
        )
    for name, spec in raw.items():
        if not ATTRIBUTE_NAME.match(name) or name.lower().startswith(("aws.", "amazon.")):
            raise E("InvalidParameterValue", message=f"The {what} name '{name}' is invalid.")
        data_type = str(spec.get("DataType") or "")
        base = data_type.split(".", 1)[0]
        if base not in ("String", "Number", "Binary"):
            raise E(
                "InvalidParameterValue",
                message=f"The type of {what} '{name}' is invalid. You must use only the following supported "
                "type prefixes: Binary, Number, String.",
            )
        if base == "Binary":
            blob = spec.get("BinaryValue")
            if blob in (None, b"", ""):
                raise _empty(what, name, data_type)
            data = blob if isinstance(blob, bytes) else str(blob).encode("utf-8")
            out[name] = MessageAttribute(data_type, binary_value=base64.b64encode(data).decode("ascii"))
            continue
        text = spec.get("StringValue")
        if text is None or text == "":
            raise _empty(what, name, data_type)
        if base == "Number":
            try:
                float(str(text))
            except ValueError:
                raise E(
                    "InvalidParameterValue",
                    message=f"Can't cast the value of {what} '{name}' to a number.",
                ) from None
        out[name] = MessageAttribute(data_type, string_value=str(text))
    return out


def _empty(what: str, name: str, data_type: str) -> Exception:
    return E(
        "InvalidParameterValue",
        message=f"The {what} '{name}' must contain non-empty {what} value for {what} type '{data_type}'.",
    )


def attribute_size(attrs: dict[str, MessageAttribute]) -> int:
    """Bytes the attributes count towards the message size (name, type and value)."""
    total = 0
    for name, a in attrs.items():
        value = base64.b64decode(a.binary_value) if a.binary_value is not None else (a.string_value or "").encode()
        total += len(name.encode()) + len(a.data_type.encode()) + len(value)
    return total


def check_entries(entries: list[dict[str, Any]] | None, entry_name: str) -> list[dict[str, Any]]:
    """A batch's entries: 1 to 10, ids well formed and distinct."""
    entries = list(entries or [])
    if not entries:
        raise E("EmptyBatchRequest", entry=entry_name)
    if len(entries) > 10:
        raise E("TooManyEntriesInBatchRequest", count=len(entries))
    seen: set[str] = set()
    for entry in entries:
        ident = str(entry.get("Id", ""))
        if not BATCH_ID.match(ident):
            raise E("InvalidBatchEntryId")
        if ident in seen:
            raise E("BatchEntryIdsNotDistinct", id=ident)
        seen.add(ident)
    return entries


def int_param(p: dict[str, Any], name: str, low: int, high: int, reason: str) -> int | None:
    """An optional integer parameter within bounds (the BadValue error otherwise)."""
    if p.get(name) is None:
        return None
    value = int(p[name])
    if not low <= value <= high:
        raise E("BadValue", value=value, name=name, reason=reason)
    return value
