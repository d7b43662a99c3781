"""A small Auto Scaling estate for tests: a launch template and a group across two or three zones."""

from __future__ import annotations

from typing import Any

from awsprep.sim import World, ec2
from awsprep.sim.ec2.catalog import public_image_id

AMI = public_image_id("us-east-1", "al2023")


def asg(world: World, op: str, **params: Any) -> dict[str, Any]:
    return world.call("autoscaling", op, params)


def subnets(world: World, count: int = 2) -> list[str]:
    vpc = ec2.default_vpc(world, "us-east-1").vpc_id
    return [s.subnet_id for s in sorted(ec2.subnets(world, "us-east-1", vpc), key=lambda s: s.az)[:count]]


def template(world: World, name: str = "web", itype: str = "t3.micro", **data: Any) -> str:
    out = world.call(
        "ec2",
        "CreateLaunchTemplate",
        {"LaunchTemplateName": name, "LaunchTemplateData": {"ImageId": AMI, "InstanceType": itype, **data}},
    )
    return str(out["LaunchTemplate"]["LaunchTemplateId"])


def group(
    world: World, name: str = "g", desired: int = 2, min_size: int = 1, max_size: int = 6, zones: int = 2, **extra: Any
) -> dict[str, Any]:
    """Create (a template if needed and) a group, then let it launch and boot."""
    if not any(t.name == "web" for t in ec2.backend(world).state.launch_templates.values()):
        template(world)
    params: dict[str, Any] = {
        "AutoScalingGroupName": name,
        "LaunchTemplate": {"LaunchTemplateName": "web", "Version": "$Latest"},
        "MinSize": min_size,
        "MaxSize": max_size,
        "DesiredCapacity": desired,
        "VPCZoneIdentifier": ",".join(subnets(world, zones)),
        **extra,
    }
    asg(world, "CreateAutoScalingGroup", **params)
    world.advance(60)
    return describe(world, name)


def describe(world: World, name: str = "g") -> dict[str, Any]:
    out: dict[str, Any] = asg(world, "DescribeAutoScalingGroups", AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
    return out


def members(world: World, name: str = "g") -> dict[str, dict[str, Any]]:
    return {i["InstanceId"]: i for i in describe(world, name)["Instances"]}


def in_service(world: World, name: str = "g") -> list[str]:
    return sorted(i for i, m in members(world, name).items() if m["LifecycleState"] == "InService")


def activities(world: World, name: str = "g") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = asg(world, "DescribeScalingActivities", AutoScalingGroupName=name)["Activities"]
    return out
