"""Amazon SNS: topics, subscriptions (email confirmation as AWS does it), filter policies, publish with
message attributes and MessageStructure json, delivery to SQS (the JSON envelope or raw), email (the
sandbox's inbox) and Lambda (through a hook).

Other packages use the typed API re-exported here (`sns.publish(world, topic_arn, message, subject)`).
"""

from awsprep.sim.sns.api import (
    backend,
    confirm,
    deliveries,
    inbox,
    publish,
    publish_for_service,
    set_lambda_invoker,
    topic,
)
from awsprep.sim.sns.models import SPEC, SnsBackend
from awsprep.sim.sns.state import Email

__all__ = [
    "SPEC",
    "Email",
    "SnsBackend",
    "backend",
    "confirm",
    "deliveries",
    "inbox",
    "publish",
    "publish_for_service",
    "set_lambda_invoker",
    "topic",
]
