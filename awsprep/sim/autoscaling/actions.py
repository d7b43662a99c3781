"""CloudWatch alarm actions that name a scaling policy (`arn:aws:autoscaling:…:scalingPolicy:…`).

Registered with CloudWatch's action registry (`register_action("autoscaling", …, repeat=True)`): AWS keeps
invoking Auto Scaling actions every period while the alarm stays in ALARM, and the policy decides (a simple
policy ignores them during its activity and cooldown; a step policy picks the step from the breach, the alarm's
value minus its threshold). Target tracking decides from its own alarms every minute (`alarms.evaluate`), so
its notices need nothing here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.sim.autoscaling import policies

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.api import AlarmNotice
    from awsprep.sim.world import World


def on_alarm(world: World, notice: AlarmNotice) -> None:
    """Run the policy an alarm names."""
    from awsprep.sim.autoscaling.models import backend
    from awsprep.sim.cloudwatch.api import ActionFailed

    b = backend(world, notice.region)
    found = next(
        ((g, p) for g in b.state.groups.values() for p in g.policies.values() if p.arn == notice.action_arn), None
    )
    if found is None:
        raise ActionFailed(f"The scaling policy {notice.action_arn} does not exist.")
    group, policy = found
    if notice.state != "ALARM" or policy.policy_type == "TargetTrackingScaling" or not policy.enabled:
        return
    if "AlarmNotification" in group.suspended or group.deleting:
        return
    if policy.policy_type == "StepScaling" and notice.value is None:
        return  # no datapoint to place in a step (a set-alarm-state without reason data)
    cause = f"a monitor alarm {notice.alarm_name} in state ALARM triggered policy {policy.name}"
    policies.trigger(b, group, policy, cause, notice.value, notice.threshold, honor_cooldown=True)


def register() -> None:
    """Plug the handler into CloudWatch (called when the package is imported)."""
    from awsprep.sim.cloudwatch.api import register_action

    register_action("autoscaling", on_alarm, repeat=True)
