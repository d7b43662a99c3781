"""Lambda plugged into the services it talks to, through their typed APIs: CloudWatch Logs (the function's log
lines), SQS and SNS (DLQ messages, destination records), SNS `lambda` subscriptions and ALB `lambda` targets."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from awsprep.sim import elbv2, logs, sns, sqs
from awsprep.sim.core.errors import AwsError
from awsprep.sim.lambda_ import sinks
from awsprep.sim.lambda_.httpevents import alb_invoke

if TYPE_CHECKING:
    from awsprep.sim.world import World


def _attributes(attributes: dict[str, str]) -> dict[str, dict[str, Any]]:
    # The DLQ's ErrorCode is a Number attribute on AWS; the others are Strings.
    return {
        k: {"DataType": "Number" if k == "ErrorCode" else "String", "StringValue": v} for k, v in attributes.items()
    }


def _log(world: World, region: str, group: str, stream: str, events: list[tuple[float, str]]) -> None:
    logs.write(world, region, group, stream, events)


def _to_queue(world: World, region: str, arn: str, body: str, attributes: dict[str, str]) -> bool:
    try:
        sqs.send(world, arn, body, _attributes(attributes) or None, principal=None)
    except AwsError:
        return False  # no such queue (or it refuses the message): the record is lost, as on AWS
    return True


def _to_topic(world: World, region: str, arn: str, body: str, attributes: dict[str, str]) -> bool:
    try:
        sns.publish(world, arn, body, attributes=_attributes(attributes) or None)
    except AwsError:
        return False
    return True


def _from_sns(world: World, function_arn: str, event: dict[str, Any]) -> None:
    from awsprep.sim.lambda_.asynchronous import enqueue
    from awsprep.sim.lambda_.models import backend

    b = backend(world, function_arn.split(":")[3])
    fn = b.state.functions.get(function_arn.split(":")[6])
    if fn is not None:
        _, q = b.split_name(function_arn)
        enqueue(b, fn, q or "$LATEST", json.dumps(event))


def install() -> None:
    """Plug every hook in (at import of the package)."""
    sinks.set_log_sink(_log)
    sinks.set_target("sqs", _to_queue)
    sinks.set_target("sns", _to_topic)
    sns.set_lambda_invoker(_from_sns)
    elbv2.set_lambda_invoker(alb_invoke)
