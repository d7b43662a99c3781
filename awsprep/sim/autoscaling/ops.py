"""Operations on a group's instances: desired capacity, terminate, attach and detach, standby, scale-in
protection, health, lifecycle hooks and their actions, and launch configurations."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2, elbv2
from awsprep.sim.autoscaling import health, lifecycle
from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.lifecycle import ACTIVE
from awsprep.sim.autoscaling.state import Group, Hook, LaunchConfiguration, Member
from awsprep.sim.core.account import AUTOSCALING_ROLE
from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend
    from awsprep.sim.autoscaling.state import Activity
    from awsprep.sim.ec2.state import Instance

HOOK_LIMIT = 50
LAUNCH_CONFIG_LIMIT = 200


def set_desired(b: AsgBackend, group: Group, desired: int, honor_cooldown: bool) -> None:
    """SetDesiredCapacity (ignores the cooldown unless asked to honour it)."""
    if desired > group.max_size:
        raise E("DesiredAboveMax", desired=desired, max=group.max_size)
    if desired < group.min_size:
        raise E("DesiredBelowMin", desired=desired, min=group.min_size)
    if honor_cooldown and b.now < group.cooldown_until:
        raise E("Cooldown", name=group.name)
    b.desired_change(group, "a user request explicitly set group desired capacity", desired)


def terminate_instance(b: AsgBackend, instance_id: str, decrement: bool) -> Activity:
    """TerminateInstanceInAutoScalingGroup: with decrement no replacement is launched."""
    found = b.member(instance_id)
    if found is None:
        raise E("InstanceNotInGroup", iid=instance_id)
    group, member = found
    if decrement and group.desired <= group.min_size:
        raise E("DecrementBelowMin", min=group.min_size)
    if decrement:
        old = group.desired
        group.desired -= 1
        cause = (
            f"At {b.stamp()} instance {instance_id} was taken out of service in response to a user request, "
            f"shrinking the capacity from {old} to {group.desired}."
        )
    else:
        cause = f"At {b.stamp()} instance {instance_id} was taken out of service in response to a user request."
    lifecycle.start_terminate(b, group, member, cause, after="decrement" if decrement else "replace")
    act = b.find_activity(member.activity_id)
    assert act is not None
    b.queue(group)
    return act


def attach_instances(b: AsgBackend, group: Group, ids: list[str]) -> None:
    """AttachInstances: running instances in one of the group's zones join InService (no hooks); desired grows."""
    active = sum(1 for m in group.members.values() if m.lifecycle in ACTIVE)
    if group.desired + len(ids) > group.max_size:
        raise E("AttachAboveMax", count=len(ids), max=group.max_size)
    insts: list[Instance] = []
    for iid in ids:
        inst = ec2.instance(b.world, b.region, iid)
        if inst is None:
            raise E("InstanceNotFound", iid=iid)
        if inst.state != "running":
            raise E("InstanceNotRunning", iid=iid)
        other = b.member(iid)
        if other is not None:
            raise E("InstanceInOtherGroup", iid=iid)
        if inst.az not in group.azs:
            raise E(
                "Validation", message=f"Instance {iid} is in Availability Zone {inst.az}, which the group does not use."
            )
        insts.append(inst)
    old = group.desired
    group.desired += len(ids)
    for inst in insts:
        cause = (
            f"At {b.stamp()} an instance was added in response to user request. Keeping the capacity at the new "
            f"desired capacity {group.desired}."
        )
        if not active:
            cause = f"At {b.stamp()} a user request attached an instance, changing the desired capacity from {old} to "
            cause += f"{group.desired}."

        act = b.activity(group, f"Attaching an existing EC2 instance: {inst.instance_id}", cause)
        member = Member(
            inst.instance_id,
            inst.az,
            inst.subnet_id,
            inst.instance_type,
            "Pending",
            b.now,
            launch_template=dict(inst.launch_template) if inst.launch_template else None,
            image_id=inst.image_id,
            protected=group.new_protected,
            activity_id=act.activity_id,
        )
        group.members[inst.instance_id] = member
        b.state.member_index[inst.instance_id] = group.name
        # The aws: prefix is reserved for AWS, so the tag is AWS's own write, not a CreateTags call.
        inst.tags["aws:autoscaling:groupName"] = group.name
        lifecycle.go_in_service(b, group, member)


def detach_instances(b: AsgBackend, group: Group, ids: list[str], decrement: bool) -> list[Activity]:
    """DetachInstances: deregistered (and drained), then out of the group, still running."""
    members = [b.member_of(group, iid) for iid in ids]
    if decrement and group.desired - len(ids) < group.min_size:
        raise E("DetachBelowMin", count=len(ids))
    out = []
    old = group.desired
    if decrement:
        group.desired -= len(ids)
    for m in members:
        if decrement:
            cause = (
                f"At {b.stamp()} an instance was detached in response to a user request, shrinking the "
                f"capacity from {old} to {group.desired}."
            )
        else:
            cause = f"At {b.stamp()} an instance was detached in response to a user request."
        lifecycle.start_terminate(b, group, m, cause, after="detach", hooks=False)
        act = b.find_activity(m.activity_id)
        assert act is not None
        out.append(act)
    b.queue(group)
    return out


