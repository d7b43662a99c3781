"""Message operations: send (delays, FIFO groups and deduplication), receive (visibility timeout, long
polling on the simulated clock, the redrive to a dead-letter queue), delete and visibility changes.

Standard queues hand out messages oldest first (AWS promises no order; a fixed one keeps runs repeatable).
A FIFO queue hands out a group's messages in order and none of a group while one of its messages is in flight.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import LEARNER, Principal
from awsprep.sim.sqs.errors import SQS_ERRORS as E
from awsprep.sim.sqs.md5 import md5_attributes, md5_body
from awsprep.sim.sqs.params import attribute_size, int_param, message_attributes
from awsprep.sim.sqs.state import Message, MessageAttribute, Queue

if TYPE_CHECKING:
    from awsprep.sim.sqs.models import SqsBackend

DEDUP_WINDOW = 300.0  # FIFO: a deduplication id is remembered for 5 minutes
MAX_WAIT = 20  # ReceiveMessage's WaitTimeSeconds
SYSTEM_NAMES = (
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "SequenceNumber",
    "MessageDeduplicationId",
    "MessageGroupId",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
)


def enqueue(
    b: SqsBackend,
    queue: Queue,
    body: str,
    attributes: dict[str, MessageAttribute],
    *,
    delay: int | None = None,
    group_id: str | None = None,
    dedup_id: str | None = None,
    system: dict[str, MessageAttribute] | None = None,
    principal: Principal = LEARNER,
) -> Message:
    """Put one message on a queue as SendMessage does (the checks of its API reference), return it."""
    if not body:
        raise E("MissingParameter", name="MessageBody")
    limit = int(queue.attributes.get("MaximumMessageSize", "1048576"))
    if len(body.encode("utf-8")) + attribute_size(attributes) > limit:
        raise E(
            "InvalidParameterValue",
            message=f"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes.",
        )
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in body):
        raise _bad_contents()
    now = b.world.now
    if queue.fifo:
        if delay:
            raise E(
                "BadValue",
                value=delay,
                name="DelaySeconds",
                reason="The request include parameter that is not valid for this queue type",
            )
        if not group_id:
            raise E("MissingParameter", name="MessageGroupId")
        if not dedup_id:
            if queue.attributes.get("ContentBasedDeduplication") != "true":
                raise E(
                    "InvalidParameterValue",
                    message="The queue should either have ContentBasedDeduplication enabled or "
                    "MessageDeduplicationId provided explicitly",
                )
            dedup_id = hashlib.sha256(body.encode("utf-8")).hexdigest()
        queue.dedup = {k: t for k, t in queue.dedup.items() if now - t < DEDUP_WINDOW}
        if dedup_id in queue.dedup:  # accepted, not delivered twice: the original's id comes back
            original = next((m for m in queue.messages if m.dedup_id == dedup_id), None)
            if original is not None:
                return original
        queue.dedup[dedup_id] = now
    wait = int(queue.attributes.get("DelaySeconds", "0")) if delay is None else delay
    queue.sequence += 1
    msg = Message(
        message_id=b.new_uuid(),
        body=body,
        md5_body=md5_body(body),
        sent=now,
        visible_at=now + wait,
        attributes=attributes,
        md5_attributes=md5_attributes(attributes),
        system_attributes=dict(system or {}),
        md5_system_attributes=md5_attributes(dict(system or {})),
        sender_id=b.sender_id(principal),
        group_id=group_id or "",
        dedup_id=(dedup_id or "") if queue.fifo else "",
        # a standard queue accepts a MessageGroupId (fair queues) and keeps it; only FIFO orders by it
        sequence_number=f"{18_000_000_000_000_000_000 + queue.sequence * 65_536}" if queue.fifo else "",
    )
    queue.messages.append(msg)
    return msg


def _bad_contents() -> Exception:
    return E(
        "InvalidParameterValue",
        message="Invalid binary character in the message body. Characters outside the allowed set "
        "(#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF) are not permitted.",
    )


def _system(p: dict[str, Any]) -> dict[str, MessageAttribute]:
    raw = p.get("MessageSystemAttributes") or {}
    for name in raw:
        if name != "AWSTraceHeader":
            raise E("InvalidParameterValue", message=f"Message system attribute name '{name}' is invalid.")
    return message_attributes(raw, "message system attribute")


def _sent(msg: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"MessageId": msg.message_id, "MD5OfMessageBody": msg.md5_body}
    if msg.md5_attributes:
        out["MD5OfMessageAttributes"] = msg.md5_attributes
    if msg.md5_system_attributes:
        out["MD5OfMessageSystemAttributes"] = msg.md5_system_attributes
    if msg.sequence_number:
        out["SequenceNumber"] = msg.sequence_number
    return out


def send_message(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """SendMessage."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    delay = int_param(p, "DelaySeconds", 0, 900, "DelaySeconds must be >= 0 and <= 900")
    msg = enqueue(
        b,
        queue,
        str(p.get("MessageBody") or ""),
        message_attributes(p.get("MessageAttributes")),
        delay=delay,
        group_id=p.get("MessageGroupId"),
        dedup_id=p.get("MessageDeduplicationId"),
        system=_system(p),
    )
    return _sent(msg)


