"""An instance's way through a group: launch, lifecycle hooks, InService (registered with the target groups),
and termination (deregistered and drained first, then the terminate hook, then EC2 TerminateInstances).

States as AWS names them (ec2-auto-scaling-lifecycle.html): Pending → Pending:Wait → Pending:Proceed →
InService → Terminating → Terminating:Wait → Terminating:Proceed → Terminated; Detaching → Detached;
EnteringStandby → Standby. Each launch or termination is one scaling activity, InProgress until it ends.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2, elbv2
from awsprep.sim.autoscaling import notify
from awsprep.sim.autoscaling.state import Group, Member
from awsprep.sim.core.account import AUTOSCALING_ROLE
from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING"
TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING"
HOOK_GLOBAL_MAX = 48 * 3600  # min(48 h, 100 × heartbeat) (lifecycle-hooks.html)
DRAIN_CHECK = 5.0
ACTIVE = ("Pending", "Pending:Wait", "Pending:Proceed", "InService")
LEAVING = ("Terminating", "Terminating:Wait", "Terminating:Proceed", "Detaching")


def launch_source(b: AsgBackend, group: Group, lt_override: dict[str, str] | None = None) -> ec2.LaunchRequest:
    """The launch as EC2 should run it: the group's template (its version resolved now, at this launch) or its
    launch configuration's parameters."""
    lt = lt_override or group.launch_template
    tags = [{"Key": t["Key"], "Value": t.get("Value", "")} for t in group.tags if t.get("PropagateAtLaunch", True)]
    overrides: dict[str, Any] = {"TagSpecifications": [{"ResourceType": "instance", "Tags": tags}]} if tags else {}
    if lt:
        return ec2.LaunchRequest(
            template_id=lt.get("LaunchTemplateId"),
            template_name=None if lt.get("LaunchTemplateId") else lt.get("LaunchTemplateName"),
            version=lt.get("Version") or "$Default",
            overrides=overrides,
        )
    from awsprep.sim.autoscaling.ops import lc_run_params

    lc = b.state.launch_configs.get(group.launch_config or "")
    if lc is None:
        raise AwsError("ValidationError", f"Launch configuration name not found - {group.launch_config}")
    return ec2.LaunchRequest(overrides={**lc_run_params(lc), **overrides})


def launch_one(b: AsgBackend, group: Group, subnet_id: str, cause: str, lt: dict[str, str] | None = None) -> Member:
    """Launch one instance into a subnet (raises AwsError with EC2's reason when EC2 refuses)."""
    request = launch_source(b, group, lt)
    request.overrides["SubnetId"] = subnet_id
    _, instances = ec2.launch(b.world, b.region, request, AUTOSCALING_ROLE)
    inst = instances[0]
    # The aws: prefix is reserved to AWS: Auto Scaling writes this tag itself, not through TagSpecifications.
    inst.tags["aws:autoscaling:groupName"] = group.name
    member = Member(
        instance_id=inst.instance_id,
        az=inst.az,
        subnet_id=inst.subnet_id,
        instance_type=inst.instance_type,
        lifecycle="Pending",
        launched_at=b.now,
        launch_template=dict(inst.launch_template) if inst.launch_template and group.launch_template else None,
        launch_config=None if group.launch_template or lt else group.launch_config,
        image_id=inst.image_id,
        protected=group.new_protected,
    )
    if lt and inst.launch_template:
        member.launch_template = dict(inst.launch_template)
    act = b.activity(
        group,
        f"Launching a new EC2 instance: {inst.instance_id}",
        cause,
        details={"Subnet ID": inst.subnet_id, "Availability Zone": inst.az},
    )
    act.progress = 20
    member.activity_id = act.activity_id
    group.members[inst.instance_id] = member
    b.state.member_index[inst.instance_id] = group.name
    return member


def reached_running(b: AsgBackend, group: Group, member: Member) -> None:
    """EC2 says the instance runs: wait at a launch hook, or go in service."""
    hook = next((h for h in group.hooks.values() if h.transition == LAUNCHING), None)
    if hook is not None:
        wait_at_hook(b, group, member, hook.name, "Pending:Wait")
        return
    go_in_service(b, group, member)


