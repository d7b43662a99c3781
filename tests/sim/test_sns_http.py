"""SNS HTTP/HTTPS subscriptions through the simulated network: the SubscriptionConfirmation POST with its headers
and JSON body reaches a web server on an instance, ConfirmSubscription with its token confirms it, notifications
are POSTed with the subscription's ARN, and failed deliveries are retried on the clock by the delivery policy."""

from __future__ import annotations

import json
from typing import Any

from awsprep.sim import World, ec2, lambda_
from awsprep.sim.core.metrics import metric_key
from awsprep.sim.sns import http
from tests.sim.conftest import al2023
from tests.sim.elb_helpers import call, estate
from tests.sim.lambda_helpers import create
from tests.sim.sns_helpers import make_topic, sns
from tests.sim.test_elbv2_latency import php_page

# What a tutorial's endpoint does: keep the body, and note the SNS headers in PHP's error log.
RECORDER = (
    "<?php file_put_contents('/tmp/sns.txt', file_get_contents('php://input') . \"\\n\", FILE_APPEND); "
    "error_log($_SERVER['HTTP_X_AMZ_SNS_MESSAGE_TYPE'] . ' ' . $_SERVER['HTTP_X_AMZ_SNS_SUBSCRIPTION_ARN'] . ' ' "
    ". $_SERVER['HTTP_USER_AGENT'] . ' ' . $_SERVER['HTTP_CONTENT_TYPE']); ?>"
)


