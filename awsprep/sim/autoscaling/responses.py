"""Auto Scaling API operations: botocore parameters in, backend call, response dict out (`OPERATIONS`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.autoscaling import group_metrics, groups, ops, policies, refresh, render, scheduled
from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.notify import TYPES as NOTIFICATION_TYPES
from awsprep.sim.autoscaling.state import Group, Scheduled
from awsprep.sim.autoscaling.termination import POLICIES as TERMINATION_POLICIES
from awsprep.sim.core.describe import Paging, paginate

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

Handler = Callable[["AsgBackend", dict[str, Any]], dict[str, Any]]

PAGING = Paging(
    1,
    100,
    lambda v, lo, hi: E("Validation", message=f"MaxRecords must be between {lo} and {hi}."),
    lambda t: E("Validation", message="The NextToken provided is invalid."),
)
PROCESSES = (
    "Launch",
    "Terminate",
    "HealthCheck",
    "ReplaceUnhealthy",
    "AZRebalance",
    "AlarmNotification",
    "ScheduledActions",
    "AddToLoadBalancer",
    "InstanceRefresh",
)


def _page(items: list[Any], p: dict[str, Any], key: str, salt: str) -> dict[str, Any]:
    page, token = paginate(items, p.get("MaxRecords"), p.get("NextToken"), PAGING, salt)
    out: dict[str, Any] = {key: page}
    if token:
        out["NextToken"] = token
    return out


def _g(b: AsgBackend, p: dict[str, Any]) -> Group:
    return b.group(p.get("AutoScalingGroupName"))


def _empty(fn: Callable[[AsgBackend, dict[str, Any]], object]) -> Handler:
    def run(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
        fn(b, p)
        return {}

    return run


def _describe_groups(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    found = list(b.state.groups.values())
    if p.get("AutoScalingGroupNames"):
        found = [g for n in p["AutoScalingGroupNames"] if (g := b.find_group(n)) is not None]
    for f in p.get("Filters") or []:
        name, values = f.get("Name", ""), f.get("Values") or []
        if name.startswith("tag:"):
            key = name[4:]
            found = [g for g in found if any(t["Key"] == key and t["Value"] in values for t in g.tags)]
        elif name == "tag-key":
            found = [g for g in found if any(t["Key"] in values for t in g.tags)]
        elif name == "tag-value":
            found = [g for g in found if any(t["Value"] in values for t in g.tags)]
        else:
            raise E("Validation", message=f"Filter name {name} is not valid.")
    return _page([render.group(b, g) for g in found], p, "AutoScalingGroups", "groups")


def _describe_instances(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    rows = []
    wanted = p.get("InstanceIds")
    for g in b.state.groups.values():
        for m in sorted(g.members.values(), key=lambda m: m.instance_id):
            if not wanted or m.instance_id in wanted:
                rows.append(render.instance_details(g, m))
    return _page(rows, p, "AutoScalingInstances", "instances")


def _describe_activities(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    acts = b.state.activities
    if p.get("AutoScalingGroupName"):
        name = p["AutoScalingGroupName"]
        acts = [a for a in acts if a.group == name]
    if p.get("ActivityIds"):
        acts = [a for a in acts if a.activity_id in p["ActivityIds"]]
    return _page([render.activity(b, a) for a in acts], p, "Activities", "activities")


def _set_desired(b: AsgBackend, p: dict[str, Any]) -> None:
    ops.set_desired(b, _g(b, p), int(p["DesiredCapacity"]), bool(p.get("HonorCooldown", False)))


def _terminate(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    act = ops.terminate_instance(b, p["InstanceId"], bool(p["ShouldDecrementDesiredCapacity"]))
    return {"Activity": render.activity(b, act)}


def _attach_tgs(b: AsgBackend, p: dict[str, Any], arns: list[str]) -> dict[str, Any]:
    g = _g(b, p)
    groups.check_target_groups(b, arns)
    from awsprep.sim import elbv2
    from awsprep.sim.core.account import AUTOSCALING_ROLE

    for arn in arns:
        if arn not in g.target_groups:
            g.target_groups.append(arn)
            ids = [m.instance_id for m in g.members.values() if m.lifecycle == "InService"]
            if ids:
                elbv2.register(b.world, b.region, arn, ids, AUTOSCALING_ROLE)
    return {}


def _detach_tgs(b: AsgBackend, p: dict[str, Any], arns: list[str]) -> dict[str, Any]:
    g = _g(b, p)
    from awsprep.sim import elbv2
    from awsprep.sim.core.account import AUTOSCALING_ROLE
    from awsprep.sim.core.errors import AwsError

    for arn in arns:
        if arn in g.target_groups:
            g.target_groups.remove(arn)
            ids = [m.instance_id for m in g.members.values() if m.lifecycle == "InService"]
            for iid in ids:
                with contextlib.suppress(AwsError):
                    elbv2.deregister(b.world, b.region, arn, [iid], AUTOSCALING_ROLE)
    return {}


def _tg_states(b: AsgBackend, g: Group, arn: str) -> str:
    return "InService" if g.members else "Added"


def _describe_tgs(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    g = _g(b, p)
    rows = [{"LoadBalancerTargetGroupARN": a, "State": _tg_states(b, g, a)} for a in g.target_groups]
    return _page(rows, p, "LoadBalancerTargetGroups", "tgs")


def _describe_traffic(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    g = _g(b, p)
    rows = [
        {"TrafficSource": a, "State": _tg_states(b, g, a), "Identifier": a, "Type": "elbv2"} for a in g.target_groups
    ]
    return _page(rows, p, "TrafficSources", "traffic")


def _sources(p: dict[str, Any]) -> list[str]:
    return [t["Identifier"] for t in p.get("TrafficSources") or []]


def _put_policy(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    policy = policies.put(b, _g(b, p), p)
    out: dict[str, Any] = {"PolicyARN": policy.arn}
    if policy.alarms:
        out["Alarms"] = [dict(a) for a in policy.alarms]
    return out


def _find_policy(b: AsgBackend, p: dict[str, Any]) -> tuple[Group, Any]:
    name = p["PolicyName"]
    if name.startswith("arn:"):
        for g in b.state.groups.values():
            for pol in g.policies.values():
                if pol.arn == name:
                    return g, pol
        raise E("PolicyNotFoundArn", arn=name)
    g = _g(b, p)
    if name not in g.policies:
        raise E("PolicyNotFound", name=name, group=g.name)
    return g, g.policies[name]


def _describe_policies(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    gs = [_g(b, p)] if p.get("AutoScalingGroupName") else list(b.state.groups.values())
    names = p.get("PolicyNames")
    types = p.get("PolicyTypes")
    rows = [
        render.policy(g, pol)
        for g in gs
        for pol in g.policies.values()
        if (not names or pol.name in names or pol.arn in names) and (not types or pol.policy_type in types)
    ]
    return _page(rows, p, "ScalingPolicies", "policies")


def _delete_policy(b: AsgBackend, p: dict[str, Any]) -> None:
    g, pol = _find_policy(b, p)
    from awsprep.sim.autoscaling import alarms

    alarms.drop(b, g, pol)
    del g.policies[pol.name]


def _execute_policy(b: AsgBackend, p: dict[str, Any]) -> None:
    g, pol = _find_policy(b, p)
    if pol.policy_type == "SimpleScaling" and p.get("HonorCooldown") and policies.busy(b, g, pol):
        raise E("Cooldown", name=g.name)
    cause = f"a user request executed policy {pol.name}"
    policies.trigger(
        b,
        g,
        pol,
        cause,
        p.get("MetricValue"),
        p.get("BreachThreshold"),
        honor_cooldown=bool(p.get("HonorCooldown", False)),
    )


def _ts(value: Any) -> float | None:
    """A timestamp parameter: a datetime (boto3), epoch seconds or ISO 8601 text (the CLI)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        from datetime import UTC, datetime

        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise E("Validation", message=f"Invalid timestamp: {value}") from None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()
    return float(value.timestamp())