def go_in_service(b: AsgBackend, group: Group, member: Member) -> None:
    """InService: registered with every attached target group; its launch activity ends."""
    member.lifecycle = "InService"
    member.in_service_at = b.now
    member.warm_until = b.now + warmup_of(group)
    member.hook = ""
    for tg in group.target_groups:
        # A deleted target group or a denied role: the instance serves without it, as on AWS.
        with contextlib.suppress(AwsError):
            elbv2.register(b.world, b.region, tg, [member.instance_id], AUTOSCALING_ROLE)
    b.finish(member.activity_id)
    group.cooldown_until = max(group.cooldown_until, b.now + group.default_cooldown)
    notify.send(b, group, "autoscaling:EC2_INSTANCE_LAUNCH", member)
    from awsprep.sim.autoscaling import refresh

    refresh.on_in_service(b, group, member)
    if group.rebalancing:
        b.queue(group)  # the zone rebalancing's launch is in service: now terminate in the fullest zone


def warmup_of(group: Group) -> int:
    """The instance warmup new instances get (ec2-auto-scaling-default-instance-warmup.html): the group's
    DefaultInstanceWarmup; without it, the longest EstimatedInstanceWarmup of its step and target tracking
    policies, else their fallback, the group's DefaultCooldown; a group without such policies has none."""
    if group.default_warmup is not None:
        return group.default_warmup
    scaling = [p for p in group.policies.values() if p.policy_type in ("StepScaling", "TargetTrackingScaling")]
    if not scaling:
        return 0
    given = [p.warmup for p in scaling if p.warmup is not None]
    return max(given) if given else group.default_cooldown


def wait_at_hook(b: AsgBackend, group: Group, member: Member, hook_name: str, state: str) -> None:
    """Pause at a lifecycle hook until it is completed or its heartbeat runs out."""
    hook = group.hooks[hook_name]
    member.lifecycle = state
    member.hook = hook_name
    member.hook_token = b.uuid()
    member.hook_result = ""
    member.hook_deadline = b.now + hook.heartbeat
    member.hook_global_deadline = b.now + min(HOOK_GLOBAL_MAX, 100 * hook.heartbeat)
    act = b.find_activity(member.activity_id)
    if act is not None:
        act.status = "PreInService" if state == "Pending:Wait" else "MidLifecycleAction"
        act.progress = 30 if state == "Pending:Wait" else 50
    b.world.schedule(hook.heartbeat, "autoscaling", b.region, "hook", member.instance_id)


def hook_timer(b: AsgBackend, instance_id: str) -> None:
    """A heartbeat ran out: the hook's default result applies (or the global timeout was reached)."""
    found = b.member(instance_id)
    if found is None:
        return
    group, member = found
    if member.lifecycle not in ("Pending:Wait", "Terminating:Wait"):
        return
    deadline = min(member.hook_deadline, member.hook_global_deadline)
    if b.now + 1e-6 < deadline:
        return  # a heartbeat pushed it back; a later timer decides
    hook = group.hooks.get(member.hook)
    complete(b, group, member, hook.default_result if hook else "CONTINUE")


def complete(b: AsgBackend, group: Group, member: Member, result: str) -> None:
    """CompleteLifecycleAction (or a timeout): Proceed, then go on or (ABANDON on launch) terminate."""
    if member.lifecycle == "Pending:Wait":
        member.lifecycle = "Pending:Proceed"
        member.hook = ""
        if result == "ABANDON":
            b.finish(
                member.activity_id,
                "Cancelled",
                "Instance failed to complete user's Lifecycle Action: "
                "Lifecycle Action with token "
                f"{member.hook_token} was abandoned: Lifecycle Action Completed "
                "with ABANDON Result",
            )
            member.health = "Unhealthy"
            member.health_cause = "an instance was abandoned at its launch lifecycle hook"
            start_terminate(b, group, member, "abandoned", after="replace", hooks=False)
            return
        go_in_service(b, group, member)
    elif member.lifecycle == "Terminating:Wait":
        member.lifecycle = "Terminating:Proceed"
        member.hook = ""
        _terminate_ec2(b, group, member)


