"""What alarm actions send and do: the SNS notification an alarm publishes, and EC2 actions.

The notification body is the JSON CloudWatch sends to a topic (AlarmName, NewStateValue, NewStateReason,
StateChangeTime, Region, Trigger, …; https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html),
its subject `ALARM: "name" in US East (N. Virginia)`. SNS is reached through its package's typed
`sns.publish(world, topic_arn, message, subject)` (engineer msg's API) when that package exists; until then the
action fails and the alarm history says why. EC2 actions (`arn:aws:automate:REGION:ec2:stop|terminate|reboot|
recover`) act on the alarm's InstanceId through EC2's typed backend.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import TYPE_CHECKING, Any, Protocol

from awsprep.sim.cloudwatch.actions import ActionFailed, AlarmNotice, register_action
from awsprep.sim.core.clock import iso_z

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.state import Alarm
    from awsprep.sim.world import World

REGION_NAMES = {
    "us-east-1": "US East (N. Virginia)",
    "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)",
    "us-west-2": "US West (Oregon)",
    "ca-central-1": "Canada (Central)",
    "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)",
    "eu-west-3": "EU (Paris)",
    "eu-central-1": "EU (Frankfurt)",
    "eu-north-1": "EU (Stockholm)",
    "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)",
    "sa-east-1": "South America (Sao Paulo)",
}


class SnsPublish(Protocol):
    """The typed SNS publish CloudWatch needs (`sns.publish`, engineer msg's package)."""

    def __call__(self, world: World, topic_arn: str, message: str, subject: str | None = None) -> Any: ...


def _stamp(ts: float) -> str:
    return iso_z(ts).replace("Z", "+0000")


def subject(alarm_name: str, state: str, region: str) -> str:
    """`ALARM: "cpu-high" in US East (N. Virginia)` (SNS subjects are at most 100 characters)."""
    return f'{state}: "{alarm_name}" in {REGION_NAMES.get(region, region)}'[:100]


def message(world: World, region: str, alarm: Alarm, old: str) -> str:
    """The notification JSON for the alarm's current state."""
    trigger: dict[str, Any] = {
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "StatisticType": "ExtendedStatistic" if alarm.extended_statistic else "Statistic",
        "Statistic": (alarm.statistic or "").upper() if alarm.statistic else None,
        "Unit": alarm.unit,
        "Dimensions": [{"value": v, "name": k} for k, v in alarm.dimensions.items()],
        "Period": alarm.period,
        "EvaluationPeriods": alarm.evaluation_periods,
        "DatapointsToAlarm": alarm.datapoints_to_alarm,
        "ComparisonOperator": alarm.comparison,
        "Threshold": alarm.threshold,
        "TreatMissingData": alarm.treat_missing,
        "EvaluateLowSampleCountPercentile": "",
    }
    if alarm.extended_statistic:
        trigger["ExtendedStatistic"] = alarm.extended_statistic
        del trigger["Statistic"]
    body = {
        "AlarmName": alarm.name,
        "AlarmDescription": alarm.description,
        "AWSAccountId": world.account_id,
        "AlarmConfigurationUpdatedTimestamp": _stamp(alarm.configured),
        "NewStateValue": alarm.state,
        "NewStateReason": alarm.reason,
        "StateChangeTime": _stamp(alarm.state_updated),
        "Region": REGION_NAMES.get(region, region),
        "AlarmArn": alarm.arn,
        "OldStateValue": old,
        "OKActions": list(alarm.ok_actions),
        "AlarmActions": list(alarm.alarm_actions),
        "InsufficientDataActions": list(alarm.insufficient_actions),
        "Trigger": trigger,
    }
    return json.dumps(body)


_override: list[SnsPublish] = []  # at most one: a publisher plugged in by tests


def set_sns_publisher(fn: SnsPublish | None) -> None:
    """Plug an SNS publisher in (tests; None goes back to the sns package's own)."""
    _override[:] = [fn] if fn is not None else []


def _publisher() -> SnsPublish | None:
    if _override:
        return _override[0]
    if importlib.util.find_spec("awsprep.sim.sns") is None:
        return None
    found = getattr(importlib.import_module("awsprep.sim.sns"), "publish", None)
    return found if callable(found) else None


def _sns(world: World, notice: AlarmNotice) -> None:
    publish = _publisher()
    if publish is None:
        raise ActionFailed("awsprep does not simulate Amazon SNS yet: the notification was not sent")
    publish(world, notice.action_arn, notice.message, subject=subject(notice.alarm_name, notice.state, notice.region))


def _ec2(world: World, notice: AlarmNotice) -> None:
    from awsprep.sim import ec2

    parts = notice.action_arn.split(":")
    region, verb = parts[3], parts[5]
    iid = notice.dimensions.get("InstanceId")
    if iid is None:
        raise ActionFailed("An EC2 action needs a metric with an InstanceId dimension")
    b = ec2.backend(world, region)
    inst = b.state.instances.get(iid)
    if inst is None:
        raise ActionFailed(f"The instance ID '{iid}' does not exist")
    if verb == "stop":
        b.stop_instances([iid])
    elif verb == "terminate":
        b.terminate_instances([iid])
    elif verb in ("reboot", "recover"):  # recovery moves the instance to new hardware: same id, addresses, data
        if inst.state != "running":
            raise ActionFailed(f"The instance {iid} is not running")
        b.reboot_instances([iid])


register_action("sns", _sns)
register_action("automate", _ec2)
