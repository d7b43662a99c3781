"""Internet gateways, route tables and DHCP options of a Region, and what they mean for traffic.

A VPC starts with a main route table holding its `local` route; a subnet uses the table associated with it, or
the main table when none is. Traffic from the internet reaches an address in a subnet when that subnet's table
routes the sender's address (longest prefix first) to an internet gateway attached to the VPC; a route to a
detached gateway is a `blackhole`. Errors follow the EC2 API reference for each operation.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import TYPE_CHECKING

from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import (
    DhcpOptions,
    InternetGateway,
    Route,
    RouteTable,
    RouteTableAssociation,
    Subnet,
    Vpc,
)

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend

# The options EC2 accepts in CreateDhcpOptions.
DHCP_KEYS = (
    "domain-name",
    "domain-name-servers",
    "ntp-servers",
    "netbios-name-servers",
    "netbios-node-type",
    "ipv6-address-preferred-lease-time",
)


def region_domain(region: str) -> str:
    """The domain name of the Region's default DHCP options (`ec2.internal` in us-east-1)."""
    return "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"


# ----- lookups ---------------------------------------------------------------------------------------------
def internet_gateway(b: Ec2Backend, igw_id: str) -> InternetGateway:
    """An internet gateway by id."""
    found = b.state.internet_gateways.get(igw_id)
    if found is None:
        raise E("InvalidInternetGatewayID.NotFound", igw=igw_id)
    return found


def route_table(b: Ec2Backend, rtb_id: str) -> RouteTable:
    """A route table by id."""
    found = b.state.route_tables.get(rtb_id)
    if found is None:
        raise E("InvalidRouteTableID.NotFound", rtb=rtb_id)
    return found


def dhcp_options(b: Ec2Backend, dopt_id: str) -> DhcpOptions:
    """A DHCP options set by id."""
    found = b.state.dhcp_options.get(dopt_id)
    if found is None:
        raise E("InvalidDhcpOptionsID.NotFound", dopt=dopt_id)
    return found


def main_table(b: Ec2Backend, vpc_id: str) -> RouteTable | None:
    """The VPC's main route table."""
    return next(
        (t for t in b.state.route_tables.values() if t.vpc_id == vpc_id and any(a.main for a in t.associations)),
        None,
    )


def table_of_subnet(b: Ec2Backend, subnet: Subnet) -> RouteTable | None:
    """The table a subnet routes with: its own association, else the VPC's main table."""
    for table in b.state.route_tables.values():
        if any(a.subnet_id == subnet.subnet_id for a in table.associations):
            return table
    return main_table(b, subnet.vpc_id)


def route_state(b: Ec2Backend, table: RouteTable, route: Route) -> str:
    """`active`, or `blackhole` when the route's gateway is gone or not attached to the table's VPC."""
    if route.gateway_id == "local":
        return "active"
    igw = b.state.internet_gateways.get(route.gateway_id)
    return "active" if igw is not None and igw.vpc_id == table.vpc_id else "blackhole"


@lru_cache(maxsize=65536)
def _prefix_if_in(ip: str, cidr: str) -> int:
    """The prefix length of `cidr` when `ip` is in it, else -1 (cached: asked for every endpoint built)."""
    addr, net = ipaddress.ip_address(ip), ipaddress.ip_network(cidr)
    return net.prefixlen if addr.version == net.version and addr in net else -1


def internet_reaches(b: Ec2Backend, subnet_id: str, source_ip: str) -> bool:
    """Whether traffic from `source_ip` on the internet is routed into `subnet_id` (and replies routed back)."""
    subnet = b.state.subnets.get(subnet_id)
    if subnet is None:
        return False
    table = table_of_subnet(b, subnet)
    if table is None:  # a world saved before route tables existed: its VPCs said whether they had a gateway
        vpc = b.state.vpcs.get(subnet.vpc_id)
        return vpc is not None and vpc.has_internet_gateway
    best: Route | None = None
    best_len = -1
    for route in table.routes:
        length = _prefix_if_in(source_ip, route.destination)
        if length > best_len:
            best, best_len = route, length
    return best is not None and best.gateway_id != "local" and route_state(b, table, best) == "active"


# ----- building ----------------------------------------------------------------------------------------------
def default_dhcp_options(b: Ec2Backend) -> DhcpOptions:
    """The Region's default DHCP options set (created with the default VPC; new VPCs use it too)."""
    for dopt in b.state.dhcp_options.values():
        if dopt.configurations.get("domain-name") == [region_domain(b.region)] and not dopt.tags:
            return dopt
    return create_dhcp_options(
        b, {"domain-name": [region_domain(b.region)], "domain-name-servers": ["AmazonProvidedDNS"]}
    )


