"""Response dicts for internet gateways, route tables, DHCP options, snapshots and network interfaces."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.clock import to_datetime
from awsprep.sim.ec2 import routing, storage
from awsprep.sim.ec2.catalog import private_dns
from awsprep.sim.ec2.state import DhcpOptions, Instance, InternetGateway, NetworkInterface, RouteTable, Snapshot

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend


def _tags(d: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in d.items()]


def internet_gateway(b: Ec2Backend, igw: InternetGateway) -> dict[str, Any]:
    """An InternetGateway."""
    return {
        "Attachments": [{"State": "available", "VpcId": igw.vpc_id}] if igw.vpc_id else [],
        "InternetGatewayId": igw.igw_id,
        "OwnerId": b.world.account_id,
        "Tags": _tags(igw.tags),
    }


def route_table(b: Ec2Backend, table: RouteTable) -> dict[str, Any]:
    """A RouteTable with its routes and associations."""
    routes = []
    for route in table.routes:
        routes.append(
            {
                "DestinationCidrBlock": route.destination,
                "GatewayId": route.gateway_id,
                "Origin": route.origin,
                "State": routing.route_state(b, table, route),
            }
        )
    assocs = []
    for assoc in table.associations:
        item: dict[str, Any] = {
            "Main": assoc.main,
            "RouteTableAssociationId": assoc.association_id,
            "RouteTableId": table.route_table_id,
            "AssociationState": {"State": "associated"},
        }
        if assoc.subnet_id:
            item["SubnetId"] = assoc.subnet_id
        assocs.append(item)
    return {
        "Associations": assocs,
        "PropagatingVgws": [],
        "RouteTableId": table.route_table_id,
        "Routes": routes,
        "Tags": _tags(table.tags),
        "VpcId": table.vpc_id,
        "OwnerId": b.world.account_id,
    }


def dhcp_options(b: Ec2Backend, dopt: DhcpOptions) -> dict[str, Any]:
    """A DhcpOptions set."""
    return {
        "DhcpConfigurations": [
            {"Key": k, "Values": [{"Value": v} for v in values]} for k, values in dopt.configurations.items()
        ],
        "DhcpOptionsId": dopt.dhcp_options_id,
        "OwnerId": b.world.account_id,
        "Tags": _tags(dopt.tags),
    }


def snapshot(b: Ec2Backend, snap: Snapshot) -> dict[str, Any]:
    """A Snapshot (CreateSnapshot returns the same structure at the top level)."""
    state, progress = storage.snapshot_progress(b, snap)
    out: dict[str, Any] = {
        "SnapshotId": snap.snapshot_id,
        "VolumeId": snap.volume_id,
        "State": state,
        "StartTime": to_datetime(snap.started),
        "Progress": progress,
        "OwnerId": b.world.account_id,
        "Description": snap.description,
        "VolumeSize": snap.size_gb,
        "Encrypted": False,
        "StorageTier": "standard",
    }
    if snap.tags:
        out["Tags"] = _tags(snap.tags)
    return out


def interface(
    b: Ec2Backend,
    eni: NetworkInterface,
) -> dict[str, Any]:
    """A NetworkInterface made with CreateNetworkInterface."""
    from awsprep.sim.ec2.interfaces import attached_instance

    known = b.state.security_groups
    attached = attached_instance(b, eni) if eni.instance_id else None
    out: dict[str, Any] = {
        "AvailabilityZone": eni.az,
        "Description": eni.description,
        "Groups": [{"GroupId": g, "GroupName": known[g].name} for g in eni.group_ids if g in known],
        "InterfaceType": "interface",
        "Ipv6Addresses": [],
        "MacAddress": eni.mac,
        "NetworkInterfaceId": eni.eni_id,
        "OwnerId": b.world.account_id,
        "PrivateDnsName": private_dns(b.region, eni.private_ip),
        "PrivateIpAddress": eni.private_ip,
        "PrivateIpAddresses": [
            {
                "Primary": True,
                "PrivateDnsName": private_dns(b.region, eni.private_ip),
                "PrivateIpAddress": eni.private_ip,
            }
        ],
        "RequesterManaged": False,
        "SourceDestCheck": eni.source_dest_check,
        "Status": "in-use" if attached else "available",
        "SubnetId": eni.subnet_id,
        "TagSet": _tags(eni.tags),
        "VpcId": eni.vpc_id,
    }
    if attached and eni.attachment_id:
        out["Attachment"] = {
            "AttachTime": to_datetime(eni.attach_time),
            "AttachmentId": eni.attachment_id,
            "DeleteOnTermination": False,
            "DeviceIndex": eni.device_index,
            "NetworkCardIndex": 0,
            "InstanceId": attached,
            "InstanceOwnerId": b.world.account_id,
            "Status": "attached",
        }
    return out


def primary_interface(b: Ec2Backend, inst: Instance) -> dict[str, Any]:
    """An instance's primary interface in the NetworkInterface shape of DescribeNetworkInterfaces."""
    from awsprep.sim.ec2.catalog import public_dns

    eni = NetworkInterface(
        inst.eni_id,
        inst.subnet_id,
        inst.vpc_id,
        inst.az,
        inst.private_ip,
        inst.mac,
        list(inst.security_group_ids),
        "",
        inst.instance_id,
        inst.attachment_id,
        0,
        inst.launch_time,
        inst.source_dest_check,
    )
    out = interface(b, eni)
    out["Attachment"]["DeleteOnTermination"] = True
    public = b.public_address(inst)
    if public:
        assoc = {
            "IpOwnerId": "amazon" if not inst.eip_allocation_id else b.world.account_id,
            "PublicDnsName": public_dns(b.region, public),
            "PublicIp": public,
        }
        out["Association"] = assoc
        out["PrivateIpAddresses"][0]["Association"] = assoc
    return out


_INSTANCE_ENI_KEYS = (
    "Description",
    "Groups",
    "Ipv6Addresses",
    "MacAddress",
    "NetworkInterfaceId",
    "OwnerId",
    "PrivateDnsName",
    "PrivateIpAddress",
    "PrivateIpAddresses",
    "SourceDestCheck",
    "Status",
    "SubnetId",
    "VpcId",
    "InterfaceType",
)


def instance_interface(b: Ec2Backend, eni: NetworkInterface) -> dict[str, Any]:
    """A secondary interface in the InstanceNetworkInterface shape of DescribeInstances."""
    full = interface(b, eni)
    out = {k: full[k] for k in _INSTANCE_ENI_KEYS}
    out["Attachment"] = {
        "AttachTime": to_datetime(eni.attach_time),
        "AttachmentId": eni.attachment_id,
        "DeleteOnTermination": False,
        "DeviceIndex": eni.device_index,
        "Status": "attached",
        "NetworkCardIndex": 0,
    }
    return out
