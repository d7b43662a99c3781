"""Queue operations: create (idempotent with the same attributes), URL lookup, listing, attributes, redrive
policies, purge, delete, tags and dead-letter source queues."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.describe import Paging, paginate
from awsprep.sim.sqs.errors import SQS_ERRORS as E
from awsprep.sim.sqs.params import DEFAULTS, FIFO_DEFAULTS, READ_ONLY, SETTABLE, check_attributes, check_queue_name
from awsprep.sim.sqs.state import Queue

if TYPE_CHECKING:
    from awsprep.sim.sqs.models import SqsBackend

RECREATE_WAIT = 60.0  # seconds before a deleted queue's name can be used again
PURGE_WAIT = 60.0


def create_queue(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """CreateQueue: the same name with the same attributes returns the existing queue's URL."""
    name = str(p.get("QueueName") or "")
    raw = dict(p.get("Attributes") or {})
    fifo = str(raw.get("FifoQueue", "false")).lower() == "true"
    if name.endswith(".fifo") and not fifo:
        raise E("InvalidParameterValue", message="The name of a FIFO queue must end with .fifo and set FifoQueue.")
    check_queue_name(name, fifo)
    attrs = check_attributes(raw, fifo, creating=True)
    if "FifoQueue" in attrs and attrs["FifoQueue"] == "false":
        del attrs["FifoQueue"]  # a standard queue does not report FifoQueue at all
    existing = b.state.queues.get(name)
    if existing is not None:
        for key, value in attrs.items():
            if _current(existing, key) != value:
                raise E("QueueAlreadyExists", name=key)
        return {"QueueUrl": existing.url}
    deleted = b.state.deleted.get(name)
    if deleted is not None and b.world.now - deleted < RECREATE_WAIT:
        raise E("QueueDeletedRecently")
    stored = {**DEFAULTS, **(FIFO_DEFAULTS if fifo else {}), **attrs}
    if "RedrivePolicy" in stored:
        stored["RedrivePolicy"] = _redrive(b, stored["RedrivePolicy"], fifo)
    queue = Queue(name, b.url_for(name), b.arn_for(name), b.world.now, b.world.now, stored, dict(p.get("tags") or {}))
    b.state.queues[name] = queue
    return {"QueueUrl": queue.url}


def _current(queue: Queue, key: str) -> str:
    return queue.attributes.get(key, "")


def _redrive(b: SqsBackend, text: str, fifo: bool) -> str:
    """A RedrivePolicy in the form SQS stores it (an existing DLQ of the same type, maxReceiveCount 1–1000)."""
    if not text:
        return ""
    try:
        policy = json.loads(text)
        target = str(policy["deadLetterTargetArn"])
        count = int(policy.get("maxReceiveCount", 10))
    except (ValueError, KeyError, TypeError):
        raise E(
            "BadValue", value=text, name="RedrivePolicy", reason="Redrive policy is not a valid JSON map."
        ) from None
    dlq = b.queue_by_arn(target)
    if dlq is None:
        raise E("BadValue", value=text, name="RedrivePolicy", reason="Dead letter target does not exist.")
    if dlq.fifo != fifo:
        raise E(
            "BadValue",
            value=text,
            name="RedrivePolicy",
            reason="Dead-letter queue must be same type of queue as the source.",
        )
    if not 1 <= count <= 1000:
        raise E(
            "BadValue",
            value=text,
            name="RedrivePolicy",
            reason="Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive."
            if count < 1
            else f"Invalid value for maxReceiveCount: {count}, valid values are from 1 to 1000 both inclusive.",
        )
    return json.dumps({"deadLetterTargetArn": target, "maxReceiveCount": count}, separators=(",", ":"))