def add_main_table(b: Ec2Backend, vpc: Vpc) -> RouteTable:
    """A new VPC's main route table with its local route."""
    ids = b.world.ids
    table = RouteTable(ids.hex_id("rtb"), vpc.vpc_id, [Route(vpc.cidr, "local", "CreateRouteTable")])
    table.associations.append(RouteTableAssociation(ids.hex_id("rtbassoc"), None, True))
    b.state.route_tables[table.route_table_id] = table
    return table


def open_to_internet(b: Ec2Backend, vpc: Vpc) -> InternetGateway:
    """An internet gateway attached to `vpc` and a 0.0.0.0/0 route to it in the main table (what the default
    VPC has, and what a lab's public VPC starts with)."""
    igw = create_internet_gateway(b, {})
    attach_internet_gateway(b, igw.igw_id, vpc.vpc_id)
    table = main_table(b, vpc.vpc_id) or add_main_table(b, vpc)
    table.routes.append(Route("0.0.0.0/0", igw.igw_id))
    return igw


# ----- internet gateways ---------------------------------------------------------------------------------------
def create_internet_gateway(b: Ec2Backend, tags: dict[str, str]) -> InternetGateway:
    """CreateInternetGateway: detached until AttachInternetGateway."""
    igw = InternetGateway(b.world.ids.hex_id("igw"), None, dict(tags))
    b.state.internet_gateways[igw.igw_id] = igw
    return igw


def attach_internet_gateway(b: Ec2Backend, igw_id: str, vpc_id: str) -> None:
    """AttachInternetGateway: one gateway per VPC, one VPC per gateway."""
    igw = internet_gateway(b, igw_id)
    vpc = b.vpc(vpc_id)
    if igw.vpc_id is not None:
        raise E("Resource.AlreadyAssociated.Gateway", igw=igw.igw_id, vpc=igw.vpc_id)
    if any(g.vpc_id == vpc.vpc_id for g in b.state.internet_gateways.values()):
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Network {vpc.vpc_id} already has an internet gateway attached",
        )
    igw.vpc_id = vpc.vpc_id


def detach_internet_gateway(b: Ec2Backend, igw_id: str, vpc_id: str) -> None:
    """DetachInternetGateway; routes to it turn into blackholes."""
    igw = internet_gateway(b, igw_id)
    b.vpc(vpc_id)
    if igw.vpc_id != vpc_id:
        raise E("Gateway.NotAttached", igw=igw.igw_id, vpc=vpc_id)
    igw.vpc_id = None


def delete_internet_gateway(b: Ec2Backend, igw_id: str) -> None:
    """DeleteInternetGateway: only once detached."""
    igw = internet_gateway(b, igw_id)
    if igw.vpc_id is not None:
        raise E("DependencyViolation.Named", kind="internetGateway", rid=igw.igw_id)
    del b.state.internet_gateways[igw.igw_id]


# ----- route tables --------------------------------------------------------------------------------------------
def create_route_table(b: Ec2Backend, vpc_id: str, tags: dict[str, str]) -> RouteTable:
    """CreateRouteTable: the local route only, no associations."""
    vpc = b.vpc(vpc_id)
    table = RouteTable(b.world.ids.hex_id("rtb"), vpc.vpc_id, [Route(vpc.cidr, "local", "CreateRouteTable")])
    table.tags.update(tags)
    b.state.route_tables[table.route_table_id] = table
    return table


def _canonical(cidr: str) -> str:
    try:
        return str(ipaddress.ip_network(cidr, strict=False))
    except ValueError:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Value ({cidr}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.",
        ) from None


def create_route(b: Ec2Backend, rtb_id: str, destination: str, gateway_id: str) -> None:
    """CreateRoute to an internet gateway attached to the table's VPC."""
    table = route_table(b, rtb_id)
    dest = _canonical(destination)
    igw = b.state.internet_gateways.get(gateway_id)
    if igw is None:
        raise E("InvalidGatewayID.NotFound", gateway=gateway_id)
    if igw.vpc_id != table.vpc_id:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"route table {table.route_table_id} and network gateway {igw.igw_id} belong to different networks",
        )
    if any(r.destination == dest for r in table.routes):
        raise E("RouteAlreadyExists", cidr=dest)
    table.routes.append(Route(dest, igw.igw_id))


def delete_route(b: Ec2Backend, rtb_id: str, destination: str) -> None:
    """DeleteRoute (the local route stays)."""
    table = route_table(b, rtb_id)
    dest = _canonical(destination)
    route = next((r for r in table.routes if r.destination == dest), None)
    if route is None:
        raise E("InvalidRoute.NotFound", cidr=dest, rtb=table.route_table_id)
    if route.gateway_id == "local":
        raise E(
            "InvalidParameterValue.Generic",
            message=f"cannot remove local route {dest} in route table {table.route_table_id}",
        )
    table.routes.remove(route)


