"""State objects as the dicts Auto Scaling returns (botocore output shapes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.autoscaling import group_metrics
from awsprep.sim.autoscaling import refresh as refreshes
from awsprep.sim.autoscaling.state import (
    Activity,
    Group,
    Hook,
    LaunchConfiguration,
    Member,
    Policy,
    Refresh,
    Scheduled,
)
from awsprep.sim.core.clock import to_datetime

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend


def _launch(m: Member) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if m.launch_template:
        out["LaunchTemplate"] = dict(m.launch_template)
    elif m.launch_config:
        out["LaunchConfigurationName"] = m.launch_config
    return out


def member(m: Member) -> dict[str, Any]:
    """An Instance of DescribeAutoScalingGroups."""
    return {
        "InstanceId": m.instance_id,
        "InstanceType": m.instance_type,
        "AvailabilityZone": m.az,
        "LifecycleState": m.lifecycle,
        "HealthStatus": m.health,
        **_launch(m),
        "ProtectedFromScaleIn": m.protected,
    }


def instance_details(g: Group, m: Member) -> dict[str, Any]:
    """An AutoScalingInstanceDetails (HealthStatus in capitals, as AWS writes it there)."""
    return {
        "InstanceId": m.instance_id,
        "InstanceType": m.instance_type,
        "AutoScalingGroupName": g.name,
        "AvailabilityZone": m.az,
        "LifecycleState": m.lifecycle,
        "HealthStatus": m.health.upper(),
        **_launch(m),
        "ProtectedFromScaleIn": m.protected,
    }


def group(b: AsgBackend, g: Group) -> dict[str, Any]:
    """An AutoScalingGroup."""
    out: dict[str, Any] = {"AutoScalingGroupName": g.name, "AutoScalingGroupARN": g.arn}
    if g.launch_template:
        out["LaunchTemplate"] = dict(g.launch_template)
    elif g.launch_config:
        out["LaunchConfigurationName"] = g.launch_config
    out.update(
        {
            "MinSize": g.min_size,
            "MaxSize": g.max_size,
            "DesiredCapacity": g.desired,
            "DefaultCooldown": g.default_cooldown,
            "AvailabilityZones": list(g.azs),
            "LoadBalancerNames": [],
            "TargetGroupARNs": list(g.target_groups),
            "HealthCheckType": g.health_check_type,
            "HealthCheckGracePeriod": g.grace,
            "Instances": [member(m) for m in sorted(g.members.values(), key=lambda m: m.instance_id)],
            "CreatedTime": to_datetime(g.created),
            "SuspendedProcesses": [
                {"ProcessName": p, "SuspensionReason": "User suspended at " + b.stamp(g.created)} for p in g.suspended
            ],
            "VPCZoneIdentifier": ",".join(g.subnets),
            "EnabledMetrics": group_metrics.enabled(g),
            "Tags": [dict(t) for t in g.tags],
            "TerminationPolicies": list(g.termination_policies),
            "NewInstancesProtectedFromScaleIn": g.new_protected,
            "ServiceLinkedRoleARN": f"arn:aws:iam::{b.world.account_id}:role/aws-service-role/"
            "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
            "CapacityRebalance": g.capacity_rebalance,
            "TrafficSources": [{"Identifier": t, "Type": "elbv2"} for t in g.target_groups],
        }
    )
    if g.default_warmup is not None:
        out["DefaultInstanceWarmup"] = g.default_warmup
    if g.max_lifetime:
        out["MaxInstanceLifetime"] = g.max_lifetime
    if g.deleting:
        out["Status"] = "Delete in progress"
    return out


def activity(b: AsgBackend, a: Activity) -> dict[str, Any]:
    """An Activity."""
    g = b.state.groups.get(a.group)
    out: dict[str, Any] = {
        "ActivityId": a.activity_id,
        "AutoScalingGroupName": a.group,
        "Description": a.description,
        "Cause": a.cause,
        "StartTime": to_datetime(a.start),
        "StatusCode": a.status,
        "Progress": a.progress,
        "Details": _details(a.details),
    }
    if a.end is not None:
        out["EndTime"] = to_datetime(a.end)
    if a.message:
        out["StatusMessage"] = a.message
    if g is not None:
        out["AutoScalingGroupARN"] = g.arn
    return out


def _details(d: dict[str, str]) -> str:
    import json

    return json.dumps(d, separators=(",", ":"))


def policy(g: Group, p: Policy) -> dict[str, Any]:
    """A ScalingPolicy."""
    out: dict[str, Any] = {
        "AutoScalingGroupName": g.name,
        "PolicyName": p.name,
        "PolicyARN": p.arn,
        "PolicyType": p.policy_type,
    }
    if p.adjustment_type:
        out["AdjustmentType"] = p.adjustment_type
    if p.min_adjustment_magnitude is not None:
        out["MinAdjustmentMagnitude"] = p.min_adjustment_magnitude
    if p.scaling_adjustment is not None:
        out["ScalingAdjustment"] = p.scaling_adjustment
    if p.cooldown is not None:
        out["Cooldown"] = p.cooldown
    if p.steps:
        out["StepAdjustments"] = [dict(s) for s in p.steps]
    if p.aggregation:
        out["MetricAggregationType"] = p.aggregation
    if p.warmup is not None:
        out["EstimatedInstanceWarmup"] = p.warmup
    if p.target is not None:
        out["TargetTrackingConfiguration"] = dict(p.target)
    out["Alarms"] = [dict(a) for a in p.alarms]
    out["Enabled"] = p.enabled
    return out


def hook(g: Group, h: Hook) -> dict[str, Any]:
    """A LifecycleHook."""
    out: dict[str, Any] = {
        "LifecycleHookName": h.name,
        "AutoScalingGroupName": g.name,
        "LifecycleTransition": h.transition,
        "HeartbeatTimeout": h.heartbeat,
        "GlobalTimeout": min(48 * 3600, 100 * h.heartbeat),
        "DefaultResult": h.default_result,
    }
    if h.target_arn:
        out["NotificationTargetARN"] = h.target_arn
    if h.role_arn:
        out["RoleARN"] = h.role_arn
    if h.metadata:
        out["NotificationMetadata"] = h.metadata
    return out


def scheduled(g: Group, s: Scheduled) -> dict[str, Any]:
    """A ScheduledUpdateGroupAction."""
    out: dict[str, Any] = {"AutoScalingGroupName": g.name, "ScheduledActionName": s.name, "ScheduledActionARN": s.arn}
    when = s.next_run if s.next_run is not None else s.start
    if when is not None:
        out["Time"] = to_datetime(when)
        out["StartTime"] = to_datetime(when)
    if s.end is not None:
        out["EndTime"] = to_datetime(s.end)
    if s.recurrence:
        out["Recurrence"] = s.recurrence
    for key, value in (("MinSize", s.min_size), ("MaxSize", s.max_size), ("DesiredCapacity", s.desired)):
        if value is not None:
            out[key] = value
    if s.time_zone:
        out["TimeZone"] = s.time_zone
    return out


def refresh(g: Group, r: Refresh) -> dict[str, Any]:
    """An InstanceRefresh."""
    out: dict[str, Any] = {
        "InstanceRefreshId": r.refresh_id,
        "AutoScalingGroupName": g.name,
        "Status": r.status,
        "StartTime": to_datetime(r.started),
        "PercentageComplete": refreshes.percentage(r),
        "InstancesToUpdate": len(r.to_replace) + len(r.batch),
        "Preferences": dict(r.preferences),
    }
    if r.reason:
        out["StatusReason"] = r.reason
    if r.ended is not None:
        out["EndTime"] = to_datetime(r.ended)
    if r.desired_configuration:
        out["DesiredConfiguration"] = r.desired_configuration
    return out


def launch_config(lc: LaunchConfiguration) -> dict[str, Any]:
    """A LaunchConfiguration."""
    data = lc.data
    out: dict[str, Any] = {
        "LaunchConfigurationName": lc.name,
        "LaunchConfigurationARN": lc.arn,
        "ImageId": data.get("ImageId", ""),
        "KeyName": data.get("KeyName", ""),
        "SecurityGroups": list(data.get("SecurityGroups") or data.get("SecurityGroupIds") or []),
        "UserData": data.get("UserData", ""),
        "InstanceType": data.get("InstanceType", ""),
        "BlockDeviceMappings": list(data.get("BlockDeviceMappings") or []),
        "InstanceMonitoring": {"Enabled": True},
        "CreatedTime": to_datetime(lc.created),
        "EbsOptimized": bool(data.get("EbsOptimized", False)),
    }
    if data.get("AssociatePublicIpAddress") is not None:
        out["AssociatePublicIpAddress"] = bool(data["AssociatePublicIpAddress"])
    return out
