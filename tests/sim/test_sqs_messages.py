"""SQS messages: send, receive, visibility timeouts and long polls on the clock, redrive, FIFO, batches, MD5s."""

from __future__ import annotations

import hashlib
import json
import struct

import pytest

from awsprep.sim import AwsError, World
from awsprep.sim import sqs as sqs_api
from tests.sim.sqs_helpers import arn, make_queue, sqs


def receive(world: World, url: str, **params: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = sqs(world, "ReceiveMessage", QueueUrl=url, **params).get("Messages", [])
    return out


def counts(world: World, url: str) -> tuple[int, int, int]:
    a = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (
        int(a["ApproximateNumberOfMessages"]),
        int(a["ApproximateNumberOfMessagesNotVisible"]),
        int(a["ApproximateNumberOfMessagesDelayed"]),
    )


def test_md5_of_body_and_attributes_as_the_developer_guide_computes_them(world: World) -> None:
    url = make_queue(world, "q")
    attrs = {"b": {"DataType": "Binary", "BinaryValue": b"\x01"}, "a": {"DataType": "String", "StringValue": "x"}}
    sent = sqs(world, "SendMessage", QueueUrl=url, MessageBody="héllo", MessageAttributes=attrs)
    assert sent["MD5OfMessageBody"] == hashlib.md5("héllo".encode()).hexdigest()

    def f(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    expected = f(b"a") + f(b"String") + b"\x01" + f(b"x") + f(b"b") + f(b"Binary") + b"\x02" + f(b"\x01")
    assert sent["MD5OfMessageAttributes"] == hashlib.md5(expected).hexdigest()
    got = receive(world, url, MessageAttributeNames=["All"])[0]
    assert got["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert got["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]


def test_visibility_timeout_hides_a_message_until_it_runs_out(world: World) -> None:
    url = make_queue(world, "q", VisibilityTimeout="30")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="job")
    first = receive(world, url)
    assert len(first) == 1 and counts(world, url) == (0, 1, 0)
    assert receive(world, url) == []
    world.advance(29)
    assert receive(world, url) == []
    world.advance(1)
    again = receive(world, url, AttributeNames=["ApproximateReceiveCount"])
    assert again[0]["Attributes"] == {"ApproximateReceiveCount": "2"}
    assert again[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]


def test_only_the_newest_receipt_handle_deletes(world: World) -> None:
    url = make_queue(world, "q")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="job")
    old = receive(world, url, VisibilityTimeout=0)[0]["ReceiptHandle"]
    new = receive(world, url)[0]["ReceiptHandle"]
    sqs(world, "DeleteMessage", QueueUrl=url, ReceiptHandle=old)  # succeeds, deletes nothing
    assert counts(world, url) == (0, 1, 0)
    sqs(world, "DeleteMessage", QueueUrl=url, ReceiptHandle=new)
    assert counts(world, url) == (0, 0, 0)
    sqs(world, "DeleteMessage", QueueUrl=url, ReceiptHandle=new)  # already gone: still a success
    with pytest.raises(AwsError) as err:
        sqs(world, "DeleteMessage", QueueUrl=url, ReceiptHandle="not-a-handle")
    assert err.value.code == "ReceiptHandleIsInvalid"


