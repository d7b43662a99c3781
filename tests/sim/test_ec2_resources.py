"""Elastic IPs, security groups, key pairs, AMIs, launch templates, tags, DryRun."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World, ec2

from .conftest import al2023, describe, launch


def err(world: World, op: str, region: str | None = None, **params: object) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params), region=region)
    return info.value


def test_eip_replaces_public_ip_survives_stop_start_and_new_ip_on_disassociate(world: World) -> None:
    iid = launch(world)
    auto_ip = describe(world, iid)["PublicIpAddress"]
    eip = world.call("ec2", "AllocateAddress", {"Domain": "vpc"})
    assoc = world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": iid})
    assert describe(world, iid)["PublicIpAddress"] == eip["PublicIp"] != auto_ip
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert describe(world, iid)["PublicIpAddress"] == eip["PublicIp"]
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert describe(world, iid)["PublicIpAddress"] == eip["PublicIp"]
    addr = world.call("ec2", "DescribeAddresses", {})["Addresses"][0]
    assert addr["InstanceId"] == iid
    world.call("ec2", "DisassociateAddress", {"AssociationId": assoc["AssociationId"]})
    new_ip = describe(world, iid)["PublicIpAddress"]
    assert new_ip not in (eip["PublicIp"], auto_ip)


def test_eip_reassociation_default_and_refused(world: World) -> None:
    a, b = launch(world), launch(world)
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": a})
    e = err(world, "AssociateAddress", AllocationId=eip["AllocationId"], InstanceId=b, AllowReassociation=False)
    assert e.code == "Resource.AlreadyAssociated"
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": b})
    assert describe(world, b)["PublicIpAddress"] == eip["PublicIp"]
    assert describe(world, a)["PublicIpAddress"] != eip["PublicIp"]


def test_eip_errors(world: World) -> None:
    iid = launch(world, boot=False)
    eip = world.call("ec2", "AllocateAddress", {})
    e = err(world, "AssociateAddress", AllocationId=eip["AllocationId"], InstanceId=iid)
    assert e.code == "InvalidInstanceID" and "pending instance" in e.message
    world.call("ec2", "ReleaseAddress", {"AllocationId": eip["AllocationId"]})
    e = err(world, "ReleaseAddress", AllocationId=eip["AllocationId"])
    assert e.code == "InvalidAllocationID.NotFound"
    assert e.message == f"The allocation ID '{eip['AllocationId']}' does not exist"
    e = err(world, "ReleaseAddress", PublicIp=eip["PublicIp"])
    assert e.code == "InvalidAddress.NotFound"
    assert err(world, "DisassociateAddress", AssociationId="eipassoc-0123").code == "InvalidAssociationID.NotFound"
    world.advance(30)
    auto = describe(world, iid)["PublicIpAddress"]
    assert err(world, "DisassociateAddress", PublicIp=auto).code == "AuthFailure"
    mine = world.call("ec2", "AllocateAddress", {})
    e = err(world, "ReleaseAddress", PublicIp=mine["PublicIp"])
    assert e.code == "InvalidParameterValue" and "allocation id" in e.message
    for _ in range(4):
        world.call("ec2", "AllocateAddress", {})
    assert err(world, "AllocateAddress").code == "AddressLimitExceeded"


def test_release_in_default_vpc_disassociates_but_non_default_is_in_use(world: World) -> None:
    iid = launch(world)
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": iid})
    world.call("ec2", "ReleaseAddress", {"AllocationId": eip["AllocationId"]})
    assert describe(world, iid)["PublicIpAddress"] != eip["PublicIp"]
    vpc = world.call("ec2", "CreateVpc", {"CidrBlock": "10.0.0.0/16"})["Vpc"]["VpcId"]
    subnet = world.call("ec2", "CreateSubnet", {"VpcId": vpc, "CidrBlock": "10.0.1.0/24"})["Subnet"]["SubnetId"]
    other = launch(world, SubnetId=subnet)
    assert "PublicIpAddress" not in describe(world, other)
    eip2 = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip2["AllocationId"], "InstanceId": other})
    assert err(world, "ReleaseAddress", AllocationId=eip2["AllocationId"]).code == "InvalidIPAddress.InUse"


def test_terminate_keeps_eip_allocated(world: World) -> None:
    iid = launch(world)
    eip = world.call("ec2", "AllocateAddress", {})
    world.call("ec2", "AssociateAddress", {"AllocationId": eip["AllocationId"], "InstanceId": iid})
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    addr = world.call("ec2", "DescribeAddresses", {})["Addresses"][0]
    assert addr["AllocationId"] == eip["AllocationId"] and "InstanceId" not in addr


def test_security_groups(world: World) -> None:
    sg = world.call("ec2", "CreateSecurityGroup", {"GroupName": "web", "Description": "web"})["GroupId"]
    e = err(world, "CreateSecurityGroup", GroupName="web", Description="again")
    assert e.code == "InvalidGroup.Duplicate" and "already exists for VPC" in e.message
    group = world.call("ec2", "DescribeSecurityGroups", {"GroupIds": [sg]})["SecurityGroups"][0]
    assert group["IpPermissions"] == [] and group["IpPermissionsEgress"][0]["IpProtocol"] == "-1"
    perm = {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    out = world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": sg, "IpPermissions": [perm]})
    assert out["Return"] is True and out["SecurityGroupRules"][0]["CidrIpv4"] == "0.0.0.0/0"
    e = err(world, "AuthorizeSecurityGroupIngress", GroupId=sg, IpPermissions=[perm])
    assert e.code == "InvalidPermission.Duplicate"
    assert e.message == 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists'
    world.call("ec2", "RevokeSecurityGroupIngress", {"GroupId": sg, "IpPermissions": [perm]})
    # default VPC: a rule that is not there comes back as UnknownIpPermissions (the API reference), no error
    again = world.call("ec2", "RevokeSecurityGroupIngress", {"GroupId": sg, "IpPermissions": [perm]})
    assert again["UnknownIpPermissions"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0"}]
    assert err(world, "DescribeSecurityGroups", GroupIds=["sg-0123456789abcdef0"]).code == "InvalidGroup.NotFound"
    default = ec2.backend(world).group_by_name("default").group_id
    assert err(world, "DeleteSecurityGroup", GroupId=default).code == "CannotDelete"
    iid = launch(world, SecurityGroupIds=[sg])
    assert err(world, "DeleteSecurityGroup", GroupId=sg).code == "DependencyViolation"
    world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "DeleteSecurityGroup", {"GroupId": sg})


def test_key_pairs_material_once(world: World) -> None:
    created = world.call("ec2", "CreateKeyPair", {"KeyName": "lab"})
    assert created["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    described = world.call("ec2", "DescribeKeyPairs", {"KeyNames": ["lab"]})["KeyPairs"][0]
    assert "KeyMaterial" not in described and described["KeyFingerprint"] == created["KeyFingerprint"]
    e = err(world, "CreateKeyPair", KeyName="lab")
    assert e.code == "InvalidKeyPair.Duplicate" and e.message == "The keypair 'lab' already exists."
    assert ec2.backend(world).key_matches("lab", created["KeyMaterial"] + "\n")
    assert not ec2.backend(world).key_matches("lab", "something else")
    assert err(world, "DescribeKeyPairs", KeyNames=["nope"]).code == "InvalidKeyPair.NotFound"


def test_images_create_copy_share_public_deregister(world: World) -> None:
    iid = launch(world)
    reboots = []
    world.watch(lambda w, e: reboots.append(e.kind) if e.kind == "instance-reboot" else None)
    ami = world.call("ec2", "CreateImage", {"InstanceId": iid, "Name": "golden"})["ImageId"]
    assert reboots == ["instance-reboot"]
    world.call("ec2", "CreateImage", {"InstanceId": iid, "Name": "golden-2", "NoReboot": True})
    assert reboots == ["instance-reboot"]
    assert err(world, "CreateImage", InstanceId=iid, Name="golden").code == "InvalidAMIName.Duplicate"
    img = world.call("ec2", "DescribeImages", {"ImageIds": [ami]})["Images"][0]
    assert img["State"] == "pending"
    world.advance(120)
    assert world.call("ec2", "DescribeImages", {"Owners": ["self"]})["Images"][0]["State"] == "available"
    copied = world.call(
        "ec2", "CopyImage", {"SourceRegion": "us-east-1", "SourceImageId": ami, "Name": "golden"}, region="us-west-2"
    )["ImageId"]
    assert world.call("ec2", "DescribeImages", {"ImageIds": [copied]}, region="us-west-2")["Images"]
    world.call(
        "ec2", "ModifyImageAttribute", {"ImageId": ami, "LaunchPermission": {"Add": [{"UserId": "444455556666"}]}}
    )
    perms = world.call("ec2", "DescribeImageAttribute", {"ImageId": ami, "Attribute": "launchPermission"})
    assert perms["LaunchPermissions"] == [{"UserId": "444455556666"}]
    world.call("ec2", "ModifyImageAttribute", {"ImageId": ami, "LaunchPermission": {"Add": [{"Group": "all"}]}})
    assert world.call("ec2", "DescribeImages", {"ImageIds": [ami]})["Images"][0]["Public"] is True
    world.call("ec2", "DeregisterImage", {"ImageId": ami})
    assert (
        err(world, "RunInstances", ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1).code
        == "InvalidAMIID.NotFound"
    )
    assert err(world, "DeregisterImage", ImageId=al2023()).code == "AuthFailure"


def test_launch_templates_latest_and_default(world: World) -> None:
    lt = world.call(
        "ec2",
        "CreateLaunchTemplate",
        {"LaunchTemplateName": "web", "LaunchTemplateData": {"ImageId": al2023(), "InstanceType": "t3.micro"}},
    )
    lt_id = lt["LaunchTemplate"]["LaunchTemplateId"]
    assert (
        err(world, "CreateLaunchTemplate", LaunchTemplateName="web", LaunchTemplateData={}).code
        == "InvalidLaunchTemplateName.AlreadyExistsException"
    )
    v2 = world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {"LaunchTemplateId": lt_id, "SourceVersion": "1", "LaunchTemplateData": {"InstanceType": "t3.small"}},
    )
    assert v2["LaunchTemplateVersion"]["VersionNumber"] == 2
    assert v2["LaunchTemplateVersion"]["LaunchTemplateData"]["ImageId"] == al2023()
    by_default = launch(world, ImageId=None, InstanceType=None, LaunchTemplate={"LaunchTemplateId": lt_id})
    latest = launch(
        world, ImageId=None, InstanceType=None, LaunchTemplate={"LaunchTemplateId": lt_id, "Version": "$Latest"}
    )
    assert describe(world, by_default)["InstanceType"] == "t3.micro"
    inst = describe(world, latest)
    assert inst["InstanceType"] == "t3.small"
    assert {"Key": "aws:ec2launchtemplate:version", "Value": "2"} in inst["Tags"]
    world.call("ec2", "ModifyLaunchTemplate", {"LaunchTemplateId": lt_id, "DefaultVersion": "2"})
    assert (
        describe(world, launch(world, ImageId=None, InstanceType=None, LaunchTemplate={"LaunchTemplateName": "web"}))[
            "InstanceType"
        ]
        == "t3.small"
    )
    e = err(world, "DescribeLaunchTemplateVersions", LaunchTemplateId=lt_id, Versions=["9"])
    assert e.code == "InvalidLaunchTemplateId.VersionNotFound"
    e = err(world, "DescribeLaunchTemplates", LaunchTemplateNames=["nope"])
    assert e.code == "InvalidLaunchTemplateName.NotFoundException"


def test_dry_run_and_unauthorized(world: World) -> None:
    e = err(world, "RunInstances", ImageId=al2023(), InstanceType="t3.micro", MinCount=1, MaxCount=1, DryRun=True)
    assert e.code == "DryRunOperation" and e.status == 412
    assert world.call("ec2", "DescribeInstances", {})["Reservations"] == []
    world.deny("ec2:TerminateInstances")
    iid = launch(world)
    assert err(world, "TerminateInstances", InstanceIds=[iid], DryRun=True).code == "UnauthorizedOperation"
    assert err(world, "TerminateInstances", InstanceIds=[iid]).code == "UnauthorizedOperation"


def test_tags_and_filters(world: World) -> None:
    iid = launch(world, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
    launch(world)
    world.call("ec2", "CreateTags", {"Resources": [iid], "Tags": [{"Key": "env", "Value": "lab"}]})
    res = world.call("ec2", "DescribeInstances", {"Filters": [{"Name": "tag:Name", "Values": ["w*"]}]})
    assert [i["InstanceId"] for r in res["Reservations"] for i in r["Instances"]] == [iid]
    tags = world.call("ec2", "DescribeTags", {"Filters": [{"Name": "resource-id", "Values": [iid]}]})["Tags"]
    assert {t["Key"] for t in tags} == {"Name", "env"}
    world.call("ec2", "DeleteTags", {"Resources": [iid], "Tags": [{"Key": "env"}]})
    assert err(world, "DescribeInstances", Filters=[{"Name": "bogus", "Values": ["x"]}]).code == (
        "InvalidParameterValue"
    )
    res = world.call("ec2", "DescribeInstances", {"Filters": [{"Name": "instance-state-name", "Values": ["stopped"]}]})
    assert res["Reservations"] == []
