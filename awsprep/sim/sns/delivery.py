"""Publish and delivery: checks as the Publish reference lists them, MessageStructure json, FIFO topics,
then one delivery per confirmed subscription whose filter policy passes.

Deliveries happen at once, in subscription order: SQS (the JSON envelope, or the bare message with
RawMessageDelivery; only when the queue's policy lets this topic send), email and email-json (the sandbox's
inbox), Lambda (through the hook a Lambda service registers), HTTP/HTTPS (a POST through the network, retried
on the clock: http.py). Each outcome goes to the Region's delivery log and to the AWS/SNS metrics
(NumberOfMessagesPublished, NumberOfNotificationsDelivered/Failed/FilteredOut).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.errors import AwsError
from awsprep.sim.sns import filters, mail
from awsprep.sim.sns.errors import SNS_ERRORS as E
from awsprep.sim.sns.state import Delivery, Subscription, Topic

if TYPE_CHECKING:
    from awsprep.sim.sns.models import SnsBackend
    from awsprep.sim.world import World

MAX_SIZE = 262_144  # bytes of message and attributes together
SUBJECT = re.compile(r"^[\x20-\x7e]{1,100}$")  # ASCII, no line breaks, at most 100 characters
LOG_KEEP = 1000

# A Lambda service answers `lambda` subscriptions: fn(world, function_arn, event) invokes it asynchronously.
LambdaInvoker = Callable[["World", str, dict[str, Any]], None]
LAMBDA: list[LambdaInvoker] = []


def _attributes(raw: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, attr in (raw or {}).items():
        data_type = str(attr.get("DataType") or "")
        base = data_type.split(".", 1)[0]
        if base not in ("String", "Number", "Binary"):
            raise E(
                "ParameterValueInvalid",
                message=f"The message attribute '{name}' has an invalid message attribute type, the set of supported "
                "type prefixes is Binary, Number, and String.",
            )
        key = "BinaryValue" if base == "Binary" else "StringValue"
        if attr.get(key) in (None, "", b""):
            raise E(
                "ParameterValueInvalid",
                message=f"The message attribute '{name}' must contain non-empty message attribute value for message "
                f"attribute type '{data_type}'.",
            )
        if data_type == "String.Array":
            try:
                if not isinstance(json.loads(str(attr["StringValue"])), list):
                    raise ValueError
            except ValueError:
                raise E(
                    "ParameterValueInvalid",
                    message=f"The message attribute '{name}' with type 'String.Array' has an invalid value.",
                ) from None
        out[name] = {"DataType": data_type, key: attr[key]}
    return out


def _structured(message: str) -> dict[str, str]:
    try:
        doc = json.loads(message)
    except ValueError:
        raise E("InvalidParameter", what="Message Structure - JSON message body failed to parse") from None
    if not isinstance(doc, dict) or "default" not in doc:
        raise E("InvalidParameter", what="Message Structure - No default entry in JSON message body")
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in doc.items()}


def check(
    topic: Topic,
    message: Any,
    subject: Any,
    structure: Any,
    attributes: dict[str, dict[str, Any]],
    group_id: Any,
    dedup_id: Any,
) -> tuple[dict[str, str], str | None, str | None]:
    """Per-protocol texts, group id and deduplication id of a publish request (its errors otherwise)."""
    if message is None or message == "":
        raise E("InvalidParameter", what="Empty message")
    text = str(message)
    size = len(text.encode()) + sum(
        len(k) + len(str(v.get("StringValue", v.get("BinaryValue", "")))) for k, v in attributes.items()
    )
    if size > MAX_SIZE:
        raise E("InvalidParameter", what="Message too long")
    if subject is not None and not SUBJECT.match(str(subject)):
        raise E("InvalidParameter", what="Subject")
    if structure not in (None, "json"):
        raise E("InvalidParameter", what="MessageStructure")
    texts = _structured(text) if structure == "json" else {"default": text}
    if topic.fifo:
        if not group_id:
            raise E("InvalidParameter", what="The MessageGroupId parameter is required for FIFO topics")
        if not dedup_id:
            if topic.attributes.get("ContentBasedDeduplication") != "true":
                raise E(
                    "InvalidParameter",
                    what="The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                    "provided explicitly",
                )
            dedup_id = hashlib.sha256(text.encode()).hexdigest()
    return texts, (str(group_id) if group_id else None), (str(dedup_id) if dedup_id else None)


def publish_to(
    b: SnsBackend,
    topic: Topic,
    message: Any,
    subject: Any = None,
    structure: Any = None,
    raw_attributes: dict[str, Any] | None = None,
    group_id: Any = None,
    dedup_id: Any = None,
) -> dict[str, Any]:
    """Publish to a topic and deliver; returns Publish's response."""
    attributes = _attributes(raw_attributes)
    texts, group, dedup = check(topic, message, subject, structure, attributes, group_id, dedup_id)
    message_id = b.new_uuid()
    b.world.put_metric("AWS/SNS", "NumberOfMessagesPublished", {"TopicName": topic.name}, 1, "Count")
    b.world.put_metric("AWS/SNS", "PublishSize", {"TopicName": topic.name}, len(texts["default"].encode()), "Bytes")
    for sub in b.subscriptions_of(topic.arn):
        if sub.confirmed:
            _deliver(b, topic, sub, message_id, texts, subject, attributes, group, dedup)
    out: dict[str, Any] = {"MessageId": message_id}
    if topic.fifo:
        topic.sequence += 1
        out["SequenceNumber"] = f"{10_000_000_000_000_000_000 + topic.sequence * 65_536}"
    return out


