"""HTTP/HTTPS subscriptions: SNS POSTs to the endpoint through the simulated network (an instance's web server,
a load balancer in front of instances or of a Lambda function), as the developer guide describes.

- Subscribing sends a `SubscriptionConfirmation` POST whose JSON body holds Type, MessageId, Token, TopicArn,
  Message, SubscribeURL, Timestamp, SignatureVersion, Signature and SigningCertURL
  (https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html); the subscription stays
  PendingConfirmation until ConfirmSubscription gets that token. No notification goes to it before.
- Notifications are POSTs of the JSON envelope (the message alone with RawMessageDelivery). Headers
  (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html): x-amz-sns-message-type,
  x-amz-sns-message-id, x-amz-sns-topic-arn, x-amz-sns-subscription-arn (not on a confirmation),
  Content-Type `text/plain; charset=UTF-8` (the default), User-Agent `Amazon Simple Notification Service Agent`.
- A 2xx answer is a delivery. A 5xx answer or no answer (timeout, refused, TLS to a plain-HTTP server) is
  retried on the simulated clock by the delivery policy: the subscription's `DeliveryPolicy`
  (healthyRetryPolicy), else the topic's `http.defaultHealthyRetryPolicy`, else SNS's default, "up to three
  retries with a delay between failed attempts set at 20 seconds"
  (https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.retry.html); the message ID stays the same on a
  retry. When the policy is used up the notification is dropped (a subscription DLQ is not simulated) and
  counts in NumberOfNotificationsFailed.
[INF] A 4xx answer fails at once, with no retry (SNS retries "when server-side errors occur"); the
confirmation request is sent once; SNS's requests come from the internet, which the simulator's network
knows as the learner's laptop address; the backoff functions other than linear are approximated; the
SubscribeURL (sns.REGION.amazonaws.com) is not served: confirm with `aws sns confirm-subscription`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from awsprep.sim.core.clock import iso_z
from awsprep.sim.sns import mail
from awsprep.sim.sns.state import Delivery, HttpAttempt, Subscription, Topic

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.sns.models import SnsBackend
    from awsprep.sim.world import World

KIND = "http-retry"
AGENT = "Amazon Simple Notification Service Agent"
DEFAULT_POLICY = {
    "minDelayTarget": 20,
    "maxDelayTarget": 20,
    "numRetries": 3,
    "numNoDelayRetries": 0,
    "numMinDelayRetries": 0,
    "numMaxDelayRetries": 0,
    "backoffFunction": "linear",
}
MAX_POLICY_SECONDS = 3600  # "The total policy retry time for an HTTP/S endpoint cannot be greater than 3,600 seconds"


def _headers(kind: str, message_id: str, topic_arn: str, sub_arn: str | None, host: str) -> dict[str, str]:
    out = {
        "x-amz-sns-message-type": kind,
        "x-amz-sns-message-id": message_id,
        "x-amz-sns-topic-arn": topic_arn,
    }
    if sub_arn:
        out["x-amz-sns-subscription-arn"] = sub_arn
    out.update({"Content-Type": "text/plain; charset=UTF-8", "Host": host, "User-Agent": AGENT})
    return out


def _post(world: World, endpoint: str, headers: dict[str, str], body: str) -> tuple[int, str]:
    """POST once: (HTTP status, what happened); status 0 when nothing HTTP answered."""
    from awsprep.sim import net

    parts = urlsplit(endpoint)
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {**headers, "Content-Length": str(len(body.encode()))}
    reach, response = net.http_request(
        world, parts.hostname or "", port, "POST", path, headers, net.INTERNET, tls=tls, body=body
    )
    if reach.outcome is not net.Outcome.CONNECTED:
        return 0, f"connection {reach.outcome.value}: {reach.reason}"
    if response is None or response.status == 0:
        return 0, f"no HTTP answer ({response.failure if response is not None and response.failure else 'not HTTP'})"
    return response.status, f"HTTP {response.status}"


def send_confirmation(b: SnsBackend, topic: Topic, sub: Subscription) -> None:
    """POST the SubscriptionConfirmation to a new HTTP/HTTPS subscription (once)."""
    message_id = b.new_uuid()
    doc = {
        "Type": "SubscriptionConfirmation",
        "MessageId": message_id,
        "Token": sub.token,
        "TopicArn": topic.arn,
        "Message": f"You have chosen to subscribe to the topic {topic.arn}.\n"
        "To confirm the subscription, visit the SubscribeURL included in this message.",
        "SubscribeURL": f"{b.console_url()}/?Action=ConfirmSubscription&TopicArn={topic.arn}&Token={sub.token}",
        "Timestamp": iso_z(b.world.now),
        "SignatureVersion": "1",
        "Signature": mail.signature(message_id, sub.token),
        "SigningCertURL": mail.cert_url(b),
    }
    host = urlsplit(sub.endpoint).netloc
    headers = _headers("SubscriptionConfirmation", message_id, topic.arn, None, host)
    status, what = _post(b.world, sub.endpoint, headers, mail.as_text(doc))
    ok = 200 <= status < 300
    _log(b, message_id, sub, "confirmation sent" if ok else "confirmation failed", "" if ok else what)


def deliver(b: SnsBackend, topic: Topic, sub: Subscription, message_id: str, body: str) -> None:
    """First attempt of one notification; a failure that may be retried waits on a timer."""
    host = urlsplit(sub.endpoint).netloc
    attempt = HttpAttempt(
        f"{sub.arn}/{message_id}",
        sub.arn,
        topic.arn,
        message_id,
        body,
        _headers("Notification", message_id, topic.arn, sub.arn, host),
        0,
        b.world.now,
    )
    _try(b, topic, sub, attempt)


def _try(b: SnsBackend, topic: Topic, sub: Subscription, attempt: HttpAttempt) -> None:
    attempt.attempts += 1
    status, what = _post(b.world, sub.endpoint, attempt.headers, attempt.body)
    dims = {"TopicName": topic.name}
    if 200 <= status < 300:
        b.state.http_pending.pop(attempt.attempt_id, None)
        _log(b, attempt.message_id, sub, "delivered", f"attempt {attempt.attempts}")
        b.world.put_metric("AWS/SNS", "NumberOfNotificationsDelivered", dims, 1, "Count")
        return
    delays = retry_delays(policy(topic, sub))
    retryable = status == 0 or status >= 500
    if retryable and attempt.attempts <= len(delays):
        delay = delays[attempt.attempts - 1]
        b.state.http_pending[attempt.attempt_id] = attempt
        b.world.schedule(delay, "sns", b.region, KIND, attempt.attempt_id)
        _log(b, attempt.message_id, sub, "retrying", f"attempt {attempt.attempts}: {what}; next in {delay:g} s")
        return
    b.state.http_pending.pop(attempt.attempt_id, None)
    why = f"attempt {attempt.attempts}: {what}" + ("; the delivery policy is used up" if retryable else "")
    _log(b, attempt.message_id, sub, "failed", why)
    b.world.put_metric("AWS/SNS", "NumberOfNotificationsFailed", dims, 1, "Count")


def on_timer(world: World, timer: Timer) -> bool | None:
    """A retry is due (the subscription or topic may be gone by then: the notification is dropped)."""
    if timer.kind != KIND:
        return None
    from awsprep.sim.sns.api import backend

    b = backend(world, timer.region)
    attempt = b.state.http_pending.get(timer.target)
    if attempt is None:
        return None
    sub = b.state.subscriptions.get(attempt.subscription_arn)
    topic = b.state.topics.get(attempt.topic_arn)
    if sub is None or topic is None:
        del b.state.http_pending[timer.target]
        return None
    _try(b, topic, sub, attempt)
    return None


def policy(topic: Topic, sub: Subscription) -> dict[str, Any]:
    """The healthy retry policy in force: the subscription's, the topic's HTTP default, or SNS's default."""
    found: dict[str, Any] = {}
    for text, path in (
        (topic.attributes.get("DeliveryPolicy"), ("http", "defaultHealthyRetryPolicy")),
        (sub.attributes.get("DeliveryPolicy"), ("healthyRetryPolicy",)),
    ):
        try:
            doc: Any = json.loads(text) if text else {}
        except ValueError:
            continue
        for key in path:
            doc = doc.get(key, {}) if isinstance(doc, dict) else {}
        if isinstance(doc, dict):
            found.update(doc)
    return {**DEFAULT_POLICY, **found}


