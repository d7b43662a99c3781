"""Where an alarm's actions go: a registry of handlers keyed by the action ARN's service (its third field).

`arn:aws:sns:…` goes to SNS, `arn:aws:autoscaling:…` to an Auto Scaling policy, `arn:aws:automate:REGION:ec2:stop`
to EC2. A service package registers its handler at import time (`register_action("autoscaling", fn,
repeat=True)`), so CloudWatch names no caller. A handler gets an `AlarmNotice` and returns nothing on success;
it raises `ActionFailed` (or `AwsError`) with the reason the alarm history records.

`repeat=True` is Auto Scaling's rule: its actions are invoked again for every period the alarm stays in the
state that triggered them, not only on the change (CloudWatch user guide, "Alarm actions").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.sim.world import World


class ActionFailed(Exception):
    """An action that could not run; the message goes to the alarm's history."""


@dataclass(frozen=True)
class AlarmNotice:
    """What an action handler is told: which alarm, which state it entered, and why."""

    action_arn: str
    alarm_name: str
    alarm_arn: str
    region: str
    state: str  # ALARM | OK | INSUFFICIENT_DATA
    previous: str
    reason: str
    reason_data: str  # StateReasonData JSON ("" for none)
    timestamp: float
    namespace: str
    metric_name: str
    dimensions: dict[str, str]
    threshold: float
    comparison: str
    value: float | None  # the most recent datapoint evaluated (None when unknown): step policies pick a step
    repeat: bool = False  # True when invoked again because the alarm stayed in the state
    message: str = ""  # the notification JSON an SNS action publishes


ActionHandler = Callable[["World", AlarmNotice], None]


@dataclass(frozen=True)
class _Entry:
    handler: ActionHandler
    repeat: bool


_HANDLERS: dict[str, _Entry] = {}


def register_action(service: str, handler: ActionHandler, repeat: bool = False) -> None:
    """Route actions whose ARN names `service` (`autoscaling`, `sns`, `automate`) to `handler`."""
    _HANDLERS[service] = _Entry(handler, repeat)


def action_service(arn: str) -> str:
    """The service field of an ARN (`arn:aws:sns:us-east-1:…` -> `sns`); "" when it is not an ARN."""
    parts = arn.split(":")
    return parts[2] if len(parts) > 3 and parts[0] == "arn" else ""


def known(arn: str) -> bool:
    """Whether some handler takes this ARN."""
    return action_service(arn) in _HANDLERS


def repeats(arn: str) -> bool:
    """Whether this ARN's handler wants to be invoked every period the alarm stays in its state."""
    entry = _HANDLERS.get(action_service(arn))
    return entry is not None and entry.repeat


def dispatch(world: World, notice: AlarmNotice) -> str | None:
    """Run one action; returns None on success, else the reason it failed (for the alarm history)."""
    from awsprep.sim.core.errors import AwsError

    entry = _HANDLERS.get(action_service(notice.action_arn))
    if entry is None:
        return f"awsprep does not simulate the target of {notice.action_arn}"
    try:
        entry.handler(world, notice)
    except ActionFailed as err:
        return str(err)
    except AwsError as err:
        return f"{err.code}: {err.message}"
    return None