def _put_scheduled(b: AsgBackend, g: Group, p: dict[str, Any]) -> None:
    name = p["ScheduledActionName"]
    start_ts = _ts(p.get("StartTime") or p.get("Time"))
    end_ts = _ts(p.get("EndTime"))
    recurrence = p.get("Recurrence")
    if start_ts is None and not recurrence:
        raise E("Validation", message="Either StartTime or Recurrence must be specified.")
    if start_ts is not None and not recurrence and start_ts < b.now:
        raise E("Validation", message="Given start time is in the past")
    if all(p.get(k) is None for k in ("MinSize", "MaxSize", "DesiredCapacity")):
        raise E("Validation", message="At least one of MinSize, MaxSize and DesiredCapacity must be specified.")
    if recurrence:
        try:
            scheduled.parse_cron(recurrence)
        except ValueError:
            raise E("Validation", message=f"Given recurrence string is invalid: {recurrence}") from None
    scheduled.zone(p.get("TimeZone"))
    old = g.scheduled.get(name)
    arn = (
        old.arn
        if old
        else b.arn(f"scheduledUpdateGroupAction:{b.uuid()}:autoScalingGroupName/{g.name}:scheduledActionName/{name}")
    )
    action = Scheduled(
        name,
        arn,
        start_ts,
        end_ts,
        recurrence,
        p.get("TimeZone"),
        p.get("MinSize"),
        p.get("MaxSize"),
        p.get("DesiredCapacity"),
    )
    scheduled.plan_next(action, b.now)
    g.scheduled[name] = action
    b.ensure_ticking()


