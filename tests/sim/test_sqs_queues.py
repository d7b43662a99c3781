"""SQS queues: creation rules, attributes, listing, purge, delete, tags, and the CLI's error line."""

from __future__ import annotations

import json

import pytest

from awsprep.sim import AwsError, World, run_cli
from awsprep.sim.sqs.errors import SQS_ERRORS
from tests.sim.sqs_helpers import arn, make_queue, sqs


def test_create_queue_returns_the_regional_url_and_is_idempotent(world: World) -> None:
    url = make_queue(world, "orders")
    assert url == "https://sqs.us-east-1.amazonaws.com/111122223333/orders"
    assert make_queue(world, "orders") == url  # same name, same attributes: the same queue
    with pytest.raises(AwsError) as err:
        make_queue(world, "orders", VisibilityTimeout="60")
    assert err.value.code == "QueueAlreadyExists"
    assert "attribute VisibilityTimeout" in err.value.message


@pytest.mark.parametrize(
    ("name", "attrs"),
    [("bad name", {}), ("x" * 81, {}), ("plain", {"FifoQueue": "true"}), ("f.fifo", {})],
)
def test_bad_queue_names_are_refused(world: World, name: str, attrs: dict[str, str]) -> None:
    with pytest.raises(AwsError) as err:
        make_queue(world, name, **attrs)
    assert err.value.code == "InvalidParameterValue"


@pytest.mark.parametrize(
    ("attr", "value", "code"),
    [
        ("VisibilityTimeout", "43201", "InvalidAttributeValue"),
        ("DelaySeconds", "901", "InvalidAttributeValue"),
        ("MessageRetentionPeriod", "59", "InvalidAttributeValue"),
        ("MaximumMessageSize", "1023", "InvalidAttributeValue"),
        ("ReceiveMessageWaitTimeSeconds", "21", "InvalidAttributeValue"),
        ("Colour", "blue", "InvalidAttributeName"),
        ("ContentBasedDeduplication", "true", "InvalidAttributeName"),  # FIFO only
    ],
)
def test_attribute_ranges(world: World, attr: str, value: str, code: str) -> None:
    with pytest.raises(AwsError) as err:
        make_queue(world, "q", **{attr: value})
    assert err.value.code == code


def test_defaults_reported_by_get_queue_attributes(world: World) -> None:
    url = make_queue(world, "q")
    attrs = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["VisibilityTimeout"] == "30"
    assert attrs["MessageRetentionPeriod"] == "345600"
    assert attrs["MaximumMessageSize"] == "1048576"
    assert attrs["QueueArn"] == arn("q")
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert "FifoQueue" not in attrs and "RedrivePolicy" not in attrs
    only = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    assert only == {"QueueArn": arn("q")}
    assert sqs(world, "GetQueueAttributes", QueueUrl=url) == {}


def test_fifo_queue_attributes(world: World) -> None:
    url = make_queue(world, "jobs.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    attrs = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["FifoQueue"] == "true" and attrs["ContentBasedDeduplication"] == "true"
    assert attrs["DeduplicationScope"] == "queue"


def test_set_queue_attributes_changes_and_cannot_make_a_queue_fifo(world: World) -> None:
    url = make_queue(world, "q")
    world.advance(5)
    sqs(world, "SetQueueAttributes", QueueUrl=url, Attributes={"VisibilityTimeout": "90"})
    attrs = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["VisibilityTimeout"] == "90"
    assert int(attrs["LastModifiedTimestamp"]) == int(attrs["CreatedTimestamp"]) + 5
    with pytest.raises(AwsError) as err:
        sqs(world, "SetQueueAttributes", QueueUrl=url, Attributes={"FifoQueue": "true"})
    assert err.value.code == "InvalidAttributeName"


def test_redrive_policy_needs_an_existing_dlq_of_the_same_type(world: World) -> None:
    policy = json.dumps({"deadLetterTargetArn": arn("dlq"), "maxReceiveCount": "3"})
    with pytest.raises(AwsError) as err:
        make_queue(world, "src", RedrivePolicy=policy)
    assert "Dead letter target does not exist" in err.value.message
    make_queue(world, "dlq")
    url = make_queue(world, "src", RedrivePolicy=policy)
    stored = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]
    assert json.loads(stored["RedrivePolicy"]) == {"deadLetterTargetArn": arn("dlq"), "maxReceiveCount": 3}
    sources = sqs(world, "ListDeadLetterSourceQueues", QueueUrl=make_queue(world, "dlq"))
    assert sources["queueUrls"] == [url]
    make_queue(world, "f.fifo", FifoQueue="true")
    mixed = json.dumps({"deadLetterTargetArn": arn("dlq"), "maxReceiveCount": 3})
    with pytest.raises(AwsError) as err:
        sqs(
            world,
            "SetQueueAttributes",
            QueueUrl=make_queue(world, "f.fifo", FifoQueue="true"),
            Attributes={"RedrivePolicy": mixed},
        )
    assert "same type" in err.value.message
    zero = json.dumps({"deadLetterTargetArn": arn("dlq"), "maxReceiveCount": 0})
    with pytest.raises(AwsError):
        sqs(world, "SetQueueAttributes", QueueUrl=url, Attributes={"RedrivePolicy": zero})