def _passes(sub: Subscription, texts: dict[str, str], attributes: dict[str, dict[str, Any]]) -> bool:
    policy_text = sub.attributes.get("FilterPolicy")
    if not policy_text:
        return True
    policy = json.loads(policy_text)
    if sub.attributes.get("FilterPolicyScope") == "MessageBody":
        try:
            return filters.matches_body(policy, json.loads(texts["default"]))
        except ValueError:
            return False
    return filters.matches_attributes(policy, attributes)


def _deliver(
    b: SnsBackend,
    topic: Topic,
    sub: Subscription,
    message_id: str,
    texts: dict[str, str],
    subject: Any,
    attributes: dict[str, dict[str, Any]],
    group: str | None,
    dedup: str | None,
) -> None:
    dims = {"TopicName": topic.name}
    if not _passes(sub, texts, attributes):
        _log(b, message_id, sub, "filtered", "the subscription's filter policy does not match")
        b.world.put_metric("AWS/SNS", "NumberOfNotificationsFilteredOut", dims, 1, "Count")
        return
    text = texts.get(sub.protocol, texts["default"])
    subj = str(subject) if subject is not None else None
    if sub.protocol in ("http", "https"):  # POSTed through the network, retried on the clock (http.py)
        from awsprep.sim.sns import http

        if sub.attributes.get("RawMessageDelivery") == "true":
            body = text
        else:
            body = mail.as_text(mail.envelope(b, topic.arn, message_id, text, subj, attributes, sub.arn, b.world.now))
        http.deliver(b, topic, sub, message_id, body)
        return
    try:
        reason = _send(b, topic, sub, message_id, text, subj, attributes, group, dedup)
    except AwsError as err:
        reason = f"{err.code}: {err.message}"
    if reason:
        _log(b, message_id, sub, "failed", reason)
        b.world.put_metric("AWS/SNS", "NumberOfNotificationsFailed", dims, 1, "Count")
    else:
        _log(b, message_id, sub, "delivered")
        b.world.put_metric("AWS/SNS", "NumberOfNotificationsDelivered", dims, 1, "Count")