def retry_delays(p: dict[str, Any]) -> list[float]:
    """Seconds before each retry: the no-delay phase, the pre-backoff phase (minDelay), the backoff phase (min
    to max by the backoff function) and the post-backoff phase (maxDelay), capped at 3,600 s in all."""
    low, high = float(p["minDelayTarget"]), float(p["maxDelayTarget"])
    total, none_, mins, maxes = (
        int(p[k]) for k in ("numRetries", "numNoDelayRetries", "numMinDelayRetries", "numMaxDelayRetries")
    )
    backoff = max(0, total - none_ - mins - maxes)
    delays = [0.0] * none_ + [low] * mins
    for k in range(1, backoff + 1):
        frac = k / backoff
        if str(p.get("backoffFunction", "linear")) in ("geometric", "exponential") and low > 0:
            delays.append(round(low * (high / low) ** frac, 3))
        else:  # linear, and arithmetic [INF]
            delays.append(round(low + (high - low) * frac, 3))
    delays += [high] * maxes
    out, spent = [], 0.0
    for d in delays[:total]:
        if spent + d > MAX_POLICY_SECONDS:
            break
        spent += d
        out.append(d)
    return out


def _log(b: SnsBackend, message_id: str, sub: Subscription, status: str, reason: str = "") -> None:
    from awsprep.sim.sns.delivery import LOG_KEEP

    log = b.state.deliveries
    log.append(Delivery(b.world.now, message_id, sub.arn, sub.protocol, sub.endpoint, status, reason))
    if len(log) > LOG_KEEP:
        del log[: len(log) - LOG_KEEP]