def enter_standby(b: AsgBackend, group: Group, ids: list[str], decrement: bool) -> list[Activity]:
    """EnterStandby: out of the load balancers, not health-checked, still running."""
    members = [b.member_of(group, iid) for iid in ids]
    for m in members:
        if m.lifecycle != "InService":
            raise E("InstanceState", iid=m.instance_id, state="InService")
    if decrement and group.desired - len(ids) < group.min_size:
        raise E(
            "Validation",
            message="Decrementing the desired capacity would violate the group's min size "
            f"constraint ({group.min_size}).",
        )
    old = group.desired
    if decrement:
        group.desired -= len(ids)
    out = []
    for m in members:
        tail = f", shrinking the capacity from {old} to {group.desired}." if decrement else "."
        cause = f"At {b.stamp()} instance {m.instance_id} was moved to standby in response to a user request{tail}"
        act = b.activity(group, f"Moving EC2 instance to Standby: {m.instance_id}", cause)
        m.lifecycle = "EnteringStandby"
        for tg in group.target_groups:
            with contextlib.suppress(AwsError):
                elbv2.deregister(b.world, b.region, tg, [m.instance_id], AUTOSCALING_ROLE)
        m.lifecycle = "Standby"
        b.finish(act.activity_id)
        out.append(act)
    b.queue(group)
    return out


def exit_standby(b: AsgBackend, group: Group, ids: list[str]) -> list[Activity]:
    """ExitStandby: back to InService (registered again); desired grows by one each."""
    members = [b.member_of(group, iid) for iid in ids]
    for m in members:
        if m.lifecycle != "Standby":
            raise E("InstanceState", iid=m.instance_id, state="Standby")
    if group.desired + len(ids) > group.max_size:
        raise E("Validation", message=f"Exiting standby would make the group exceed its max size of {group.max_size}.")
    old = group.desired
    group.desired += len(ids)
    out = []
    for m in members:
        cause = (
            f"At {b.stamp()} instance {m.instance_id} was removed from standby in response to a user "
            f"request, increasing the capacity from {old} to {group.desired}."
        )
        act = b.activity(group, f"Moving EC2 instance out of Standby: {m.instance_id}", cause)
        m.activity_id = act.activity_id
        m.lifecycle = "Pending"
        lifecycle.go_in_service(b, group, m)
        out.append(act)
    return out


def set_protection(b: AsgBackend, group: Group, ids: list[str], protected: bool) -> None:
    """SetInstanceProtection."""
    for m in [b.member_of(group, iid) for iid in ids]:
        m.protected = protected
    b.queue(group)


def set_health(b: AsgBackend, instance_id: str, status: str, respect_grace: bool) -> None:
    """SetInstanceHealth: Unhealthy is replaced (after the grace period unless told not to respect it)."""
    found = b.member(instance_id)
    if found is None:
        raise E("InstanceNotInGroup", iid=instance_id)
    group, member = found
    if status not in ("Healthy", "Unhealthy"):
        raise E("Validation", message=f"Invalid health status: {status}. Valid values are Healthy and Unhealthy.")
    if status == "Healthy":
        member.health = "Healthy"
        return
    health.mark_unhealthy(b, group, member, health.USER_CAUSE, respect_grace=respect_grace)


# ----- lifecycle hooks ---------------------------------------------------------------------------------------
def put_hook(b: AsgBackend, group: Group, p: dict[str, Any]) -> Hook:
    """PutLifecycleHook (create or update)."""
    name = p["LifecycleHookName"]
    old = group.hooks.get(name)
    if old is None and len(group.hooks) >= HOOK_LIMIT:
        raise E("LimitHooks", limit=HOOK_LIMIT, name=group.name)
    transition = p.get("LifecycleTransition") or (old.transition if old else None)
    if transition not in (lifecycle.LAUNCHING, lifecycle.TERMINATING):
        raise E(
            "Validation",
            message="Invalid value for LifecycleTransition. Valid values are "
            f"{lifecycle.LAUNCHING} and {lifecycle.TERMINATING}.",
        )
    heartbeat = int(p.get("HeartbeatTimeout") or (old.heartbeat if old else 3600))
    if not 30 <= heartbeat <= 7200:
        raise E("Validation", message="Heartbeat timeout must be between 30 and 7200 seconds.")
    result = p.get("DefaultResult") or (old.default_result if old else "ABANDON")
    if result not in ("CONTINUE", "ABANDON"):
        raise E("Validation", message="Valid values for DefaultResult are CONTINUE and ABANDON.")
    hook = Hook(
        name,
        transition,
        heartbeat,
        result,
        p.get("NotificationTargetARN"),
        p.get("RoleARN"),
        p.get("NotificationMetadata"),
    )
    group.hooks[name] = hook
    return hook


