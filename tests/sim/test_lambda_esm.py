"""Lambda event source mappings for SQS: the control plane and its rules (shapes checked against botocore), and
the poller on the virtual clock — batches, the batching window, a failing batch coming back after the
visibility timeout and reaching the dead-letter queue by maxReceiveCount, and ReportBatchItemFailures."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsprep.sim import AwsError, World, lambda_, sqs
from tests.sim.lambda_helpers import create

from .test_lambda_control import shape

SEEN: list[list[dict[str, Any]]] = []


def _handler(event: dict[str, Any], request: Any, spec: Any) -> Any:
    records = event["Records"]
    SEEN.append(records)
    bodies = [r["body"] for r in records]
    if "explode" in bodies:
        raise RuntimeError("cannot handle this batch")
    if any(b.startswith("report") for b in bodies):
        failed = [r["messageId"] for r in records if r["body"] == "report-bad"]
        if "report-nonsense" in bodies:
            return {"batchItemFailures": [{"itemIdentifier": "not-in-this-batch"}]}
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failed]}
    return {"ok": len(records)}


@pytest.fixture
def ew() -> World:
    SEEN.clear()
    world = World(seed=4)
    lambda_.use_runtime(world, lambda_.FakeRuntime(behaviour=_handler, capacity=8))
    create(world, "worker", Timeout=10)
    return world


def make_queue(world: World, name: str, **attributes: str) -> tuple[str, str]:
    url = world.call("sqs", "CreateQueue", {"QueueName": name, "Attributes": attributes})["QueueUrl"]
    arn = world.call("sqs", "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["QueueArn"]})["Attributes"][
        "QueueArn"
    ]
    return url, arn


def call(world: World, op: str, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = world.call("lambda", op, params)
    shape(op, out)
    return out


def err(world: World, op: str, **params: Any) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("lambda", op, params)
    return info.value


def send(world: World, url: str, *bodies: str) -> None:
    for body in bodies:
        world.call("sqs", "SendMessage", {"QueueUrl": url, "MessageBody": body})


def left(world: World, arn: str) -> list[str]:
    return [m.body for m in sqs.messages(world, arn)]


def test_the_control_plane_states_and_rules(ew: World) -> None:
    _, arn = make_queue(ew, "jobs")
    m = call(ew, "CreateEventSourceMapping", FunctionName="worker", EventSourceArn=arn, BatchSize=5)
    assert (m["State"], m["BatchSize"], m["MaximumBatchingWindowInSeconds"]) == ("Creating", 5, 0)
    assert m["FunctionArn"].endswith(":function:worker") and m["EventSourceArn"] == arn
    ew.advance(1)
    assert call(ew, "GetEventSourceMapping", UUID=m["UUID"])["State"] == "Enabled"
    assert [x["UUID"] for x in call(ew, "ListEventSourceMappings", FunctionName="worker")["EventSourceMappings"]] == [
        m["UUID"]
    ]
    assert (
        call(ew, "ListEventSourceMappings", EventSourceArn="arn:aws:sqs:us-east-1:111122223333:other")[
            "EventSourceMappings"
        ]
        == []
    )
    dup = err(ew, "CreateEventSourceMapping", FunctionName="worker", EventSourceArn=arn)
    assert dup.code == "ResourceConflictException" and m["UUID"] in dup.message
    upd = call(
        ew, "UpdateEventSourceMapping", UUID=m["UUID"], BatchSize=8, FunctionResponseTypes=["ReportBatchItemFailures"]
    )
    assert (upd["State"], upd["BatchSize"], upd["FunctionResponseTypes"]) == (
        "Updating",
        8,
        ["ReportBatchItemFailures"],
    )
    assert err(ew, "UpdateEventSourceMapping", UUID=m["UUID"], BatchSize=9).code == "ResourceInUseException"
    ew.advance(1)
    assert call(ew, "UpdateEventSourceMapping", UUID=m["UUID"], Enabled=False)["State"] == "Disabling"
    ew.advance(1)
    assert call(ew, "GetEventSourceMapping", UUID=m["UUID"])["State"] == "Disabled"
    assert call(ew, "DeleteEventSourceMapping", UUID=m["UUID"])["State"] == "Deleting"
    gone = err(ew, "GetEventSourceMapping", UUID=m["UUID"])
    assert (gone.code, gone.status) == ("ResourceNotFoundException", 404)


def test_creation_errors(ew: World) -> None:
    _, arn = make_queue(ew, "jobs")
    _, fifo = make_queue(ew, "jobs.fifo", FifoQueue="true")
    _, short = make_queue(ew, "short", VisibilityTimeout="5")
    cases = [
        ({"EventSourceArn": "arn:aws:kinesis:us-east-1:111122223333:stream/s"}, "SQS queues only"),
        ({"EventSourceArn": "arn:aws:sqs:us-east-1:111122223333:missing"}, "NonExistentQueue"),
        ({"EventSourceArn": arn, "BatchSize": 50}, "greater than 0 if maximum batch size is greater than 10"),
        (
            {"EventSourceArn": arn, "BatchSize": 20000, "MaximumBatchingWindowInSeconds": 1},
            "less than or equal to 10000",
        ),
        ({"EventSourceArn": fifo, "BatchSize": 11, "MaximumBatchingWindowInSeconds": 1}, "less than or equal to 10"),
        ({"EventSourceArn": short}, "Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds"),
        ({"EventSourceArn": arn, "FunctionResponseTypes": ["Nope"]}, "ReportBatchItemFailures"),
    ]
    for params, says in cases:
        e = err(ew, "CreateEventSourceMapping", FunctionName="worker", **params)
        assert says in e.message, (params, e.message)
    assert err(ew, "CreateEventSourceMapping", FunctionName="nobody", EventSourceArn=arn).status == 404


def test_batches_are_polled_invoked_and_deleted(ew: World) -> None:
    url, arn = make_queue(ew, "jobs")
    call(ew, "CreateEventSourceMapping", FunctionName="worker", EventSourceArn=arn, BatchSize=10)
    send(ew, url, *[f"job {i}" for i in range(25)])
    ew.advance(2)
    assert [len(batch) for batch in SEEN] == [10, 10, 5]  # three batches at one poll (up to five at once)
    assert left(ew, arn) == []
    record = SEEN[0][0]
    assert set(record) == {
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    }
    assert (record["eventSource"], record["eventSourceARN"], record["awsRegion"]) == ("aws:sqs", arn, "us-east-1")
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert len({e.env_id for e in lambda_.fleet(ew).envs.values()}) == 3  # concurrent batches, three environments


def test_a_batching_window_waits_for_a_fuller_batch(ew: World) -> None:
    url, arn = make_queue(ew, "jobs")
    call(
        ew,
        "CreateEventSourceMapping",
        FunctionName="worker",
        EventSourceArn=arn,
        BatchSize=100,
        MaximumBatchingWindowInSeconds=5,
    )
    ew.advance(1)
    send(ew, url, "a", "b", "c")
    ew.advance(3)
    assert SEEN == []  # the window is open
    ew.advance(3)
    assert [[r["body"] for r in batch] for batch in SEEN] == [["a", "b", "c"]]


def test_a_failing_message_comes_back_after_the_visibility_timeout_then_goes_to_the_dlq(ew: World) -> None:
    _, dlq = make_queue(ew, "jobs-dlq")
    url, arn = make_queue(
        ew,
        "jobs",
        VisibilityTimeout="30",
        RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq, "maxReceiveCount": "2"}),
    )
    call(ew, "CreateEventSourceMapping", FunctionName="worker", EventSourceArn=arn, BatchSize=1)
    ew.advance(1)
    send(ew, url, "explode")
    ew.advance(1)
    assert len(SEEN) == 1 and left(ew, arn) == ["explode"]  # failed: still in the queue, in flight
    ew.advance(25)
    assert len(SEEN) == 1  # invisible for the visibility timeout
    ew.advance(10)
    assert len(SEEN) == 2 and SEEN[1][0]["attributes"]["ApproximateReceiveCount"] == "2"
    ew.advance(35)
    assert len(SEEN) == 2  # a third receive would pass maxReceiveCount: SQS moved it to the DLQ instead
    assert left(ew, arn) == [] and left(ew, dlq) == ["explode"]


def test_report_batch_item_failures_keeps_only_the_failed_ones(ew: World) -> None:
    url, arn = make_queue(ew, "jobs", VisibilityTimeout="30")
    call(
        ew,
        "CreateEventSourceMapping",
        FunctionName="worker",
        EventSourceArn=arn,
        BatchSize=10,
        FunctionResponseTypes=["ReportBatchItemFailures"],
    )
    ew.advance(1)
    send(ew, url, "report-ok", "report-bad", "report-fine")
    ew.advance(1)
    assert left(ew, arn) == ["report-bad"]
    send(ew, url, "report-nonsense", "report-x")
    ew.advance(1)
    assert sorted(left(ew, arn)) == ["report-bad", "report-nonsense", "report-x"]  # invalid answer: whole batch


def test_without_report_batch_item_failures_a_partial_answer_deletes_everything(ew: World) -> None:
    url, arn = make_queue(ew, "jobs")
    call(ew, "CreateEventSourceMapping", FunctionName="worker", EventSourceArn=arn, BatchSize=10)
    ew.advance(1)
    send(ew, url, "report-ok", "report-bad")
    ew.advance(1)
    assert left(ew, arn) == []  # the function did not fail, and its answer is not read as item failures
