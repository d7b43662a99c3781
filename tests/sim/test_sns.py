"""SNS: topics, email confirmation, delivery to SQS (envelope, raw, queue policy), filter policies,
MessageStructure json, FIFO topics, the Lambda hook, the typed API, and every response's botocore shape."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest

from awsprep.sim import AwsError, World, run_cli
from awsprep.sim import sns as sns_api
from awsprep.sim.sns.responses import OPERATIONS
from tests.sim.sns_helpers import make_topic, open_queue, sns
from tests.sim.sqs_helpers import arn as queue_arn
from tests.sim.sqs_helpers import make_queue, sqs
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("sns")


def bodies(world: World, url: str) -> list[str]:
    got = sqs(world, "ReceiveMessage", QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])
    return [m["Body"] for m in got.get("Messages", [])]


def test_create_topic_is_idempotent_and_checks_names(world: World) -> None:
    arn = make_topic(world)
    assert arn == "arn:aws:sns:us-east-1:111122223333:alerts" and make_topic(world) == arn
    for bad, attrs in [("bad name", {}), ("x.fifo", {}), ("plain", {"FifoTopic": "true"})]:
        with pytest.raises(AwsError) as err:
            make_topic(world, bad, **attrs)
        assert (err.value.code, err.value.message) == ("InvalidParameter", "Invalid parameter: Topic Name")
    assert sns(world, "ListTopics") == {"Topics": [{"TopicArn": arn}]}


def test_email_subscription_is_pending_until_confirmed(world: World) -> None:
    topic = make_topic(world)
    out = sns(world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="me@example.com")
    assert out == {"SubscriptionArn": "pending confirmation"}
    [row] = sns(world, "ListSubscriptionsByTopic", TopicArn=topic)["Subscriptions"]
    assert row["SubscriptionArn"] == "PendingConfirmation"
    sns(world, "Publish", TopicArn=topic, Message="before confirming")
    [confirmation] = sns_api.inbox(world)  # only the confirmation request: a pending address gets nothing
    assert (
        confirmation.kind == "confirmation" and confirmation.subject == "AWS Notification - Subscription Confirmation"
    )
    assert topic in confirmation.body and confirmation.token in confirmation.body
    with pytest.raises(AwsError) as err:
        sns(world, "ConfirmSubscription", TopicArn=topic, Token="nope")
    assert (err.value.code, err.value.message) == ("InvalidParameter", "Invalid token")
    sub_arn = sns(world, "ConfirmSubscription", TopicArn=topic, Token=confirmation.token)["SubscriptionArn"]
    assert sub_arn.startswith(topic + ":")
    attrs = sns(world, "GetTopicAttributes", TopicArn=topic)["Attributes"]
    assert (attrs["SubscriptionsConfirmed"], attrs["SubscriptionsPending"]) == ("1", "0")
    sns(world, "Publish", TopicArn=topic, Message="after", Subject="Hello")
    mail = sns_api.inbox(world)[-1]
    assert mail.subject == "Hello" and mail.body.startswith("after\n\n--\nIf you wish to stop receiving")
    sns(world, "Publish", TopicArn=topic, Message="no subject")
    assert sns_api.inbox(world)[-1].subject == "AWS Notification Message"


def test_return_subscription_arn_and_bad_endpoints(world: World) -> None:
    topic = make_topic(world)
    out = sns(
        world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="a@example.com", ReturnSubscriptionArn=True
    )
    assert out["SubscriptionArn"].startswith(topic + ":")
    for protocol, endpoint, what in [
        ("email", "not-an-address", "Email address"),
        ("sqs", "https://sqs.us-east-1.amazonaws.com/111122223333/q", "SQS endpoint ARN"),
        ("lambda", "my-function", "Lambda endpoint ARN"),
    ]:
        with pytest.raises(AwsError) as err:
            sns(world, "Subscribe", TopicArn=topic, Protocol=protocol, Endpoint=endpoint)
        assert err.value.message == f"Invalid parameter: {what}"
    with pytest.raises(AwsError) as err:
        sns(world, "Subscribe", TopicArn=topic.replace("alerts", "nope"), Protocol="email", Endpoint="a@example.com")
    assert (err.value.code, err.value.message, err.value.status) == ("NotFound", "Topic does not exist", 404)


def test_sqs_delivery_in_the_envelope(world: World) -> None:
    topic = make_topic(world)
    url = open_queue(world, "inbox-q", topic)
    sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("inbox-q"))
    mid = sns(
        world,
        "Publish",
        TopicArn=topic,
        Message="hello",
        Subject="S",
        MessageAttributes={"level": {"DataType": "String", "StringValue": "high"}},
    )["MessageId"]
    [body] = bodies(world, url)
    doc = json.loads(body)
    assert list(doc)[:5] == ["Type", "MessageId", "TopicArn", "Subject", "Message"]
    assert doc["Type"] == "Notification" and doc["MessageId"] == mid and doc["Message"] == "hello"
    assert doc["MessageAttributes"] == {"level": {"Type": "String", "Value": "high"}}
    assert doc["SignatureVersion"] == "1" and doc["UnsubscribeURL"].startswith("https://sns.us-east-1.amazonaws.com/")
    assert '"Type" : "Notification"' in body  # SNS's own spacing


def test_raw_message_delivery_passes_the_body_and_attributes(world: World) -> None:
    topic = make_topic(world)
    url = open_queue(world, "raw", topic)
    sub = sns(
        world,
        "Subscribe",
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn("raw"),
        Attributes={"RawMessageDelivery": "true"},
    )["SubscriptionArn"]
    sns(
        world,
        "Publish",
        TopicArn=topic,
        Message="plain",
        MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}},
    )
    got = sqs(world, "ReceiveMessage", QueueUrl=url, MessageAttributeNames=["All"])["Messages"][0]
    assert got["Body"] == "plain" and got["MessageAttributes"]["k"]["StringValue"] == "v"
    assert sns(world, "GetSubscriptionAttributes", SubscriptionArn=sub)["Attributes"]["RawMessageDelivery"] == "true"
    email = sns(
        world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="a@example.com", ReturnSubscriptionArn=True
    )
    with pytest.raises(AwsError):
        sns(
            world,
            "SetSubscriptionAttributes",
            SubscriptionArn=email["SubscriptionArn"],
            AttributeName="RawMessageDelivery",
            AttributeValue="true",
        )


def test_a_queue_without_a_policy_for_the_topic_gets_nothing(world: World) -> None:
    topic = make_topic(world)
    url = make_queue(world, "closed")
    sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("closed"))
    sns(world, "Publish", TopicArn=topic, Message="lost")
    assert bodies(world, url) == []
    [log] = sns_api.deliveries(world)
    assert log.status == "failed" and "access policy" in log.reason
    other = make_topic(world, "other")
    url2 = open_queue(world, "only-other", other)  # the policy names another topic
    sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("only-other"))
    sns(world, "Publish", TopicArn=topic, Message="lost too")
    assert bodies(world, url2) == []


def test_filter_policies_on_attributes_and_body(world: World) -> None:
    topic = make_topic(world)
    url = open_queue(world, "f", topic)
    sub = sns(
        world,
        "Subscribe",
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn("f"),
        Attributes={
            "RawMessageDelivery": "true",
            "FilterPolicy": json.dumps({"level": ["high", {"prefix": "crit"}], "size": [{"numeric": [">", 10]}]}),
        },
    )["SubscriptionArn"]

    def send(level: str, size: str) -> None:
        sns(
            world,
            "Publish",
            TopicArn=topic,
            Message=f"{level}/{size}",
            MessageAttributes={
                "level": {"DataType": "String", "StringValue": level},
                "size": {"DataType": "Number", "StringValue": size},
            },
        )

    send("high", "11")
    send("critical", "20")
    send("low", "50")
    send("high", "5")
    assert bodies(world, url) == ["high/11", "critical/20"]
    sns(
        world,
        "SetSubscriptionAttributes",
        SubscriptionArn=sub,
        AttributeName="FilterPolicyScope",
        AttributeValue="MessageBody",
    )
    sns(
        world,
        "SetSubscriptionAttributes",
        SubscriptionArn=sub,
        AttributeName="FilterPolicy",
        AttributeValue=json.dumps({"order": {"state": [{"anything-but": ["draft"]}]}, "vip": [{"exists": False}]}),
    )
    for body in [
        {"order": {"state": "paid"}},
        {"order": {"state": "draft"}},
        {"order": {"state": "paid"}, "vip": 1},
        "not json",
    ]:
        sns(world, "Publish", TopicArn=topic, Message=json.dumps(body) if isinstance(body, dict) else body)
    assert bodies(world, url) == [json.dumps({"order": {"state": "paid"}})]
    with pytest.raises(AwsError):
        sns(
            world, "SetSubscriptionAttributes", SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue="{bad"
        )
    with pytest.raises(AwsError):
        sns(
            world,
            "SetSubscriptionAttributes",
            SubscriptionArn=sub,
            AttributeName="FilterPolicy",
            AttributeValue=json.dumps({"a": [{"numeric": ["~", 1]}]}),
        )


def test_message_structure_json(world: World) -> None:
    topic = make_topic(world)
    url = open_queue(world, "s", topic)
    sns(
        world,
        "Subscribe",
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn("s"),
        Attributes={"RawMessageDelivery": "true"},
    )
    sns(world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="a@example.com", ReturnSubscriptionArn=True)
    token = sns_api.inbox(world)[0].token
    sns(world, "ConfirmSubscription", TopicArn=topic, Token=token)
    sns(
        world,
        "Publish",
        TopicArn=topic,
        MessageStructure="json",
        Message=json.dumps({"default": "for everyone", "sqs": "for queues"}),
    )
    assert bodies(world, url) == ["for queues"]
    assert sns_api.inbox(world)[-1].body.startswith("for everyone")
    for message, what in [("not json", "JSON message body failed to parse"), ('{"sqs": "x"}', "No default entry")]:
        with pytest.raises(AwsError) as err:
            sns(world, "Publish", TopicArn=topic, MessageStructure="json", Message=message)
        assert what in err.value.message


@pytest.mark.parametrize(
    ("params", "what"),
    [
        ({"Message": ""}, "Empty message"),
        ({"Message": "x", "Subject": "a\nb"}, "Subject"),
        ({"Message": "x", "Subject": "s" * 101}, "Subject"),
        ({"Message": "x" * 262_145}, "Message too long"),
    ],
)
def test_publish_errors(world: World, params: dict[str, Any], what: str) -> None:
    topic = make_topic(world)
    with pytest.raises(AwsError) as err:
        sns(world, "Publish", TopicArn=topic, **params)
    assert (err.value.code, err.value.message) == ("InvalidParameter", f"Invalid parameter: {what}")


def test_fifo_topic_to_a_fifo_queue(world: World) -> None:
    topic = make_topic(world, "orders.fifo", FifoTopic="true", ContentBasedDeduplication="true")
    url = open_queue(world, "orders.fifo", topic, FifoQueue="true")
    sns(
        world,
        "Subscribe",
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn("orders.fifo"),
        Attributes={"RawMessageDelivery": "true"},
    )
    with pytest.raises(AwsError) as err:
        sns(world, "Publish", TopicArn=topic, Message="a")
    assert "MessageGroupId" in err.value.message
    out = sns(world, "Publish", TopicArn=topic, Message="a", MessageGroupId="g")
    assert out["SequenceNumber"]
    sns(world, "Publish", TopicArn=topic, Message="b", MessageGroupId="g")
    assert bodies(world, url) == ["a", "b"]


def test_lambda_subscription_goes_through_the_hook(world: World) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []
    sns_api.set_lambda_invoker(lambda w, fn, event: calls.append((fn, event)))
    try:
        topic = make_topic(world)
        fn = "arn:aws:lambda:us-east-1:111122223333:function:worker"
        sub = sns(world, "Subscribe", TopicArn=topic, Protocol="lambda", Endpoint=fn)["SubscriptionArn"]
        sns(world, "Publish", TopicArn=topic, Message="go")
        [(target, event)] = calls
        record = event["Records"][0]
        assert target == fn and record["EventSource"] == "aws:sns" and record["EventSubscriptionArn"] == sub
        assert record["Sns"]["Message"] == "go" and record["Sns"]["Subject"] is None
        assert "SigningCertUrl" in record["Sns"] and "UnsubscribeUrl" in record["Sns"]
    finally:
        from awsprep.sim.sns.delivery import LAMBDA

        LAMBDA.clear()


def test_typed_publish_for_alarms_and_metrics(world: World) -> None:
    topic = make_topic(world)
    url = open_queue(world, "q", topic)
    sns(
        world,
        "Subscribe",
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn("q"),
        Attributes={"RawMessageDelivery": "true"},
    )
    sns_api.publish(world, topic, '{"AlarmName": "cpu"}', 'ALARM: "cpu" in US East (N. Virginia)')
    assert bodies(world, url) == ['{"AlarmName": "cpu"}']
    with pytest.raises(AwsError) as err:
        sns_api.publish(world, topic.replace("alerts", "gone"), "x")
    assert err.value.code == "NotFound"
    from awsprep.sim.core.metrics import list_metrics

    names = {s.name for s in list_metrics(world.metrics, "AWS/SNS", None)}
    assert {"NumberOfMessagesPublished", "NumberOfNotificationsDelivered"} <= names
    world.deny("sns:Publish")
    with pytest.raises(AwsError) as err:
        sns(world, "Publish", TopicArn=topic, Message="x")
    assert err.value.code == "AuthorizationError" and err.value.status == 403


def test_unsubscribe_delete_topic_and_tags(world: World) -> None:
    topic = make_topic(world)
    sub = sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("q"))["SubscriptionArn"]
    sns(world, "Unsubscribe", SubscriptionArn=sub)
    assert sns(world, "GetTopicAttributes", TopicArn=topic)["Attributes"]["SubscriptionsDeleted"] == "1"
    with pytest.raises(AwsError) as err:
        sns(world, "Unsubscribe", SubscriptionArn=sub)
    assert err.value.message == "Subscription does not exist"
    sns(world, "TagResource", ResourceArn=topic, Tags=[{"Key": "team", "Value": "a"}])
    assert sns(world, "ListTagsForResource", ResourceArn=topic)["Tags"] == [{"Key": "team", "Value": "a"}]
    sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("q"))
    sns(world, "DeleteTopic", TopicArn=topic)
    assert sns(world, "ListSubscriptions")["Subscriptions"] == []
    sns(world, "DeleteTopic", TopicArn=topic)  # deleting a missing topic is no error


def test_state_survives_a_snapshot(world: World) -> None:
    topic = make_topic(world)
    sns(world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="a@example.com")
    again = World.load(world.save())
    [mail] = sns_api.inbox(again)
    assert sns_api.confirm(again, topic, mail.token).startswith(topic)


def test_every_sns_operation_matches_its_botocore_output_shape(world: World) -> None:
    topic = make_topic(world)
    make_topic(world, "f.fifo", FifoTopic="true", ContentBasedDeduplication="true")
    sub = sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("q"))["SubscriptionArn"]
    sns(world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="a@example.com")
    token = sns_api.inbox(world)[0].token
    params = {
        "CreateTopic": {"Name": "more"},
        "ListTopics": {},
        "GetTopicAttributes": {"TopicArn": topic},
        "SetTopicAttributes": {"TopicArn": topic, "AttributeName": "DisplayName", "AttributeValue": "Alerts"},
        "TagResource": {"ResourceArn": topic, "Tags": [{"Key": "a", "Value": "b"}]},
        "ListTagsForResource": {"ResourceArn": topic},
        "UntagResource": {"ResourceArn": topic, "TagKeys": ["a"]},
        "Subscribe": {"TopicArn": topic, "Protocol": "email-json", "Endpoint": "b@example.com"},
        "ConfirmSubscription": {"TopicArn": topic, "Token": token},
        "ListSubscriptions": {},
        "ListSubscriptionsByTopic": {"TopicArn": topic},
        "GetSubscriptionAttributes": {"SubscriptionArn": sub},
        "SetSubscriptionAttributes": {
            "SubscriptionArn": sub,
            "AttributeName": "RawMessageDelivery",
            "AttributeValue": "true",
        },
        "Publish": {"TopicArn": "arn:aws:sns:us-east-1:111122223333:f.fifo", "Message": "m", "MessageGroupId": "g"},
        "PublishBatch": {
            "TopicArn": topic,
            "PublishBatchRequestEntries": [{"Id": "a", "Message": "m"}, {"Id": "b", "Message": ""}],
        },
        "Unsubscribe": {"SubscriptionArn": sub},
        "DeleteTopic": {"TopicArn": topic},
    }
    assert sorted(params) == sorted(OPERATIONS), "list every implemented operation here"
    for op, p in params.items():
        out = world.call("sns", op, p)
        shape = MODEL.operation_model(op).output_shape
        if shape is None:
            assert out == {}, op
        else:
            check_shape(out, shape, op)


def test_the_cli_end_to_end(world: World) -> None:
    topic = json.loads(run_cli(world, ["sns", "create-topic", "--name", "t"]).stdout)["TopicArn"]
    res = run_cli(
        world,
        ["sns", "subscribe", "--topic-arn", topic, "--protocol", "email", "--notification-endpoint", "me@example.com"],
    )
    assert json.loads(res.stdout) == {"SubscriptionArn": "pending confirmation"}
    bad = run_cli(world, ["sns", "publish", "--topic-arn", topic + "x", "--message", "m"])
    assert bad.exit_code == 255
    assert "An error occurred (NotFound) when calling the Publish operation: Topic does not exist" in bad.stderr
