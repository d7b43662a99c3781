"""EC2 API operations for network interfaces (created ones and instances' primary ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from awsprep.sim.ec2 import filters, interfaces, render_net
from awsprep.sim.ec2.params import require, tags_for

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.responses import Handler


def create_network_interface(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateNetworkInterface."""
    eni = interfaces.create_interface(
        b,
        require(params, "SubnetId"),
        list(params.get("Groups") or []),
        params.get("PrivateIpAddress"),
        params.get("Description") or "",
        tags_for(params, "network-interface"),
    )
    return {"NetworkInterface": render_net.interface(b, eni)}


def attach_network_interface(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AttachNetworkInterface."""
    index = params.get("DeviceIndex")
    attachment = interfaces.attach_interface(
        b,
        require(params, "NetworkInterfaceId"),
        require(params, "InstanceId"),
        int(require(params, "DeviceIndex") if index != 0 else 0),
    )
    return {"AttachmentId": attachment, "NetworkCardIndex": 0}


def detach_network_interface(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DetachNetworkInterface."""
    interfaces.detach_interface(b, require(params, "AttachmentId"))
    return {}


def delete_network_interface(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteNetworkInterface."""
    interfaces.delete_interface(b, require(params, "NetworkInterfaceId"))
    return {}


@dataclass(frozen=True)
class _Row:
    """A rendered interface, with its tags where `filters.apply` looks for them."""

    data: dict[str, Any]

    @property
    def tags(self) -> dict[str, str]:
        return {t["Key"]: t["Value"] for t in self.data["TagSet"]}


def _attachment(row: _Row, key: str) -> list[str | None]:
    value = (row.data.get("Attachment") or {}).get(key)
    return [None if value is None else str(value)]


_FILTERS: dict[str, filters.Extractor] = {
    "network-interface-id": lambda r: [r.data["NetworkInterfaceId"]],
    "subnet-id": lambda r: [r.data["SubnetId"]],
    "vpc-id": lambda r: [r.data["VpcId"]],
    "availability-zone": lambda r: [r.data["AvailabilityZone"]],
    "status": lambda r: [r.data["Status"]],
    "private-ip-address": lambda r: [r.data["PrivateIpAddress"]],
    "description": lambda r: [r.data["Description"]],
    "mac-address": lambda r: [r.data["MacAddress"]],
    "group-id": lambda r: [g["GroupId"] for g in r.data["Groups"]],
    "attachment.instance-id": lambda r: _attachment(r, "InstanceId"),
    "attachment.attachment-id": lambda r: _attachment(r, "AttachmentId"),
    "attachment.device-index": lambda r: _attachment(r, "DeviceIndex"),
}


def describe_network_interfaces(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeNetworkInterfaces: instances' primary interfaces and created ones."""
    rows = [render_net.primary_interface(b, i) for i in b.state.instances.values() if i.state != "terminated"]
    rows += [render_net.interface(b, n) for n in b.state.network_interfaces.values()]
    wanted = params.get("NetworkInterfaceIds") or []
    if wanted:
        known = {r["NetworkInterfaceId"] for r in rows}
        for eni_id in wanted:
            if eni_id not in known:
                interfaces.interface(b, eni_id)  # raises InvalidNetworkInterfaceID.NotFound
        rows = [r for r in rows if r["NetworkInterfaceId"] in wanted]
    kept = filters.apply([_Row(r) for r in rows], params.get("Filters"), _FILTERS)
    return {"NetworkInterfaces": [r.data for r in kept]}


OPERATIONS: dict[str, Handler] = {
    "CreateNetworkInterface": create_network_interface,
    "AttachNetworkInterface": attach_network_interface,
    "DetachNetworkInterface": detach_network_interface,
    "DeleteNetworkInterface": delete_network_interface,
    "DescribeNetworkInterfaces": describe_network_interfaces,
}
