"""Topic operations: create (idempotent by name), list, attributes, delete, tags."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.describe import Paging, paginate
from awsprep.sim.core.errors import AwsError
from awsprep.sim.sns.errors import SNS_ERRORS as E
from awsprep.sim.sns.state import Topic

if TYPE_CHECKING:
    from awsprep.sim.sns.models import SnsBackend

NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
SETTABLE = {
    "DeliveryPolicy",
    "DisplayName",
    "Policy",
    "TracingConfig",
    "KmsMasterKeyId",
    "SignatureVersion",
    "ContentBasedDeduplication",
    "FifoTopic",
    "ArchivePolicy",
    "FifoThroughputScope",
}
FEEDBACK = re.compile(r"^(HTTP|Firehose|Lambda|SQS|Application)(Success|Failure)Feedback(RoleArn|SampleRate)$")
PAGE = 100  # ListTopics and ListSubscriptions return 100 at a time
PAGING = Paging(
    1,
    PAGE,
    lambda v, lo, hi: E("InvalidParameter", what="MaxResults"),
    lambda t: E("InvalidParameter", what="NextToken"),
)

DEFAULT_DELIVERY = {
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20,
            "maxDelayTarget": 20,
            "numRetries": 3,
            "numMaxDelayRetries": 0,
            "numNoDelayRetries": 0,
            "numMinDelayRetries": 0,
            "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}


def default_policy(arn: str, account: str) -> str:
    """The access policy a new topic gets: the owner account may do everything with it."""
    return json.dumps(
        {
            "Version": "2008-10-17",
            "Id": "__default_policy_ID",
            "Statement": [
                {
                    "Sid": "__default_statement_ID",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "SNS:GetTopicAttributes",
                        "SNS:SetTopicAttributes",
                        "SNS:AddPermission",
                        "SNS:RemovePermission",
                        "SNS:DeleteTopic",
                        "SNS:Subscribe",
                        "SNS:ListSubscriptionsByTopic",
                        "SNS:Publish",
                    ],
                    "Resource": arn,
                    "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
                }
            ],
        },
        separators=(",", ":"),
    )


def _check_attribute(name: str, value: str, fifo: bool, creating: bool) -> str:
    if name not in SETTABLE and not FEEDBACK.match(name):
        raise E("InvalidParameter", what="AttributeName")
    if name == "FifoTopic" and not creating:
        raise E("InvalidParameter", what="AttributeName")
    if name in ("FifoTopic", "ContentBasedDeduplication"):
        if value.lower() not in ("true", "false"):
            raise E("InvalidParameterRaw", message=f"Invalid parameter: Attributes Reason: {name} must be a boolean")
        if name == "ContentBasedDeduplication" and not fifo and value.lower() == "true":
            raise E(
                "InvalidParameterRaw",
                message="Invalid parameter: Attributes Reason: Content-based deduplication can only be set for "
                "FIFO topics",
            )
        return value.lower()
    if name in ("Policy", "DeliveryPolicy", "ArchivePolicy") and value:
        try:
            json.loads(value)
        except ValueError:
            raise E("InvalidParameterRaw", message=f"Invalid parameter: {name}: failed to parse JSON.") from None
    if name == "SignatureVersion" and value not in ("1", "2"):
        raise E("InvalidParameterRaw", message="Invalid parameter: SignatureVersion")
    if name == "TracingConfig" and value not in ("PassThrough", "Active"):
        raise E("InvalidParameterRaw", message="Invalid parameter: TracingConfig")
    return value


def create_topic(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """CreateTopic: the same name (and attributes) gives the existing topic's ARN."""
    name = str(p.get("Name") or "")
    raw = {k: str(v) for k, v in (p.get("Attributes") or {}).items()}
    fifo = raw.get("FifoTopic", "false").lower() == "true"
    base = name[: -len(".fifo")] if fifo and name.endswith(".fifo") else name
    if not NAME.match(base) or (fifo and not name.endswith(".fifo")) or (not fifo and name.endswith(".fifo")):
        raise E("InvalidParameter", what="Topic Name")
    attrs = {k: _check_attribute(k, v, fifo, creating=True) for k, v in raw.items()}
    arn = b.arn_for(name)
    existing = b.state.topics.get(arn)
    if existing is not None:
        if any(existing.attributes.get(k, _defaults(b, existing).get(k)) != v for k, v in attrs.items()):
            raise E(
                "InvalidParameterRaw",
                message="Invalid parameter: Attributes Reason: Topic already exists with different attributes",
            )
        return {"TopicArn": arn}
    tags = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
    if fifo:
        attrs.setdefault("ContentBasedDeduplication", "false")
    else:
        attrs.pop("FifoTopic", None)
    b.state.topics[arn] = Topic(name, arn, b.world.now, attrs, tags)
    return {"TopicArn": arn}


