"""The alarm half of the CloudWatch API: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric,
DescribeAlarmHistory, SetAlarmState, DeleteAlarms, EnableAlarmActions, DisableAlarmActions.

Rules from https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html: Period is
10, 20, 30 or a multiple of 60; Period × EvaluationPeriods is at most one day for periods under an hour and at
most seven days otherwise; an update keeps the alarm's state and replaces its whole configuration; EC2 actions
need a metric with an InstanceId dimension. Metric math alarms (`Metrics`) and anomaly detection are not
simulated and say so.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch import actions, evaluate, stats
from awsprep.sim.cloudwatch import params as P
from awsprep.sim.cloudwatch.errors import CW_ERRORS as E
from awsprep.sim.cloudwatch.state import Alarm, HistoryItem
from awsprep.sim.core.clock import iso_z, to_datetime

if TYPE_CHECKING:
    from awsprep.sim.cloudwatch.models import CloudWatchBackend

COMPARISONS = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}
ANOMALY = ("LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")
MISSING_MODES = ("missing", "notBreaching", "breaching", "ignore")
STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")
MAX_ACTIONS = 5
EC2_ACTIONS = ("stop", "terminate", "reboot", "recover")


def _required(p: dict[str, Any], name: str) -> Any:
    value = p.get(name)
    if value is None or value == "":
        if name == "MetricName":
            raise E("MetricNameNull")
        raise E("ValidationError", message=f"{name} must not be null")
    return value


def _actions(b: CloudWatchBackend, p: dict[str, Any], name: str, dims: dict[str, str]) -> list[str]:
    arns = [str(a) for a in p.get(name) or []]
    if len(arns) > MAX_ACTIONS:
        raise E("ValidationError", message=f"The collection {name} must not have a size greater than {MAX_ACTIONS}.")
    for arn in arns:
        parts = arn.split(":")
        if len(parts) < 6 or parts[0] != "arn" or not parts[2]:
            raise E("ValidationError", message=f"Invalid arn syntax: {arn}")
        service, region = parts[2], parts[3]
        if region != b.region:
            raise E("ValidationError", message=f"Invalid region {region} specified. Only {b.region} is supported.")
        if service == "automate":
            if parts[4] != "ec2" or parts[5] not in EC2_ACTIONS:
                raise E("ValidationError", message=f"Invalid arn syntax: {arn}")
            if "InstanceId" not in dims:
                raise E(
                    "ValidationError",
                    message="Invalid use of EC2 action. An EC2 action can only be used if the alarm is monitoring "
                    "an EC2 instance.",
                )
        elif not actions.known(arn):
            raise E("ValidationError", message=f"Invalid arn syntax: {arn}")
    return arns


def parse_alarm(b: CloudWatchBackend, p: dict[str, Any]) -> Alarm:
    """An Alarm from PutMetricAlarm's parameters, every rule checked (nothing stored)."""
    name = str(_required(p, "AlarmName"))
    if len(name) > 255:
        raise E("ValidationError", message="AlarmName must be at most 255 characters long.")
    if p.get("Metrics"):
        if p.get("Statistic") or p.get("ExtendedStatistic"):
            raise E("StatisticWithMetrics")
        raise E("ValidationError", message="awsprep does not simulate metric math alarms (Metrics) yet.")
    metric = str(_required(p, "MetricName"))
    namespace = str(_required(p, "Namespace"))
    statistic, extended = p.get("Statistic"), p.get("ExtendedStatistic")
    if bool(statistic) == bool(extended):
        raise E(
            "ValidationError",
            message="Exactly one of Statistic or ExtendedStatistic must be specified."
            if statistic
            else "Statistic or ExtendedStatistic must not be null",
        )
    if statistic and not stats.is_statistic(str(statistic)):
        raise E(
            "ValidationError",
            message=f"The value {statistic} for parameter Statistic must be a value in the set "
            f"{list(stats.STATISTICS)}.",
        )
    if extended and not stats.is_percentile(str(extended)):
        raise E("ValidationError", message=f"The value {extended} for parameter ExtendedStatistic is not supported.")
    period = P.alarm_period(p.get("Period"))
    evaluation = int(_required(p, "EvaluationPeriods"))
    if evaluation < 1:
        raise E("ValidationError", message="EvaluationPeriods must be at least 1.")
    limit = 86400 if period < 3600 else 604800
    if period * evaluation > limit:
        raise E(
            "ValidationError",
            message=f"The evaluation period (Period × EvaluationPeriods = {period * evaluation} seconds) can't be "
            f"longer than {limit} seconds" + (" for a period under one hour." if limit == 86400 else "."),
        )
    datapoints = int(p.get("DatapointsToAlarm") or evaluation)
    if datapoints > evaluation:  # the text recorded from AWS (hashicorp/terraform#24070); below 1 botocore refuses
        raise E("ValidationError", message="DatapointsToAlarm must be less than or equal to EvaluationPeriods")
    comparison = str(_required(p, "ComparisonOperator"))
    if comparison in ANOMALY:
        raise E("ValidationError", message="awsprep does not simulate anomaly detection alarms (ThresholdMetricId).")
    if comparison not in COMPARISONS:
        raise E(
            "ValidationError",
            message=f"The value {comparison} for parameter ComparisonOperator must be a value in the set "
            f"{[*COMPARISONS, *ANOMALY]}.",
        )
    threshold = P.number(_required(p, "Threshold"), "Threshold")
    missing = str(p.get("TreatMissingData") or "missing")
    if missing not in MISSING_MODES:
        raise E("ValidationError", message=f"The value {missing} for parameter TreatMissingData is not supported.")
    dims = P.dimensions(p.get("Dimensions"), "Dimensions")
    return Alarm(
        name=name,
        arn=f"arn:aws:cloudwatch:{b.region}:{b.world.account_id}:alarm:{name}",
        namespace=namespace,
        metric_name=metric,
        dimensions=dims,
        period=period,
        evaluation_periods=evaluation,
        datapoints_to_alarm=datapoints,
        comparison=comparison,
        threshold=threshold,
        statistic=str(statistic) if statistic else None,
        extended_statistic=str(extended) if extended else None,
        unit=P.unit(p.get("Unit"), "Unit"),
        description=p.get("AlarmDescription"),
        treat_missing=missing,
        actions_enabled=bool(p.get("ActionsEnabled", True)),
        alarm_actions=_actions(b, p, "AlarmActions", dims),
        ok_actions=_actions(b, p, "OKActions", dims),
        insufficient_actions=_actions(b, p, "InsufficientDataActions", dims),
        tags={str(t["Key"]): str(t["Value"]) for t in p.get("Tags") or []},
    )


