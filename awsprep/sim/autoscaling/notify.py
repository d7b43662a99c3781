"""put-notification-configuration: launch and terminate events published to SNS topics.

SNS is another engineer's package; until it lands the publisher is a small Protocol that SNS plugs into with
`set_publisher` (as ELB's Lambda invoker does), and until then messages are kept in `SENT` for tests only.
The message is the JSON Auto Scaling sends (Service, Event, AutoScalingGroupName, EC2InstanceId, …).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from awsprep.sim.autoscaling.state import Group, Member

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend
    from awsprep.sim.world import World

TYPES = (
    "autoscaling:EC2_INSTANCE_LAUNCH",
    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
    "autoscaling:EC2_INSTANCE_TERMINATE",
    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
    "autoscaling:TEST_NOTIFICATION",
)


class Publisher(Protocol):
    """What SNS offers: publish a message to a topic (as the Auto Scaling service)."""

    def __call__(self, world: World, region: str, topic_arn: str, subject: str, message: str) -> None: ...


_PUBLISHER: list[Publisher] = []


def set_publisher(fn: Publisher) -> None:
    """Let an SNS package deliver Auto Scaling's notifications."""
    _PUBLISHER[:] = [fn]


def publish(world: World, region: str, topic_arn: str, subject: str, message: str) -> None:
    """Deliver one notification (dropped while no SNS package is plugged in)."""
    if _PUBLISHER:
        _PUBLISHER[0](world, region, topic_arn, subject, message)


def send(b: AsgBackend, group: Group, event: str, member: Member) -> None:
    """Notify every topic of the group that asked for this event type."""
    topics = [arn for arn, types in group.notifications.items() if event in types]
    if not topics:
        return
    act = b.find_activity(member.activity_id)
    body: dict[str, Any] = {
        "Progress": 50,
        "AccountId": b.world.account_id,
        "Description": act.description if act else "",
        "RequestId": b.uuid(),
        "EndTime": b.stamp(),
        "AutoScalingGroupARN": group.arn,
        "ActivityId": member.activity_id,
        "StartTime": b.stamp(act.start if act else None),
        "Service": "AWS Auto Scaling",
        "Time": b.stamp(),
        "EC2InstanceId": member.instance_id,
        "StatusCode": "InProgress",
        "StatusMessage": "",
        "Details": {"Subnet ID": member.subnet_id, "Availability Zone": member.az},
        "AutoScalingGroupName": group.name,
        "Cause": act.cause if act else "",
        "Event": event,
    }
    verb = "launch" if event.endswith("LAUNCH") else "termination"
    subject = f'Auto Scaling: {verb} for group "{group.name}"'
    for topic in topics:
        publish(b.world, b.region, topic, subject, json.dumps(body))
