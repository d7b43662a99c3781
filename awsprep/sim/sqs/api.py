"""SQS's typed API for other services: Lambda's dead-letter queue and destinations, SNS deliveries.

Queues are named by ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`), whose Region picks the backend. A send as a
principal (Lambda's execution role) is authorised as `sqs:SendMessage`; a delivery a service makes under
the queue's resource policy (SNS) passes `principal=None`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import LEARNER, Principal
from awsprep.sim.sqs.errors import SQS_ERRORS as E

if TYPE_CHECKING:
    from awsprep.sim.sqs.models import SqsBackend
    from awsprep.sim.sqs.state import Message, Queue
    from awsprep.sim.world import World


def backend(world: World, region: str | None = None) -> SqsBackend:
    """The typed SQS backend of a Region (the default Region when None)."""
    from awsprep.sim.sqs.models import SqsBackend

    found = world.backend("sqs", region)
    assert isinstance(found, SqsBackend)
    return found


def region_of(arn: str) -> str:
    """The Region of a queue ARN (the default one for anything that is not an SQS ARN)."""
    parts = arn.split(":")
    return parts[3] if len(parts) == 6 and parts[2] == "sqs" else ""


def queue(world: World, queue_arn: str) -> Queue | None:
    """A queue by ARN (None when there is none)."""
    region = region_of(queue_arn)
    if not region:
        return None
    return backend(world, region).queue_by_arn(queue_arn)


def send(
    world: World,
    queue_arn: str,
    body: str,
    attributes: dict[str, dict[str, Any]] | None = None,
    *,
    group_id: str | None = None,
    dedup_id: str | None = None,
    principal: Principal | None = LEARNER,
) -> str:
    """SendMessage to a queue by ARN; returns the message id. `attributes` are in the API's form
    (`{"ErrorCode": {"DataType": "Number", "StringValue": "200"}}`). Raises `AwsError`: the queue's
    NonExistentQueue, the access-denied error for `principal`, or SendMessage's own validation errors."""
    from awsprep.sim.sqs.message_ops import enqueue
    from awsprep.sim.sqs.params import message_attributes

    if principal is not None:
        world.authorize("sqs", "SendMessage", principal)
    found = queue(world, queue_arn)
    if found is None:
        raise E("NonExistentQueue")
    b = backend(world, region_of(queue_arn))
    msg = enqueue(
        b,
        found,
        body,
        message_attributes(attributes),
        group_id=group_id,
        dedup_id=dedup_id,
        principal=principal or LEARNER,
    )
    return msg.message_id


def messages(world: World, queue_arn: str) -> list[Message]:
    """Every message a queue holds now, visible or not, oldest first (for lab checks and tests)."""
    found = queue(world, queue_arn)
    if found is None:
        return []
    return list(backend(world, region_of(queue_arn)).live(found))


def queue_url(world: World, queue_arn: str) -> str | None:
    """The URL of a queue given by ARN (None when there is none)."""
    found = queue(world, queue_arn)
    return found.url if found is not None else None


def allows_service(world: World, queue_arn: str, service: str, source_arn: str) -> bool:
    """Whether the queue's access policy lets `service` (`sns.amazonaws.com`) send for `source_arn`."""
    from awsprep.sim.sqs.policy import allows

    found = queue(world, queue_arn)
    if found is None:
        return False
    return allows(found.attributes.get("Policy", ""), found.arn, service, source_arn, world.account_id)
