"""Subscriptions: subscribe (a confirmation first for email and HTTP endpoints, as SNS does), confirm,
list, attributes (RawMessageDelivery, FilterPolicy, …), unsubscribe.

Confirmation: an email subscription stays `PendingConfirmation` until the token from the confirmation
email comes back through ConfirmSubscription (the sandbox's `inbox confirm N` does that). SQS and Lambda
endpoints in the same account are confirmed at once. HTTP/HTTPS endpoints get a SubscriptionConfirmation POST
through the simulated network (`http.py`) and stay pending until its token comes back the same way.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.describe import paginate
from awsprep.sim.sns import filters, mail
from awsprep.sim.sns.errors import SNS_ERRORS as E
from awsprep.sim.sns.state import Subscription
from awsprep.sim.sns.topics import PAGE, PAGING

if TYPE_CHECKING:
    from awsprep.sim.sns.models import SnsBackend

PROTOCOLS = ("email", "email-json", "sqs", "lambda", "http", "https", "sms", "application", "firehose")
NEEDS_CONFIRMATION = ("email", "email-json", "http", "https")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SUB_ATTRIBUTES = (
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "SubscriptionRoleArn",
    "ReplayPolicy",
)
PENDING = "pending confirmation"


def _check_endpoint(protocol: str, endpoint: str) -> None:
    if protocol not in PROTOCOLS:
        raise E("InvalidParameter", what="Invalid protocol type: " + protocol)
    if protocol in ("email", "email-json") and not EMAIL.match(endpoint):
        raise E("InvalidParameter", what="Email address")
    if protocol == "sqs" and not re.match(r"^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$", endpoint):
        raise E("InvalidParameter", what="SQS endpoint ARN")
    if protocol == "lambda" and not re.match(
        r"^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[^:]+)?$", endpoint
    ):
        raise E("InvalidParameter", what="Lambda endpoint ARN")
    if protocol in ("http", "https") and not endpoint.startswith(protocol + "://"):
        raise E("InvalidParameter", what="Endpoint")


def check_sub_attribute(name: str, value: str, protocol: str) -> str:
    """A subscription attribute as SNS stores it (RawMessageDelivery only where it means something)."""
    if name not in SUB_ATTRIBUTES:
        raise E("InvalidParameter", what="AttributeName")
    if name == "RawMessageDelivery":
        if value.lower() not in ("true", "false"):
            raise E("InvalidParameter", what="RawMessageDelivery")
        if protocol not in ("sqs", "http", "https", "firehose"):
            raise E(
                "InvalidParameterRaw",
                message="Invalid parameter: Delivery protocol ["
                + protocol
                + "] does not support raw message delivery.",
            )
        return value.lower()
    if name == "FilterPolicy" and value:
        filters.check_policy(value)
    if name == "FilterPolicyScope" and value not in ("MessageAttributes", "MessageBody"):
        raise E(
            "InvalidParameterRaw",
            message="Invalid parameter: FilterPolicyScope: Invalid value ["
            + value
            + "]. Please use either MessageBody or MessageAttributes",
        )
    if name == "RedrivePolicy" and value:
        try:
            json.loads(value)["deadLetterTargetArn"]
        except (ValueError, KeyError, TypeError):
            raise E("InvalidParameter", what="RedrivePolicy: deadLetterTargetArn is missing") from None
    return value


def subscribe(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Subscribe: `pending confirmation` for email and HTTP (the ARN itself with ReturnSubscriptionArn)."""
    topic = b.topic(p.get("TopicArn"))
    protocol = str(p.get("Protocol") or "").lower()
    endpoint = str(p.get("Endpoint") or "")
    _check_endpoint(protocol, endpoint)
    attrs = {k: check_sub_attribute(k, str(v), protocol) for k, v in (p.get("Attributes") or {}).items()}
    for sub in b.subscriptions_of(topic.arn):  # subscribing the same endpoint again returns the same one
        if sub.protocol == protocol and sub.endpoint == endpoint:
            return {"SubscriptionArn": sub.arn if sub.confirmed or p.get("ReturnSubscriptionArn") else PENDING}
    pending = protocol in NEEDS_CONFIRMATION
    sub = Subscription(
        arn=f"{topic.arn}:{b.new_uuid()}",
        topic_arn=topic.arn,
        protocol=protocol,
        endpoint=endpoint,
        confirmed=not pending,
        token=b.new_token() if pending else "",
        created=b.world.now,
        attributes=attrs,
    )
    b.state.subscriptions[sub.arn] = sub
    if protocol in ("email", "email-json"):
        mail.send_confirmation(b, topic, sub)
    elif protocol in ("http", "https"):
        from awsprep.sim.sns import http

        http.send_confirmation(b, topic, sub)
    return {"SubscriptionArn": sub.arn if not pending or p.get("ReturnSubscriptionArn") else PENDING}


