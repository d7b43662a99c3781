"""Creating, updating and deleting groups, with the checks AWS makes (min ≤ desired ≤ max, a launch source,
subnets of one VPC or zones of the Region, a launch template that exists) and the Cause each change writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2, elbv2
from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.state import Group
from awsprep.sim.core.account import availability_zones
from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

GROUP_LIMIT = 500  # Auto Scaling groups per Region (the default quota)
HEALTH_TYPES = ("EC2", "ELB", "VPC_LATTICE", "EBS")


def check_sizes(min_size: int, max_size: int, desired: int | None) -> None:
    """min ≤ max, and min ≤ desired ≤ max, with AWS's messages."""
    if min_size > max_size:
        raise E("MinMax", max=max_size, min=min_size)
    if desired is not None and not min_size <= desired <= max_size:
        raise E("DesiredBounds", desired=desired, min=min_size, max=max_size)


def launch_template_ref(b: AsgBackend, ref: dict[str, Any]) -> dict[str, str]:
    """A LaunchTemplateSpecification checked against EC2 (the version is kept as given: `$Latest` and
    `$Default` are resolved at each launch)."""
    eb = ec2.backend(b.world, b.region)
    tid, name = ref.get("LaunchTemplateId"), ref.get("LaunchTemplateName")
    if bool(tid) == bool(name):
        raise E("Validation", message="Valid requests must contain either launchTemplateId or LaunchTemplateName")
    try:
        lt = eb.launch_template(tid, name)
    except AwsError:
        raise E("LaunchTemplateNotFound", how="id" if tid else "name", value=tid or name) from None
    version = ref.get("Version") or "$Default"
    try:
        eb.template_version(lt, version)
    except AwsError:
        raise E("LaunchTemplateVersion", version=version) from None
    return {"LaunchTemplateId": lt.template_id, "LaunchTemplateName": lt.name, "Version": version}


def placement(b: AsgBackend, group: Group, p: dict[str, Any]) -> None:
    """VPCZoneIdentifier (comma-separated subnets of one VPC) or AvailabilityZones (default subnets)."""
    ident = p.get("VPCZoneIdentifier")
    zones = p.get("AvailabilityZones")
    if ident:
        ids = [s.strip() for s in str(ident).split(",") if s.strip()]
        subnets = []
        for sid in ids:
            try:
                subnets.append(ec2.subnet(b.world, b.region, sid))
            except AwsError:
                raise E("SubnetNotFound", subnet=sid) from None
        if len({s.vpc_id for s in subnets}) > 1:
            raise E("SubnetsVpc", subnets=",".join(ids))
        group.subnets = ids
        group.subnet_zones = {s.subnet_id: s.az for s in subnets}
        group.azs = list(dict.fromkeys(s.az for s in subnets))
    elif zones:
        for z in zones:
            if z not in availability_zones(b.region):
                raise E("BadZone", zone=z)
        group.subnets, group.subnet_zones, group.azs = [], {}, list(dict.fromkeys(zones))


def _apply_common(b: AsgBackend, group: Group, p: dict[str, Any]) -> None:
    if p.get("DefaultCooldown") is not None:
        group.default_cooldown = int(p["DefaultCooldown"])
    if p.get("HealthCheckType") is not None:
        if p["HealthCheckType"] not in HEALTH_TYPES:
            raise E("Validation", message=f"Invalid HealthCheckType: {p['HealthCheckType']}")
        group.health_check_type = p["HealthCheckType"]
    if p.get("HealthCheckGracePeriod") is not None:
        group.grace = int(p["HealthCheckGracePeriod"])
    if p.get("TerminationPolicies"):
        from awsprep.sim.autoscaling.termination import POLICIES

        for name in p["TerminationPolicies"]:
            if name not in POLICIES and not name.startswith("arn:aws:lambda:"):
                raise E("Validation", message=f"Unsupported termination policy: {name}")
        if "Default" in p["TerminationPolicies"] and p["TerminationPolicies"][-1] != "Default":
            raise E("Validation", message="Default termination policy must be the last one in the list.")
        # A custom policy (a Lambda function) comes first (ec2-auto-scaling-termination-policies.html) [INF text]
        if any(n.startswith("arn:aws:lambda:") for n in p["TerminationPolicies"][1:]):
            raise E("Validation", message="A custom termination policy must be the first one in the list.")
        group.termination_policies = list(p["TerminationPolicies"])
    if p.get("NewInstancesProtectedFromScaleIn") is not None:
        group.new_protected = bool(p["NewInstancesProtectedFromScaleIn"])
    if p.get("DefaultInstanceWarmup") is not None:
        group.default_warmup = int(p["DefaultInstanceWarmup"])
    if p.get("CapacityRebalance") is not None:
        group.capacity_rebalance = bool(p["CapacityRebalance"])
    if p.get("MaxInstanceLifetime") is not None:
        life = int(p["MaxInstanceLifetime"])
        if life != 0 and not 86400 <= life <= 31536000:
            raise E(
                "Validation", message="The maximum instance lifetime must be 0, or between 86400 and 31536000 seconds."
            )
        group.max_lifetime = life or None