def associate_route_table(b: Ec2Backend, rtb_id: str, subnet_id: str) -> str:
    """AssociateRouteTable with a subnet of the same VPC; returns the association id."""
    table = route_table(b, rtb_id)
    subnet = b.subnet(subnet_id)
    if subnet.vpc_id != table.vpc_id:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Route table {table.route_table_id} and subnet {subnet.subnet_id} belong to different networks",
        )
    for other in b.state.route_tables.values():
        if any(a.subnet_id == subnet.subnet_id for a in other.associations):
            raise E("Resource.AlreadyAssociated.Subnet", rtb=table.route_table_id)
    assoc = RouteTableAssociation(b.world.ids.hex_id("rtbassoc"), subnet.subnet_id, False)
    table.associations.append(assoc)
    return assoc.association_id


def disassociate_route_table(b: Ec2Backend, association_id: str) -> None:
    """DisassociateRouteTable: the subnet falls back to the main table (the main association cannot go)."""
    for table in b.state.route_tables.values():
        for assoc in table.associations:
            if assoc.association_id == association_id:
                if assoc.main:
                    raise E(
                        "InvalidParameterValue.Generic",
                        message=f"cannot disassociate the main route table association {association_id}",
                    )
                table.associations.remove(assoc)
                return
    raise E("InvalidAssociationID.NotFound", assoc=association_id)


def delete_route_table(b: Ec2Backend, rtb_id: str) -> None:
    """DeleteRouteTable: not the main table, and not while a subnet uses it."""
    table = route_table(b, rtb_id)
    if table.associations:
        raise E("DependencyViolation.Named", kind="routeTable", rid=table.route_table_id)
    del b.state.route_tables[table.route_table_id]


# ----- DHCP options --------------------------------------------------------------------------------------------
def create_dhcp_options(
    b: Ec2Backend, configurations: dict[str, list[str]], tags: dict[str, str] | None = None
) -> DhcpOptions:
    """CreateDhcpOptions with the documented option names."""
    for key in configurations:
        if key not in DHCP_KEYS:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Value ({key}) for parameter name is invalid. Unknown DHCP option",
            )
    dopt = DhcpOptions(b.world.ids.hex_id("dopt"), {k: list(v) for k, v in configurations.items()}, dict(tags or {}))
    b.state.dhcp_options[dopt.dhcp_options_id] = dopt
    return dopt


def associate_dhcp_options(b: Ec2Backend, dopt_id: str, vpc_id: str) -> None:
    """AssociateDhcpOptions; `default` means no options set."""
    vpc = b.vpc(vpc_id)
    if dopt_id != "default":
        dhcp_options(b, dopt_id)
    vpc.dhcp_options_id = dopt_id


def delete_dhcp_options(b: Ec2Backend, dopt_id: str) -> None:
    """DeleteDhcpOptions: not while a VPC uses the set."""
    dopt = dhcp_options(b, dopt_id)
    if any(v.dhcp_options_id == dopt.dhcp_options_id for v in b.state.vpcs.values()):
        raise E("DependencyViolation.Named", kind="dhcpOptions", rid=dopt.dhcp_options_id)
    del b.state.dhcp_options[dopt.dhcp_options_id]


# ----- deleting subnets and VPCs -------------------------------------------------------------------------------
def delete_subnet(b: Ec2Backend, subnet_id: str) -> None:
    """DeleteSubnet: only when no instance or network interface is in it."""
    subnet = b.subnet(subnet_id)
    busy = any(i.subnet_id == subnet_id and i.state != "terminated" for i in b.state.instances.values())
    busy = busy or any(n.subnet_id == subnet_id for n in b.state.network_interfaces.values())
    if busy:
        raise E("DependencyViolation.Named", kind="subnet", rid=subnet.subnet_id)
    for table in b.state.route_tables.values():
        table.associations = [a for a in table.associations if a.subnet_id != subnet_id]
    del b.state.subnets[subnet_id]


def delete_vpc(b: Ec2Backend, vpc_id: str) -> None:
    """DeleteVpc: subnets, attached gateways, custom groups and custom route tables must be gone first; the
    default security group and the main route table go with the VPC."""
    vpc = b.vpc(vpc_id)
    state = b.state
    blocked = (
        any(s.vpc_id == vpc_id for s in state.subnets.values())
        or any(g.vpc_id == vpc_id for g in state.internet_gateways.values())
        or any(g.vpc_id == vpc_id and g.name != "default" for g in state.security_groups.values())
        or any(t.vpc_id == vpc_id and not any(a.main for a in t.associations) for t in state.route_tables.values())
    )
    if blocked:
        raise E("DependencyViolation.Named", kind="vpc", rid=vpc.vpc_id)
    for gid in [g.group_id for g in state.security_groups.values() if g.vpc_id == vpc_id]:
        del state.security_groups[gid]
    for rid in [t.route_table_id for t in state.route_tables.values() if t.vpc_id == vpc_id]:
        del state.route_tables[rid]
    del state.vpcs[vpc_id]
