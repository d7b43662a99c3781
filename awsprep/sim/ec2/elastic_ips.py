"""Elastic IP addresses (spec §1.1.3): allocate, associate, re-associate, disassociate, release."""

from __future__ import annotations

from awsprep.sim.ec2.base import Ec2Base
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import Address


class AddressesMixin(Ec2Base):
    """EIP operations. Every allocated EIP is metered as a public IPv4 until released."""

    def allocate_address(self, tags: dict[str, str] | None = None) -> Address:
        """AllocateAddress (Domain vpc); at most `eip_quota` (5) per Region."""
        if len(self.state.addresses) >= self.state.eip_quota:
            raise E("AddressLimitExceeded")
        addr = Address(
            allocation_id=self.world.ids.hex_id("eipalloc"),
            public_ip=self.world.take_public_ip(self.region),
            allocated=self.now,
            tags=dict(tags or {}),
        )
        self.state.addresses[addr.allocation_id] = addr
        self.meter_open(addr.allocation_id, "public-ipv4", "address")
        return addr

    def address(self, allocation_id: str) -> Address:
        """An EIP by allocation id."""
        found = self.state.addresses.get(allocation_id)
        if found is None:
            raise E("InvalidAllocationID.NotFound", alloc=allocation_id)
        return found

    def address_by_ip(self, public_ip: str) -> Address:
        """An EIP by its address; someone else's public IP is an AuthFailure, an unknown one NotFound."""
        for addr in self.state.addresses.values():
            if addr.public_ip == public_ip:
                return addr
        if any(i.public_ip == public_ip for i in self.state.instances.values()):
            raise E("AuthFailure")  # an auto-assigned address belongs to Amazon, not to the account
        raise E("InvalidAddress.NotFound", ip=public_ip)

    def associate_address(
        self,
        addr: Address,
        instance_id: str,
        allow_reassociation: bool | None = None,
        private_ip: str | None = None,
    ) -> str:
        """Associate an EIP with an instance; returns the new association id.

        An EIP associated elsewhere moves (VPC accounts re-associate by default) unless
        `allow_reassociation` is explicitly False. The instance's auto-assigned public IP is released;
        an EIP it already had is disassociated but stays allocated.
        """
        inst = self.instance(instance_id)
        if inst.state == "pending":
            raise E("associate.Pending", iid=inst.instance_id)
        if inst.state in ("shutting-down", "terminated"):
            raise E("associate.Gone", iid=inst.instance_id)
        if addr.instance_id == inst.instance_id and addr.association_id:
            return addr.association_id
        if addr.association_id is not None:
            if allow_reassociation is False:
                raise E("Resource.AlreadyAssociated", alloc=addr.allocation_id, assoc=addr.association_id)
            self.disassociate(addr)
        if inst.eip_allocation_id is not None:
            self.disassociate(self.state.addresses[inst.eip_allocation_id], give_new_ip=False)
        self.release_auto_public_ip(inst)
        addr.association_id = self.world.ids.hex_id("eipassoc")
        addr.instance_id = inst.instance_id
        addr.eni_id = inst.eni_id
        addr.private_ip = private_ip or inst.private_ip
        inst.eip_allocation_id = addr.allocation_id
        return addr.association_id

    def address_by_association(self, association_id: str) -> Address:
        """An EIP by association id."""
        for addr in self.state.addresses.values():
            if addr.association_id == association_id:
                return addr
        raise E("InvalidAssociationID.NotFound", assoc=association_id)

    def release_address(self, allocation_id: str) -> None:
        """ReleaseAddress: auto-disassociates in the default VPC, `InvalidIPAddress.InUse` elsewhere."""
        addr = self.address(allocation_id)
        if addr.association_id is not None:
            inst = self.state.instances.get(addr.instance_id or "")
            if inst is not None and not self.state.vpcs[inst.vpc_id].is_default:
                raise E("InvalidIPAddress.InUse", ip=addr.public_ip)
            self.disassociate(addr)
        del self.state.addresses[allocation_id]
        self.state.released_allocations.append(allocation_id)
        self.world.release_public_ip(addr.public_ip)
        self.meter_close(allocation_id, "public-ipv4")