def _defaults(b: SnsBackend, topic: Topic) -> dict[str, str]:
    return {
        "Policy": default_policy(topic.arn, b.world.account_id),
        "DisplayName": "",
        "SignatureVersion": "1",
        "TracingConfig": "PassThrough",
        "EffectiveDeliveryPolicy": json.dumps(DEFAULT_DELIVERY, separators=(",", ":")),
    }


def list_topics(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListTopics, 100 a page."""
    arns = sorted(b.state.topics)
    page, token = paginate(
        arns, PAGE if len(arns) > PAGE or p.get("NextToken") else None, p.get("NextToken"), PAGING, salt="ListTopics"
    )
    out: dict[str, Any] = {"Topics": [{"TopicArn": a} for a in page]}
    if token:
        out["NextToken"] = token
    return out


def get_topic_attributes(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """GetTopicAttributes: the settable attributes and the subscription counts."""
    topic = b.topic(p.get("TopicArn"))
    subs = b.subscriptions_of(topic.arn)
    attrs = {
        "TopicArn": topic.arn,
        "Owner": b.world.account_id,
        **_defaults(b, topic),
        **topic.attributes,
        "SubscriptionsConfirmed": str(sum(1 for s in subs if s.confirmed)),
        "SubscriptionsPending": str(sum(1 for s in subs if not s.confirmed)),
        "SubscriptionsDeleted": str(topic.deleted_subscriptions),
    }
    return {"Attributes": attrs}


def set_topic_attributes(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """SetTopicAttributes (one attribute per call)."""
    topic = b.topic(p.get("TopicArn"))
    name = str(p.get("AttributeName") or "")
    topic.attributes[name] = _check_attribute(name, str(p.get("AttributeValue") or ""), topic.fifo, creating=False)
    return {}


def delete_topic(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteTopic: its subscriptions go with it; deleting a topic that is not there succeeds."""
    arn = str(p.get("TopicArn") or "")
    try:
        topic = b.topic(arn)
    except AwsError as err:  # the API reference: deleting a topic that does not exist is no error
        if err.code == "NotFound":
            return {}
        raise
    del b.state.topics[topic.arn]
    for sub in b.subscriptions_of(topic.arn):
        del b.state.subscriptions[sub.arn]
    return {}


def _resource(b: SnsBackend, arn: Any) -> Topic:
    topic = b.state.topics.get(str(arn or ""))
    if topic is None:
        raise E("ResourceNotFound")
    return topic


def tag_resource(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """TagResource."""
    _resource(b, p.get("ResourceArn")).tags.update({t["Key"]: t["Value"] for t in p.get("Tags") or []})
    return {}


def untag_resource(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """UntagResource."""
    topic = _resource(b, p.get("ResourceArn"))
    for key in p.get("TagKeys") or []:
        topic.tags.pop(key, None)
    return {}


def list_tags_for_resource(b: SnsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ListTagsForResource."""
    topic = _resource(b, p.get("ResourceArn"))
    return {"Tags": [{"Key": k, "Value": v} for k, v in topic.tags.items()]}