def test_list_queues_by_prefix_and_pages(world: World) -> None:
    assert sqs(world, "ListQueues") == {}
    for name in ["alpha", "beta", "alpine"]:
        make_queue(world, name)
    urls = sqs(world, "ListQueues", QueueNamePrefix="al")["QueueUrls"]
    assert [u.rsplit("/", 1)[1] for u in urls] == ["alpha", "alpine"]
    first = sqs(world, "ListQueues", MaxResults=2)
    assert len(first["QueueUrls"]) == 2 and first["NextToken"]
    rest = sqs(world, "ListQueues", MaxResults=2, NextToken=first["NextToken"])
    assert len(rest["QueueUrls"]) == 1 and "NextToken" not in rest


def test_unknown_queue_and_other_region(world: World) -> None:
    url = make_queue(world, "q")
    with pytest.raises(AwsError) as err:
        sqs(world, "GetQueueUrl", QueueName="nope")
    assert (err.value.code, err.value.message) == (
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    )
    with pytest.raises(AwsError):  # a queue lives in its own Region only
        world.call("sqs", "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["All"]}, region="us-west-2")


def test_delete_queue_frees_the_name_after_60_seconds(world: World) -> None:
    url = make_queue(world, "q")
    sqs(world, "DeleteQueue", QueueUrl=url)
    with pytest.raises(AwsError) as err:
        make_queue(world, "q")
    assert err.value.code == "AWS.SimpleQueueService.QueueDeletedRecently"
    world.advance(60)
    assert make_queue(world, "q") == url


def test_purge_once_a_minute(world: World) -> None:
    url = make_queue(world, "q")
    sqs(world, "SendMessage", QueueUrl=url, MessageBody="a")
    sqs(world, "PurgeQueue", QueueUrl=url)
    attrs = sqs(world, "GetQueueAttributes", QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"
    with pytest.raises(AwsError) as err:
        sqs(world, "PurgeQueue", QueueUrl=url)
    assert err.value.code == "AWS.SimpleQueueService.PurgeQueueInProgress" and err.value.status == 403
    world.advance(60)
    sqs(world, "PurgeQueue", QueueUrl=url)


def test_tags(world: World) -> None:
    url = sqs(world, "CreateQueue", QueueName="q", tags={"team": "a"})["QueueUrl"]
    sqs(world, "TagQueue", QueueUrl=url, Tags={"env": "dev"})
    sqs(world, "UntagQueue", QueueUrl=url, TagKeys=["team"])
    assert sqs(world, "ListQueueTags", QueueUrl=url) == {"Tags": {"env": "dev"}}


def test_the_cli_prints_the_query_compatible_code(world: World) -> None:
    res = run_cli(world, ["sqs", "get-queue-url", "--queue-name", "missing"])
    assert res.exit_code == 255
    assert res.stderr.strip() == (
        "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: "
        "The specified queue does not exist."
    )


def test_every_error_key_builds() -> None:
    keys = SQS_ERRORS.keys()
    for key in keys:
        err = SQS_ERRORS(
            key, name="n", message="m", value=1, reason="r", handle="h", entry="e", count=11, id="i", max=1, size=2
        )
        assert err.code and err.message


def test_queues_survive_a_snapshot(world: World) -> None:
    url = make_queue(world, "q", DelaySeconds="5")
    sqs(
        world,
        "SendMessage",
        QueueUrl=url,
        MessageBody="kept",
        MessageAttributes={
            "n": {"DataType": "Number", "StringValue": "3"},
            "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    again = World.load(world.save())
    world.advance(5)
    again.advance(5)
    got = sqs(again, "ReceiveMessage", QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    assert got["Body"] == "kept" and got["MessageAttributes"]["b"]["BinaryValue"] == b"\x00\x01"
    assert got == sqs(world, "ReceiveMessage", QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
