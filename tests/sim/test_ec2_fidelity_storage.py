"""EBS volumes and snapshots, RegisterImage, network interfaces and DescribeInstanceTypeOfferings."""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import AwsError, World, boto3_session

from .conftest import describe, launch


def err(world: World, op: str, **params: object) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params))
    return info.value


def c(world: World, op: str, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = world.call("ec2", op, params)
    return out


def test_volume_lifecycle_attach_detach_delete(world: World) -> None:
    iid = launch(world)
    az = describe(world, iid)["Placement"]["AvailabilityZone"]
    vol = c(
        world,
        "CreateVolume",
        AvailabilityZone=az,
        Size=20,
        VolumeType="gp3",
        TagSpecifications=[{"ResourceType": "volume", "Tags": [{"Key": "Name", "Value": "data"}]}],
    )
    vid = vol["VolumeId"]
    assert (vol["State"], vol["Size"], vol["AvailabilityZone"]) == ("creating", 20, az)
    assert vol["Tags"] == [{"Key": "Name", "Value": "data"}]
    e = err(world, "AttachVolume", VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert e.code == "IncorrectState"  # still creating
    world.advance(10)
    assert c(world, "DescribeVolumes", VolumeIds=[vid])["Volumes"][0]["State"] == "available"
    att = c(world, "AttachVolume", VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert (att["State"], att["Device"], att["InstanceId"], att["VolumeId"]) == ("attaching", "/dev/sdf", iid, vid)
    world.advance(5)
    shown = c(world, "DescribeVolumes", VolumeIds=[vid])["Volumes"][0]
    assert shown["State"] == "in-use" and shown["Attachments"][0]["State"] == "attached"
    assert "/dev/sdf" in [m["DeviceName"] for m in describe(world, iid)["BlockDeviceMappings"]]
    e = err(world, "AttachVolume", VolumeId=vid, InstanceId=iid, Device="/dev/sdg")
    assert e.code == "VolumeInUse"
    e = err(world, "DeleteVolume", VolumeId=vid)
    assert (e.code, e.message) == ("VolumeInUse", f"Volume {vid} is currently attached to {iid}")
    other = c(world, "CreateVolume", AvailabilityZone=az, Size=1)["VolumeId"]
    world.advance(10)
    e = err(world, "AttachVolume", VolumeId=other, InstanceId=iid, Device="/dev/sdf")
    assert e.code == "InvalidParameterValue" and "/dev/sdf" in e.message  # device already in use
    det = c(world, "DetachVolume", VolumeId=vid)
    assert det["State"] == "detaching"
    world.advance(5)
    assert c(world, "DescribeVolumes", VolumeIds=[vid])["Volumes"][0]["State"] == "available"
    e = err(world, "DetachVolume", VolumeId=vid)
    assert e.code == "IncorrectState"
    c(world, "DeleteVolume", VolumeId=vid)
    e = err(world, "DescribeVolumes", VolumeIds=[vid])
    assert (e.code, e.message) == ("InvalidVolume.NotFound", f"The volume '{vid}' does not exist.")
    root = describe(world, iid)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert err(world, "DeleteVolume", VolumeId=root).code == "VolumeInUse"


def test_volume_must_be_in_the_instance_zone(world: World) -> None:
    iid = launch(world)
    az = describe(world, iid)["Placement"]["AvailabilityZone"]
    zones = [z["ZoneName"] for z in c(world, "DescribeAvailabilityZones")["AvailabilityZones"]]
    elsewhere = next(z for z in zones if z != az)
    vid = c(world, "CreateVolume", AvailabilityZone=elsewhere, Size=8)["VolumeId"]
    world.advance(10)
    e = err(world, "AttachVolume", VolumeId=vid, InstanceId=iid, Device="/dev/sdf")
    assert e.code == "InvalidVolume.ZoneMismatch"
    e = err(world, "CreateVolume", AvailabilityZone="us-east-1z", Size=8)
    assert e.code == "InvalidParameterValue"
    assert err(world, "CreateVolume", AvailabilityZone=az).code == "MissingParameter"  # no size, no snapshot


def test_snapshots_and_volumes_from_them(world: World) -> None:
    iid = launch(world)
    root = describe(world, iid)["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    snap = c(world, "CreateSnapshot", VolumeId=root, Description="before upgrade")
    sid = snap["SnapshotId"]
    assert sid.startswith("snap-") and snap["State"] == "pending" and snap["VolumeId"] == root
    assert snap["OwnerId"] == "111122223333" and snap["Description"] == "before upgrade"
    world.advance(120)
    shown = c(world, "DescribeSnapshots", OwnerIds=["self"])["Snapshots"]
    assert [(s["SnapshotId"], s["State"], s["Progress"]) for s in shown] == [(sid, "completed", "100%")]
    az = describe(world, iid)["Placement"]["AvailabilityZone"]
    restored = c(world, "CreateVolume", AvailabilityZone=az, SnapshotId=sid)
    assert restored["SnapshotId"] == sid and restored["Size"] == shown[0]["VolumeSize"]
    assert err(world, "DescribeSnapshots", SnapshotIds=["snap-0123456789abcdef0"]).code == "InvalidSnapshot.NotFound"
    c(world, "DeleteSnapshot", SnapshotId=sid)
    assert c(world, "DescribeSnapshots", OwnerIds=["self"])["Snapshots"] == []
    assert err(world, "DeleteSnapshot", SnapshotId=sid).code == "InvalidSnapshot.NotFound"


def test_register_image_from_a_snapshot_and_launch_it(world: World) -> None:
    iid = launch(world)
    root = describe(world, iid)["BlockDeviceMappings"][0]
    sid = c(world, "CreateSnapshot", VolumeId=root["Ebs"]["VolumeId"])["SnapshotId"]
    world.advance(120)
    ami = c(
        world,
        "RegisterImage",
        Name="from-snap",
        RootDeviceName=root["DeviceName"],
        Architecture="x86_64",
        VirtualizationType="hvm",
        EnaSupport=True,
        BlockDeviceMappings=[{"DeviceName": root["DeviceName"], "Ebs": {"SnapshotId": sid}}],
    )["ImageId"]
    image = c(world, "DescribeImages", ImageIds=[ami])["Images"][0]
    assert image["Name"] == "from-snap" and image["OwnerId"] == "111122223333" and image["Public"] is False
    assert image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"] == sid
    world.advance(120)
    assert c(world, "DescribeImages", ImageIds=[ami])["Images"][0]["State"] == "available"
    new = launch(world, ImageId=ami)
    assert describe(world, new)["ImageId"] == ami
    e = err(world, "DeleteSnapshot", SnapshotId=sid)
    assert (e.code, e.message) == ("InvalidSnapshot.InUse", f"The snapshot {sid} is currently in use by {ami}")
    assert (
        err(
            world,
            "RegisterImage",
            Name="from-snap",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": sid}}],
        ).code
        == "InvalidAMIName.Duplicate"
    )
    assert (
        err(
            world,
            "RegisterImage",
            Name="x",
            RootDeviceName="/dev/xvda",
            BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": "snap-0123456789abcdef0"}}],
        ).code
        == "InvalidSnapshot.NotFound"
    )


def test_network_interfaces_create_attach_detach_delete(world: World) -> None:
    iid = launch(world)
    inst = describe(world, iid)
    primary = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    listed = {n["NetworkInterfaceId"]: n for n in c(world, "DescribeNetworkInterfaces")["NetworkInterfaces"]}
    assert listed[primary]["Status"] == "in-use" and listed[primary]["Attachment"]["InstanceId"] == iid
    eni = c(world, "CreateNetworkInterface", SubnetId=inst["SubnetId"], Description="second")["NetworkInterface"]
    nid = eni["NetworkInterfaceId"]
    assert eni["Status"] == "available" and eni["SubnetId"] == inst["SubnetId"] and eni["VpcId"] == inst["VpcId"]
    assert eni["PrivateIpAddress"] != inst["PrivateIpAddress"]
    assert eni["Groups"][0]["GroupName"] == "default"
    e = err(world, "CreateNetworkInterface", SubnetId=inst["SubnetId"], PrivateIpAddress=inst["PrivateIpAddress"])
    assert e.code == "InvalidIPAddress.InUse"
    att = c(world, "AttachNetworkInterface", NetworkInterfaceId=nid, InstanceId=iid, DeviceIndex=1)["AttachmentId"]
    assert att.startswith("eni-attach-")
    shown = c(world, "DescribeNetworkInterfaces", NetworkInterfaceIds=[nid])["NetworkInterfaces"][0]
    assert shown["Status"] == "in-use" and shown["Attachment"]["DeviceIndex"] == 1
    assert len(describe(world, iid)["NetworkInterfaces"]) == 2
    e = err(world, "DeleteNetworkInterface", NetworkInterfaceId=nid)
    assert (e.code, e.message) == ("InvalidNetworkInterface.InUse", f"Interface: [{nid}] in use.")
    e = err(world, "AttachNetworkInterface", NetworkInterfaceId=nid, InstanceId=iid, DeviceIndex=2)
    assert e.code == "InvalidNetworkInterface.InUse"
    c(world, "DetachNetworkInterface", AttachmentId=att)
    assert (
        c(world, "DescribeNetworkInterfaces", NetworkInterfaceIds=[nid])["NetworkInterfaces"][0]["Status"]
        == "available"
    )
    assert len(describe(world, iid)["NetworkInterfaces"]) == 1
    e = err(world, "DetachNetworkInterface", AttachmentId=inst["NetworkInterfaces"][0]["Attachment"]["AttachmentId"])
    assert e.code == "OperationNotPermitted"  # the primary interface stays
    c(world, "DeleteNetworkInterface", NetworkInterfaceId=nid)
    e = err(world, "DescribeNetworkInterfaces", NetworkInterfaceIds=[nid])
    assert (e.code, e.message) == (
        "InvalidNetworkInterfaceID.NotFound",
        f"The networkInterface ID '{nid}' does not exist",
    )
    by_filter = c(world, "DescribeNetworkInterfaces", Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])
    assert [n["NetworkInterfaceId"] for n in by_filter["NetworkInterfaces"]] == [primary]


def test_instance_type_offerings(world: World) -> None:
    region = c(world, "DescribeInstanceTypeOfferings")["InstanceTypeOfferings"]
    types = {o["InstanceType"] for o in region}
    assert {"t2.micro", "t3.micro"} <= types
    assert {(o["LocationType"], o["Location"]) for o in region} == {("region", "us-east-1")}
    zones = c(
        world,
        "DescribeInstanceTypeOfferings",
        LocationType="availability-zone",
        Filters=[{"Name": "instance-type", "Values": ["t3.micro"]}],
    )["InstanceTypeOfferings"]
    names = [z["ZoneName"] for z in c(world, "DescribeAvailabilityZones")["AvailabilityZones"]]
    assert sorted(o["Location"] for o in zones) == sorted(names)
    assert {o["InstanceType"] for o in zones} == {"t3.micro"}
    ids = c(
        world,
        "DescribeInstanceTypeOfferings",
        LocationType="availability-zone-id",
        Filters=[{"Name": "location", "Values": ["use1-az1"]}, {"Name": "instance-type", "Values": ["t2.*"]}],
    )
    assert ids["InstanceTypeOfferings"] and all(
        o["Location"] == "use1-az1" and o["InstanceType"].startswith("t2.") for o in ids["InstanceTypeOfferings"]
    )
    assert err(world, "DescribeInstanceTypeOfferings", LocationType="planet").code == "InvalidParameterValue"


def test_boto3_resource_volume_round_trip(world: World) -> None:
    iid = launch(world)
    ec2 = boto3_session(world).resource("ec2")
    az = ec2.Instance(iid).placement["AvailabilityZone"]
    vol = ec2.create_volume(AvailabilityZone=az, Size=5)
    world.advance(10)
    vol.attach_to_instance(InstanceId=iid, Device="/dev/sdh")
    world.advance(5)
    vol.reload()
    assert vol.state == "in-use" and vol.attachments[0]["InstanceId"] == iid


def test_create_image_lists_its_snapshot(world: World) -> None:
    iid = launch(world)
    ami = c(world, "CreateImage", InstanceId=iid, Name="golden", NoReboot=True)["ImageId"]
    sid = c(world, "DescribeImages", ImageIds=[ami])["Images"][0]["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    snap = c(world, "DescribeSnapshots", SnapshotIds=[sid])["Snapshots"][0]
    assert snap["Description"] == f"Created by CreateImage({iid}) for {ami}"
    assert err(world, "DeleteSnapshot", SnapshotId=sid).code == "InvalidSnapshot.InUse"
    c(world, "DeregisterImage", ImageId=ami)
    c(world, "DeleteSnapshot", SnapshotId=sid)
