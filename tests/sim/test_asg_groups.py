"""Auto Scaling groups: the size invariants and their errors, launches across zones, template versions at each
launch, replacement of stopped and terminated instances, and the activities' Causes (spec §1.3)."""

from __future__ import annotations

from collections import Counter

import pytest

from awsprep.sim import AwsError, World, ec2, run_cli
from tests.sim.asg_helpers import AMI, activities, asg, describe, group, in_service, members, subnets, template


def _err(world: World, op: str, **params: object) -> AwsError:
    with pytest.raises(AwsError) as err:
        asg(world, op, **params)
    return err.value


def test_min_above_max_and_desired_outside_the_bounds_are_refused_with_aws_messages(world: World) -> None:
    template(world)
    base = {
        "AutoScalingGroupName": "g",
        "LaunchTemplate": {"LaunchTemplateName": "web"},
        "VPCZoneIdentifier": subnets(world)[0],
    }
    e = _err(world, "CreateAutoScalingGroup", MinSize=5, MaxSize=3, **base)
    assert (e.code, e.message) == ("ValidationError", "Max bound, 3, must be greater than or equal to min bound, 5")
    e = _err(world, "CreateAutoScalingGroup", MinSize=2, MaxSize=5, DesiredCapacity=7, **base)
    assert e.message == "Desired capacity:7 must be between the specified min size:2 and max size:5"
    asg(world, "CreateAutoScalingGroup", MinSize=1, MaxSize=4, DesiredCapacity=1, **base)
    e = _err(world, "CreateAutoScalingGroup", MinSize=1, MaxSize=4, **base)
    assert (e.code, e.message) == (
        "AlreadyExists",
        "AutoScalingGroup by this name already exists - A group with the name g already exists",
    )
    e = _err(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=10)
    assert e.message == "New SetDesiredCapacity value 10 is above max value 4 for the AutoScalingGroup."
    e = _err(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=0)
    assert e.message == "New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup."
    e = _err(world, "UpdateAutoScalingGroup", AutoScalingGroupName="g", MinSize=6)
    assert e.message == "Max bound, 4, must be greater than or equal to min bound, 6"
    e = _err(world, "UpdateAutoScalingGroup", AutoScalingGroupName="nope", MaxSize=6)
    assert e.code == "ValidationError" and "not found" in e.message
    assert asg(world, "DescribeAutoScalingGroups", AutoScalingGroupNames=["nope"])["AutoScalingGroups"] == []


def test_a_group_needs_a_launch_source_zones_and_a_template_that_exists(world: World) -> None:
    sub = subnets(world)[0]
    e = _err(world, "CreateAutoScalingGroup", AutoScalingGroupName="g", MinSize=0, MaxSize=1, VPCZoneIdentifier=sub)
    assert e.message.startswith("Valid requests must contain either LaunchTemplate, LaunchConfigurationName")
    e = _err(
        world,
        "CreateAutoScalingGroup",
        AutoScalingGroupName="g",
        MinSize=0,
        MaxSize=1,
        VPCZoneIdentifier=sub,
        LaunchTemplate={"LaunchTemplateName": "missing"},
    )
    assert e.message == (
        "You must use a valid fully-formed launch template. The specified launch template, with template name "
        "missing, does not exist."
    )
    template(world)
    e = _err(
        world,
        "CreateAutoScalingGroup",
        AutoScalingGroupName="g",
        MinSize=0,
        MaxSize=1,
        LaunchTemplate={"LaunchTemplateName": "web"},
    )
    assert e.message == "At least one Availability Zone or VPC Subnet is required."
    e = _err(
        world,
        "CreateAutoScalingGroup",
        AutoScalingGroupName="g",
        MinSize=0,
        MaxSize=1,
        LaunchTemplate={"LaunchTemplateName": "web"},
        VPCZoneIdentifier="subnet-0123456789abcdef0",
    )
    assert e.message == "The subnet ID 'subnet-0123456789abcdef0' does not exist"


def test_launches_are_real_instances_balanced_across_zones_as_the_service_linked_role(world: World) -> None:
    g = group(world, desired=4, max_size=8)
    zones = Counter(i["AvailabilityZone"] for i in g["Instances"])
    assert sorted(zones.values()) == [2, 2] and len(zones) == 2
    for iid in members(world):
        inst = ec2.instance(world, "us-east-1", iid)
        assert inst is not None and inst.state == "running"
        assert inst.tags["aws:autoscaling:groupName"] == "g"
    assert all(i["LifecycleState"] == "InService" and i["HealthStatus"] == "Healthy" for i in g["Instances"])
    acts = activities(world)
    assert len(acts) == 4 and all(a["StatusCode"] == "Successful" for a in acts)
    assert acts[0]["Cause"] == (
        "At 2025-01-06T09:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 "
        "to 4.  At 2025-01-06T09:00:10Z an instance was started in response to a difference between desired and "
        "actual capacity, increasing the capacity from 0 to 4."
    )
    assert acts[0]["Description"].startswith("Launching a new EC2 instance: i-")


def test_a_denied_service_linked_role_fails_the_launch_and_says_why(world: World) -> None:
    from awsprep.sim.core.account import AUTOSCALING_ROLE

    world.deny("ec2:RunInstances", AUTOSCALING_ROLE)
    group(world, desired=1)
    act = activities(world)[0]
    assert act["StatusCode"] == "Failed" and "AWSServiceRoleForAutoScaling" in act["StatusMessage"]
    assert act["StatusMessage"].endswith("Launching EC2 instance failed.")


