"""EC2's typed API for the labs and for other services (Auto Scaling, ELB, Lambda): no response dicts.

Every call that changes something takes the calling principal and is checked like an API call of the same
action (`ec2:RunInstances`, `ec2:TerminateInstances`), so a denied action applies to whoever makes the call:
the learner, Auto Scaling's service-linked role, a Lambda execution role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import LEARNER, Principal
from awsprep.sim.ec2.instances import StateChange
from awsprep.sim.ec2.launch import resolve_launch
from awsprep.sim.ec2.state import Address, Instance, SecurityGroup, Subnet, Vpc

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.world import World


def backend(world: World, region: str | None = None) -> Ec2Backend:
    """The typed EC2 backend of a Region (the default Region when None)."""
    from awsprep.sim.ec2.models import Ec2Backend

    found = world.backend("ec2", region)
    assert isinstance(found, Ec2Backend)
    return found


@dataclass(frozen=True)
class LaunchRequest:
    """A launch as another service asks for it: a launch template (id or name, version `$Latest`, `$Default`
    or a number) and overrides in RunInstances' parameter names (`InstanceType`, `SubnetId`, `TagSpecifications`,
    …), merged over the template version exactly as RunInstances merges them."""

    template_id: str | None = None
    template_name: str | None = None
    version: str = "$Default"
    count: int = 1
    overrides: dict[str, Any] = field(default_factory=dict)

    def params(self) -> dict[str, Any]:
        """The equivalent RunInstances parameters."""
        ref: dict[str, Any] = {"Version": self.version}
        if self.template_id:
            ref["LaunchTemplateId"] = self.template_id
        if self.template_name:
            ref["LaunchTemplateName"] = self.template_name
        out: dict[str, Any] = {"MinCount": self.count, "MaxCount": self.count, **self.overrides}
        if self.template_id or self.template_name:
            out["LaunchTemplate"] = ref
        return out


def launch(
    world: World, region: str, request: LaunchRequest, principal: Principal = LEARNER
) -> tuple[str, list[Instance]]:
    """Launch instances from a resolved launch specification; returns (reservation id, instances in `pending`)."""
    world.authorize("ec2", "RunInstances", principal)
    b = backend(world, region)
    return b.run_instances(resolve_launch(b, request.params()))


def terminate(world: World, region: str, instance_ids: list[str], principal: Principal = LEARNER) -> list[StateChange]:
    """TerminateInstances as `principal` (termination protection applies, as for the API)."""
    world.authorize("ec2", "TerminateInstances", principal)
    return backend(world, region).terminate_instances(instance_ids)


def instance(world: World, region: str, instance_id: str) -> Instance | None:
    """An instance's state (None when it does not exist or has been forgotten)."""
    return backend(world, region).state.instances.get(instance_id)


def public_address(world: World, region: str, inst: Instance) -> str | None:
    """The instance's public IPv4 (its Elastic IP if one is associated)."""
    return backend(world, region).public_address(inst)


def addresses(world: World, region: str) -> list[Address]:
    """The account's Elastic IP addresses in a Region."""
    return list(backend(world, region).state.addresses.values())


def subnet(world: World, region: str, subnet_id: str) -> Subnet:
    """A subnet (InvalidSubnetID.NotFound when there is none)."""
    return backend(world, region).subnet(subnet_id)


def subnets(world: World, region: str, vpc_id: str | None = None) -> list[Subnet]:
    """Subnets of a Region (of one VPC when given)."""
    return [s for s in backend(world, region).state.subnets.values() if vpc_id is None or s.vpc_id == vpc_id]


def default_vpc(world: World, region: str) -> Vpc:
    """The Region's default VPC."""
    return backend(world, region).default_vpc()


def open_to_internet(world: World, region: str, vpc_id: str) -> str:
    """Attach a new internet gateway to a VPC and route 0.0.0.0/0 to it in the main route table (a lab's
    public VPC); returns the gateway id."""
    from awsprep.sim.ec2 import routing

    b = backend(world, region)
    return routing.open_to_internet(b, b.vpc(vpc_id)).igw_id


def subnet_reaches_internet(world: World, region: str, subnet_id: str) -> bool:
    """Whether the internet can reach addresses in a subnet: its route table (own or the VPC's main one)
    sends the learner's address to an internet gateway attached to the VPC. For other services' endpoints
    (an internet-facing load balancer's nodes live in such subnets)."""
    from awsprep.sim.ec2 import routing

    return routing.internet_reaches(backend(world, region), subnet_id, world.meta.laptop_ip)


def security_group(world: World, region: str, group_id: str) -> SecurityGroup:
    """A security group (InvalidGroup.NotFound when there is none)."""
    return backend(world, region).group(group_id)


def home_region(world: World, instance_id: str) -> str | None:
    """The Region an instance lives in (instance ids are unique across Regions)."""
    return next(
        (
            r
            for r in world.regions_in_use("ec2")
            if world.has_region_state("ec2", r) and instance_id in backend(world, r).state.instances
        ),
        None,
    )