def test_change_message_visibility(world: World) -> None:
    url = make_queue(world, "q")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="job")
    handle = receive(world, url)[0]["ReceiptHandle"]
    sqs(world, "ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=120)
    world.advance(100)
    assert receive(world, url) == []
    sqs(world, "ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    handle2 = receive(world, url, VisibilityTimeout=5)[0]["ReceiptHandle"]
    world.advance(5)
    with pytest.raises(AwsError) as err:  # its timeout ran out: no longer in flight
        sqs(world, "ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=handle2, VisibilityTimeout=10)
    assert err.value.code == "AWS.SimpleQueueService.MessageNotInflight"
    with pytest.raises(AwsError) as err:
        sqs(world, "ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=handle2, VisibilityTimeout=43201)
    assert err.value.code == "InvalidParameterValue"


def test_long_poll_moves_the_clock_until_a_message_is_visible(world: World) -> None:
    url = make_queue(world, "q")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="later", DelaySeconds=7)
    assert counts(world, url) == (0, 0, 1)
    start = world.now
    got = receive(world, url, WaitTimeSeconds=20)
    assert [m["Body"] for m in got] == ["later"] and world.now - start == 7
    start = world.now
    assert receive(world, url, WaitTimeSeconds=20) == [] and world.now - start == 20
    start = world.now
    assert receive(world, url) == [] and world.now == start  # a short poll does not wait


def test_queue_delay_and_receive_wait_attributes(world: World) -> None:
    url = make_queue(world, "q", DelaySeconds="10", ReceiveMessageWaitTimeSeconds="20")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="m")
    start = world.now
    assert len(receive(world, url)) == 1 and world.now - start == 10


def test_redrive_to_the_dlq_after_max_receive_count(world: World) -> None:
    make_queue(world, "dlq")
    policy = json.dumps({"deadLetterTargetArn": arn("dlq"), "maxReceiveCount": 2})
    url = make_queue(world, "work", RedrivePolicy=policy, VisibilityTimeout="10")
    msg_id = sqs(world, "SendMessage", QueueUrl=url, MessageBody="poison")["MessageId"]
    for _ in range(2):
        assert len(receive(world, url)) == 1
        world.advance(10)
    assert receive(world, url) == []  # the third receive moves it instead
    dlq_url = sqs(world, "GetQueueUrl", QueueName="dlq")["QueueUrl"]
    moved = receive(world, dlq_url, MessageSystemAttributeNames=["All"])[0]
    assert moved["MessageId"] == msg_id and moved["Body"] == "poison"
    assert moved["Attributes"]["DeadLetterQueueSourceArn"] == arn("work")


def test_message_retention(world: World) -> None:
    url = make_queue(world, "q", MessageRetentionPeriod="60")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="m")
    world.advance(60)
    assert counts(world, url) == (0, 0, 0)


def test_receive_parameter_bounds(world: World) -> None:
    url = make_queue(world, "q")
    for params in ({"MaxNumberOfMessages": 11}, {"WaitTimeSeconds": 21}, {"VisibilityTimeout": 43201}):
        with pytest.raises(AwsError) as err:
            receive(world, url, **params)
        assert err.value.code == "InvalidParameterValue"
        assert "is invalid. Reason:" in err.value.message


def test_receive_at_most_max_number(world: World) -> None:
    url = make_queue(world, "q")
    for i in range(12):
        sqs(world, "SendMessage", QueueUrl=url, MessageBody=f"m{i}")
    assert len(receive(world, url)) == 1
    assert len(receive(world, url, MaxNumberOfMessages=10)) == 10


def test_message_attribute_names_select(world: World) -> None:
    url = make_queue(world, "q")
    attrs = {n: {"DataType": "String", "StringValue": n} for n in ("color.a", "color.b", "size")}
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="m", MessageAttributes=attrs)
    got = receive(world, url, MessageAttributeNames=["color.*"], VisibilityTimeout=0)[0]
    assert sorted(got["MessageAttributes"]) == ["color.a", "color.b"]
    assert "MessageAttributes" not in receive(world, url)[0]


@pytest.mark.parametrize(
    "attrs",
    [
        {"a": {"DataType": "String", "StringValue": ""}},
        {"a": {"DataType": "Number", "StringValue": "x"}},
        {"a": {"DataType": "Float", "StringValue": "1"}},
        {"AWS.x": {"DataType": "String", "StringValue": "1"}},
        {f"k{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)},
    ],
)
def test_bad_message_attributes(world: World, attrs: dict[str, object]) -> None:
    url = make_queue(world, "q")
    with pytest.raises(AwsError) as err:
        sqs(world, "SendMessage", QueueUrl=url, MessageBody="m", MessageAttributes=attrs)
    assert err.value.code == "InvalidParameterValue"


def test_message_size_limit(world: World) -> None:
    url = make_queue(world, "q", MaximumMessageSize="1024")
    with pytest.raises(AwsError) as err:
        sqs(world, "SendMessage", QueueUrl=url, MessageBody="x" * 1025)
    assert "shorter than 1024 bytes" in err.value.message


def test_fifo_groups_order_and_deduplication(world: World) -> None:
    url = make_queue(world, "jobs.fifo", FifoQueue="true")
    with pytest.raises(AwsError) as err:
        sqs(world, "SendMessage", QueueUrl=url, MessageBody="a", MessageGroupId="g")
    assert "ContentBasedDeduplication" in err.value.message
    with pytest.raises(AwsError) as err:
        sqs(
            world,
            "SendMessage",
            QueueUrl=url,
            MessageBody="a",
            MessageGroupId="g",
            MessageDeduplicationId="1",
            DelaySeconds=5,
        )
    assert err.value.code == "InvalidParameterValue"
    first = sqs(world, "SendMessage", QueueUrl=url, MessageBody="a1", MessageGroupId="a", MessageDeduplicationId="1")
    dup = sqs(world, "SendMessage", QueueUrl=url, MessageBody="a1", MessageGroupId="a", MessageDeduplicationId="1")
    assert dup["MessageId"] == first["MessageId"] and first["SequenceNumber"]
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="a2", MessageGroupId="a", MessageDeduplicationId="2")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="b1", MessageGroupId="b", MessageDeduplicationId="3")
    got = receive(world, url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in got] == ["a1", "a2", "b1"]
    world.advance(30)
    one = receive(world, url)  # group a is blocked while a1 is in flight
    assert [m["Body"] for m in one] == ["a1"]
    assert [m["Body"] for m in receive(world, url, MaxNumberOfMessages=10)] == ["b1"]
    world.advance(300)
    again = sqs(world, "SendMessage", QueueUrl=url, MessageBody="a1", MessageGroupId="a", MessageDeduplicationId="1")
    assert again["MessageId"] != first["MessageId"]  # the 5-minute window is over