def put_metric_alarm(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Create or replace an alarm (an update keeps the state)."""
    alarm = parse_alarm(b, p)
    now = b.world.now
    old = b.state.alarms.get(alarm.name)
    alarm.configured = now
    if old is None:
        alarm.state_updated = alarm.transitioned = now
        summary = f'Alarm "{alarm.name}" created'
    else:
        alarm.state, alarm.reason, alarm.reason_data = old.state, old.reason, old.reason_data
        alarm.state_updated, alarm.transitioned, alarm.last_action = (
            old.state_updated,
            old.transitioned,
            old.last_action,
        )
        alarm.tags = alarm.tags or old.tags
        summary = f'Alarm "{alarm.name}" updated'
    b.state.alarms[alarm.name] = alarm
    data = {
        "version": "1.0",
        "type": "Create" if old is None else "Update",
        "createdAlarm": describe(alarm, json_form=True),
    }
    b.state.history.append(HistoryItem(alarm.name, now, "ConfigurationUpdate", summary, json.dumps(data)))
    evaluate.ensure_evaluating(b.world, b.region, b.state)
    return {}


def describe(alarm: Alarm, json_form: bool = False) -> dict[str, Any]:
    """A MetricAlarm as DescribeAlarms returns it (ISO text timestamps for history data)."""
    stamp = iso_z if json_form else to_datetime
    out: dict[str, Any] = {
        "AlarmName": alarm.name,
        "AlarmArn": alarm.arn,
        "AlarmConfigurationUpdatedTimestamp": stamp(alarm.configured),
        "ActionsEnabled": alarm.actions_enabled,
        "OKActions": list(alarm.ok_actions),
        "AlarmActions": list(alarm.alarm_actions),
        "InsufficientDataActions": list(alarm.insufficient_actions),
        "StateValue": alarm.state,
        "StateReason": alarm.reason,
        "StateUpdatedTimestamp": stamp(alarm.state_updated),
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "Dimensions": P.dims_list(alarm.dimensions),
        "Period": alarm.period,
        "EvaluationPeriods": alarm.evaluation_periods,
        "DatapointsToAlarm": alarm.datapoints_to_alarm,
        "Threshold": alarm.threshold,
        "ComparisonOperator": alarm.comparison,
        "TreatMissingData": alarm.treat_missing,
        "StateTransitionedTimestamp": stamp(alarm.transitioned),
    }
    if alarm.description is not None:
        out["AlarmDescription"] = alarm.description
    if alarm.reason_data:
        out["StateReasonData"] = alarm.reason_data
    if alarm.statistic:
        out["Statistic"] = alarm.statistic
    if alarm.extended_statistic:
        out["ExtendedStatistic"] = alarm.extended_statistic
    if alarm.unit:
        out["Unit"] = alarm.unit
    return out


def _page(items: list[Any], p: dict[str, Any], default: int, top: int) -> tuple[list[Any], str | None]:
    size = int(p.get("MaxRecords") or default)
    if not 1 <= size <= top:
        raise E("InvalidParameterValue", message=f"The parameter MaxRecords must be between 1 and {top}.")
    start = 0
    if p.get("NextToken"):
        try:
            start = int(str(p["NextToken"]))
        except ValueError:
            raise E("InvalidNextToken") from None
    page = items[start : start + size]
    return page, (str(start + size) if start + size < len(items) else None)


def describe_alarms(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Metric alarms by names, prefix, state or action prefix, 50 a page (100 at most)."""
    names = set(p.get("AlarmNames") or [])
    prefix = p.get("AlarmNamePrefix")
    if names and prefix:
        raise E(
            "InvalidParameterCombination",
            message="The parameters AlarmNames and AlarmNamePrefix are mutually exclusive and you have specified both.",
        )
    state = p.get("StateValue")
    if state is not None and state not in STATES:
        raise E("InvalidParameterValue", message=f"The parameter StateValue must be a value in the set {list(STATES)}.")
    types = p.get("AlarmTypes") or ["MetricAlarm"]
    chosen = [
        a
        for _, a in sorted(b.state.alarms.items())
        if (not names or a.name in names)
        and (not prefix or a.name.startswith(prefix))
        and (state is None or a.state == state)
        and (
            not p.get("ActionPrefix")
            or any(x.startswith(p["ActionPrefix"]) for x in a.alarm_actions + a.ok_actions + a.insufficient_actions)
        )
    ]
    page, token = _page(chosen if "MetricAlarm" in types else [], p, 50, 100)
    out: dict[str, Any] = {"MetricAlarms": [describe(a) for a in page]}
    if "CompositeAlarm" in types:
        out["CompositeAlarms"] = []
    if token:
        out["NextToken"] = token
    return out


def describe_alarms_for_metric(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Alarms watching one metric (and period, statistic, unit when given)."""
    dims = P.dimensions(p.get("Dimensions"), "Dimensions")
    chosen = [
        a
        for _, a in sorted(b.state.alarms.items())
        if a.namespace == p["Namespace"]
        and a.metric_name == p["MetricName"]
        and (not p.get("Dimensions") or a.dimensions == dims)
        and (p.get("Statistic") is None or a.statistic == p["Statistic"])
        and (p.get("ExtendedStatistic") is None or a.extended_statistic == p["ExtendedStatistic"])
        and (p.get("Period") is None or a.period == int(p["Period"]))
        and (p.get("Unit") is None or a.unit == p["Unit"])
    ]
    return {"MetricAlarms": [describe(a) for a in chosen]}


def describe_alarm_history(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """State changes, configuration updates and actions, newest first unless ScanBy says otherwise."""
    kind = p.get("HistoryItemType")
    if kind is not None and kind not in ("ConfigurationUpdate", "StateUpdate", "Action"):
        raise E(
            "InvalidParameterValue",
            message="The parameter HistoryItemType must be a value in the set "
            "[ConfigurationUpdate, StateUpdate, Action].",
        )
    start = P.seconds(p["StartDate"], "StartDate") if p.get("StartDate") else None
    end = P.seconds(p["EndDate"], "EndDate") if p.get("EndDate") else None
    items = [
        h
        for h in b.state.history
        if (not p.get("AlarmName") or h.alarm_name == p["AlarmName"])
        and (kind is None or h.kind == kind)
        and (start is None or h.timestamp >= start)
        and (end is None or h.timestamp <= end)
    ]
    if p.get("ScanBy", "TimestampDescending") == "TimestampDescending":
        items = items[::-1]
    page, token = _page(items, p, 100, 100)
    out: dict[str, Any] = {
        "AlarmHistoryItems": [
            {
                "AlarmName": h.alarm_name,
                "AlarmType": "MetricAlarm",
                "Timestamp": to_datetime(h.timestamp),
                "HistoryItemType": h.kind,
                "HistorySummary": h.summary,
                "HistoryData": h.data,
            }
            for h in page
        ]
    }
    if token:
        out["NextToken"] = token
    return out


def set_alarm_state(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Force a state until the next evaluation (how learners test an alarm's actions)."""
    name = str(p["AlarmName"])
    alarm = b.state.alarms.get(name)
    if alarm is None:
        raise E("AlarmNotFound", name=name)
    state = str(p["StateValue"])
    if state not in STATES:
        raise E("InvalidParameterValue", message=f"The parameter StateValue must be a value in the set {list(STATES)}.")
    data = p.get("StateReasonData")
    if data:
        try:
            json.loads(str(data))
        except ValueError:
            raise E("InvalidFormat", message="The StateReasonData is not valid JSON.") from None
    evaluate.transition(b.world, b.region, b.state, alarm, state, str(p["StateReason"]), str(data or ""), None)
    return {}


def delete_alarms(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Delete alarms; if any name is unknown, nothing is deleted."""
    names = [str(n) for n in p.get("AlarmNames") or []]
    missing = [n for n in names if n not in b.state.alarms]
    if missing:
        raise E("AlarmsNotFound", names=", ".join(missing))
    for n in names:
        del b.state.alarms[n]
    return {}


def set_actions_enabled(enabled: bool) -> Any:
    """EnableAlarmActions / DisableAlarmActions."""

    def handler(b: CloudWatchBackend, p: dict[str, Any]) -> dict[str, Any]:
        for n in p.get("AlarmNames") or []:
            alarm = b.state.alarms.get(str(n))
            if alarm is not None:
                alarm.actions_enabled = enabled
        return {}

    return handler