def get_queue_url(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """GetQueueUrl by name."""
    return {"QueueUrl": b.queue_by_name(str(p.get("QueueName") or "")).url}


def list_queues(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListQueues (by name prefix; at most 1,000 without MaxResults, paged with it)."""
    prefix = str(p.get("QueueNamePrefix") or "")
    urls = [q.url for name, q in sorted(b.state.queues.items()) if name.startswith(prefix)]
    if p.get("MaxResults") is None and not p.get("NextToken"):
        return {"QueueUrls": urls[:1000]} if urls else {}
    paging = Paging(
        1,
        1000,
        lambda v, lo, hi: E(
            "BadValue", value=v, name="MaxResults", reason=f"Must be between {lo} and {hi}, if provided."
        ),
        lambda t: E("InvalidParameterValue", message="Invalid NextToken value."),
    )
    page, token = paginate(urls, p.get("MaxResults"), p.get("NextToken"), paging, salt="ListQueues")
    out: dict[str, Any] = {"QueueUrls": page} if page else {}
    if token:
        out["NextToken"] = token
    return out


def queue_attributes(b: SqsBackend, queue: Queue) -> dict[str, str]:
    """Every attribute GetQueueAttributes can report, as strings."""
    visible, in_flight, delayed = b.counts(queue)
    out = {
        "QueueArn": queue.arn,
        "ApproximateNumberOfMessages": str(visible),
        "ApproximateNumberOfMessagesNotVisible": str(in_flight),
        "ApproximateNumberOfMessagesDelayed": str(delayed),
        "CreatedTimestamp": str(int(queue.created)),
        "LastModifiedTimestamp": str(int(queue.modified)),
    }
    out.update({k: v for k, v in queue.attributes.items() if v != ""})
    return out


def get_queue_attributes(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """GetQueueAttributes: the names asked for (`All` for every one); none asked, none returned."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    names = list(p.get("AttributeNames") or [])
    for name in names:
        if name != "All" and name not in SETTABLE and name not in READ_ONLY:
            raise E("InvalidAttributeName", name=name)
    if not names:
        return {}
    attrs = queue_attributes(b, queue)
    chosen = attrs if "All" in names else {k: v for k, v in attrs.items() if k in names}
    return {"Attributes": chosen} if chosen else {}


def set_queue_attributes(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """SetQueueAttributes (FifoQueue cannot change; an empty RedrivePolicy removes the DLQ)."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    attrs = check_attributes(dict(p.get("Attributes") or {}), queue.fifo, creating=False)
    if "RedrivePolicy" in attrs:
        attrs["RedrivePolicy"] = _redrive(b, attrs["RedrivePolicy"], queue.fifo)
    queue.attributes.update(attrs)
    for key in [k for k, v in queue.attributes.items() if v == "" and k in ("RedrivePolicy", "Policy")]:
        del queue.attributes[key]
    queue.modified = b.world.now
    return {}


def purge_queue(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """PurgeQueue: every message goes; a second purge within 60 seconds is refused."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    if b.world.now - queue.last_purge < PURGE_WAIT:
        raise E("PurgeQueueInProgress", name=queue.arn)
    queue.last_purge = b.world.now
    queue.messages = []
    return {}


def delete_queue(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteQueue: the queue and its messages go at once; its name is free again after 60 seconds."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    del b.state.queues[queue.name]
    b.state.deleted[queue.name] = b.world.now
    return {}


def tag_queue(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """TagQueue."""
    b.queue_by_url(p.get("QueueUrl")).tags.update(dict(p.get("Tags") or {}))
    return {}


def untag_queue(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """UntagQueue."""
    queue = b.queue_by_url(p.get("QueueUrl"))
    for key in p.get("TagKeys") or []:
        queue.tags.pop(key, None)
    return {}


def list_queue_tags(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListQueueTags (no Tags key when there are none)."""
    tags = b.queue_by_url(p.get("QueueUrl")).tags
    return {"Tags": dict(tags)} if tags else {}


def list_dead_letter_source_queues(b: SqsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListDeadLetterSourceQueues: the queues whose redrive policy names this one."""
    dlq = b.queue_by_url(p.get("QueueUrl"))
    urls = []
    for q in sorted(b.state.queues.values(), key=lambda q: q.name):
        policy = q.attributes.get("RedrivePolicy")
        if policy and json.loads(policy)["deadLetterTargetArn"] == dlq.arn:
            urls.append(q.url)
    return {"queueUrls": urls}
