"""Network interfaces made with CreateNetworkInterface, and attaching them to instances as secondary ones.

An instance's primary interface (device 0) lives on the Instance itself and is created and deleted with it;
it cannot be detached. DescribeNetworkInterfaces lists both kinds.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import NetworkInterface

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend


def interface(b: Ec2Backend, eni_id: str) -> NetworkInterface:
    """A created interface by id (instances' primary interfaces are not in this table)."""
    found = b.state.network_interfaces.get(eni_id)
    if found is None:
        raise E("InvalidNetworkInterfaceID.NotFound", eni=eni_id)
    return found


def attached_instance(b: Ec2Backend, eni: NetworkInterface) -> str | None:
    """The instance the interface is attached to; a terminated instance has let it go (secondary interfaces
    made with CreateNetworkInterface are detached, not deleted, when their instance terminates)."""
    inst = b.state.instances.get(eni.instance_id or "")
    return inst.instance_id if inst is not None and inst.state != "terminated" else None


def attached_to(b: Ec2Backend, instance_id: str) -> list[NetworkInterface]:
    """Secondary interfaces of an instance, by device index."""
    found = [n for n in b.state.network_interfaces.values() if n.instance_id == instance_id]
    return sorted((n for n in found if attached_instance(b, n)), key=lambda n: n.device_index)


def create_interface(
    b: Ec2Backend,
    subnet_id: str,
    group_ids: list[str],
    private_ip: str | None,
    description: str,
    tags: dict[str, str],
) -> NetworkInterface:
    """CreateNetworkInterface in a subnet; the VPC's default group when no group is given."""
    subnet = b.subnet(subnet_id)
    groups = [b.group(g) for g in group_ids] or [b.group_by_name("default", subnet.vpc_id)]
    for g in groups:
        if g.vpc_id != subnet.vpc_id:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Security group {g.group_id} and subnet {subnet.subnet_id} belong to different networks.",
            )
    taken = b.private_ips_in_use()
    if private_ip:
        try:
            inside = ipaddress.ip_address(private_ip) in ipaddress.ip_network(subnet.cidr)
        except ValueError:
            inside = False
        if not inside:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Address {private_ip} does not fall within the subnet's address range",
            )
        if private_ip in taken:
            raise E("InvalidIPAddress.InUse", ip=private_ip)
    ids = b.world.ids
    eni = NetworkInterface(
        eni_id=ids.hex_id("eni"),
        subnet_id=subnet.subnet_id,
        vpc_id=subnet.vpc_id,
        az=subnet.az,
        private_ip=private_ip or ids.private_ip(subnet.cidr, taken),
        mac=ids.mac(),
        group_ids=[g.group_id for g in groups],
        description=description,
        tags=dict(tags),
    )
    b.state.network_interfaces[eni.eni_id] = eni
    return eni


def attach_interface(b: Ec2Backend, eni_id: str, instance_id: str, device_index: int) -> str:
    """AttachNetworkInterface as a secondary interface in the instance's zone; returns the attachment id."""
    eni = interface(b, eni_id)
    inst = b.instance(instance_id)
    if attached_instance(b, eni) is not None:
        raise E("InvalidNetworkInterface.InUse", eni=eni.eni_id)
    if inst.state not in ("running", "stopped"):
        raise E(
            "IncorrectInstanceState.Generic", message=f"Instance '{inst.instance_id}' is not 'running' or 'stopped'."
        )
    if eni.az != inst.az:
        raise E(
            "InvalidParameterCombination",
            message="You may not attach a network interface to an instance if they are not in the same "
            "availability zone",
        )
    used = {0} | {n.device_index for n in attached_to(b, inst.instance_id)}
    if device_index in used:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Instance '{inst.instance_id}' already has an interface attached at device index "
            f"'{device_index}'.",
        )
    eni.instance_id, eni.device_index, eni.attach_time = inst.instance_id, device_index, b.now
    eni.attachment_id = b.world.ids.hex_id("eni-attach")
    return eni.attachment_id


def detach_interface(b: Ec2Backend, attachment_id: str) -> None:
    """DetachNetworkInterface (a primary interface cannot be detached)."""
    for eni in b.state.network_interfaces.values():
        if eni.attachment_id == attachment_id:
            eni.instance_id, eni.attachment_id, eni.device_index = None, None, 0
            return
    if any(i.attachment_id == attachment_id for i in b.state.instances.values()):
        raise E(
            "OperationNotPermitted.Generic",
            message="The network interface at device index 0 and networkCard index 0 cannot be detached.",
        )
    raise E("InvalidAttachmentID.NotFound", att=attachment_id)


def delete_interface(b: Ec2Backend, eni_id: str) -> None:
    """DeleteNetworkInterface: only when detached (an instance's primary interface goes with the instance)."""
    if any(i.eni_id == eni_id and i.state != "terminated" for i in b.state.instances.values()):
        raise E("InvalidNetworkInterface.InUse", eni=eni_id)
    eni = interface(b, eni_id)
    if attached_instance(b, eni) is not None:
        raise E("InvalidNetworkInterface.InUse", eni=eni.eni_id)
    del b.state.network_interfaces[eni.eni_id]