def web_instance(world: World, page: str = RECORDER) -> tuple[str, str]:
    """(instance id, public address) of an instance whose httpd runs `page` at /sns.php, open to the internet."""
    sg = world.call("ec2", "CreateSecurityGroup", {"GroupName": "sns-endpoint", "Description": "web"})["GroupId"]
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": sg, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    )
    out = world.call(
        "ec2",
        "RunInstances",
        {"ImageId": al2023(), "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1, "SecurityGroupIds": [sg]},
    )
    iid = out["Instances"][0]["InstanceId"]
    world.advance(30)
    ec2.backend(world).serve_http(iid, 80, "home\n")
    php_page(world, iid, "/sns.php", page)
    address = ec2.backend(world).public_address(ec2.backend(world).instance(iid))
    assert address
    return iid, address


def posted(world: World, iid: str) -> list[dict[str, Any]]:
    text = str(ec2.backend(world).instance(iid).guest["files"].get("/tmp/sns.txt", {}).get("content", ""))
    docs, decoder, pos = [], json.JSONDecoder(), 0
    while text[pos:].strip():
        doc, end = decoder.raw_decode(text, pos + (len(text[pos:]) - len(text[pos:].lstrip())))
        docs.append(doc)
        pos = end
    return docs


def php_log(world: World, iid: str) -> list[str]:
    entry = ec2.backend(world).instance(iid).guest["files"].get("/var/log/php-fpm/www-error.log", {})
    return [line.split("] ", 1)[1] for line in str(entry.get("content", "")).splitlines()]


def statuses(world: World) -> list[tuple[float, str]]:
    from awsprep.sim import sns as sns_api

    start = world.now
    return [(d.at - start, d.status) for d in sns_api.deliveries(world, "us-east-1")]


def test_subscribe_posts_the_confirmation_and_the_token_confirms_it(world: World) -> None:
    iid, ip = web_instance(world)
    topic = make_topic(world)
    url = f"http://{ip}/sns.php"
    assert sns(world, "Subscribe", TopicArn=topic, Protocol="http", Endpoint=url)["SubscriptionArn"] == (
        "pending confirmation"
    )
    (doc,) = posted(world, iid)
    assert list(doc) == [
        "Type",
        "MessageId",
        "Token",
        "TopicArn",
        "Message",
        "SubscribeURL",
        "Timestamp",
        "SignatureVersion",
        "Signature",
        "SigningCertURL",
    ]
    assert doc["Type"] == "SubscriptionConfirmation" and doc["TopicArn"] == topic
    assert doc["Message"].startswith(f"You have chosen to subscribe to the topic {topic}.\nTo confirm")
    assert f"Token={doc['Token']}" in doc["SubscribeURL"]
    assert php_log(world, iid) == [
        "SubscriptionConfirmation  Amazon Simple Notification Service Agent text/plain; charset=UTF-8"
    ]  # no subscription ARN header on a confirmation
    sns(world, "Publish", TopicArn=topic, Message="too early")
    assert len(posted(world, iid)) == 1  # nothing goes to a pending subscription
    arn = sns(world, "ConfirmSubscription", TopicArn=topic, Token=doc["Token"])["SubscriptionArn"]
    listed = sns(world, "ListSubscriptionsByTopic", TopicArn=topic)["Subscriptions"]
    assert [s["SubscriptionArn"] for s in listed] == [arn]
    message_id = sns(world, "Publish", TopicArn=topic, Message="hello", Subject="greeting")["MessageId"]
    note = posted(world, iid)[-1]
    assert (note["Type"], note["MessageId"], note["Message"], note["Subject"]) == (
        "Notification",
        message_id,
        "hello",
        "greeting",
    )
    assert php_log(world, iid)[-1].startswith(f"Notification {arn} Amazon Simple Notification Service Agent")


def _confirmed(world: World, url: str, name: str = "alerts", **attributes: str) -> tuple[str, str]:
    topic = make_topic(world, name)
    sns(world, "Subscribe", TopicArn=topic, Protocol="http", Endpoint=url, Attributes=attributes)
    from awsprep.sim import sns as sns_api

    (sub,) = [s for s in sns_api.backend(world, "us-east-1").state.subscriptions.values() if s.topic_arn == topic]
    return topic, sns(world, "ConfirmSubscription", TopicArn=topic, Token=sub.token)["SubscriptionArn"]


def test_a_server_error_is_retried_20_seconds_apart_then_delivered_with_the_same_message_id(world: World) -> None:
    iid, ip = web_instance(world, "<?php http_response_code(503); ?>")
    topic, _ = _confirmed(world, f"http://{ip}/sns.php")
    message_id = sns(world, "Publish", TopicArn=topic, Message="m")["MessageId"]
    world.advance(20)
    assert [s for _, s in statuses(world)][-2:] == ["retrying", "retrying"]
    php_page(world, iid, "/sns.php", RECORDER)  # the endpoint is fixed before the third attempt
    world.advance(20)
    (doc,) = posted(world, iid)
    assert doc["MessageId"] == message_id  # a retry keeps the original message ID
    assert statuses(world)[-1][1] == "delivered"


def test_an_endpoint_that_never_answers_uses_up_the_default_policy(world: World) -> None:
    iid, ip = web_instance(world)
    topic, _ = _confirmed(world, f"http://{ip}/sns.php")
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(120)
    start = world.now
    sns(world, "Publish", TopicArn=topic, Message="m")
    world.advance(100)
    from awsprep.sim import sns as sns_api

    log = [(round(d.at - start), d.status) for d in sns_api.deliveries(world, "us-east-1") if d.at >= start]
    assert log == [(0, "retrying"), (20, "retrying"), (40, "retrying"), (60, "failed")]  # 1 try + 3 retries
    failed = world.metrics.series[metric_key("AWS/SNS", "NumberOfNotificationsFailed", {"TopicName": "alerts"})]
    assert failed.values == [1]


def test_a_client_error_is_not_retried_and_a_custom_policy_is_used(world: World) -> None:
    iid, ip = web_instance(world, "<?php http_response_code(404); ?>")
    topic, _ = _confirmed(world, f"http://{ip}/sns.php")
    sns(world, "Publish", TopicArn=topic, Message="m")
    assert [s for _, s in statuses(world)][-1] == "failed"
    php_page(world, iid, "/sns.php", "<?php http_response_code(500); ?>")
    policy = {"healthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 5, "maxDelayTarget": 5}}
    topic2, sub2 = _confirmed(world, f"http://{ip}/sns.php", "other", DeliveryPolicy=json.dumps(policy))
    start = world.now
    sns(world, "Publish", TopicArn=topic2, Message="m")
    world.advance(30)
    from awsprep.sim import sns as sns_api

    log = sns_api.deliveries(world, "us-east-1")
    mine = [(round(d.at - start), d.status) for d in log if d.subscription_arn == sub2]
    assert mine[-3:] == [(0, "retrying"), (5, "retrying"), (10, "failed")]


def test_retry_delays_follow_the_policy_phases() -> None:
    assert http.retry_delays(http.DEFAULT_POLICY) == [20.0, 20.0, 20.0]
    phases = {
        **http.DEFAULT_POLICY,
        "numRetries": 6,
        "numNoDelayRetries": 1,
        "numMinDelayRetries": 1,
        "numMaxDelayRetries": 1,
        "minDelayTarget": 2,
        "maxDelayTarget": 8,
    }
    assert http.retry_delays(phases) == [0.0, 2.0, 4.0, 6.0, 8.0, 8.0]
    huge = {**http.DEFAULT_POLICY, "numRetries": 100, "minDelayTarget": 60, "maxDelayTarget": 60}
    assert sum(http.retry_delays(huge)) <= 3600


def test_https_to_an_instance_fails_and_an_alb_in_front_of_a_function_receives_the_post(world: World) -> None:
    _, ip = web_instance(world)
    topic = make_topic(world)
    sns(world, "Subscribe", TopicArn=topic, Protocol="https", Endpoint=f"https://{ip}/sns.php")
    assert "confirmation failed" in [s for _, s in statuses(world)]  # the instance speaks plain HTTP only
    seen: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], request: Any, spec: Any) -> Any:
        seen.append(event)
        return {"statusCode": 200, "headers": {}, "body": "", "isBase64Encoded": False}

    lambda_.use_runtime(world, lambda_.FakeRuntime(behaviour=handler))
    e = estate(world)
    fn = create(world, "hook")["FunctionArn"]
    tg = call(world, "CreateTargetGroup", Name="fn", TargetType="lambda")["TargetGroups"][0]["TargetGroupArn"]
    world.call(
        "lambda",
        "AddPermission",
        {
            "FunctionName": "hook",
            "StatementId": "alb",
            "Action": "lambda:InvokeFunction",
            "Principal": "elasticloadbalancing.amazonaws.com",
            "SourceArn": tg,
        },
    )
    call(world, "RegisterTargets", TargetGroupArn=tg, Targets=[{"Id": fn}])
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    world.advance(200)
    sns(world, "Subscribe", TopicArn=topic, Protocol="http", Endpoint=f"http://{e.dns}/hook")
    (event,) = seen
    assert event["httpMethod"] == "POST" and event["path"] == "/hook"
    assert event["headers"]["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert json.loads(event["body"])["Type"] == "SubscriptionConfirmation"


def test_static_pages_answer_post_with_405_and_php_pages_answer_it(world: World) -> None:
    from awsprep.sim import net

    _, ip = web_instance(world, "<?php echo 'ok'; ?>")
    resp = net.http_request(world, ip, 80, "POST", "/", {}, body="x")[1]
    assert resp is not None and resp.status == 405  # Apache's static handler refuses POST
    resp = net.http_request(world, ip, 80, "POST", "/sns.php", {}, body="x")[1]
    assert resp is not None and (resp.status, resp.body) == (200, "ok")
