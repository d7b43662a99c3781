"""Small helpers the SQS, SNS and Logs tests share."""

from __future__ import annotations

from typing import Any

from awsprep.sim import World

ACCOUNT = "111122223333"


def sqs(world: World, op: str, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = world.call("sqs", op, params)
    return out


def make_queue(world: World, name: str, **attributes: str) -> str:
    url: str = sqs(world, "CreateQueue", QueueName=name, Attributes=attributes)["QueueUrl"]
    return url


def arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:sqs:{region}:{ACCOUNT}:{name}"