def waiting(b: AsgBackend, group: Group, hook_name: str, instance_id: str | None, token: str | None) -> Member:
    """The instance waiting at a hook (by instance id or action token)."""
    if hook_name not in group.hooks:
        raise E("HookNotFound", hook=hook_name, group=group.name)
    for m in group.members.values():
        at_hook = m.lifecycle in ("Pending:Wait", "Terminating:Wait") and m.hook == hook_name
        if at_hook and ((instance_id and m.instance_id == instance_id) or (token and m.hook_token == token)):
            return m
    if token and not instance_id:
        raise E("NoLifecycleActionToken", token=token)
    raise E("NoLifecycleAction", iid=instance_id)


def complete_action(b: AsgBackend, group: Group, p: dict[str, Any]) -> None:
    """CompleteLifecycleAction."""
    result = p["LifecycleActionResult"]
    if result not in ("CONTINUE", "ABANDON"):
        raise E("Validation", message="Valid values for LifecycleActionResult are CONTINUE and ABANDON.")
    member = waiting(b, group, p["LifecycleHookName"], p.get("InstanceId"), p.get("LifecycleActionToken"))
    lifecycle.complete(b, group, member, result)


def heartbeat(b: AsgBackend, group: Group, p: dict[str, Any]) -> None:
    """RecordLifecycleActionHeartbeat: the heartbeat timeout starts again (up to the global timeout)."""
    member = waiting(b, group, p["LifecycleHookName"], p.get("InstanceId"), p.get("LifecycleActionToken"))
    hook = group.hooks[member.hook]
    member.hook_deadline = min(b.now + hook.heartbeat, member.hook_global_deadline)
    b.world.schedule(member.hook_deadline - b.now, "autoscaling", b.region, "hook", member.instance_id)


# ----- launch configurations ---------------------------------------------------------------------------------
LC_KEYS = (
    "ImageId",
    "InstanceType",
    "KeyName",
    "SecurityGroups",
    "UserData",
    "IamInstanceProfile",
    "BlockDeviceMappings",
    "EbsOptimized",
    "AssociatePublicIpAddress",
    "MetadataOptions",
)


def create_launch_config(b: AsgBackend, p: dict[str, Any]) -> LaunchConfiguration:
    """CreateLaunchConfiguration (from parameters, or from a running instance)."""
    name = p["LaunchConfigurationName"]
    if name in b.state.launch_configs:
        raise E("LaunchConfigExists", name=name)
    if len(b.state.launch_configs) >= LAUNCH_CONFIG_LIMIT:
        raise E("LimitLaunchConfigs", limit=LAUNCH_CONFIG_LIMIT)
    data = {k: p[k] for k in LC_KEYS if p.get(k) is not None}
    if p.get("InstanceId"):
        inst = ec2.instance(b.world, b.region, p["InstanceId"])
        if inst is None:
            raise E("InstanceNotFound", iid=p["InstanceId"])
        data = {**_instance_data(inst), **data}
    if "ImageId" not in data or "InstanceType" not in data:
        raise E("Validation", message="ImageId and InstanceType are required for a launch configuration.")
    ec2.backend(b.world, b.region).image(data["ImageId"])  # an unknown AMI fails now, as on AWS
    lc = LaunchConfiguration(name, b.arn(f"launchConfiguration:{b.uuid()}:launchConfigurationName/{name}"), b.now, data)
    b.state.launch_configs[name] = lc
    return lc


def _instance_data(inst: Instance) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ImageId": inst.image_id,
        "InstanceType": inst.instance_type,
        "SecurityGroupIds": list(inst.security_group_ids),
    }
    if inst.key_name:
        out["KeyName"] = inst.key_name
    if inst.user_data_b64:
        out["UserData"] = inst.user_data_b64
    return out


def launch_config_from_instance(b: AsgBackend, name: str, inst: Instance) -> str:
    """A group created from an instance gets a launch configuration named after the group."""
    lc = LaunchConfiguration(
        name, b.arn(f"launchConfiguration:{b.uuid()}:launchConfigurationName/{name}"), b.now, _instance_data(inst)
    )
    b.state.launch_configs[name] = lc
    return name


def lc_run_params(lc: LaunchConfiguration) -> dict[str, Any]:
    """A launch configuration as RunInstances parameters."""
    data = dict(lc.data)
    if "SecurityGroups" in data:
        groups = data.pop("SecurityGroups")
        ids = [g for g in groups if g.startswith("sg-")]
        names = [g for g in groups if not g.startswith("sg-")]
        if ids:
            data["SecurityGroupIds"] = ids
        if names:
            data["SecurityGroups"] = names
    public = data.pop("AssociatePublicIpAddress", None)
    if public is not None:
        data["NetworkInterfaces"] = [
            {"DeviceIndex": 0, "AssociatePublicIpAddress": bool(public), "Groups": data.pop("SecurityGroupIds", [])}
        ]
    return data