def start_terminate(
    b: AsgBackend, group: Group, member: Member, cause: str, after: str = "replace", hooks: bool = True
) -> None:
    """Take an instance out of service: deregister (and drain) it, then the terminate hook, then terminate.

    `after`: "replace" (the group launches another if it is short), "decrement" (desired already lowered),
    "detach" (leave the group without terminating).
    """
    if member.lifecycle in LEAVING or member.lifecycle in ("Terminated", "Detached"):
        return
    was_registered = member.lifecycle in ("InService", "Standby", "EnteringStandby")
    member.after_terminate = after
    if member.activity_id:
        act = b.find_activity(member.activity_id)
        if act is not None and act.end is None:
            b.finish(member.activity_id, "Cancelled", "Instance was taken out of service before it launched.")
    if after == "detach":
        member.lifecycle = "Detaching"
        act = b.activity(group, f"Detaching EC2 instance: {member.instance_id}", cause)
    else:
        member.lifecycle = "Terminating"
        act = b.activity(group, f"Terminating EC2 instance: {member.instance_id}", cause)
        act.details = {"Subnet ID": member.subnet_id, "Availability Zone": member.az}
    member.activity_id = act.activity_id
    member.hook = "" if hooks else "-"
    if was_registered and group.target_groups:
        for tg in group.target_groups:
            with contextlib.suppress(AwsError):
                elbv2.deregister(b.world, b.region, tg, [member.instance_id], AUTOSCALING_ROLE)
        drain = _drain_left(b, group, member)
        if drain > 0:
            act.status = "WaitingForELBConnectionDraining"
            member.drain_until = b.now + drain
            b.world.schedule(drain, "autoscaling", b.region, "drained", member.instance_id)
            return
    after_drain(b, group, member)


def _drain_left(b: AsgBackend, group: Group, member: Member) -> float:
    left = 0.0
    for arn in group.target_groups:
        tg = elbv2.target_group(b.world, b.region, arn)
        if tg is None:
            continue
        for t in tg.targets.values():
            if t.target_id == member.instance_id and t.state == "draining":
                left = max(left, t.drain_until - b.now)
    return left


def drained(b: AsgBackend, instance_id: str) -> None:
    """The deregistration delay is over."""
    found = b.member(instance_id)
    if found is None:
        return
    group, member = found
    if member.lifecycle in ("Terminating", "Detaching") and member.drain_until and b.now + 1e-6 >= member.drain_until:
        member.drain_until = 0.0
        after_drain(b, group, member)


def after_drain(b: AsgBackend, group: Group, member: Member) -> None:
    """Deregistered: detach, or wait at the terminate hook, or terminate."""
    act = b.find_activity(member.activity_id)
    if act is not None and act.end is None:
        act.status = "InProgress"
    if member.lifecycle == "Detaching":
        member.lifecycle = "Detached"
        b.finish(member.activity_id)
        _forget(b, group, member)
        b.queue(group)
        return
    hook = next((h for h in group.hooks.values() if h.transition == TERMINATING), None)
    if hook is not None and member.hook != "-":
        wait_at_hook(b, group, member, hook.name, "Terminating:Wait")
        return
    member.lifecycle = "Terminating:Proceed"
    _terminate_ec2(b, group, member)


def _terminate_ec2(b: AsgBackend, group: Group, member: Member) -> None:
    inst = ec2.instance(b.world, b.region, member.instance_id)
    if inst is None or inst.state == "terminated":
        terminated(b, group, member)
        return
    try:
        ec2.terminate(b.world, b.region, [member.instance_id], AUTOSCALING_ROLE)
    except AwsError as err:
        # Termination protection or a denied role: AWS keeps trying; say why in the activity.
        act = b.find_activity(member.activity_id)
        if act is not None:
            act.message = err.message
        b.world.schedule(300, "autoscaling", b.region, "retry-terminate", member.instance_id)
        return
    inst = ec2.instance(b.world, b.region, member.instance_id)
    if inst is None or inst.state == "terminated":
        terminated(b, group, member)


def retry_terminate(b: AsgBackend, instance_id: str) -> None:
    """Try TerminateInstances again after it was refused."""
    found = b.member(instance_id)
    if found is not None and found[1].lifecycle == "Terminating:Proceed":
        _terminate_ec2(b, found[0], found[1])


def terminated(b: AsgBackend, group: Group, member: Member) -> None:
    """EC2 reports the instance terminated: the activity ends and it leaves the group."""
    member.lifecycle = "Terminated"
    b.finish(member.activity_id)
    group.cooldown_until = max(group.cooldown_until, b.now + group.default_cooldown)
    notify.send(b, group, "autoscaling:EC2_INSTANCE_TERMINATE", member)
    _forget(b, group, member)
    b.queue(group)


def _forget(b: AsgBackend, group: Group, member: Member) -> None:
    group.members.pop(member.instance_id, None)
    b.state.member_index.pop(member.instance_id, None)
