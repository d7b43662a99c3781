"""Internet gateways, route tables, DHCP options, DeleteVpc/DeleteSubnet, and what the data plane makes of them.

A new VPC is private until an internet gateway is attached and the subnet's route table (its own, or the
VPC's main table) sends 0.0.0.0/0 to it; the default VPC comes with both, visible in describes.
"""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import AwsError, Outcome, World, connect, ec2

from .conftest import describe, launch


def err(world: World, op: str, **params: object) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("ec2", op, dict(params))
    return info.value


def c(world: World, op: str, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = world.call("ec2", op, params)
    return out


def test_default_vpc_shows_its_internet_gateway_and_main_route_table(world: World) -> None:
    vpc = c(world, "DescribeVpcs", Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    igws = c(world, "DescribeInternetGateways")["InternetGateways"]
    assert len(igws) == 1 and igws[0]["InternetGatewayId"].startswith("igw-")
    assert igws[0]["Attachments"] == [{"State": "available", "VpcId": vpc["VpcId"]}]
    assert igws[0]["OwnerId"] == "111122223333"
    tables = c(world, "DescribeRouteTables", Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["RouteTables"]
    assert len(tables) == 1
    main = tables[0]
    assert main["Associations"][0]["Main"] is True and main["Associations"][0]["AssociationState"] == {
        "State": "associated"
    }
    routes = {r["DestinationCidrBlock"]: r for r in main["Routes"]}
    assert routes["172.31.0.0/16"]["GatewayId"] == "local" and routes["172.31.0.0/16"]["State"] == "active"
    assert routes["0.0.0.0/0"]["GatewayId"] == igws[0]["InternetGatewayId"]
    assert vpc["DhcpOptionsId"] in [d["DhcpOptionsId"] for d in c(world, "DescribeDhcpOptions")["DhcpOptions"]]
    by_filter = c(world, "DescribeRouteTables", Filters=[{"Name": "association.main", "Values": ["true"]}])
    assert [t["RouteTableId"] for t in by_filter["RouteTables"]] == [main["RouteTableId"]]


def _public_subnet_world(world: World) -> tuple[str, str, str]:
    """A new VPC with one subnet that auto-assigns public IPs, and a running instance in it open on 22."""
    vpc = c(world, "CreateVpc", CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = c(world, "CreateSubnet", VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    c(world, "ModifySubnetAttribute", SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
    sg = c(world, "CreateSecurityGroup", GroupName="ssh", Description="ssh", VpcId=vpc)["GroupId"]
    c(
        world,
        "AuthorizeSecurityGroupIngress",
        GroupId=sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    iid = launch(world, SubnetId=subnet, SecurityGroupIds=[sg])
    return vpc, subnet, iid


def test_new_vpc_reaches_the_internet_only_with_gateway_and_route(world: World) -> None:
    vpc, subnet, iid = _public_subnet_world(world)
    ip = describe(world, iid)["PublicIpAddress"]
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT  # no internet gateway
    igw = c(world, "CreateInternetGateway")["InternetGateway"]["InternetGatewayId"]
    c(world, "AttachInternetGateway", InternetGatewayId=igw, VpcId=vpc)
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT  # gateway, but no route to it
    rtb = c(world, "CreateRouteTable", VpcId=vpc)["RouteTable"]
    assert [r["GatewayId"] for r in rtb["Routes"]] == ["local"] and rtb["Associations"] == []
    c(world, "CreateRoute", RouteTableId=rtb["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT  # the subnet still uses the main table
    assert not ec2.subnet_reaches_internet(world, "us-east-1", subnet)
    assoc = c(world, "AssociateRouteTable", RouteTableId=rtb["RouteTableId"], SubnetId=subnet)["AssociationId"]
    assert ec2.subnet_reaches_internet(world, "us-east-1", subnet)
    assert assoc.startswith("rtbassoc-")
    assert connect(world, ip, 22).outcome is Outcome.CONNECTED
    c(world, "DisassociateRouteTable", AssociationId=assoc)
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT
    main = c(
        world,
        "DescribeRouteTables",
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "association.main", "Values": ["true"]}],
    )["RouteTables"][0]
    c(world, "CreateRoute", RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assert connect(world, ip, 22).outcome is Outcome.CONNECTED  # the main table routes it now
    c(world, "DeleteRoute", RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0")
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT
    c(world, "CreateRoute", RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    c(world, "DetachInternetGateway", InternetGatewayId=igw, VpcId=vpc)
    assert connect(world, ip, 22).outcome is Outcome.TIMEOUT  # a route to a detached gateway is a blackhole
    table = c(world, "DescribeRouteTables", RouteTableIds=[main["RouteTableId"]])["RouteTables"][0]
    assert {r["DestinationCidrBlock"]: r["State"] for r in table["Routes"]}["0.0.0.0/0"] == "blackhole"


def test_default_vpc_still_reaches_the_internet(world: World) -> None:
    sg = c(world, "CreateSecurityGroup", GroupName="ssh", Description="ssh")["GroupId"]
    c(
        world,
        "AuthorizeSecurityGroupIngress",
        GroupId=sg,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    iid = launch(world, SecurityGroupIds=[sg])
    assert connect(world, describe(world, iid)["PublicIpAddress"], 22).outcome is Outcome.CONNECTED


def test_gateway_and_route_table_errors(world: World) -> None:
    vpc = c(world, "CreateVpc", CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    other = c(world, "CreateVpc", CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    igw = c(world, "CreateInternetGateway")["InternetGateway"]["InternetGatewayId"]
    c(world, "AttachInternetGateway", InternetGatewayId=igw, VpcId=vpc)
    e = err(world, "AttachInternetGateway", InternetGatewayId=igw, VpcId=other)
    assert e.code == "Resource.AlreadyAssociated" and igw in e.message
    e = err(world, "DetachInternetGateway", InternetGatewayId=igw, VpcId=other)
    assert (e.code, e.message) == ("Gateway.NotAttached", f"resource {igw} is not attached to network {other}")
    e = err(world, "DeleteInternetGateway", InternetGatewayId=igw)
    assert (e.code, e.message) == (
        "DependencyViolation",
        f"The internetGateway '{igw}' has dependencies and cannot be deleted.",
    )
    e = err(world, "DescribeInternetGateways", InternetGatewayIds=["igw-0123456789abcdef0"])
    assert (e.code, e.message) == (
        "InvalidInternetGatewayID.NotFound",
        "The internetGateway ID 'igw-0123456789abcdef0' does not exist",
    )
    rtb = c(world, "CreateRouteTable", VpcId=other)["RouteTable"]["RouteTableId"]
    e = err(world, "CreateRoute", RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assert (e.code, e.message) == (
        "InvalidParameterValue",
        f"route table {rtb} and network gateway {igw} belong to different networks",
    )
    e = err(world, "CreateRoute", RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId="igw-0123456789abcdef0")
    assert (e.code, e.message) == ("InvalidGatewayID.NotFound", "The gateway ID 'igw-0123456789abcdef0' does not exist")
    main = c(world, "DescribeRouteTables", Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0][
        "RouteTableId"
    ]
    c(world, "CreateRoute", RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    e = err(world, "CreateRoute", RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assert (e.code, e.message) == ("RouteAlreadyExists", "The route identified by 0.0.0.0/0 already exists.")
    e = err(world, "DeleteRoute", RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")
    assert (e.code, e.message) == (
        "InvalidRoute.NotFound",
        f"no route with destination-cidr-block 0.0.0.0/0 in route table {rtb}",
    )
    e = err(world, "DeleteRoute", RouteTableId=main, DestinationCidrBlock="10.0.0.0/16")
    assert e.code == "InvalidParameterValue"  # the local route cannot be deleted
    e = err(world, "DeleteRouteTable", RouteTableId=main)
    assert (e.code, e.message) == (
        "DependencyViolation",
        f"The routeTable '{main}' has dependencies and cannot be deleted.",
    )
    e = err(world, "DescribeRouteTables", RouteTableIds=["rtb-0123456789abcdef0"])
    assert (e.code, e.message) == (
        "InvalidRouteTableID.NotFound",
        "The routeTable ID 'rtb-0123456789abcdef0' does not exist",
    )
    subnet = c(world, "CreateSubnet", VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    e = err(world, "AssociateRouteTable", RouteTableId=rtb, SubnetId=subnet)
    assert e.code == "InvalidParameterValue"  # the table belongs to another VPC
    c(world, "DeleteRouteTable", RouteTableId=rtb)
    e = err(world, "DisassociateRouteTable", AssociationId="rtbassoc-0123456789abcdef0")
    assert e.code == "InvalidAssociationID.NotFound"


def test_delete_vpc_needs_its_dependencies_gone_first(world: World) -> None:
    vpc = c(world, "CreateVpc", CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = c(world, "CreateSubnet", VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    igw = c(world, "CreateInternetGateway")["InternetGateway"]["InternetGatewayId"]
    c(world, "AttachInternetGateway", InternetGatewayId=igw, VpcId=vpc)
    sg = c(world, "CreateSecurityGroup", GroupName="app", Description="d", VpcId=vpc)["GroupId"]
    rtb = c(world, "CreateRouteTable", VpcId=vpc)["RouteTable"]["RouteTableId"]
    dependency = f"The vpc '{vpc}' has dependencies and cannot be deleted."
    e = err(world, "DeleteVpc", VpcId=vpc)
    assert (e.code, e.message) == ("DependencyViolation", dependency)
    iid = launch(world, SubnetId=subnet)
    e = err(world, "DeleteSubnet", SubnetId=subnet)
    assert (e.code, e.message) == (
        "DependencyViolation",
        f"The subnet '{subnet}' has dependencies and cannot be deleted.",
    )
    c(world, "TerminateInstances", InstanceIds=[iid])
    world.advance(30)
    c(world, "DeleteSubnet", SubnetId=subnet)
    c(world, "DetachInternetGateway", InternetGatewayId=igw, VpcId=vpc)
    c(world, "DeleteSecurityGroup", GroupId=sg)
    assert err(world, "DeleteVpc", VpcId=vpc).message == dependency  # the extra route table is still there
    c(world, "DeleteRouteTable", RouteTableId=rtb)
    c(world, "DeleteVpc", VpcId=vpc)
    assert err(world, "DescribeVpcs", VpcIds=[vpc]).code == "InvalidVpcID.NotFound"
    groups = c(world, "DescribeSecurityGroups", Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    tables = c(world, "DescribeRouteTables", Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    assert groups == [] and tables == []  # its default group and main table went with it
    c(world, "DeleteInternetGateway", InternetGatewayId=igw)
    assert err(world, "DeleteVpc", VpcId=vpc).code == "InvalidVpcID.NotFound"
    assert err(world, "DeleteSubnet", SubnetId=subnet).code == "InvalidSubnetID.NotFound"


def test_dhcp_options_create_associate_delete(world: World) -> None:
    vpc = c(world, "CreateVpc", CidrBlock="10.0.0.0/16")["Vpc"]
    default_set = vpc["DhcpOptionsId"]
    created = c(
        world,
        "CreateDhcpOptions",
        DhcpConfigurations=[
            {"Key": "domain-name", "Values": ["example.com"]},
            {"Key": "domain-name-servers", "Values": ["AmazonProvidedDNS"]},
        ],
    )["DhcpOptions"]
    dopt = created["DhcpOptionsId"]
    assert dopt.startswith("dopt-") and dopt != default_set
    configs = {d["Key"]: [v["Value"] for v in d["Values"]] for d in created["DhcpConfigurations"]}
    assert configs == {"domain-name": ["example.com"], "domain-name-servers": ["AmazonProvidedDNS"]}
    c(world, "AssociateDhcpOptions", DhcpOptionsId=dopt, VpcId=vpc["VpcId"])
    assert c(world, "DescribeVpcs", VpcIds=[vpc["VpcId"]])["Vpcs"][0]["DhcpOptionsId"] == dopt
    e = err(world, "DeleteDhcpOptions", DhcpOptionsId=dopt)
    assert (e.code, e.message) == (
        "DependencyViolation",
        f"The dhcpOptions '{dopt}' has dependencies and cannot be deleted.",
    )
    c(world, "AssociateDhcpOptions", DhcpOptionsId="default", VpcId=vpc["VpcId"])
    assert c(world, "DescribeVpcs", VpcIds=[vpc["VpcId"]])["Vpcs"][0]["DhcpOptionsId"] == "default"
    c(world, "DeleteDhcpOptions", DhcpOptionsId=dopt)
    e = err(world, "DescribeDhcpOptions", DhcpOptionsIds=[dopt])
    assert (e.code, e.message) == ("InvalidDhcpOptionsID.NotFound", f"The dhcpOption ID '{dopt}' does not exist")
    e = err(world, "CreateDhcpOptions", DhcpConfigurations=[{"Key": "no-such-option", "Values": ["x"]}])
    assert e.code == "InvalidParameterValue"


def test_route_tables_and_gateways_page_within_their_bounds(world: World) -> None:
    vpcs = [c(world, "CreateVpc", CidrBlock=f"10.{n}.0.0/16")["Vpc"]["VpcId"] for n in range(6)]
    seen: list[str] = []
    token: str | None = None
    while True:
        page = c(world, "DescribeRouteTables", MaxResults=5, **({"NextToken": token} if token else {}))
        assert len(page["RouteTables"]) <= 5
        seen += [t["RouteTableId"] for t in page["RouteTables"]]
        token = page.get("NextToken")
        if not token:
            break
    assert len(seen) == len(set(seen)) == len(vpcs) + 1  # each new VPC's main table and the default one
    assert err(world, "DescribeRouteTables", MaxResults=101).code == "InvalidParameterValue"
    assert err(world, "DescribeInternetGateways", MaxResults=4).code == "InvalidParameterValue"