def test_latest_is_resolved_at_each_launch(world: World) -> None:
    lt = template(world)
    group(world, desired=1)
    first = next(iter(members(world).values()))
    assert first["LaunchTemplate"]["Version"] == "1"
    world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {"LaunchTemplateId": lt, "SourceVersion": "1", "LaunchTemplateData": {"InstanceType": "t3.small"}},
    )
    asg(world, "SetDesiredCapacity", AutoScalingGroupName="g", DesiredCapacity=2)
    world.advance(60)
    versions = sorted((m["LaunchTemplate"]["Version"], m["InstanceType"]) for m in members(world).values())
    assert versions == [("1", "t3.micro"), ("2", "t3.small")]
    assert describe(world)["LaunchTemplate"]["Version"] == "$Latest"


def test_a_stopped_or_terminated_member_is_replaced_with_aws_causes(world: World) -> None:
    group(world, desired=2, HealthCheckGracePeriod=300)
    a, b = in_service(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [a]})
    world.call("ec2", "TerminateInstances", {"InstanceIds": [b]})
    world.advance(90)
    now = in_service(world)
    assert len(now) == 2 and a not in now and b not in now
    causes = [x["Cause"] for x in activities(world) if x["Description"].startswith("Terminating")]
    assert len(causes) == 2
    assert all(
        c.endswith("in response to a EC2 health check indicating it has been terminated or stopped.") for c in causes
    )
    stopped = ec2.instance(world, "us-east-1", a)
    assert stopped is not None and stopped.state in ("shutting-down", "terminated")


def test_a_launch_that_cannot_proceed_says_why_and_is_retried(world: World) -> None:
    lt = template(world)
    world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {"LaunchTemplateId": lt, "LaunchTemplateData": {"ImageId": "ami-0123456789abcdef0"}},
    )
    group(world, desired=1)
    act = activities(world)[0]
    assert act["StatusCode"] == "Failed"
    assert "ami-0123456789abcdef0" in act["StatusMessage"] and act["Description"].startswith(
        "Launching a new EC2 instance.  Status Reason: "
    )
    assert describe(world)["Instances"] == []
    world.call("ec2", "ModifyLaunchTemplate", {"LaunchTemplateId": lt, "DefaultVersion": "1"})
    asg(
        world,
        "UpdateAutoScalingGroup",
        AutoScalingGroupName="g",
        LaunchTemplate={"LaunchTemplateId": lt, "Version": "$Default"},
    )
    world.advance(400)
    assert len(in_service(world)) == 1


def test_delete_with_instances_needs_force_and_force_terminates_them(world: World) -> None:
    group(world, desired=2)
    e = _err(world, "DeleteAutoScalingGroup", AutoScalingGroupName="g")
    assert (e.code, e.message) == (
        "ResourceInUse",
        "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still "
        "in the group.",
    )
    ids = in_service(world)
    asg(world, "DeleteAutoScalingGroup", AutoScalingGroupName="g", ForceDelete=True)
    assert describe(world)["Status"] == "Delete in progress"
    world.advance(60)
    assert asg(world, "DescribeAutoScalingGroups")["AutoScalingGroups"] == []
    assert all(ec2.instance(world, "us-east-1", i).state == "terminated" for i in ids)  # type: ignore[union-attr]


def test_terminate_instance_with_and_without_decrement(world: World) -> None:
    group(world, desired=2, min_size=1)
    a, _b = in_service(world)
    out = asg(world, "TerminateInstanceInAutoScalingGroup", InstanceId=a, ShouldDecrementDesiredCapacity=False)
    assert out["Activity"]["Description"] == f"Terminating EC2 instance: {a}"
    assert out["Activity"]["Cause"].endswith(f"instance {a} was taken out of service in response to a user request.")
    world.advance(60)
    assert describe(world)["DesiredCapacity"] == 2 and len(in_service(world)) == 2
    keep = in_service(world)
    out = asg(world, "TerminateInstanceInAutoScalingGroup", InstanceId=keep[0], ShouldDecrementDesiredCapacity=True)
    assert out["Activity"]["Cause"].endswith("shrinking the capacity from 2 to 1.")
    world.advance(60)
    assert describe(world)["DesiredCapacity"] == 1 and len(in_service(world)) == 1
    e = _err(
        world,
        "TerminateInstanceInAutoScalingGroup",
        InstanceId=in_service(world)[0],
        ShouldDecrementDesiredCapacity=True,
    )
    assert e.message == (
        "Currently, desiredSize equals minSize (1). Terminating instance without replacement will violate group's "
        "min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size."
    )


def test_the_cli_prints_aws_errors_and_json(world: World) -> None:
    template(world)
    res = run_cli(
        world,
        [
            "autoscaling",
            "create-auto-scaling-group",
            "--auto-scaling-group-name",
            "g",
            "--launch-template",
            "LaunchTemplateName=web",
            "--min-size",
            "3",
            "--max-size",
            "1",
            "--vpc-zone-identifier",
            subnets(world)[0],
        ],
    )
    assert res.exit_code == 255
    assert res.stderr.strip() == (
        "An error occurred (ValidationError) when calling the CreateAutoScalingGroup operation: Max bound, 1, must "
        "be greater than or equal to min bound, 3"
    )
    res = run_cli(world, ["autoscaling", "describe-auto-scaling-groups", "--query", "length(AutoScalingGroups)"])
    assert res.exit_code == 0 and res.stdout.strip() == "0"


def test_tags_propagate_at_launch_only_when_asked(world: World) -> None:
    group(
        world,
        desired=1,
        Tags=[
            {"Key": "team", "Value": "blue", "PropagateAtLaunch": True},
            {"Key": "cost", "Value": "x", "PropagateAtLaunch": False},
        ],
    )
    inst = ec2.instance(world, "us-east-1", in_service(world)[0])
    assert inst is not None and inst.tags.get("team") == "blue" and "cost" not in inst.tags
    assert inst.image_id == AMI