def _send(
    b: SnsBackend,
    topic: Topic,
    sub: Subscription,
    message_id: str,
    text: str,
    subject: str | None,
    attributes: dict[str, dict[str, Any]],
    group: str | None,
    dedup: str | None,
) -> str:
    """Deliver one notification; the reason it failed, or "" when it was delivered."""
    from awsprep.sim import sqs

    now = b.world.now
    if sub.protocol == "sqs":
        if sqs.queue(b.world, sub.endpoint) is None:
            return "the queue does not exist"
        if not sqs.allows_service(b.world, sub.endpoint, "sns.amazonaws.com", topic.arn):
            return "the queue's access policy does not allow this topic to send messages (sqs:SendMessage)"
        if sub.attributes.get("RawMessageDelivery") == "true":
            sqs.send(b.world, sub.endpoint, text, attributes or None, group_id=group, dedup_id=dedup, principal=None)
        else:
            doc = mail.envelope(b, topic.arn, message_id, text, subject, attributes, sub.arn, now)
            sqs.send(b.world, sub.endpoint, mail.as_text(doc), group_id=group, dedup_id=dedup, principal=None)
        return ""
    if sub.protocol in ("email", "email-json"):
        body = text
        if sub.protocol == "email-json":
            body = mail.as_text(mail.envelope(b, topic.arn, message_id, text, subject, attributes, sub.arn, now))
        mail.send_notification(b, topic, sub, body, subject)
        return ""
    if sub.protocol == "lambda":
        if not LAMBDA:
            return "no Lambda service is simulated yet"
        LAMBDA[0](b.world, sub.endpoint, lambda_event(b, topic, sub, message_id, text, subject, attributes, now))
        return ""
    return f"awsprep does not deliver to {sub.protocol} endpoints"


def lambda_event(
    b: SnsBackend,
    topic: Topic,
    sub: Subscription,
    message_id: str,
    text: str,
    subject: str | None,
    attributes: dict[str, dict[str, Any]],
    at: float,
) -> dict[str, Any]:
    """The event a subscribed function receives (the Lambda developer guide's SNS example)."""
    env = mail.envelope(b, topic.arn, message_id, text, subject, attributes, sub.arn, at)
    record = {
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic.arn,
        "Subject": subject,
        "Message": text,
        "Timestamp": env["Timestamp"],
        "SignatureVersion": "1",
        "Signature": env["Signature"],
        "SigningCertUrl": env["SigningCertURL"],
        "UnsubscribeUrl": env["UnsubscribeURL"],
        "MessageAttributes": env.get("MessageAttributes", {}),
    }
    return {
        "Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": sub.arn, "Sns": record}]
    }


def _log(b: SnsBackend, message_id: str, sub: Subscription, status: str, reason: str = "") -> None:
    log = b.state.deliveries
    log.append(Delivery(b.world.now, message_id, sub.arn, sub.protocol, sub.endpoint, status, reason))
    if len(log) > LOG_KEEP:
        del log[: len(log) - LOG_KEEP]


def publish(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Publish (TopicArn or TargetArn; SMS to a phone number is not simulated)."""
    if p.get("PhoneNumber"):
        raise AwsError("UnsupportedOperation", "awsprep does not simulate SMS: publish to a topic instead.")
    target = p.get("TopicArn") or p.get("TargetArn")
    if not target:
        raise E("InvalidParameter", what="TopicArn or TargetArn Reason: no value for required parameter")
    topic = b.topic(target)
    return publish_to(
        b,
        topic,
        p.get("Message"),
        p.get("Subject"),
        p.get("MessageStructure"),
        p.get("MessageAttributes"),
        p.get("MessageGroupId"),
        p.get("MessageDeduplicationId"),
    )


def publish_batch(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """PublishBatch: up to 10 entries, each published or failed on its own."""
    topic = b.topic(p.get("TopicArn"))
    entries = list(p.get("PublishBatchRequestEntries") or [])
    if not entries:
        raise E("EmptyBatchRequest")
    if len(entries) > 10:
        raise E("TooManyEntriesInBatchRequest")
    if len({e.get("Id") for e in entries}) != len(entries):
        raise E("BatchEntryIdsNotDistinct")
    ok, failed = [], []
    for e in entries:
        try:
            res = publish_to(
                b,
                topic,
                e.get("Message"),
                e.get("Subject"),
                e.get("MessageStructure"),
                e.get("MessageAttributes"),
                e.get("MessageGroupId"),
                e.get("MessageDeduplicationId"),
            )
            ok.append({"Id": e["Id"], **res})
        except AwsError as err:
            failed.append({"Id": e["Id"], "Code": err.code, "Message": err.message, "SenderFault": True})
    return {"Successful": ok, "Failed": failed}