def confirm(b: SnsBackend, topic_arn: str, token: str) -> Subscription:
    """Confirm the pending subscription a token was sent for (InvalidParameter: Invalid token otherwise)."""
    topic = b.topic(topic_arn)
    for sub in b.subscriptions_of(topic.arn):
        if sub.token and sub.token == token:
            sub.confirmed = True
            return sub
    raise E("InvalidToken")


def confirm_subscription(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ConfirmSubscription with the token from the confirmation message (it can be used again)."""
    return {"SubscriptionArn": confirm(b, str(p.get("TopicArn") or ""), str(p.get("Token") or "")).arn}


def _row(sub: Subscription, account: str) -> dict[str, Any]:
    return {
        "SubscriptionArn": sub.arn if sub.confirmed else "PendingConfirmation",
        "Owner": account,
        "Protocol": sub.protocol,
        "Endpoint": sub.endpoint,
        "TopicArn": sub.topic_arn,
    }


def _listing(b: SnsBackend, subs: list[Subscription], p: dict[str, Any], salt: str) -> dict[str, Any]:
    size = PAGE if len(subs) > PAGE or p.get("NextToken") else None
    page, token = paginate(subs, size, p.get("NextToken"), PAGING, salt=salt)
    out: dict[str, Any] = {"Subscriptions": [_row(s, b.world.account_id) for s in page]}
    if token:
        out["NextToken"] = token
    return out


def list_subscriptions(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListSubscriptions (pending ones show `PendingConfirmation` for their ARN)."""
    return _listing(b, list(b.state.subscriptions.values()), p, "ListSubscriptions")


def list_subscriptions_by_topic(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListSubscriptionsByTopic."""
    topic = b.topic(p.get("TopicArn"))
    return _listing(b, b.subscriptions_of(topic.arn), p, "ListSubscriptionsByTopic")


def get_subscription_attributes(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """GetSubscriptionAttributes."""
    sub = b.subscription(p.get("SubscriptionArn"))
    attrs = {
        "SubscriptionArn": sub.arn,
        "TopicArn": sub.topic_arn,
        "Owner": b.world.account_id,
        "Protocol": sub.protocol,
        "Endpoint": sub.endpoint,
        "ConfirmationWasAuthenticated": "true" if sub.confirmed else "false",
        "PendingConfirmation": "false" if sub.confirmed else "true",
        "RawMessageDelivery": "false",
        "SubscriptionPrincipal": f"arn:aws:iam::{b.world.account_id}:user/learner",
        **sub.attributes,
    }
    if sub.attributes.get("FilterPolicy"):
        attrs.setdefault("FilterPolicyScope", "MessageAttributes")
    if sub.protocol not in ("sqs", "http", "https", "firehose"):
        attrs.pop("RawMessageDelivery")
    return {"Attributes": attrs}


def set_subscription_attributes(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """SetSubscriptionAttributes (an empty FilterPolicy removes the filter)."""
    sub = b.subscription(p.get("SubscriptionArn"))
    name = str(p.get("AttributeName") or "")
    value = check_sub_attribute(name, str(p.get("AttributeValue") or ""), sub.protocol)
    if value == "" and name in ("FilterPolicy", "RedrivePolicy"):
        sub.attributes.pop(name, None)
    else:
        sub.attributes[name] = value
    return {}


def unsubscribe(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Unsubscribe."""
    sub = b.subscription(p.get("SubscriptionArn"))
    del b.state.subscriptions[sub.arn]
    topic = b.state.topics.get(sub.topic_arn)
    if topic is not None:
        topic.deleted_subscriptions += 1
    return {}