def _launch_source(b: AsgBackend, group: Group, p: dict[str, Any], creating: bool) -> None:
    lt = p.get("LaunchTemplate")
    lc = p.get("LaunchConfigurationName")
    if p.get("MixedInstancesPolicy"):
        raise E("Validation", message="awsprep does not simulate mixed instances policies yet.")
    if lt and lc:
        raise E("BothLaunchSources")
    if creating and not lt and not lc and not p.get("InstanceId"):
        raise E("NoLaunchSource")
    if lt:
        group.launch_template, group.launch_config = launch_template_ref(b, lt), None
    elif lc:
        if lc not in b.state.launch_configs:
            raise E("LaunchConfigNotFound", name=lc)
        group.launch_config, group.launch_template = lc, None


def create(b: AsgBackend, p: dict[str, Any]) -> Group:
    """CreateAutoScalingGroup."""
    name = p["AutoScalingGroupName"]
    if name in b.state.groups:
        raise E("AlreadyExists", name=name)
    if len(b.state.groups) >= GROUP_LIMIT:
        raise E("LimitGroups", limit=GROUP_LIMIT)
    min_size, max_size = int(p["MinSize"]), int(p["MaxSize"])
    desired = p.get("DesiredCapacity")
    check_sizes(min_size, max_size, None if desired is None else int(desired))
    arn = b.arn(f"autoScalingGroup:{b.uuid()}:autoScalingGroupName/{name}")
    group = Group(name, arn, min_size, max_size, int(desired) if desired is not None else min_size, b.now)
    if p.get("InstanceId"):
        _from_instance(b, group, p["InstanceId"])
    _launch_source(b, group, p, creating=True)
    if not p.get("VPCZoneIdentifier") and not p.get("AvailabilityZones") and not p.get("InstanceId"):
        raise E("NoZones")
    placement(b, group, p)
    _apply_common(b, group, p)
    tgs = list(p.get("TargetGroupARNs") or [])
    tgs += [t["Identifier"] for t in p.get("TrafficSources") or [] if t.get("Type", "elbv2") == "elbv2"]
    check_target_groups(b, tgs)
    group.target_groups = list(dict.fromkeys(tgs))
    group.tags = [_tag(t, name) for t in p.get("Tags") or []]
    for hook in p.get("LifecycleHookSpecificationList") or []:
        from awsprep.sim.autoscaling.ops import put_hook

        put_hook(b, group, hook)
    b.state.groups[name] = group
    b.desired_change(group, "a user request created an AutoScalingGroup", group.desired)
    if group.desired:
        group.cause = (
            f"At {b.stamp()} a user request created an AutoScalingGroup changing the desired capacity from 0 "
            f"to {group.desired}."
        )
    return group


def _from_instance(b: AsgBackend, group: Group, instance_id: str) -> None:
    inst = ec2.instance(b.world, b.region, instance_id)
    if inst is None:
        raise E("InstanceNotFound", iid=instance_id)
    group.subnets, group.subnet_zones, group.azs = [inst.subnet_id], {inst.subnet_id: inst.az}, [inst.az]
    name = f"{group.name}"
    from awsprep.sim.autoscaling.ops import launch_config_from_instance

    group.launch_config = launch_config_from_instance(b, name, inst)


def _tag(t: dict[str, Any], group: str) -> dict[str, Any]:
    return {
        "ResourceId": group,
        "ResourceType": "auto-scaling-group",
        "Key": t["Key"],
        "Value": t.get("Value", ""),
        "PropagateAtLaunch": bool(t.get("PropagateAtLaunch", False)),
    }


def check_target_groups(b: AsgBackend, arns: list[str]) -> None:
    """Every target group must exist (ValidationError otherwise)."""
    for arn in arns:
        if not b.world.has_region_state("elbv2", b.region) or elbv2.target_group(b.world, b.region, arn) is None:
            raise E("TargetGroupNotFound")


def update(b: AsgBackend, p: dict[str, Any]) -> Group:
    """UpdateAutoScalingGroup: every change is checked first, then applied together."""
    group = b.group(p["AutoScalingGroupName"])
    if group.deleting:
        raise E("Deleting", name=group.name)
    min_size = int(p["MinSize"]) if p.get("MinSize") is not None else group.min_size
    max_size = int(p["MaxSize"]) if p.get("MaxSize") is not None else group.max_size
    desired = int(p["DesiredCapacity"]) if p.get("DesiredCapacity") is not None else None
    check_sizes(min_size, max_size, desired)
    new_desired = desired if desired is not None else max(min_size, min(max_size, group.desired))
    _launch_source(b, group, p, creating=False)
    old_subnets = list(group.subnets)
    placement(b, group, p)
    _apply_common(b, group, p)
    group.min_size, group.max_size = min_size, max_size
    text = (
        f"a user request update of AutoScalingGroup constraints to min: {min_size}, max: {max_size}, "
        f"desired: {new_desired}"
    )
    b.desired_change(group, text, new_desired)
    if group.subnets != old_subnets:
        b.queue(group)
    return group


def delete(b: AsgBackend, p: dict[str, Any]) -> None:
    """DeleteAutoScalingGroup (ForceDelete terminates the instances first; hooks do not run)."""
    group = b.group(p["AutoScalingGroupName"])
    leaving = [m for m in group.members.values() if m.lifecycle not in ("InService", "Standby")]
    if leaving and not p.get("ForceDelete"):
        raise E("ActivityInProgress", activity=leaving[0].activity_id)
    if group.members and not p.get("ForceDelete"):
        raise E("InUse")
    group.deleting = True
    group.desired = group.min_size = group.max_size = 0
    from awsprep.sim.autoscaling.reconcile import reconcile

    reconcile(b, group)
