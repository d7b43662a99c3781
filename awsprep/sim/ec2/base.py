"""Shared plumbing of the EC2 backend mixins: state access, lookups, id checks, meter helpers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from awsprep.sim.core import meter
from awsprep.sim.core.events import SimEvent
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import Address, Ec2RegionState, Image, Instance, SecurityGroup, Subnet, Vpc

if TYPE_CHECKING:
    from awsprep.sim.world import World

_INSTANCE_ID = re.compile(r"^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
_AMI_ID = re.compile(r"^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$")

# Simulated durations, in seconds of the virtual clock (spec §1.1.1 suggests "about 5 s"; these are a
# little longer so a learner who checks right away sees `pending`).
BOOT_SECONDS = 10.0
STOP_SECONDS = 10.0
SHUTDOWN_SECONDS = 10.0
TERMINATED_VISIBLE_SECONDS = 3600.0
IMAGE_SECONDS = 60.0
STATUS_CHECK_SECONDS = 120.0  # status checks read `initializing` this long after boot


class Ec2Base:
    """State and helpers every EC2 mixin uses."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region
        self._seen = -1  # the world's `epoch` the cached state came from
        self._state: Ec2RegionState | None = None

    @property
    def state(self) -> Ec2RegionState:
        """This Region's EC2 state, so `World.restore` and `reset` need no re-binding.

        Both bump `world.epoch` and a Region's state is never swapped otherwise, so the cached state is good
        while the epoch is the same (operations read it dozens of times).
        """
        seen = self.world.epoch
        if seen == self._seen and self._state is not None:
            return self._state
        state: Ec2RegionState = self.world.region_state("ec2", self.region)
        self._seen, self._state = seen, state
        return state

    @property
    def now(self) -> float:
        """Current simulated time."""
        return self.world.clock.now

    # ----- lookups -----------------------------------------------------------------------------
    def instance(self, instance_id: str) -> Instance:
        """The instance, or InvalidInstanceID.Malformed / .NotFound."""
        found = self.state.instances.get(instance_id)
        if found is not None:
            return found
        if not _INSTANCE_ID.match(instance_id):
            raise E("InvalidInstanceID.Malformed", iid=instance_id)
        raise E("InvalidInstanceID.NotFound", iid=instance_id)

    def instances(self, instance_ids: list[str]) -> list[Instance]:
        """Several instances; every unknown id is named in one error, as EC2 does."""
        known = self.state.instances
        found = [known.get(iid) for iid in instance_ids]
        if None not in found:
            return found  # type: ignore[return-value]  # no None in it, checked just above
        for iid in instance_ids:
            if iid not in known and not _INSTANCE_ID.match(iid):
                raise E("InvalidInstanceID.Malformed", iid=iid)
        missing = [iid for iid in instance_ids if iid not in known]
        if len(missing) == 1:
            raise E("InvalidInstanceID.NotFound", iid=missing[0])
        raise E("InvalidInstanceIDs.NotFound", iids=", ".join(missing))

    def image(self, image_id: str, *, for_launch: bool = False) -> Image:
        """An AMI visible to the account (own, public or shared with it)."""
        found = self.state.images.get(image_id)
        if found is None or not self.can_see_image(found):
            if not _AMI_ID.match(image_id):
                raise E("InvalidAMIID.Malformed", ami=image_id)
            raise E("InvalidAMIID.NotFound", ami=image_id)
        if for_launch and found.state != "available":
            raise E("InvalidAMIID.Unavailable", ami=image_id, state=found.state)
        return found

    def can_see_image(self, image: Image) -> bool:
        """Own, public, or shared with this account."""
        account = self.world.account_id
        return image.public or image.owner_id == account or account in image.launch_permissions

    def group(self, group_id: str) -> SecurityGroup:
        """A security group by id."""
        found = self.state.security_groups.get(group_id)
        if found is None:
            raise E("InvalidGroup.NotFound", group=group_id)
        return found

    def group_by_name(self, name: str, vpc_id: str | None = None) -> SecurityGroup:
        """A security group by name in a VPC (the default VPC when None), as `--group-name` resolves."""
        vpc_id = vpc_id or self.default_vpc().vpc_id
        for sg in self.state.security_groups.values():
            if sg.name == name and sg.vpc_id == vpc_id:
                return sg
        raise E("InvalidGroup.NotFoundInVpc", group=name, vpc=vpc_id)

    def default_vpc(self) -> Vpc:
        """The Region's default VPC."""
        return next(v for v in self.state.vpcs.values() if v.is_default)

    def subnet(self, subnet_id: str) -> Subnet:
        """A subnet by id."""
        found = self.state.subnets.get(subnet_id)
        if found is None:
            raise E("InvalidSubnetID.NotFound", subnet=subnet_id)
        return found

    def vpc(self, vpc_id: str) -> Vpc:
        """A VPC by id."""
        found = self.state.vpcs.get(vpc_id)
        if found is None:
            raise E("InvalidVpcID.NotFound", vpc=vpc_id)
        return found

    def default_subnet(self, az: str | None = None) -> Subnet:
        """The default subnet of an AZ (the first AZ when None)."""
        vpc_id = self.default_vpc().vpc_id
        found: Subnet | None = None  # the earliest-created match in the lowest AZ, in one pass
        for s in self.state.subnets.values():
            wanted = s.vpc_id == vpc_id and s.default_for_az and (az is None or s.az == az)
            if wanted and (found is None or s.az < found.az):
                found = s
        if found is not None:
            return found
        raise E("InvalidParameterValue.Generic", message=f"Invalid availability zone: [{az}]")

    def private_ips_in_use(self) -> set[str]:
        """Private addresses already taken in this Region."""
        state = self.state
        taken = {i.private_ip for i in state.instances.values()}
        if state.network_interfaces:
            taken.update(n.private_ip for n in state.network_interfaces.values())
        return taken

    # ----- lifecycle steps several operations share (instances, addresses, images) --------------------
    def assign_auto_public_ip(self, inst: Instance) -> None:
        """Give a running instance a fresh auto-assigned public IPv4 (charged $0.005/h like every public IP)."""
        inst.public_ip = self.world.take_public_ip(self.region)
        self.meter_open(inst.instance_id, "public-ipv4", "address")

    def release_auto_public_ip(self, inst: Instance) -> None:
        """Give the auto-assigned public IPv4 back to Amazon (stop, terminate, EIP association)."""
        if inst.public_ip is not None:
            self.world.release_public_ip(inst.public_ip)
            inst.public_ip = None
            self.meter_close(inst.instance_id, "public-ipv4")

    def reboot(self, inst: Instance) -> None:
        """An OS reboot: processes restart (only enabled services come back); nothing else changes."""
        inst.served = {port: svc for port, svc in inst.served.items() if svc.enabled}
        self.emit("instance-reboot", inst.instance_id)

    def disassociate(self, addr: Address, give_new_ip: bool = True) -> None:
        """Detach an EIP; a running instance gets a new auto-assigned public IP (spec §1.1.3)."""
        inst = self.state.instances.get(addr.instance_id or "")
        addr.association_id = addr.instance_id = addr.eni_id = addr.private_ip = None
        if inst is None:
            return
        inst.eip_allocation_id = None
        if give_new_ip and inst.state == "running" and inst.assign_public_ip:
            self.assign_auto_public_ip(inst)

    def disassociate_from_instance(self, inst: Instance) -> None:
        """On terminate: the EIP comes off the instance but stays allocated to the account."""
        if inst.eip_allocation_id is not None:
            self.disassociate(self.state.addresses[inst.eip_allocation_id], give_new_ip=False)

    def public_address(self, inst: Instance) -> str | None:
        """The address the internet sees: the EIP when one is associated, else the auto-assigned one."""
        if inst.eip_allocation_id is not None:
            return self.state.addresses[inst.eip_allocation_id].public_ip
        return inst.public_ip

    # ----- metering and events --------------------------------------------------------------------
    def meter_open(self, resource_id: str, kind: str, unit: str, **kw: Any) -> None:
        """Start a billable interval."""
        world = self.world
        meter.open_record(
            world.meter, world.clock.now, resource_id=resource_id, region=self.region, kind=kind, unit=unit, **kw
        )

    def meter_close(self, resource_id: str, kind: str) -> None:
        """End a billable interval."""
        world = self.world
        meter.close_record(world.meter, world.clock.now, resource_id=resource_id, kind=kind)

    def emit(self, kind: str, resource_id: str, **detail: Any) -> None:
        """Tell the world's listeners (the labs) that something happened."""
        if self.world.listening:  # no event object to build when nobody listens (benchmarks, plain API use)
            self.world.emit(SimEvent(kind, "ec2", self.region, resource_id, detail))

    def schedule(self, delay: float, kind: str, target: str, token: int = 0) -> None:
        """Queue an EC2 timer in this Region."""
        self.world.clock.schedule(delay, "ec2", self.region, kind, target, token)

    def schedule_every(self, period: float, kind: str, target: str, first: float | None = None) -> None:
        """Queue a recurring EC2 timer in this Region."""
        self.world.clock.schedule(period if first is None else first, "ec2", self.region, kind, target, 0, period)