def _batch(b: SqsBackend, p: dict[str, Any], entry: str, one: Any) -> dict[str, Any]:
    from awsprep.sim.core.errors import AwsError
    from awsprep.sim.sqs.params import check_entries

    queue = b.queue_by_url(p.get("QueueUrl"))
    ok, failed = [], []
    for item in check_entries(p.get("Entries"), entry):
        try:
            ok.append({"Id": item["Id"], **one(queue, item)})
        except AwsError as err:
            failed.append({"Id": item["Id"], "SenderFault": True, "Code": err.code, "Message": err.message})
    return {"Successful": ok, "Failed": failed}


def send_message_batch(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """SendMessageBatch: each entry succeeds or fails on its own; the whole batch is at most 1 MiB."""
    total = sum(len(str(e.get("MessageBody", "")).encode()) for e in p.get("Entries") or [])
    if total > 1_048_576:
        raise E("BatchRequestTooLong", max=1_048_576, size=total)

    def one(queue: Queue, e: dict[str, Any]) -> dict[str, Any]:
        delay = int_param(e, "DelaySeconds", 0, 900, "DelaySeconds must be >= 0 and <= 900")
        msg = enqueue(
            b,
            queue,
            str(e.get("MessageBody") or ""),
            message_attributes(e.get("MessageAttributes")),
            delay=delay,
            group_id=e.get("MessageGroupId"),
            dedup_id=e.get("MessageDeduplicationId"),
            system=_system(e),
        )
        return _sent(msg)

    return _batch(b, p, "SendMessageBatchRequestEntry", one)


# ----- receiving ---------------------------------------------------------------------------------------------
def _redrive(b: SqsBackend, queue: Queue) -> tuple[Queue, int] | None:
    policy = queue.attributes.get("RedrivePolicy")
    if not policy:
        return None
    data = json.loads(policy)
    dlq = b.queue_by_arn(data["deadLetterTargetArn"])
    return (dlq, int(data["maxReceiveCount"])) if dlq is not None else None


def take(b: SqsBackend, queue: Queue, limit: int, visibility: int) -> list[Message]:
    """Receive up to `limit` visible messages now (moving over-received ones to the DLQ first)."""
    now = b.world.now
    redrive = _redrive(b, queue)
    out: list[Message] = []
    live = b.live(queue)
    busy_groups = {m.group_id for m in live if m.in_flight} if queue.fifo else set()
    for msg in list(queue.messages):
        if len(out) >= limit:
            break
        if msg.in_flight or msg.visible_at > now or msg.group_id in busy_groups:
            continue
        if redrive is not None and msg.receive_count >= redrive[1]:
            # ReceiveCount would pass maxReceiveCount: SQS moves the message instead of delivering it
            queue.messages.remove(msg)
            msg.dlq_source_arn = queue.arn
            redrive[0].messages.append(msg)
            msg.in_flight, msg.visible_at = False, now
            if queue.fifo:  # a FIFO queue's message starts its retention again in the DLQ; a standard one's not
                msg.sent = now
            continue
        msg.receive_count += 1
        msg.receipt_serial += 1
        msg.first_receive = msg.first_receive or now
        msg.in_flight = True
        msg.visible_at = now + visibility
        if visibility == 0:
            msg.in_flight = False
        out.append(msg)
    return out


def _wanted(names: list[str], all_names: list[str]) -> list[str]:
    if not names:
        return []
    if "All" in names or ".*" in names:
        return all_names
    out = []
    for n in all_names:
        if n in names or any(w.endswith(".*") and n.startswith(w[:-1]) for w in names):
            out.append(n)
    return out


def _attr_dict(a: MessageAttribute) -> dict[str, Any]:
    import base64

    out: dict[str, Any] = {"DataType": a.data_type}
    if a.binary_value is not None:
        out["BinaryValue"] = base64.b64decode(a.binary_value)
    else:
        out["StringValue"] = a.string_value
    return out


def system_values(msg: Message) -> dict[str, str]:
    """The message's system attributes as ReceiveMessage reports them (timestamps in epoch milliseconds)."""
    out = {
        "SenderId": msg.sender_id,
        "SentTimestamp": str(int(msg.sent * 1000)),
        "ApproximateReceiveCount": str(msg.receive_count),
        "ApproximateFirstReceiveTimestamp": str(int(msg.first_receive * 1000)),
    }
    if msg.sequence_number:
        out.update(
            {
                "SequenceNumber": msg.sequence_number,
                "MessageDeduplicationId": msg.dedup_id,
                "MessageGroupId": msg.group_id,
            }
        )
    if "AWSTraceHeader" in msg.system_attributes:
        out["AWSTraceHeader"] = msg.system_attributes["AWSTraceHeader"].string_value or ""
    if msg.dlq_source_arn:
        out["DeadLetterQueueSourceArn"] = msg.dlq_source_arn
    return out


def render(b: SqsBackend, queue: Queue, msg: Message, system: list[str], custom: list[str]) -> dict[str, Any]:
    """One received message: body, digests, the system and message attributes asked for."""
    out: dict[str, Any] = {
        "MessageId": msg.message_id,
        "ReceiptHandle": b.receipt_handle(queue, msg),
        "MD5OfBody": msg.md5_body,
        "Body": msg.body,
    }
    values = system_values(msg)
    chosen = {k: values[k] for k in _wanted(system, list(SYSTEM_NAMES)) if k in values}
    if chosen:
        out["Attributes"] = chosen
    names = _wanted(custom, sorted(msg.attributes))
    if names:
        picked = {n: msg.attributes[n] for n in names}
        out["MessageAttributes"] = {n: _attr_dict(a) for n, a in picked.items()}
        out["MD5OfMessageAttributes"] = md5_attributes(picked)
    return out


def receive_message(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ReceiveMessage. A long poll (WaitTimeSeconds, or the queue's ReceiveMessageWaitTimeSeconds) with
    nothing to receive moves the simulated clock a second at a time until a message is visible or the wait
    is over: the sandbox shows what waiting would have shown."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    limit = int_param(p, "MaxNumberOfMessages", 1, 10, "Must be between 1 and 10, if provided.") or 1
    visibility = int_param(p, "VisibilityTimeout", 0, 43_200, "Must be >= 0 and <= 43200, if provided.")
    wait = int_param(p, "WaitTimeSeconds", 0, MAX_WAIT, "Must be >= 0 and <= 20, if provided.")
    if visibility is None:
        visibility = int(queue.attributes.get("VisibilityTimeout", "30"))
    if wait is None:
        wait = int(queue.attributes.get("ReceiveMessageWaitTimeSeconds", "0"))
    system = list(p.get("MessageSystemAttributeNames") or []) + list(p.get("AttributeNames") or [])
    custom = list(p.get("MessageAttributeNames") or [])
    got = take(b, queue, limit, visibility)
    waited = 0
    while not got and waited < wait:
        b.world.advance(1)
        waited += 1
        queue = b.state.queues.get(queue.name) or queue  # deleted while we waited: nothing more comes
        got = take(b, queue, limit, visibility)
    if not got:
        return {}
    return {"Messages": [render(b, queue, m, system, custom) for m in got]}


# ----- deleting and visibility -------------------------------------------------------------------------------
def _find(b: SqsBackend, queue: Queue, handle: str | None) -> tuple[Message | None, int]:
    message_id, serial = b.decode_handle(queue, handle)
    found = next((m for m in b.live(queue) if m.message_id == message_id), None)
    return found, serial


def delete_one(b: SqsBackend, queue: Queue, handle: str | None) -> None:
    """Delete by receipt handle: only the newest handle of a message deletes it; an old one, or a message
    already gone, succeeds without effect (as the DeleteMessage reference says)."""
    msg, serial = _find(b, queue, handle)
    if msg is not None and msg.receipt_serial == serial:
        queue.messages.remove(msg)


def delete_message(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteMessage."""
    delete_one(b, b.queue_by_url(p.get("QueueUrl")), p.get("ReceiptHandle"))
    return {}


def delete_message_batch(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteMessageBatch."""

    def one(queue: Queue, e: dict[str, Any]) -> dict[str, Any]:
        delete_one(b, queue, e.get("ReceiptHandle"))
        return {}

    return _batch(b, p, "DeleteMessageBatchRequestEntry", one)


def change_one(b: SqsBackend, queue: Queue, handle: str | None, timeout: Any) -> None:
    """A new visibility timeout for an in-flight message, counted from now (0 makes it visible at once)."""
    if timeout is None:
        raise E("MissingParameter", name="VisibilityTimeout")
    value = int(timeout)
    if not 0 <= value <= 43_200:
        raise E("BadValue", value=value, name="VisibilityTimeout", reason="Must be >= 0 and <= 43200, if provided.")
    msg, serial = _find(b, queue, handle)
    if msg is None or not msg.in_flight or msg.receipt_serial != serial:
        raise E("MessageNotInflight")
    msg.visible_at = b.world.now + value
    msg.in_flight = value > 0


def change_message_visibility(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ChangeMessageVisibility."""
    change_one(b, b.queue_by_url(p.get("QueueUrl")), p.get("ReceiptHandle"), p.get("VisibilityTimeout"))
    return {}


def change_message_visibility_batch(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ChangeMessageVisibilityBatch."""

    def one(queue: Queue, e: dict[str, Any]) -> dict[str, Any]:
        change_one(b, queue, e.get("ReceiptHandle"), e.get("VisibilityTimeout"))
        return {}

    return _batch(b, p, "ChangeMessageVisibilityBatchRequestEntry", one)