def _describe_scheduled(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    gs = [_g(b, p)] if p.get("AutoScalingGroupName") else list(b.state.groups.values())
    names = p.get("ScheduledActionNames")
    rows = [render.scheduled(g, s) for g in gs for s in g.scheduled.values() if not names or s.name in names]
    return _page(rows, p, "ScheduledUpdateGroupActions", "scheduled")


def _delete_scheduled(b: AsgBackend, p: dict[str, Any]) -> None:
    g = _g(b, p)
    if g.scheduled.pop(p["ScheduledActionName"], None) is None:
        raise E("ScheduledNotFound", name=p["ScheduledActionName"])


def _hooks(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    g = _g(b, p)
    names = p.get("LifecycleHookNames")
    return {"LifecycleHooks": [render.hook(g, h) for h in g.hooks.values() if not names or h.name in names]}


def _delete_hook(b: AsgBackend, p: dict[str, Any]) -> None:
    g = _g(b, p)
    if g.hooks.pop(p["LifecycleHookName"], None) is None:
        raise E("HookNotFound", hook=p["LifecycleHookName"], group=g.name)


def _suspend(b: AsgBackend, p: dict[str, Any], on: bool) -> None:
    g = _g(b, p)
    names = p.get("ScalingProcesses") or list(PROCESSES)
    for n in names:
        if n not in PROCESSES:
            raise E("Validation", message=f"Process {n} is not a valid scaling process.")
        if on and n not in g.suspended:
            g.suspended.append(n)
        if not on and n in g.suspended:
            g.suspended.remove(n)
    b.queue(g)


def _tags(b: AsgBackend, p: dict[str, Any], delete: bool) -> None:
    for t in p["Tags"]:
        g = b.group(t.get("ResourceId"))
        g.tags = [x for x in g.tags if x["Key"] != t["Key"]]
        if not delete:
            g.tags.append(
                {
                    "ResourceId": g.name,
                    "ResourceType": "auto-scaling-group",
                    "Key": t["Key"],
                    "Value": t.get("Value", ""),
                    "PropagateAtLaunch": bool(t.get("PropagateAtLaunch", False)),
                }
            )


def _describe_tags(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    rows = [dict(t) for g in b.state.groups.values() for t in g.tags]
    for f in p.get("Filters") or []:
        field = {
            "auto-scaling-group": "ResourceId",
            "key": "Key",
            "value": "Value",
            "propagate-at-launch": "PropagateAtLaunch",
        }.get(f.get("Name", ""))
        if field is None:
            raise E("Validation", message=f"Filter name {f.get('Name')} is not valid.")
        rows = [r for r in rows if str(r[field]).lower() in [str(v).lower() for v in f.get("Values") or []]]
    return _page(rows, p, "Tags", "tags")


def _put_notification(b: AsgBackend, p: dict[str, Any]) -> None:
    g = _g(b, p)
    for t in p["NotificationTypes"]:
        if t not in NOTIFICATION_TYPES:
            raise E("Validation", message=f"Invalid notification type: {t}")
    g.notifications[p["TopicARN"]] = list(p["NotificationTypes"])


def _describe_notifications(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    names = p.get("AutoScalingGroupNames")
    gs = [b.group(n) for n in names] if names else list(b.state.groups.values())
    rows = [
        {"AutoScalingGroupName": g.name, "TopicARN": topic, "NotificationType": t}
        for g in gs
        for topic, types in g.notifications.items()
        for t in types
    ]
    return _page(rows, p, "NotificationConfigurations", "notifications")


def _delete_notification(b: AsgBackend, p: dict[str, Any]) -> None:
    g = _g(b, p)
    if g.notifications.pop(p["TopicARN"], None) is None:
        raise E("Validation", message=f"Notification configuration for topic {p['TopicARN']} not found.")


def _describe_lcs(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    names = p.get("LaunchConfigurationNames")
    lcs = [lc for lc in b.state.launch_configs.values() if not names or lc.name in names]
    return _page([render.launch_config(lc) for lc in lcs], p, "LaunchConfigurations", "lcs")


def _delete_lc(b: AsgBackend, p: dict[str, Any]) -> None:
    name = p["LaunchConfigurationName"]
    if name not in b.state.launch_configs:
        raise E("LaunchConfigNotFound", name=name)
    user = next((g for g in b.state.groups.values() if g.launch_config == name), None)
    if user is not None:
        raise E("LaunchConfigInUse", name=name, group=user.name)
    del b.state.launch_configs[name]


def _start_refresh(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    return {"InstanceRefreshId": refresh.start(b, _g(b, p), p).refresh_id}


def _describe_refreshes(b: AsgBackend, p: dict[str, Any]) -> dict[str, Any]:
    g = _g(b, p)
    ids = p.get("InstanceRefreshIds")
    rows = [render.refresh(g, r) for r in g.refreshes if not ids or r.refresh_id in ids]
    return _page(rows, p, "InstanceRefreshes", "refreshes")


def _activities(b: AsgBackend, acts: list[Any]) -> dict[str, Any]:
    return {"Activities": [render.activity(b, a) for a in acts]}


OPERATIONS: dict[str, Handler] = {
    "CreateAutoScalingGroup": _empty(groups.create),
    "UpdateAutoScalingGroup": _empty(groups.update),
    "DeleteAutoScalingGroup": _empty(groups.delete),
    "DescribeAutoScalingGroups": _describe_groups,
    "DescribeAutoScalingInstances": _describe_instances,
    "DescribeScalingActivities": _describe_activities,
    "SetDesiredCapacity": _empty(_set_desired),
    "TerminateInstanceInAutoScalingGroup": _terminate,
    "SetInstanceHealth": _empty(
        lambda b, p: ops.set_health(b, p["InstanceId"], p["HealthStatus"], p.get("ShouldRespectGracePeriod", True))
    ),
    "SetInstanceProtection": _empty(
        lambda b, p: ops.set_protection(b, _g(b, p), p["InstanceIds"], bool(p["ProtectedFromScaleIn"]))
    ),
    "AttachInstances": _empty(lambda b, p: ops.attach_instances(b, _g(b, p), p.get("InstanceIds") or [])),
    "DetachInstances": lambda b, p: _activities(
        b, ops.detach_instances(b, _g(b, p), p.get("InstanceIds") or [], bool(p["ShouldDecrementDesiredCapacity"]))
    ),
    "EnterStandby": lambda b, p: _activities(
        b, ops.enter_standby(b, _g(b, p), p.get("InstanceIds") or [], bool(p["ShouldDecrementDesiredCapacity"]))
    ),
    "ExitStandby": lambda b, p: _activities(b, ops.exit_standby(b, _g(b, p), p.get("InstanceIds") or [])),
    "AttachLoadBalancerTargetGroups": lambda b, p: _attach_tgs(b, p, p["TargetGroupARNs"]),
    "DetachLoadBalancerTargetGroups": lambda b, p: _detach_tgs(b, p, p["TargetGroupARNs"]),
    "DescribeLoadBalancerTargetGroups": _describe_tgs,
    "AttachTrafficSources": lambda b, p: _attach_tgs(b, p, _sources(p)),
    "DetachTrafficSources": lambda b, p: _detach_tgs(b, p, _sources(p)),
    "DescribeTrafficSources": _describe_traffic,
    "DescribeLoadBalancers": lambda b, p: {"LoadBalancers": []} if _g(b, p) else {},
    "PutScalingPolicy": _put_policy,
    "DescribePolicies": _describe_policies,
    "DeletePolicy": _empty(_delete_policy),
    "ExecutePolicy": _empty(_execute_policy),
    "PutScheduledUpdateGroupAction": _empty(lambda b, p: _put_scheduled(b, _g(b, p), p)),
    "DescribeScheduledActions": _describe_scheduled,
    "DeleteScheduledAction": _empty(_delete_scheduled),
    "PutLifecycleHook": _empty(lambda b, p: ops.put_hook(b, _g(b, p), p)),
    "DescribeLifecycleHooks": _hooks,
    "DeleteLifecycleHook": _empty(_delete_hook),
    "DescribeLifecycleHookTypes": lambda b, p: {
        "LifecycleHookTypes": ["autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING"]
    },
    "CompleteLifecycleAction": _empty(lambda b, p: ops.complete_action(b, _g(b, p), p)),
    "RecordLifecycleActionHeartbeat": _empty(lambda b, p: ops.heartbeat(b, _g(b, p), p)),
    "SuspendProcesses": _empty(lambda b, p: _suspend(b, p, True)),
    "ResumeProcesses": _empty(lambda b, p: _suspend(b, p, False)),
    "DescribeScalingProcessTypes": lambda b, p: {"Processes": [{"ProcessName": n} for n in PROCESSES]},
    "DescribeTerminationPolicyTypes": lambda b, p: {"TerminationPolicyTypes": list(TERMINATION_POLICIES)},
    "DescribeAdjustmentTypes": lambda b, p: {"AdjustmentTypes": [{"AdjustmentType": t} for t in policies.ADJUSTMENTS]},
    "CreateOrUpdateTags": _empty(lambda b, p: _tags(b, p, False)),
    "DeleteTags": _empty(lambda b, p: _tags(b, p, True)),
    "DescribeTags": _describe_tags,
    "PutNotificationConfiguration": _empty(_put_notification),
    "DescribeNotificationConfigurations": _describe_notifications,
    "DeleteNotificationConfiguration": _empty(_delete_notification),
    "DescribeAutoScalingNotificationTypes": lambda b, p: {"AutoScalingNotificationTypes": list(NOTIFICATION_TYPES)},
    "CreateLaunchConfiguration": _empty(ops.create_launch_config),
    "DescribeLaunchConfigurations": _describe_lcs,
    "DeleteLaunchConfiguration": _empty(_delete_lc),
    "StartInstanceRefresh": _start_refresh,
    "DescribeInstanceRefreshes": _describe_refreshes,
    "CancelInstanceRefresh": lambda b, p: {"InstanceRefreshId": refresh.cancel(b, _g(b, p)).refresh_id},
    "EnableMetricsCollection": _empty(group_metrics.enable),
    "DisableMetricsCollection": _empty(group_metrics.disable),
    "DescribeMetricCollectionTypes": group_metrics.describe_types,
    "DescribeAccountLimits": lambda b, p: {
        "MaxNumberOfAutoScalingGroups": groups.GROUP_LIMIT,
        "MaxNumberOfLaunchConfigurations": ops.LAUNCH_CONFIG_LIMIT,
        "NumberOfAutoScalingGroups": len(b.state.groups),
        "NumberOfLaunchConfigurations": len(b.state.launch_configs),
    },
}
