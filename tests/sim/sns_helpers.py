"""Helpers the SNS tests share: a topic, a queue SNS may send to, calls by operation name."""

from __future__ import annotations

import json
from typing import Any

from awsprep.sim import World
from tests.sim.sqs_helpers import arn as queue_arn
from tests.sim.sqs_helpers import make_queue


def sns(world: World, op: str, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = world.call("sns", op, params)
    return out


def make_topic(world: World, name: str = "alerts", **attributes: str) -> str:
    arn: str = sns(world, "CreateTopic", Name=name, Attributes=attributes)["TopicArn"]
    return arn


def open_queue(world: World, name: str, topic_arn: str, **attributes: str) -> str:
    """A queue whose policy lets the topic send to it (what the console adds when it subscribes a queue)."""
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn(name),
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
            }
        ],
    }
    return make_queue(world, name, Policy=json.dumps(policy), **attributes)
