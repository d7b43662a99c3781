"""Every SQS operation's response against its botocore output shape, and the CLI end to end."""

from __future__ import annotations

import json

import botocore.session

from awsprep.sim import World, run_cli
from awsprep.sim.sqs.responses import OPERATIONS
from tests.sim.sqs_helpers import arn, make_queue, sqs
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("sqs")


def test_every_sqs_operation_matches_its_botocore_output_shape(world: World) -> None:
    dlq = make_queue(world, "dlq")
    url = make_queue(world, "work", RedrivePolicy=json.dumps({"deadLetterTargetArn": arn("dlq"), "maxReceiveCount": 3}))
    fifo = make_queue(world, "f.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    attrs = {"k": {"DataType": "String", "StringValue": "v"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00"}}
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="one", MessageAttributes=attrs)
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="two")
    sqs(world, "SendMessage", QueueUrl=fifo, MessageBody="f", MessageGroupId="g")
    h1 = sqs(world, "ReceiveMessage", QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    h2 = sqs(world, "ReceiveMessage", QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    params = {
        "CreateQueue": {"QueueName": "more", "tags": {"a": "b"}},
        "GetQueueUrl": {"QueueName": "work"},
        "ListQueues": {"MaxResults": 1},
        "GetQueueAttributes": {"QueueUrl": url, "AttributeNames": ["All"]},
        "SetQueueAttributes": {"QueueUrl": url, "Attributes": {"DelaySeconds": "0"}},
        "TagQueue": {"QueueUrl": url, "Tags": {"k": "v"}},
        "ListQueueTags": {"QueueUrl": url},
        "UntagQueue": {"QueueUrl": url, "TagKeys": ["k"]},
        "ListDeadLetterSourceQueues": {"QueueUrl": dlq},
        "SendMessage": {
            "QueueUrl": fifo,
            "MessageBody": "x",
            "MessageGroupId": "h",
            "MessageAttributes": attrs,
            "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1"}},
        },
        "SendMessageBatch": {
            "QueueUrl": url,
            "Entries": [{"Id": "a", "MessageBody": "b"}, {"Id": "c", "MessageBody": ""}],
        },
        "ReceiveMessage": {
            "QueueUrl": fifo,
            "MaxNumberOfMessages": 10,
            "MessageSystemAttributeNames": ["All"],
            "MessageAttributeNames": ["All"],
        },
        "ChangeMessageVisibility": {"QueueUrl": url, "ReceiptHandle": h1, "VisibilityTimeout": 60},
        "ChangeMessageVisibilityBatch": {
            "QueueUrl": url,
            "Entries": [{"Id": "a", "ReceiptHandle": h2, "VisibilityTimeout": 60}],
        },
        "DeleteMessage": {"QueueUrl": url, "ReceiptHandle": h1},
        "DeleteMessageBatch": {"QueueUrl": url, "Entries": [{"Id": "a", "ReceiptHandle": h2}]},
        "PurgeQueue": {"QueueUrl": url},
        "DeleteQueue": {"QueueUrl": url},
    }
    assert sorted(params) == sorted(OPERATIONS), "list every implemented operation here"
    for op, p in params.items():
        out = world.call("sqs", op, p)
        shape = MODEL.operation_model(op).output_shape
        if shape is None:
            assert out == {}, op
        else:
            check_shape(out, shape, op)


def test_the_cli_round_trip(world: World) -> None:
    url = json.loads(run_cli(world, ["sqs", "create-queue", "--queue-name", "q"]).stdout)["QueueUrl"]
    sent = run_cli(world, ["sqs", "send-message", "--queue-url", url, "--message-body", "hi"])
    assert sent.exit_code == 0, sent.stderr
    got = run_cli(
        world, ["sqs", "receive-message", "--queue-url", url, "--query", "Messages[0].Body", "--output", "text"]
    )
    assert got.stdout.strip() == "hi"
    empty = run_cli(world, ["sqs", "receive-message", "--queue-url", url])
    assert empty.exit_code == 0 and empty.stdout == ""
