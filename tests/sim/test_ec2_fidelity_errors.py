"""Error codes and messages where EC2 differs from what the simulator used to say (issue 11)."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World

from .conftest import al2023, launch


def err(world: World, op: str, **params: object) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params))
    return info.value


def _ssh(cidr: str) -> list[dict[str, object]]:
    return [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": cidr}]}]


def _group(world: World, vpc_id: str | None = None) -> str:
    params: dict[str, object] = {"GroupName": "web", "Description": "d"}
    if vpc_id:
        params["VpcId"] = vpc_id
    gid: str = world.call("ec2", "CreateSecurityGroup", params)["GroupId"]
    return gid


# ----- CIDRs in security-group rules ----------------------------------------------------------------------
def test_rule_cidr_is_canonicalised_and_then_a_duplicate(world: World) -> None:
    gid = _group(world)
    out = world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": gid, "IpPermissions": _ssh("100.68.0.18/18")})
    assert out["SecurityGroupRules"][0]["CidrIpv4"] == "100.68.0.0/18"
    sg = world.call("ec2", "DescribeSecurityGroups", {"GroupIds": [gid]})["SecurityGroups"][0]
    assert sg["IpPermissions"][0]["IpRanges"] == [{"CidrIp": "100.68.0.0/18"}]
    e = err(world, "AuthorizeSecurityGroupIngress", GroupId=gid, IpPermissions=_ssh("100.68.0.0/18"))
    assert e.code == "InvalidPermission.Duplicate"
    assert (
        e.message == 'the specified rule "peer: 100.68.0.0/18, TCP, from port: 22, to port: 22, ALLOW" already exists'
    )
    # revoking by the uncanonical form finds the stored rule
    world.call("ec2", "RevokeSecurityGroupIngress", {"GroupId": gid, "IpPermissions": _ssh("100.68.63.1/18")})
    assert world.call("ec2", "DescribeSecurityGroups", {"GroupIds": [gid]})["SecurityGroups"][0]["IpPermissions"] == []


def test_bare_ip_is_not_a_cidr(world: World) -> None:
    gid = _group(world)
    for bad in ("203.0.113.5", "203.0.113.0/33", "not-an-ip/8"):
        e = err(world, "AuthorizeSecurityGroupIngress", GroupId=gid, IpPermissions=_ssh(bad))
        assert (e.code, e.message) == ("InvalidParameterValue", f"CIDR block {bad} is malformed"), bad
    e = err(
        world, "AuthorizeSecurityGroupIngress", GroupId=gid, IpProtocol="tcp", FromPort=22, ToPort=22, CidrIp="1.2.3.4"
    )
    assert e.code == "InvalidParameterValue"


# ----- revoking a rule that is not there ------------------------------------------------------------------
def test_revoke_missing_rule_in_default_vpc_answers_with_unknown_permissions(world: World) -> None:
    gid = _group(world)
    world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": gid, "IpPermissions": _ssh("10.0.0.0/8")})
    out = world.call(
        "ec2",
        "RevokeSecurityGroupIngress",
        {"GroupId": gid, "IpPermissions": _ssh("10.0.0.0/8") + _ssh("192.0.2.0/24")},
    )
    assert out["Return"] is True
    unknown = out["UnknownIpPermissions"]
    assert [p["IpRanges"] for p in unknown] == [[{"CidrIp": "192.0.2.0/24"}]]
    assert (unknown[0]["IpProtocol"], unknown[0]["FromPort"], unknown[0]["ToPort"]) == ("tcp", 22, 22)
    assert world.call("ec2", "DescribeSecurityGroups", {"GroupIds": [gid]})["SecurityGroups"][0]["IpPermissions"] == []


def test_revoke_missing_rule_in_other_vpc_is_an_error_and_revokes_nothing(world: World) -> None:
    vpc = world.call("ec2", "CreateVpc", {"CidrBlock": "10.1.0.0/16"})["Vpc"]["VpcId"]
    gid = _group(world, vpc)
    world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": gid, "IpPermissions": _ssh("10.0.0.0/8")})
    e = err(world, "RevokeSecurityGroupIngress", GroupId=gid, IpPermissions=_ssh("10.0.0.0/8") + _ssh("192.0.2.0/24"))
    assert e.code == "InvalidPermission.NotFound"
    perms = world.call("ec2", "DescribeSecurityGroups", {"GroupIds": [gid]})["SecurityGroups"][0]["IpPermissions"]
    assert len(perms) == 1


# ----- tags -----------------------------------------------------------------------------------------------
def test_aws_prefixed_tag_keys_are_reserved(world: World) -> None:
    iid = launch(world, boot=False)
    e = err(world, "CreateTags", Resources=[iid], Tags=[{"Key": "aws:owner", "Value": "me"}])
    assert (e.code, e.message) == (
        "InvalidParameterValue",
        "Value ( aws:owner ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use",
    )
    spec = [{"ResourceType": "instance", "Tags": [{"Key": "AWS:x", "Value": "1"}]}]
    e = err(
        world, "RunInstances", ImageId=al2023(), InstanceType="t3.micro", MinCount=1, MaxCount=1, TagSpecifications=spec
    )
    assert (e.code, e.message) == (
        "InvalidParameterValue",
        "Tag keys starting with 'aws:' are reserved for internal use",
    )
    e = err(
        world,
        "CreateSecurityGroup",
        GroupName="g",
        Description="d",
        TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "aws:a", "Value": "b"}]}],
    )
    assert e.code == "InvalidParameterValue"
    # a key that merely contains "aws" is fine, and launch-template tags EC2 adds itself still appear
    world.call("ec2", "CreateTags", {"Resources": [iid], "Tags": [{"Key": "awsome", "Value": "1"}]})
    e = err(world, "DeleteTags", Resources=[iid], Tags=[{"Key": "aws:owner"}])
    assert e.code == "InvalidParameterValue"


def test_tag_specifications_with_the_wrong_resource_type_are_refused(world: World) -> None:
    wrong = [{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}]
    e = err(world, "CreateVpc", CidrBlock="10.2.0.0/16", TagSpecifications=wrong)
    assert (e.code, e.message) == (
        "InvalidParameterValue",
        "'instance' is not a valid taggable resource type for this operation.",
    )
    e = err(world, "CreateKeyPair", KeyName="k", TagSpecifications=wrong)
    assert e.message == "'instance' is not a valid taggable resource type for this operation."
    e = err(
        world,
        "RunInstances",
        ImageId=al2023(),
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}],
    )
    assert e.message == "'vpc' is not a valid taggable resource type for this operation."
    # what RunInstances may tag: instances, volumes, network interfaces
    ok = [
        {"ResourceType": t, "Tags": [{"Key": "a", "Value": "b"}]} for t in ("instance", "volume", "network-interface")
    ]
    world.call(
        "ec2",
        "RunInstances",
        {"ImageId": al2023(), "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1, "TagSpecifications": ok},
    )
    assert world.call("ec2", "DescribeKeyPairs", {})["KeyPairs"] == []


# ----- VPC ranges -----------------------------------------------------------------------------------------
def test_vpc_outside_16_to_28_is_invalid_vpc_range(world: World) -> None:
    for cidr in ("10.0.0.0/8", "10.0.0.0/29"):
        e = err(world, "CreateVpc", CidrBlock=cidr)
        assert (e.code, e.message) == ("InvalidVpc.Range", f"The CIDR '{cidr}' is invalid."), cidr
    assert world.call("ec2", "CreateVpc", {"CidrBlock": "10.0.0.0/28"})["Vpc"]["CidrBlock"] == "10.0.0.0/28"


# ----- DescribeInstanceStatus filters ---------------------------------------------------------------------
def test_instance_status_filters(world: World) -> None:
    iid = launch(world)

    def ids(name: str, value: str) -> list[str]:
        out = world.call("ec2", "DescribeInstanceStatus", {"Filters": [{"Name": name, "Values": [value]}]})
        return [s["InstanceId"] for s in out["InstanceStatuses"]]

    assert ids("instance-status.status", "initializing") == [iid]
    assert ids("instance-status.status", "ok") == []
    assert ids("system-status.status", "initializing") == [iid]
    assert ids("instance-status.reachability", "initializing") == [iid]
    world.advance(300)
    assert ids("instance-status.status", "ok") == [iid]
    assert ids("system-status.reachability", "passed") == [iid]
    assert ids("instance-state-code", "16") == [iid]
    e = err(world, "DescribeInstanceStatus", Filters=[{"Name": "no-such-filter", "Values": ["x"]}])
    assert e.code == "InvalidParameterValue"


# ----- AMI ids ---------------------------------------------------------------------------------------------
def test_malformed_and_unknown_ami_ids(world: World) -> None:
    e = err(world, "DescribeImages", ImageIds=["ami-xyz"])
    assert (e.code, e.message) == ("InvalidAMIID.Malformed", 'Invalid id: "ami-xyz" (expecting "ami-...")')
    e = err(world, "RunInstances", ImageId="ami-12345678", InstanceType="t3.micro", MinCount=1, MaxCount=1)
    assert (e.code, e.message) == ("InvalidAMIID.NotFound", "The image id '[ami-12345678]' does not exist")
    e = err(world, "CreateTags", Resources=["ami-xyz"], Tags=[{"Key": "a", "Value": "b"}])
    assert (e.code, e.message) == ("InvalidID", 'The ID "ami-xyz" is not valid')
    e = err(world, "CreateTags", Resources=["ami-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}])
    assert e.code == "InvalidAMIID.NotFound"
