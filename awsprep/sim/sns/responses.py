"""SNS API operation name -> handler(backend, botocore params) -> response dict (the botocore output shape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.sns import delivery, subscriptions, topics

if TYPE_CHECKING:
    from awsprep.sim.sns.models import SnsBackend

Handler = Callable[["SnsBackend", dict[str, Any]], dict[str, Any]]

OPERATIONS: dict[str, Handler] = {
    "CreateTopic": topics.create_topic,
    "ListTopics": topics.list_topics,
    "GetTopicAttributes": topics.get_topic_attributes,
    "SetTopicAttributes": topics.set_topic_attributes,
    "DeleteTopic": topics.delete_topic,
    "TagResource": topics.tag_resource,
    "UntagResource": topics.untag_resource,
    "ListTagsForResource": topics.list_tags_for_resource,
    "Subscribe": subscriptions.subscribe,
    "ConfirmSubscription": subscriptions.confirm_subscription,
    "ListSubscriptions": subscriptions.list_subscriptions,
    "ListSubscriptionsByTopic": subscriptions.list_subscriptions_by_topic,
    "GetSubscriptionAttributes": subscriptions.get_subscription_attributes,
    "SetSubscriptionAttributes": subscriptions.set_subscription_attributes,
    "Unsubscribe": subscriptions.unsubscribe,
    "Publish": delivery.publish,
    "PublishBatch": delivery.publish_batch,
}