def test_content_based_deduplication(world: World) -> None:
    url = make_queue(world, "c.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    a = sqs(world, "SendMessage", QueueUrl=url, MessageBody="same", MessageGroupId="g")
    b = sqs(world, "SendMessage", QueueUrl=url, MessageBody="same", MessageGroupId="g")
    assert a["MessageId"] == b["MessageId"]
    got = receive(world, url, AttributeNames=["All"])[0]
    assert got["Attributes"]["MessageGroupId"] == "g"
    assert got["Attributes"]["MessageDeduplicationId"] == hashlib.sha256(b"same").hexdigest()


def test_batches(world: World) -> None:
    url = make_queue(world, "q")
    out = sqs(
        world,
        "SendMessageBatch",
        QueueUrl=url,
        Entries=[
            {"Id": "a", "MessageBody": "one"},
            {"Id": "b", "MessageBody": "two", "MessageAttributes": {"k": {"DataType": "String", "StringValue": ""}}},
        ],
    )
    assert [s["Id"] for s in out["Successful"]] == ["a"]
    assert out["Failed"][0]["Id"] == "b" and out["Failed"][0]["SenderFault"] is True
    handles = [m["ReceiptHandle"] for m in receive(world, url, MaxNumberOfMessages=10)]
    vis = sqs(
        world,
        "ChangeMessageVisibilityBatch",
        QueueUrl=url,
        Entries=[{"Id": "x", "ReceiptHandle": handles[0], "VisibilityTimeout": 60}],
    )
    assert vis["Successful"] == [{"Id": "x"}]
    deleted = sqs(world, "DeleteMessageBatch", QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": handles[0]}])
    assert deleted == {"Successful": [{"Id": "x"}], "Failed": []}
    for entries, code in [
        ([], "AWS.SimpleQueueService.EmptyBatchRequest"),
        (
            [{"Id": str(i), "MessageBody": "m"} for i in range(11)],
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        ),
        (
            [{"Id": "a", "MessageBody": "m"}, {"Id": "a", "MessageBody": "n"}],
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        ),
        ([{"Id": "bad id", "MessageBody": "m"}], "AWS.SimpleQueueService.InvalidBatchEntryId"),
    ]:
        with pytest.raises(AwsError) as err:
            sqs(world, "SendMessageBatch", QueueUrl=url, Entries=entries)
        assert err.value.code == code


def test_typed_send_for_other_services(world: World) -> None:
    make_queue(world, "dlq")
    mid = sqs_api.send(world, arn("dlq"), '{"k": 1}', {"ErrorCode": {"DataType": "Number", "StringValue": "200"}})
    [msg] = sqs_api.messages(world, arn("dlq"))
    assert msg.message_id == mid and msg.attributes["ErrorCode"].string_value == "200"
    assert sqs_api.queue_url(world, arn("dlq")) == "https://sqs.us-east-1.amazonaws.com/111122223333/dlq"
    with pytest.raises(AwsError) as err:
        sqs_api.send(world, arn("missing"), "x")
    assert err.value.code == "AWS.SimpleQueueService.NonExistentQueue"
    world.deny("sqs:SendMessage")
    with pytest.raises(AwsError) as err:
        sqs_api.send(world, arn("dlq"), "x")
    assert err.value.code == "AccessDenied"
    sqs_api.send(world, arn("dlq"), "x", principal=None)  # a service delivering under the queue policy


def test_lab_resource_counts(world: World) -> None:
    url = make_queue(world, "q")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="m")
    res = world.lab_resource("queue")
    assert res is not None
    queue = res.lookup(world, "us-east-1", "q")
    assert res.fields["approximate_messages"](world, "us-east-1", queue) == 1
    assert res.lookup(world, "us-east-1", "nope") is None


def test_the_typed_api_is_not_shadowed_by_a_submodule() -> None:
    """`sqs.messages` (the typed call) must stay a function once `sqs.message_ops` and the others load."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(sqs_api.__path__):
        importlib.import_module(f"awsprep.sim.sqs.{info.name}")
    for name in sqs_api.__all__:
        assert not isinstance(getattr(sqs_api, name), type(sqs_api)), f"sqs.{name} is a module"
