"""SNS state of one Region: topics, subscriptions, and the emails SNS sent (the sandbox's inbox reads them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Topic:
    """A topic. `attributes` holds the settable ones as strings (Policy, DisplayName, DeliveryPolicy, …)."""

    name: str
    arn: str
    created: float
    attributes: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    deleted_subscriptions: int = 0
    sequence: int = 0

    @property
    def fifo(self) -> bool:
        """Whether this is a FIFO topic."""
        return self.attributes.get("FifoTopic") == "true"


@dataclass
class Subscription:
    """A subscription: pending until confirmed (email, email-json, http/s), confirmed at once otherwise."""

    arn: str
    topic_arn: str
    protocol: str
    endpoint: str
    confirmed: bool
    token: str = ""
    created: float = 0.0
    attributes: dict[str, str] = field(default_factory=dict)  # RawMessageDelivery, FilterPolicy, …


@dataclass
class Email:
    """One email SNS sent to a subscribed address: a subscription confirmation or a notification."""

    at: float
    to: str
    subject: str
    body: str
    topic_arn: str
    kind: str  # "confirmation" | "notification"
    token: str = ""
    sender: str = "AWS Notifications <no-reply@sns.amazonaws.com>"
    read: bool = False


@dataclass
class Delivery:
    """What happened to one notification for one subscription (the sandbox and tests read the log)."""

    at: float
    message_id: str
    subscription_arn: str
    protocol: str
    endpoint: str
    status: str  # "delivered" | "filtered" | "failed"
    reason: str = ""


@dataclass
class HttpAttempt:
    """A notification on its way to an HTTP/HTTPS endpoint: tried `attempts` times so far, retried on a timer."""

    attempt_id: str
    subscription_arn: str
    topic_arn: str
    message_id: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    first_at: float = 0.0


@dataclass
class SnsRegionState:
    """The topics and subscriptions of one Region (by ARN), the mail SNS sent and its delivery log."""

    region: str = ""
    topics: dict[str, Topic] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    emails: list[Email] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    http_pending: dict[str, HttpAttempt] = field(default_factory=dict)  # notifications waiting for a retry
