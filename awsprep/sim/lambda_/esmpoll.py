"""The SQS poller of an event source mapping, on the virtual clock (https://docs.aws.amazon.com/lambda/latest/dg/
with-sqs.html, services-sqs-errorhandling.html):

- once a simulated second an Enabled mapping reads the queue with ReceiveMessage (as the function's execution
  role, no long poll), up to BatchSize messages per batch and up to five batches at once, each batch one
  synchronous invocation with the SQS event (`Records` with messageId, receiptHandle, body, attributes,
  messageAttributes, md5OfBody, eventSource `aws:sqs`, eventSourceARN, awsRegion);
- with a batching window, fewer waiting messages than BatchSize wait until the window has passed;
- a batch that succeeds is deleted from the queue; one whose invocation fails (or is throttled) is not: its
  messages become visible again when the queue's visibility timeout ends, are received again (their receive
  count grows) and, past the queue's maxReceiveCount, SQS moves them to the dead-letter queue;
- with ReportBatchItemFailures the function answers `{"batchItemFailures": [{"itemIdentifier": messageId}]}`:
  only those stay in the queue; an answer that names no valid item of the batch fails the whole batch.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.errors import AwsError
from awsprep.sim.lambda_ import catalog
from awsprep.sim.lambda_.esm import settle
from awsprep.sim.lambda_.fleet import fleet
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import EventSourceMapping

if TYPE_CHECKING:
    from awsprep.sim.core.account import Principal


def poll(b: LambdaBackend, uuid: str) -> bool:
    """One look at the queue; False when the mapping is gone (its recurring timer stops)."""
    m = b.state.mappings.get(uuid)
    if m is None:
        return False
    settle(b, m)
    fn = b.state.functions.get(m.function)
    if m.state != "Enabled" or fn is None:
        return True
    from awsprep.sim import sqs

    queue = sqs.queue(b.world, m.source_arn)
    if queue is None:
        return True
    visible = sqs.backend(b.world, m.source_arn.split(":")[3]).counts(queue)[0]
    if visible == 0:
        m.gathering_since = -1.0
        return True
    if m.window and visible < m.batch_size:
        if m.gathering_since < 0:
            m.gathering_since = b.world.now
        if b.world.now < m.gathering_since + m.window:
            return True  # the batching window is still open
    m.gathering_since = -1.0
    cfg, _ = b.resolve(fn, m.qualifier or None)
    role = b.execution_role(cfg, fn)
    for _ in range(catalog.ESM_BATCHES):
        records = _receive(b, m, queue.url, role)
        if not records:
            break
        _invoke(b, m, queue.url, records, role)
    return True


def _receive(b: LambdaBackend, m: EventSourceMapping, url: str, role: Principal) -> list[dict[str, Any]]:
    region = m.source_arn.split(":")[3]
    out: list[dict[str, Any]] = []
    while len(out) < m.batch_size:
        try:
            got = b.world.call(
                "sqs",
                "ReceiveMessage",
                {
                    "QueueUrl": url,
                    "MaxNumberOfMessages": min(10, m.batch_size - len(out)),
                    "WaitTimeSeconds": 0,
                    "AttributeNames": ["All"],
                    "MessageAttributeNames": ["All"],
                },
                region=region,
                principal=role,
            )
        except AwsError as err:  # e.g. the role may not receive: the mapping keeps trying, as AWS's does
            fleet(b.world).note(b.world, f"{m.function}: event source mapping {m.uuid}: {err.code}: {err.message}")
            break
        messages = got.get("Messages") or []
        if not messages:
            break
        out += [_record(msg, m.source_arn, region) for msg in messages]
    return out


def _record(msg: dict[str, Any], arn: str, region: str) -> dict[str, Any]:
    attrs = {
        k: v
        for k, v in (msg.get("Attributes") or {}).items()
        if k
        in (
            "ApproximateReceiveCount",
            "SentTimestamp",
            "SenderId",
            "ApproximateFirstReceiveTimestamp",
            "SequenceNumber",
            "MessageGroupId",
            "MessageDeduplicationId",
        )
    }
    message_attrs = {
        name: {
            "stringValue": a.get("StringValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": a.get("DataType", "String"),
        }
        for name, a in (msg.get("MessageAttributes") or {}).items()
    }
    return {
        "messageId": msg["MessageId"],
        "receiptHandle": msg["ReceiptHandle"],
        "body": msg.get("Body", ""),
        "attributes": attrs,
        "messageAttributes": message_attrs,
        "md5OfBody": msg.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": region,
    }


def _invoke(b: LambdaBackend, m: EventSourceMapping, url: str, records: list[dict[str, Any]], role: Principal) -> None:
    from awsprep.sim.lambda_.concurrency import Throttled
    from awsprep.sim.lambda_.execute import run, throttle_metric
    from awsprep.sim.lambda_.invoke import check_runnable, target

    fn, cfg, invoked, pool = target(b, m.function, m.qualifier or None)
    try:
        check_runnable(b, fn, cfg)
        ex = run(b, fn, cfg, invoked, json.dumps({"Records": records}), b.uuid(), pool)
    except Throttled:
        throttle_metric(b, fn)
        fleet(b.world).note(b.world, f"{fn.name}: a batch of {len(records)} from the queue was throttled")
        return
    except AwsError as err:
        fleet(b.world).note(b.world, f"{fn.name}: event source mapping {m.uuid}: {err.code}: {err.message}")
        return
    if ex.status != "ok":
        return  # the whole batch goes back to the queue when its visibility timeout ends
    keep = _failures(ex.payload, records) if "ReportBatchItemFailures" in m.response_types else set()
    if keep is None:
        return  # an answer naming no valid item: the whole batch failed
    done = [r for r in records if r["messageId"] not in keep]
    region = m.source_arn.split(":")[3]
    for i in range(0, len(done), 10):
        entries = [{"Id": str(n), "ReceiptHandle": r["receiptHandle"]} for n, r in enumerate(done[i : i + 10])]
        b.world.call("sqs", "DeleteMessageBatch", {"QueueUrl": url, "Entries": entries}, region=region, principal=role)


def _failures(payload: str, records: list[dict[str, Any]]) -> set[str] | None:
    """The message ids a ReportBatchItemFailures answer keeps in the queue; None when the answer is invalid
    (every message then stays). An empty list, null or no `batchItemFailures` means all succeeded."""
    try:
        doc = json.loads(payload)
    except ValueError:
        return None
    items = doc.get("batchItemFailures") if isinstance(doc, dict) else None
    if not items:
        return set()
    ids = {r["messageId"] for r in records}
    keep: set[str] = set()
    for item in items if isinstance(items, list) else [None]:
        ident = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not ident or ident not in ids:
            return None
        keep.add(str(ident))
    return keep
