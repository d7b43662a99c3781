"""The notifications SNS writes: the JSON envelope (SQS, email-json, HTTP), the email texts, and the
subscription-confirmation email whose link the learner follows with `inbox confirm N` in the sandbox.

Formats follow the SNS developer guide's examples (sns-message-and-json-formats.html): the envelope's keys
and their order, `SignatureVersion` 1, and the email footer with the unsubscribe link.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from awsprep.sim.core.clock import iso_z
from awsprep.sim.sns.state import Email, Subscription, Topic

if TYPE_CHECKING:
    from awsprep.sim.sns.models import SnsBackend

CONFIRM_SUBJECT = "AWS Notification - Subscription Confirmation"
DEFAULT_SUBJECT = "AWS Notification Message"
FOOTER_SUPPORT = (
    "Please do not reply directly to this email. If you have any questions or comments regarding this email, "
    "please contact us at https://aws.amazon.com/support"
)


def signature(*parts: str) -> str:
    # Not a real signature (there is no signing key offline): a stable digest in the field's base64 form.
    return base64.b64encode(hashlib.sha256("\n".join(parts).encode()).digest() * 8).decode()


def cert_url(b: SnsBackend) -> str:
    """Where SNS publishes its signing certificate."""
    return f"{b.console_url()}/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"


def unsubscribe_url(b: SnsBackend, sub_arn: str) -> str:
    """The unsubscribe link of a notification."""
    return f"{b.console_url()}/?Action=Unsubscribe&SubscriptionArn={sub_arn}"


def confirm_url(b: SnsBackend, topic: Topic, sub: Subscription) -> str:
    """The link of a confirmation message."""
    return f"{b.console_url()}/confirmation.html?TopicArn={topic.arn}&Token={sub.token}&Endpoint={quote(sub.endpoint)}"


def envelope(
    b: SnsBackend,
    topic_arn: str,
    message_id: str,
    message: str,
    subject: str | None,
    attributes: dict[str, dict[str, Any]],
    sub_arn: str,
    at: float,
) -> dict[str, Any]:
    """The notification JSON SNS delivers to SQS, email-json and HTTP endpoints (keys in SNS's order)."""
    out: dict[str, Any] = {"Type": "Notification", "MessageId": message_id, "TopicArn": topic_arn}
    if subject:
        out["Subject"] = subject
    out.update(
        {
            "Message": message,
            "Timestamp": iso_z(at),
            "SignatureVersion": "1",
            "Signature": signature(message_id, message, iso_z(at)),
            "SigningCertURL": cert_url(b),
            "UnsubscribeURL": unsubscribe_url(b, sub_arn),
        }
    )
    if attributes:
        out["MessageAttributes"] = {
            name: {"Type": a.get("DataType", "String"), "Value": a.get("StringValue", _binary(a))}
            for name, a in attributes.items()
        }
    return out


def _binary(attr: dict[str, Any]) -> str:
    value = attr.get("BinaryValue", b"")
    data = value if isinstance(value, bytes) else str(value).encode()
    return base64.b64encode(data).decode()


def as_text(doc: dict[str, Any]) -> str:
    """The envelope as SNS writes it: two-space indent, `" : "` between key and value."""
    return json.dumps(doc, indent=2, separators=(",", " : "), ensure_ascii=False)


def sender(topic: Topic) -> str:
    """The From line: the topic's DisplayName when it has one."""
    name = topic.attributes.get("DisplayName") or "AWS Notifications"
    return f"{name} <no-reply@sns.amazonaws.com>"


def send_confirmation(b: SnsBackend, topic: Topic, sub: Subscription) -> None:
    """Mail the confirmation request to a new email or email-json subscription."""
    link = confirm_url(b, topic, sub)
    if sub.protocol == "email-json":
        doc = {
            "Type": "SubscriptionConfirmation",
            "MessageId": b.new_uuid(),
            "Token": sub.token,
            "TopicArn": topic.arn,
            "Message": f"You have chosen to subscribe to the topic {topic.arn}.\n"
            "To confirm the subscription, visit the SubscribeURL included in this message.",
            "SubscribeURL": f"{b.console_url()}/?Action=ConfirmSubscription&TopicArn={topic.arn}&Token={sub.token}",
            "Timestamp": iso_z(b.world.now),
            "SignatureVersion": "1",
            "Signature": signature(sub.token),
            "SigningCertURL": cert_url(b),
        }
        body = as_text(doc)
    else:
        body = (
            f"You have chosen to subscribe to the topic: \n{topic.arn}\n\n"
            "To confirm this subscription, click or visit the link below "
            "(If this was in error no action is necessary): \n"
            f"Confirm subscription\n{link}\n\n"
            "Please do not reply directly to this email. If you wish to remove yourself from receiving all future "
            "SNS subscription confirmation requests please send an email to sns-opt-out\n"
        )
    b.state.emails.append(
        Email(b.world.now, sub.endpoint, CONFIRM_SUBJECT, body, topic.arn, "confirmation", sub.token, sender(topic))
    )


def send_notification(b: SnsBackend, topic: Topic, sub: Subscription, text: str, subject: str | None) -> None:
    """Mail one notification: plain text with SNS's footer (email), or the envelope (email-json)."""
    if sub.protocol == "email-json":
        body = text
    else:
        body = (
            f"{text}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the "
            f"link below to unsubscribe:\n{b.console_url()}/unsubscribe.html?SubscriptionArn={sub.arn}"
            f"&Endpoint={sub.endpoint}\n\n{FOOTER_SUPPORT}\n"
        )
    b.state.emails.append(
        Email(b.world.now, sub.endpoint, subject or DEFAULT_SUBJECT, body, topic.arn, "notification", "", sender(topic))
    )
