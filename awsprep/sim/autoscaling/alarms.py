"""The two CloudWatch alarms a target tracking policy creates and owns, and their evaluation.

AWS (as-scaling-target-tracking.html): the policy creates an AlarmHigh (metric above the target for 3 of 3
one-minute datapoints) and an AlarmLow (below the scale-in threshold, 90 % of the target here, for 15 of 15)
and users must not edit them; this is why target tracking scales out fast and in slowly.

CloudWatch itself is another engineer's package. Until its alarm registry is on main these alarms are evaluated
here, every minute, from the same data CloudWatch would read: the group's average CPU over instances that are
InService and past their warmup (warming instances are left out of the aggregated metric), the target group's
RequestCountPerTarget, or the customized metric from the world's metric store. An instance with detailed
monitoring counts with its last minute; one with basic monitoring with its newest 5-minute datapoint, which is
up to 5 minutes old and averages the minutes before a change (why AWS recommends 1-minute metrics).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from awsprep.sim import ec2
from awsprep.sim.autoscaling.state import Group, Policy
from awsprep.sim.core.metrics import statistics
from awsprep.sim.ec2.metrics import average_load, detailed

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

HIGH_POINTS = 3
LOW_POINTS = 15
LOW_RATIO = 0.9


def alarm_names(b: AsgBackend, group: Group) -> tuple[str, str]:
    """`TargetTracking-GROUP-AlarmHigh-UUID` and `…-AlarmLow-UUID`, as AWS names them."""
    return (f"TargetTracking-{group.name}-AlarmHigh-{b.uuid()}", f"TargetTracking-{group.name}-AlarmLow-{b.uuid()}")


def create(b: AsgBackend, group: Group, policy: Policy) -> None:
    """Create the policy's two alarms (replacing any it had)."""
    high, low = alarm_names(b, group)
    acct, region = b.world.account_id, b.region
    policy.alarms = [{"AlarmName": n, "AlarmARN": f"arn:aws:cloudwatch:{region}:{acct}:alarm:{n}"} for n in (high, low)]
    policy.alarm_states = {high: "INSUFFICIENT_DATA", low: "INSUFFICIENT_DATA"}
    policy.history = []
    _mirror(b, group, policy, high, low)


