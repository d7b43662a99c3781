"""Event source mappings for Amazon SQS: the control plane (create / get / list / update / delete) and its rules.
The poller that reads the queue and invokes the function is `esmpoll.py`.

From https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and API_CreateEventSourceMapping.html: BatchSize
1–10,000 (default 10; at most 10 for a FIFO queue), above 10 only with MaximumBatchingWindowInSeconds ≥ 1;
the window 0–300 s; FunctionResponseTypes `ReportBatchItemFailures`; the queue's visibility timeout must not be
shorter than the function's timeout; one mapping per queue and function. A new or changed mapping is
Creating / Updating / Enabling / Disabling for a moment (1 simulated second here [INF]), then Enabled or Disabled.
[INF] the error messages for a missing queue and for the batch-size/window rule follow what the API returns as far
as known; awsprep maps SQS queues only (Kinesis, DynamoDB streams, Kafka and MQ sources are refused in one line).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from awsprep.sim.lambda_ import catalog
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import EventSourceMapping

KIND = "esm-poll"
RESPONSE_TYPES = ("ReportBatchItemFailures",)


def _queue_timeout(b: LambdaBackend, arn: str) -> tuple[bool, int]:
    """(FIFO, VisibilityTimeout) of an existing queue (InvalidParameterValueException when there is none)."""
    from awsprep.sim import sqs

    queue = sqs.queue(b.world, arn)
    if queue is None:
        raise E(
            "Param",
            message="Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
            "SQS Error Message: The specified queue does not exist.",
        )
    return queue.fifo, int(queue.attributes.get("VisibilityTimeout", "30"))


def _check(b: LambdaBackend, m: EventSourceMapping) -> None:
    """The rules every create and update must keep."""
    fifo, visibility = _queue_timeout(b, m.source_arn)
    if not 1 <= m.batch_size <= (10 if fifo else 10_000):
        raise E(
            "Validation",
            value=m.batch_size,
            field="batchSize",
            constraint=f"Member must have value {'greater' if m.batch_size < 1 else 'less'} than or equal to "
            f"{1 if m.batch_size < 1 else (10 if fifo else 10000)}",
        )
    if not 0 <= m.window <= 300:
        raise E(
            "Validation",
            value=m.window,
            field="maximumBatchingWindowInSeconds",
            constraint=f"Member must have value {'greater' if m.window < 0 else 'less'} than or equal to "
            f"{0 if m.window < 0 else 300}",
        )
    if m.batch_size > 10 and m.window < 1:
        raise E(
            "Param",
            message="Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
        )
    bad = [t for t in m.response_types if t not in RESPONSE_TYPES]
    if bad:
        raise E(
            "Validation",
            value=bad,
            field="functionResponseTypes",
            constraint="Member must satisfy constraint: "
            "[Member must satisfy enum value set: [ReportBatchItemFailures]]",
        )
    fn = b.function(m.function)
    cfg, _ = b.resolve(fn, m.qualifier or None)
    if visibility < cfg.timeout:
        raise E(
            "Param",
            message=f"Queue visibility timeout: {visibility} seconds is less than Function timeout: "
            f"{cfg.timeout} seconds",
        )


def render(b: LambdaBackend, m: EventSourceMapping) -> dict[str, Any]:
    settle(b, m)
    return {
        "UUID": m.uuid,
        "BatchSize": m.batch_size,
        "MaximumBatchingWindowInSeconds": m.window,
        "EventSourceArn": m.source_arn,
        "FunctionArn": b.arn(m.function, m.qualifier or None),
        "LastModified": datetime.fromtimestamp(m.last_modified, UTC),
        "State": m.state,
        "StateTransitionReason": "USER_INITIATED",
        "FunctionResponseTypes": list(m.response_types),
        "EventSourceMappingArn": f"arn:aws:lambda:{b.region}:{b.world.account_id}:event-source-mapping:{m.uuid}",
    }


def settle(b: LambdaBackend, m: EventSourceMapping) -> None:
    """Creating / Updating / Enabling / Disabling end once their moment has passed."""
    if m.state in ("Creating", "Updating", "Enabling", "Disabling") and b.world.now >= m.ready_at:
        m.state = "Enabled" if m.enabled else "Disabled"


def _mapping(b: LambdaBackend, uuid: Any) -> EventSourceMapping:
    found = b.state.mappings.get(str(uuid or ""))
    if found is None:
        raise E("EsmNotFound")
    return found


def create(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    source = str(p.get("EventSourceArn") or "")
    if not source.startswith("arn:aws:sqs:"):
        raise E(
            "Param",
            message="awsprep simulates event source mappings for Amazon SQS queues only: give an SQS queue ARN "
            "as --event-source-arn.",
        )
    fn = b.function(str(p["FunctionName"]))
    _, qualifier = b.split_name(str(p["FunctionName"]))
    for other in b.state.mappings.values():
        if other.source_arn == source and other.function == fn.name and other.qualifier == (qualifier or ""):
            raise E(
                "EsmExists",
                source=source,
                function=b.arn(fn.name, qualifier),
                uuid=other.uuid,
            )
    now = b.world.now
    m = EventSourceMapping(
        b.uuid(),
        fn.name,
        qualifier or "",
        source,
        int(p.get("BatchSize", 10)),
        int(p.get("MaximumBatchingWindowInSeconds", 0)),
        bool(p.get("Enabled", True)),
        "Creating",
        now + catalog.PENDING_SECONDS,
        [str(t) for t in p.get("FunctionResponseTypes") or []],
        now,
    )
    _check(b, m)
    b.state.mappings[m.uuid] = m
    b.world.schedule(catalog.PENDING_SECONDS, "lambda", b.region, KIND, m.uuid, every=catalog.ESM_POLL_SECONDS)
    return render(b, m)


def update(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    m = _mapping(b, p.get("UUID"))
    settle(b, m)
    if m.state not in ("Enabled", "Disabled"):
        raise E("EsmInUse", uuid=m.uuid, state=m.state)
    before = (m.function, m.qualifier, m.batch_size, m.window, list(m.response_types), m.enabled)
    if "FunctionName" in p:
        fn = b.function(str(p["FunctionName"]))
        m.function, m.qualifier = fn.name, b.split_name(str(p["FunctionName"]))[1] or ""
    m.batch_size = int(p.get("BatchSize", m.batch_size))
    m.window = int(p.get("MaximumBatchingWindowInSeconds", m.window))
    if "FunctionResponseTypes" in p:
        m.response_types = [str(t) for t in p.get("FunctionResponseTypes") or []]
    was_enabled = m.enabled
    m.enabled = bool(p.get("Enabled", m.enabled))
    try:
        _check(b, m)
    except Exception:
        m.function, m.qualifier, m.batch_size, m.window, m.response_types, m.enabled = before
        raise
    m.state = "Updating" if m.enabled == was_enabled else ("Enabling" if m.enabled else "Disabling")
    m.ready_at = b.world.now + catalog.PENDING_SECONDS
    m.last_modified = b.world.now
    return render(b, m)


def get(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    return render(b, _mapping(b, p.get("UUID")))


def delete(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    m = _mapping(b, p.get("UUID"))
    out = render(b, m)
    out["State"] = "Deleting"
    del b.state.mappings[m.uuid]
    b.world.cancel_timers("lambda", b.region, KIND, m.uuid)
    return out


def list_mappings(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    source = p.get("EventSourceArn")
    name = b.split_name(str(p["FunctionName"]))[0] if p.get("FunctionName") else None
    found = [
        render(b, m)
        for m in b.state.mappings.values()
        if (source is None or m.source_arn == source) and (name is None or m.function == name)
    ]
    return {"EventSourceMappings": found}


OPERATIONS = {
    "CreateEventSourceMapping": create,
    "GetEventSourceMapping": get,
    "ListEventSourceMappings": list_mappings,
    "UpdateEventSourceMapping": update,
    "DeleteEventSourceMapping": delete,
}
