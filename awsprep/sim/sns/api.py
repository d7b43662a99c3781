"""SNS's typed API for other services: CloudWatch alarms, Auto Scaling notifications, budgets and Lambda
destinations publish here; a Lambda service registers the hook that answers `lambda` subscriptions.

Topics are named by ARN, whose Region picks the backend. `principal=None` is a service publishing under the
topic's access policy (alarms, Auto Scaling); a Principal is authorised as `sns:Publish` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import Principal
from awsprep.sim.sns.errors import SNS_ERRORS as E

if TYPE_CHECKING:
    from awsprep.sim.sns.delivery import LambdaInvoker
    from awsprep.sim.sns.models import SnsBackend
    from awsprep.sim.sns.state import Delivery, Email, Topic
    from awsprep.sim.world import World


def backend(world: World, region: str | None = None) -> SnsBackend:
    """The typed SNS backend of a Region (the default Region when None)."""
    from awsprep.sim.sns.models import SnsBackend

    found = world.backend("sns", region)
    assert isinstance(found, SnsBackend)
    return found


def region_of(arn: str) -> str:
    """The Region of a topic ARN ("" for anything that is not one)."""
    parts = arn.split(":")
    return parts[3] if len(parts) >= 6 and parts[2] == "sns" else ""


def topic(world: World, topic_arn: str) -> Topic | None:
    """A topic by ARN (None when there is none)."""
    region = region_of(topic_arn)
    if not region:
        return None
    return backend(world, region).state.topics.get(topic_arn)


def publish(
    world: World,
    topic_arn: str,
    message: str,
    subject: str | None = None,
    attributes: dict[str, dict[str, Any]] | None = None,
    *,
    structure: str | None = None,
    group_id: str | None = None,
    dedup_id: str | None = None,
    principal: Principal | None = None,
) -> str:
    """Publish to a topic and deliver to its confirmed subscriptions; returns the message id. Raises
    `AwsError`: NotFound for a missing topic, Publish's validation errors, the access-denied error."""
    from awsprep.sim.sns.delivery import publish_to

    if principal is not None:
        world.authorize("sns", "Publish", principal)
    found = topic(world, topic_arn)
    if found is None:
        raise E("TopicNotFound")
    out = publish_to(
        backend(world, region_of(topic_arn)), found, message, subject, structure, attributes, group_id, dedup_id
    )
    message_id: str = out["MessageId"]
    return message_id


def set_lambda_invoker(fn: LambdaInvoker) -> None:
    """Let a Lambda package answer `lambda` subscriptions: `fn(world, function_arn, event)` (asynchronous)."""
    from awsprep.sim.sns.delivery import LAMBDA

    LAMBDA[:] = [fn]


def inbox(world: World) -> list[Email]:
    """Every email SNS sent, in every Region used, oldest first (the sandbox's `inbox` numbers them from 1)."""
    mails = [
        m
        for region in world.regions_in_use("sns")
        if world.has_region_state("sns", region)
        for m in backend(world, region).state.emails
    ]
    return sorted(mails, key=lambda m: m.at)


def confirm(world: World, topic_arn: str, token: str) -> str:
    """Follow a confirmation link (ConfirmSubscription as the learner); returns the subscription ARN."""
    from awsprep.sim.sns.subscriptions import confirm as do_confirm

    world.authorize("sns", "ConfirmSubscription")
    return do_confirm(backend(world, region_of(topic_arn)), topic_arn, token).arn


def deliveries(world: World, region: str | None = None) -> list[Delivery]:
    """The delivery log of a Region: what happened to each notification for each subscription."""
    return list(backend(world, region).state.deliveries)


def publish_for_service(world: World, region: str, topic_arn: str, subject: str, message: str) -> None:
    """Publish as an AWS service does (Auto Scaling notifications): a topic that is gone, or a message SNS
    refuses, loses that notification without failing the service's own work."""
    from awsprep.sim.core.errors import AwsError

    try:
        publish(world, topic_arn, message, subject or None)
    except AwsError:
        return
