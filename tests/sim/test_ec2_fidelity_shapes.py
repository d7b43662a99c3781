"""Every operation added for issue 11's fidelity items, run in order, against botocore's output shape.

`test_frontends.test_every_operation_matches_its_botocore_output_shape` covers the other operations and
checks that the two lists together are every implemented operation (DescribeVolumes is in both).
"""

from __future__ import annotations

from typing import Any

from awsprep.sim import World

from .conftest import describe, launch
from .shapes import EC2_MODEL, check_shape

RSA_PUB = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdNeBiG1cT+hZfbCEvWUd4a1vcTyXioHSml11kNICji my-key"

# (operation, parameters; a callable gets the ids made so far)
Step = tuple[str, Any]


def _steps() -> list[Step]:
    return [
        ("CreateVpc", {"CidrBlock": "10.0.0.0/16"}),
        ("CreateSubnet", lambda s: {"VpcId": s["vpc"], "CidrBlock": "10.0.1.0/24"}),
        ("CreateInternetGateway", {}),
        ("AttachInternetGateway", lambda s: {"InternetGatewayId": s["igw"], "VpcId": s["vpc"]}),
        ("DescribeInternetGateways", {}),
        ("CreateRouteTable", lambda s: {"VpcId": s["vpc"]}),
        (
            "CreateRoute",
            lambda s: {"RouteTableId": s["rtb"], "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": s["igw"]},
        ),
        ("AssociateRouteTable", lambda s: {"RouteTableId": s["rtb"], "SubnetId": s["subnet"]}),
        ("DescribeRouteTables", {}),
        ("DisassociateRouteTable", lambda s: {"AssociationId": s["assoc"]}),
        ("DeleteRoute", lambda s: {"RouteTableId": s["rtb"], "DestinationCidrBlock": "0.0.0.0/0"}),
        ("DeleteRouteTable", lambda s: {"RouteTableId": s["rtb"]}),
        ("DetachInternetGateway", lambda s: {"InternetGatewayId": s["igw"], "VpcId": s["vpc"]}),
        ("DeleteInternetGateway", lambda s: {"InternetGatewayId": s["igw"]}),
        ("CreateDhcpOptions", {"DhcpConfigurations": [{"Key": "domain-name", "Values": ["example.com"]}]}),
        ("AssociateDhcpOptions", lambda s: {"DhcpOptionsId": s["dopt"], "VpcId": s["vpc"]}),
        ("DescribeDhcpOptions", {}),
        ("AssociateDhcpOptions", lambda s: {"DhcpOptionsId": "default", "VpcId": s["vpc"]}),
        ("DeleteDhcpOptions", lambda s: {"DhcpOptionsId": s["dopt"]}),
        ("CreateNetworkInterface", lambda s: {"SubnetId": s["subnet"], "Description": "x"}),
        ("DescribeNetworkInterfaces", {}),
        (
            "AttachNetworkInterface",
            lambda s: {"NetworkInterfaceId": s["eni"], "InstanceId": s["iid2"], "DeviceIndex": 1},
        ),
        ("DetachNetworkInterface", lambda s: {"AttachmentId": s["eni_att"]}),
        ("DeleteNetworkInterface", lambda s: {"NetworkInterfaceId": s["eni"]}),
        ("CreateVolume", lambda s: {"AvailabilityZone": s["az"], "Size": 4}),
        ("AttachVolume", lambda s: {"VolumeId": s["vol"], "InstanceId": s["iid"], "Device": "/dev/sdf"}),
        ("DescribeVolumes", {}),
        ("DetachVolume", lambda s: {"VolumeId": s["vol"]}),
        ("CreateSnapshot", lambda s: {"VolumeId": s["vol"], "Description": "d"}),
        ("DescribeSnapshots", {"OwnerIds": ["self"]}),
        (
            "RegisterImage",
            lambda s: {
                "Name": "reg",
                "RootDeviceName": "/dev/xvda",
                "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"SnapshotId": s["snap"]}}],
            },
        ),
        ("DeregisterImage", lambda s: {"ImageId": s["ami"]}),
        ("DeleteSnapshot", lambda s: {"SnapshotId": s["snap"]}),
        ("DeleteVolume", lambda s: {"VolumeId": s["vol"]}),
        ("DescribeInstanceTypeOfferings", {"LocationType": "availability-zone"}),
        ("DeleteSubnet", lambda s: {"SubnetId": s["subnet2"]}),
        ("DeleteVpc", lambda s: {"VpcId": s["vpc2"]}),
    ]


FIDELITY_OPS = sorted({op for op, _ in _steps()} - {"CreateVpc", "CreateSubnet", "DescribeVolumes", "DeregisterImage"})

_IDS = {
    "Vpc": ("vpc", "VpcId"),
    "Subnet": ("subnet", "SubnetId"),
    "InternetGateway": ("igw", "InternetGatewayId"),
    "RouteTable": ("rtb", "RouteTableId"),
    "DhcpOptions": ("dopt", "DhcpOptionsId"),
    "NetworkInterface": ("eni", "NetworkInterfaceId"),
}


def test_fidelity_operations_match_their_botocore_output_shapes() -> None:
    world = World(seed=5)
    iid = launch(world)
    made: dict[str, str] = {"iid": iid, "az": describe(world, iid)["Placement"]["AvailabilityZone"]}
    spare_vpc = world.call("ec2", "CreateVpc", {"CidrBlock": "10.7.0.0/16"})["Vpc"]["VpcId"]
    made["vpc2"] = spare_vpc
    for op, given in _steps():
        params = given(made) if callable(given) else given
        if op == "AttachVolume":
            world.advance(10)
        out = world.call("ec2", op, params)
        shape = EC2_MODEL.operation_model(op).output_shape
        if shape is None:
            assert out == {}, op
        else:
            check_shape(out, shape, op)
        for key, (name, field) in _IDS.items():
            if key in out and field in out[key]:
                made.setdefault(name, out[key][field])
        if op == "CreateSubnet":
            made["subnet2"] = world.call("ec2", "CreateSubnet", {"VpcId": spare_vpc, "CidrBlock": "10.7.1.0/24"})[
                "Subnet"
            ]["SubnetId"]
            made["iid2"] = launch(world, SubnetId=made["subnet"])
        made.update(
            {
                k: out[v]
                for k, v in (
                    ("assoc", "AssociationId"),
                    ("eni_att", "AttachmentId"),
                    ("vol", "VolumeId"),
                    ("snap", "SnapshotId"),
                    ("ami", "ImageId"),
                )
                if out.get(v) and k not in made
            }
        )
    assert world.call("sts", "GetCallerIdentity", {})["Account"] == world.account_id
    check_shape(
        world.call("sts", "GetCallerIdentity", {}),
        __import__("botocore.session")
        .session.get_session()
        .get_service_model("sts")
        .operation_model("GetCallerIdentity")
        .output_shape,
        "GetCallerIdentity",
    )
