"""EC2 API operations for internet gateways, route tables, DHCP options and deleting subnets and VPCs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.ec2 import filters, render_net, routing
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.params import require, tags_for

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.responses import Handler


# ----- internet gateways ---------------------------------------------------------------------------------------
def create_internet_gateway(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateInternetGateway."""
    igw = routing.create_internet_gateway(b, tags_for(params, "internet-gateway"))
    return {"InternetGateway": render_net.internet_gateway(b, igw)}


def attach_internet_gateway(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AttachInternetGateway."""
    routing.attach_internet_gateway(b, require(params, "InternetGatewayId"), require(params, "VpcId"))
    return {}


def detach_internet_gateway(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DetachInternetGateway."""
    routing.detach_internet_gateway(b, require(params, "InternetGatewayId"), require(params, "VpcId"))
    return {}


def delete_internet_gateway(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteInternetGateway."""
    routing.delete_internet_gateway(b, require(params, "InternetGatewayId"))
    return {}


def describe_internet_gateways(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeInternetGateways."""
    ids = params.get("InternetGatewayIds") or []
    igws = [routing.internet_gateway(b, i) for i in ids] if ids else list(b.state.internet_gateways.values())
    igws = filters.apply(
        igws,
        params.get("Filters"),
        {
            "internet-gateway-id": lambda g: [g.igw_id],
            "attachment.vpc-id": lambda g: [g.vpc_id],
            "attachment.state": lambda g: ["available"] if g.vpc_id else [],
            "owner-id": lambda g: [b.world.account_id],
        },
    )
    return {"InternetGateways": [render_net.internet_gateway(b, g) for g in igws]}


# ----- route tables --------------------------------------------------------------------------------------------
def create_route_table(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateRouteTable."""
    table = routing.create_route_table(b, require(params, "VpcId"), tags_for(params, "route-table"))
    return {"RouteTable": render_net.route_table(b, table)}


def create_route(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateRoute (internet gateway targets)."""
    gateway = params.get("GatewayId")
    if not gateway:
        raise E("MissingParameter.Target")
    routing.create_route(b, require(params, "RouteTableId"), require(params, "DestinationCidrBlock"), gateway)
    return {"Return": True}


def delete_route(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteRoute."""
    routing.delete_route(b, require(params, "RouteTableId"), require(params, "DestinationCidrBlock"))
    return {}


def associate_route_table(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AssociateRouteTable with a subnet."""
    assoc = routing.associate_route_table(b, require(params, "RouteTableId"), require(params, "SubnetId"))
    return {"AssociationId": assoc, "AssociationState": {"State": "associated"}}


def disassociate_route_table(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DisassociateRouteTable."""
    routing.disassociate_route_table(b, require(params, "AssociationId"))
    return {}


def delete_route_table(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteRouteTable."""
    routing.delete_route_table(b, require(params, "RouteTableId"))
    return {}


def describe_route_tables(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeRouteTables."""
    ids = params.get("RouteTableIds") or []
    tables = [routing.route_table(b, t) for t in ids] if ids else list(b.state.route_tables.values())
    tables = filters.apply(
        tables,
        params.get("Filters"),
        {
            "route-table-id": lambda t: [t.route_table_id],
            "vpc-id": lambda t: [t.vpc_id],
            "association.main": lambda t: [str(any(a.main for a in t.associations)).lower()],
            "association.subnet-id": lambda t: [a.subnet_id for a in t.associations],
            "association.route-table-association-id": lambda t: [a.association_id for a in t.associations],
            "route.gateway-id": lambda t: [r.gateway_id for r in t.routes],
            "route.destination-cidr-block": lambda t: [r.destination for r in t.routes],
            "owner-id": lambda t: [b.world.account_id],
        },
    )
    return {"RouteTables": [render_net.route_table(b, t) for t in tables]}


# ----- DHCP options --------------------------------------------------------------------------------------------
def create_dhcp_options(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateDhcpOptions."""
    configs: dict[str, list[str]] = {}
    for item in require(params, "DhcpConfigurations"):
        configs[str(item.get("Key"))] = [str(v) for v in item.get("Values") or []]
    dopt = routing.create_dhcp_options(b, configs, tags_for(params, "dhcp-options"))
    return {"DhcpOptions": render_net.dhcp_options(b, dopt)}


def associate_dhcp_options(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AssociateDhcpOptions (`default` for none)."""
    routing.associate_dhcp_options(b, require(params, "DhcpOptionsId"), require(params, "VpcId"))
    return {}


def delete_dhcp_options(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteDhcpOptions."""
    routing.delete_dhcp_options(b, require(params, "DhcpOptionsId"))
    return {}


def describe_dhcp_options(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeDhcpOptions."""
    ids = params.get("DhcpOptionsIds") or []
    sets = [routing.dhcp_options(b, d) for d in ids] if ids else list(b.state.dhcp_options.values())
    sets = filters.apply(
        sets,
        params.get("Filters"),
        {
            "dhcp-options-id": lambda d: [d.dhcp_options_id],
            "key": lambda d: list(d.configurations),
            "value": lambda d: [v for vs in d.configurations.values() for v in vs],
            "owner-id": lambda d: [b.world.account_id],
        },
    )
    return {"DhcpOptions": [render_net.dhcp_options(b, d) for d in sets]}


# ----- deleting ------------------------------------------------------------------------------------------------
def delete_subnet(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteSubnet."""
    routing.delete_subnet(b, require(params, "SubnetId"))
    return {}


def delete_vpc(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteVpc."""
    routing.delete_vpc(b, require(params, "VpcId"))
    return {}


OPERATIONS: dict[str, Handler] = {
    "CreateInternetGateway": create_internet_gateway,
    "AttachInternetGateway": attach_internet_gateway,
    "DetachInternetGateway": detach_internet_gateway,
    "DeleteInternetGateway": delete_internet_gateway,
    "DescribeInternetGateways": describe_internet_gateways,
    "CreateRouteTable": create_route_table,
    "CreateRoute": create_route,
    "DeleteRoute": delete_route,
    "AssociateRouteTable": associate_route_table,
    "DisassociateRouteTable": disassociate_route_table,
    "DeleteRouteTable": delete_route_table,
    "DescribeRouteTables": describe_route_tables,
    "CreateDhcpOptions": create_dhcp_options,
    "AssociateDhcpOptions": associate_dhcp_options,
    "DeleteDhcpOptions": delete_dhcp_options,
    "DescribeDhcpOptions": describe_dhcp_options,
    "DeleteSubnet": delete_subnet,
    "DeleteVpc": delete_vpc,
}
