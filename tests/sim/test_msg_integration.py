"""SNS wired to the services that publish to it: Auto Scaling notifications and CloudWatch alarm actions
reach a topic's SQS queue and email subscribers."""

from __future__ import annotations

import json

from awsprep.sim import World
from awsprep.sim import sns as sns_api
from tests.sim.asg_helpers import asg, group
from tests.sim.sns_helpers import make_topic, open_queue, sns
from tests.sim.sqs_helpers import arn as queue_arn
from tests.sim.sqs_helpers import sqs


def test_auto_scaling_launch_notifications_reach_a_subscribed_queue(world: World) -> None:
    topic = make_topic(world, "asg-events")
    url = open_queue(world, "asg-q", topic)
    sns(world, "Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn("asg-q"))
    group(world, desired=1)
    asg(
        world,
        "PutNotificationConfiguration",
        AutoScalingGroupName="g",
        TopicARN=topic,
        NotificationTypes=["autoscaling:EC2_INSTANCE_LAUNCH"],
    )
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(120)
    got = sqs(world, "ReceiveMessage", QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    events = [json.loads(json.loads(m["Body"])["Message"]) for m in got]
    assert [e["Event"] for e in events] == ["autoscaling:EC2_INSTANCE_LAUNCH"]
    assert events[0]["AutoScalingGroupName"] == "g"


def test_an_alarm_action_emails_a_confirmed_subscriber(world: World) -> None:
    topic = make_topic(world, "alerts")
    sns(world, "Subscribe", TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    sns_api.confirm(world, topic, sns_api.inbox(world)[0].token)
    world.call(
        "cloudwatch",
        "PutMetricAlarm",
        {
            "AlarmName": "load-high",
            "Namespace": "MyApp",
            "MetricName": "Load",
            "Statistic": "Average",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 50.0,
            "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [topic],
        },
    )
    world.call(
        "cloudwatch",
        "SetAlarmState",
        {"AlarmName": "load-high", "StateValue": "ALARM", "StateReason": "testing the action"},
    )
    world.advance(1)
    mail = sns_api.inbox(world)[-1]
    assert mail.kind == "notification" and mail.to == "ops@example.com"
    assert mail.subject == 'ALARM: "load-high" in US East (N. Virginia)'
    assert json.loads(mail.body.split("\n\n--\n")[0])["NewStateValue"] == "ALARM"
