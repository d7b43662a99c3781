"""The EC2 backend of one Region (the mixins put together) and how a fresh Region is built."""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.service import ServiceSpec
from awsprep.sim.ec2.addresses import AddressesMixin
from awsprep.sim.ec2.catalog import AZ_IDS, PUBLIC_IMAGES, availability_zones, public_image_id
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.images import ImagesMixin
from awsprep.sim.ec2.instances import InstancesMixin
from awsprep.sim.ec2.security import SecurityMixin
from awsprep.sim.ec2.state import Ec2RegionState, Image, Instance, ServedPort, Subnet, Vpc

if TYPE_CHECKING:
    from awsprep.sim.ec2.responses import Handler
    from awsprep.sim.world import World

DEFAULT_VPC_CIDR = "172.31.0.0/16"


class Ec2Backend(InstancesMixin, AddressesMixin, SecurityMixin, ImagesMixin):
    """EC2 in one Region. `handle()` serves the API; the typed methods serve labs and tests."""

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation: permissions and DryRun first, then the operation itself."""
        handler = _operations().get(operation)
        if handler is None:
            raise E("NotImplemented", operation=operation)
        denied = self.world.meta.denied_actions  # usually empty: skip building the action name then
        allowed = not denied or self.world.is_allowed(f"ec2:{operation}")
        if params.get("DryRun"):
            raise E("DryRunOperation") if allowed else E("UnauthorizedOperation")
        if not allowed:
            raise E("UnauthorizedOperation")
        return handler(self, params)

    # ----- networking -----------------------------------------------------------------------------------
    def create_vpc(self, cidr: str, tags: dict[str, str] | None = None) -> Vpc:
        """A non-default VPC: no internet gateway, its own default security group."""
        try:
            net = ipaddress.ip_network(cidr)
        except ValueError:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Value ({cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
            ) from None
        if not 16 <= net.prefixlen <= 28:
            raise E("InvalidParameterValue.Generic", message=f"The CIDR '{cidr}' is invalid.")
        vpc = Vpc(self.world.ids.hex_id("vpc"), str(net), False, False, tags=dict(tags or {}))
        self.state.vpcs[vpc.vpc_id] = vpc
        self.add_default_group(vpc.vpc_id)
        return vpc

    def create_subnet(self, vpc_id: str, cidr: str, az: str | None = None) -> Subnet:
        """A subnet of a VPC; it does not auto-assign public IPs (as on AWS for non-default subnets)."""
        vpc = self.vpc(vpc_id)
        try:
            net = ipaddress.ip_network(cidr)
        except ValueError:
            raise E("InvalidSubnet.Range", cidr=cidr) from None
        if not net.subnet_of(ipaddress.ip_network(vpc.cidr)) or not 16 <= net.prefixlen <= 28:  # type: ignore[arg-type]
            raise E("InvalidSubnet.Range", cidr=cidr)
        for s in self.state.subnets.values():
            if s.vpc_id == vpc_id and net.overlaps(ipaddress.ip_network(s.cidr)):
                raise E("InvalidSubnet.Conflict", cidr=cidr)
        zones = availability_zones(self.region)
        zone = az or zones[0]
        if zone not in zones:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Value ({zone}) for parameter availabilityZone is "
                "invalid. Subnets can currently only be created in the following availability zones: "
                + ", ".join(zones)
                + ".",
            )
        subnet = Subnet(
            self.world.ids.hex_id("subnet"), vpc_id, str(net), zone, _az_id(self.region, zone), False, False
        )
        self.state.subnets[subnet.subnet_id] = subnet
        return subnet

    # ----- the data-plane hooks labs use -------------------------------------------------------------
    def serve_http(self, instance_id: str, port: int, body: str, status: int = 200, enabled: bool = True) -> None:
        """Register that the instance now serves `body` on TCP `port` (cloud-init started a web server)."""
        inst = self.instance(instance_id)
        inst.served[str(port)] = ServedPort(port, body, status, enabled=enabled)

    def stop_serving(self, instance_id: str, port: int) -> None:
        """The service on `port` stopped (`systemctl stop httpd`)."""
        self.instance(instance_id).served.pop(str(port), None)

    def served(self, instance_id: str, port: int) -> ServedPort | None:
        """What listens on `port` of a running instance (None when nothing does)."""
        inst = self.instance(instance_id)
        return inst.served.get(str(port)) if inst.state == "running" else None

    def find_by_ip(self, ip: str) -> Instance | None:
        """The live instance answering at `ip` (public, EIP or private)."""
        for inst in self.state.instances.values():
            if inst.state in ("terminated",):
                continue
            if ip in (inst.public_ip, inst.private_ip) or ip == self.public_address(inst):
                return inst
        return None


@cache
def _operations() -> dict[str, Handler]:
    # Imported on first use (responses imports this module's mixins); cached so a call costs no import.
    from awsprep.sim.ec2.responses import OPERATIONS

    return OPERATIONS


def _az_id(region: str, az: str) -> str:
    return f"{AZ_IDS[region]}{'abcdef'.index(az[-1]) + 1}"


def new_region_state(world: World, region: str) -> Ec2RegionState:
    """A fresh Region: default VPC with a default subnet per AZ, default group, the public AMIs."""
    state = Ec2RegionState(region=region)
    world._states["ec2"][region] = state  # so the backend below can see it while we build
    backend = Ec2Backend(world, region)
    vpc = Vpc(world.ids.hex_id("vpc"), DEFAULT_VPC_CIDR, True, True)
    state.vpcs[vpc.vpc_id] = vpc
    blocks = list(ipaddress.ip_network(DEFAULT_VPC_CIDR).subnets(new_prefix=20))
    for zone, block in zip(availability_zones(region), blocks, strict=False):
        sid = world.ids.hex_id("subnet")
        state.subnets[sid] = Subnet(sid, vpc.vpc_id, str(block), zone, _az_id(region, zone), True, True)
    backend.add_default_group(vpc.vpc_id)
    for pub in PUBLIC_IMAGES:
        image_id = public_image_id(region, pub.key)
        state.images[image_id] = Image(
            image_id=image_id,
            name=pub.name,
            description=pub.description,
            owner_id=pub.owner_id,
            owner_alias=pub.owner_alias,
            architecture=pub.architecture,
            platform=pub.platform,
            platform_details=pub.platform_details,
            root_device_name=pub.root_device_name,
            root_size_gb=pub.root_size_gb,
            state="available",
            created=1734000000.0,
            public=True,
            default_user=pub.default_user,
            imds_v2_required=pub.imds_v2_required,
            snapshot_id=f"snap-0{image_id[5:]}",
        )
    return state


EC2_SERVICE = ServiceSpec(
    name="ec2",
    state_type=Ec2RegionState,
    new_state=new_region_state,
    make_backend=Ec2Backend,
)

__all__ = ["EC2_SERVICE", "AwsError", "Ec2Backend", "new_region_state"]
