"""Auto Scaling group metrics (ec2-auto-scaling-metrics.html): off until `enable-metrics-collection`, then
published to CloudWatch every minute in namespace AWS/AutoScaling with the dimension AutoScalingGroupName, at
the only granularity there is, 1Minute. EnableMetricsCollection without Metrics enables every metric;
DisableMetricsCollection without Metrics disables every one. The *Capacity metrics count instances here (no
instance weights: awsprep has no mixed instances groups); warm pool metrics are listed but never published (no
warm pools). The sandbox's `chart cpu --asg` draws GroupDesiredCapacity beside the group's CPU when it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.state import Group

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

GRANULARITY = "1Minute"
NAMESPACE = "AWS/AutoScaling"
GROUP_METRICS = (
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupInServiceCapacity",
    "GroupPendingInstances",
    "GroupPendingCapacity",
    "GroupStandbyInstances",
    "GroupStandbyCapacity",
    "GroupTerminatingInstances",
    "GroupTerminatingCapacity",
    "GroupTotalInstances",
    "GroupTotalCapacity",
    "GroupAndWarmPoolDesiredCapacity",
    "GroupAndWarmPoolTotalCapacity",
)
WARM_POOL_METRICS = (
    "WarmPoolMinSize",
    "WarmPoolDesiredCapacity",
    "WarmPoolPendingCapacity",
    "WarmPoolTerminatingCapacity",
    "WarmPoolWarmedCapacity",
    "WarmPoolTotalCapacity",
)
METRICS = GROUP_METRICS + WARM_POOL_METRICS


def _names(p: dict[str, Any]) -> list[str]:
    names = list(p.get("Metrics") or METRICS)
    for name in names:
        if name not in METRICS:
            raise E("Validation", message=f"Invalid metric name: {name}. Valid metrics are {', '.join(METRICS)}.")
    return names


def enable(b: AsgBackend, p: dict[str, Any]) -> None:
    """EnableMetricsCollection."""
    group = b.group(p.get("AutoScalingGroupName"))
    if p.get("Granularity") != GRANULARITY:
        raise E("Validation", message=f"Invalid granularity: {p.get('Granularity')}. The only valid value is 1Minute.")
    for name in _names(p):
        if name not in group.enabled_metrics:
            group.enabled_metrics.append(name)
    b.ensure_ticking()


def disable(b: AsgBackend, p: dict[str, Any]) -> None:
    """DisableMetricsCollection."""
    group = b.group(p.get("AutoScalingGroupName"))
    gone = set(_names(p))
    group.enabled_metrics = [m for m in group.enabled_metrics if m not in gone]


def describe_types(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DescribeMetricCollectionTypes."""
    return {"Metrics": [{"Metric": m} for m in METRICS], "Granularities": [{"Granularity": GRANULARITY}]}


def enabled(group: Group) -> list[dict[str, str]]:
    """The group's EnabledMetrics, as DescribeAutoScalingGroups shows them."""
    return [{"Metric": m, "Granularity": GRANULARITY} for m in group.enabled_metrics]


def _values(group: Group) -> dict[str, float]:
    states = [m.lifecycle for m in group.members.values()]
    in_service = states.count("InService")
    pending = sum(1 for s in states if s.startswith("Pending"))
    standby = sum(1 for s in states if s in ("Standby", "EnteringStandby"))
    terminating = sum(1 for s in states if s.startswith("Terminating"))
    total = in_service + pending + terminating  # in service, pending and terminating (the metrics page)
    return {
        "GroupMinSize": group.min_size,
        "GroupMaxSize": group.max_size,
        "GroupDesiredCapacity": group.desired,
        "GroupInServiceInstances": in_service,
        "GroupInServiceCapacity": in_service,
        "GroupPendingInstances": pending,
        "GroupPendingCapacity": pending,
        "GroupStandbyInstances": standby,
        "GroupStandbyCapacity": standby,
        "GroupTerminatingInstances": terminating,
        "GroupTerminatingCapacity": terminating,
        "GroupTotalInstances": total,
        "GroupTotalCapacity": total,
        "GroupAndWarmPoolDesiredCapacity": group.desired,
        "GroupAndWarmPoolTotalCapacity": total,
    }


def publish(b: AsgBackend, group: Group) -> None:
    """The minute's datapoints of the metrics the group has enabled (none unless collection is on)."""
    if not group.enabled_metrics:
        return
    values = _values(group)
    dims = {"AutoScalingGroupName": group.name}
    for name in group.enabled_metrics:
        if name in values:
            b.world.put_metric(NAMESPACE, name, dims, float(values[name]), "None")