def _mirror(b: AsgBackend, group: Group, policy: Policy, high: str, low: str) -> None:
    """Put the two alarms in CloudWatch too, so describe-alarms lists them (every predefined metric and a
    customized one). Their actions name the policy."""
    from awsprep.sim.cloudwatch import api as cw

    conf = policy.target or {}
    kind = (conf.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    custom = conf.get("CustomizedMetricSpecification") or {}
    if kind in ("ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut"):
        metric = {
            "Namespace": "AWS/EC2",
            "MetricName": "CPUUtilization" if kind == "ASGAverageCPUUtilization" else kind.removeprefix("ASGAverage"),
            "Statistic": "Average",
            "Dimensions": [{"Name": "AutoScalingGroupName", "Value": group.name}],
        }
    elif kind == "ALBRequestCountPerTarget":
        label = (conf.get("PredefinedMetricSpecification") or {}).get("ResourceLabel", "")
        metric = {
            "Namespace": "AWS/ApplicationELB",
            "MetricName": "RequestCountPerTarget",
            "Statistic": "Sum",
            "Dimensions": [{"Name": "TargetGroup", "Value": "targetgroup/" + label.split("/targetgroup/", 1)[-1]}],
        }
    elif custom.get("MetricName"):
        metric = {
            "Namespace": custom.get("Namespace", ""),
            "MetricName": custom["MetricName"],
            "Statistic": custom.get("Statistic", "Average"),
            "Dimensions": list(custom.get("Dimensions") or []),
        }
    else:
        return
    target = float(conf.get("TargetValue", 0.0))
    for name, points, threshold, op in (
        (high, HIGH_POINTS, target, "GreaterThanThreshold"),
        (low, LOW_POINTS, target * LOW_RATIO, "LessThanThreshold"),
    ):
        cw.put_alarm(
            b.world,
            b.region,
            {
                "AlarmName": name,
                **metric,
                "Period": 60,
                "EvaluationPeriods": points,
                "DatapointsToAlarm": points,
                "Threshold": threshold,
                "ComparisonOperator": op,
                "AlarmActions": [policy.arn],
                "AlarmDescription": f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {policy.arn}.",
            },
        )


def drop(b: AsgBackend, group: Group, policy: Policy) -> None:
    """Delete a policy's alarms (with the policy)."""
    from awsprep.sim.cloudwatch import api as cw

    cw.delete_alarms(b.world, b.region, [a["AlarmName"] for a in policy.alarms])
    policy.alarms = []
    policy.alarm_states = {}


def drop_group(b: AsgBackend, group: Group) -> None:
    """Delete every alarm the group's policies own (with the group)."""
    for policy in group.policies.values():
        drop(b, group, policy)


def metric_value(b: AsgBackend, group: Group, policy: Policy) -> tuple[float | None, int | None]:
    """The last minute's value of the policy's metric (None: missing data), and for the group's CPU how many
    instances it was measured on (None: the metric is not per instance)."""
    conf = policy.target or {}
    predefined = (conf.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    now = b.now
    if predefined == "ASGAverageCPUUtilization":
        loads: list[float] = []
        refreshed = False
        for m in group.members.values():
            if m.lifecycle == "InService" and m.warm_until <= now:
                inst = ec2.instance(b.world, b.region, m.instance_id)
                if inst is None or inst.state != "running":
                    continue
                if detailed(inst, now):
                    loads.append(average_load(inst, now - 60, now))  # its datapoint of the last minute
                    continue
                if not refreshed:
                    from awsprep.sim.cloudwatch.sources import refresh

                    refresh(b.world, b.region, "AWS/EC2")  # EC2's datapoints are derived when read
                    refreshed = True
                stale = _last_basic(b, inst.instance_id)
                if stale is not None:
                    loads.append(stale)
        return (sum(loads) / len(loads) if loads else None), len(loads)
    if predefined == "ALBRequestCountPerTarget":
        label = (conf.get("PredefinedMetricSpecification") or {}).get("ResourceLabel", "")
        tg = label.split("/targetgroup/", 1)[-1]
        dims = {"TargetGroup": f"targetgroup/{tg}"}
        # ELB publishes a minute's counts when the minute ends, on a timer that runs after this one at the same
        # instant, so the newest minute it has published may be the one before the last.
        return _stat(b, "AWS/ApplicationELB", "RequestCountPerTarget", dims, "Sum", minutes=2), None
    if predefined in ("ASGAverageNetworkIn", "ASGAverageNetworkOut"):
        name = predefined.removeprefix("ASGAverage")
        return _stat(b, "AWS/EC2", name, {"AutoScalingGroupName": group.name}, "Average"), None
    custom = conf.get("CustomizedMetricSpecification") or {}
    if custom.get("MetricName"):
        dims = {d["Name"]: d["Value"] for d in custom.get("Dimensions") or []}
        stat = custom.get("Statistic", "Average")
        return _stat(b, custom.get("Namespace", ""), custom["MetricName"], dims, stat), None
    return None, None


def _last_basic(b: AsgBackend, instance_id: str) -> float | None:
    """A basic-monitoring instance's newest CPUUtilization datapoint: the average of the last 5-minute window that
    has ended (None before its first one). The policy acts on that stale figure, as AWS says scaling on 5-minute
    EC2 metrics does (as-scaling-target-tracking.html: slower response, stale metric data), instead of on a
    last-minute load CloudWatch never received."""
    now = b.now - (b.now % 60)
    points = statistics(
        b.world.metrics, "AWS/EC2", "CPUUtilization", {"InstanceId": instance_id}, now - 600, now, 60, ["Average"]
    )
    return points[-1].values["Average"] if points else None


def _stat(b: AsgBackend, namespace: str, name: str, dims: dict[str, str], stat: str, minutes: int = 1) -> float | None:
    """The newest one-minute datapoint within the last `minutes` whole minutes (None: missing)."""
    from awsprep.sim.cloudwatch.sources import refresh

    refresh(b.world, b.region, namespace)  # EC2's NetworkIn/Out are derived when read, like CloudWatch reads them
    end = b.now - (b.now % 60)
    points = statistics(b.world.metrics, namespace, name, dims, end - 60 * minutes, end, 60, [stat])
    return points[-1].values[stat] if points else None


def _state(history: list[float | None], points: int, breach: object) -> str:
    recent = history[-points:]
    if len(recent) < points or all(v is None for v in recent):
        return "INSUFFICIENT_DATA" if all(v is None for v in recent) else "OK"
    present = [v for v in recent if v is not None]
    return "ALARM" if len(present) == points and all(breach(v) for v in present) else "OK"  # type: ignore[operator]


def evaluate(b: AsgBackend, group: Group) -> None:
    """The minute's evaluation of every target tracking policy of a group, then one decision for all of them:
    scale out if any policy asks for it, in only if every policy with scale-in enabled does."""
    tracking = [p for p in group.policies.values() if p.policy_type == "TargetTrackingScaling" and p.enabled]
    if not tracking or "AlarmNotification" in group.suspended:
        return
    outs: list[tuple[int, Policy, str]] = []
    ins: list[tuple[int, Policy, str]] = []
    vetoed = False
    for policy in tracking:
        value, counted = metric_value(b, group, policy)
        policy.history = [*policy.history, value][-LOW_POINTS:]
        target = float((policy.target or {}).get("TargetValue", 0.0))
        high, low = policy.alarms[0]["AlarmName"], policy.alarms[1]["AlarmName"]
        policy.alarm_states[high] = _state(policy.history, HIGH_POINTS, lambda v, t=target: v > t)
        policy.alarm_states[low] = _state(policy.history, LOW_POINTS, lambda v, t=target: v < t * LOW_RATIO)
        wanted = proportional(b, group, value, target, counted)
        if policy.alarm_states[high] == "ALARM" and wanted is not None and wanted > group.desired:
            outs.append((wanted, policy, high))
        scale_in_off = bool((policy.target or {}).get("DisableScaleIn"))
        if policy.alarm_states[low] == "ALARM" and not scale_in_off and wanted is not None and wanted < group.desired:
            ins.append((wanted, policy, low))
        elif not scale_in_off:
            vetoed = True
    if outs:
        wanted, policy, alarm = max(outs, key=lambda o: o[0])
        apply(b, group, policy, alarm, wanted)
    elif ins and not vetoed and not _warming(b, group) and all(b.now >= p.busy_until for _, p, _ in ins):
        wanted, policy, alarm = max(ins, key=lambda o: o[0])
        apply(b, group, policy, alarm, wanted)
        for _, p, _ in ins:
            # Scale in gradually: the next step in waits for another full run of low datapoints.
            p.busy_until = b.now + LOW_POINTS * 60


def proportional(
    b: AsgBackend, group: Group, value: float | None, target: float, counted: int | None = None
) -> int | None:
    """The capacity that brings the metric to the target: the instances the metric was measured on, scaled
    by metric / target, rounded up (so scale-out adds enough and scale-in never removes too much). For the
    group's CPU these are the instances that had a datapoint (`counted`): a basic-monitoring instance past its
    warmup has none until its first 5-minute window ends, and counting it would double a scale-out."""
    if value is None or target <= 0:
        return None
    measured = [m for m in group.members.values() if m.lifecycle == "InService" and m.warm_until <= b.now]
    base = counted or len(measured) or group.desired
    # Warming instances are not in the metric but are in the desired capacity already, so a breach measured
    # on the others adds nothing more until it asks for more than the group has (no double scale-out).
    wanted = math.ceil(base * value / target - 1e-9)
    if value > target:
        wanted = max(wanted, base + 1)
    return max(group.min_size, min(group.max_size, wanted))


def _warming(b: AsgBackend, group: Group) -> bool:
    """While a scale-out is warming up, policy-driven scale-in waits."""
    return any(
        m.lifecycle in ("Pending", "Pending:Wait", "Pending:Proceed") or m.warm_until > b.now
        for m in group.members.values()
    )


def apply(b: AsgBackend, group: Group, policy: Policy, alarm: str, wanted: int) -> None:
    """An alarm in ALARM triggered a policy: change the desired capacity, with AWS's Cause."""
    cause = f"a monitor alarm {alarm} in state ALARM triggered policy {policy.name}"
    b.desired_change(group, cause, wanted)
