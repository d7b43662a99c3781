"""The EC2 backend of one Region (the mixins put together) and how a fresh Region is built."""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import Principal
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec
from awsprep.sim.ec2 import routing
from awsprep.sim.ec2.attributes import AttributesMixin
from awsprep.sim.ec2.catalog import PRICES, PUBLIC_IMAGES, availability_zones, public_image_id, zone_id
from awsprep.sim.ec2.elastic_ips import AddressesMixin
from awsprep.sim.ec2.endpoints import instance_endpoint, instance_endpoints
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.images import ImagesMixin
from awsprep.sim.ec2.instances import InstancesMixin
from awsprep.sim.ec2.security import SecurityMixin
from awsprep.sim.ec2.state import DatagramService, Ec2RegionState, Image, Instance, ServedPort, Subnet, Vpc

if TYPE_CHECKING:
    from collections.abc import Callable

    from awsprep.sim.core.clock import Timer
    from awsprep.sim.ec2.responses import Handler
    from awsprep.sim.world import World

DEFAULT_VPC_CIDR = "172.31.0.0/16"


class Ec2Backend(InstancesMixin, AttributesMixin, AddressesMixin, SecurityMixin, ImagesMixin):
    """EC2 in one Region. `handle()` serves the API; the typed methods serve labs and tests."""

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions and DryRun before)."""
        handler = handler_for("ec2", _operations(), operation)
        return handler(self, params)

    # ----- networking -----------------------------------------------------------------------------------
    def create_vpc(self, cidr: str, tags: dict[str, str] | None = None) -> Vpc:
        """A non-default VPC: its own default security group and main route table (local route only, so no
        internet until a gateway and a route are added), the Region's default DHCP options."""
        try:
            net = ipaddress.ip_network(cidr)
        except ValueError:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Value ({cidr}) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
            ) from None
        if not 16 <= net.prefixlen <= 28:
            raise E("InvalidVpc.Range", cidr=cidr)
        vpc = Vpc(self.world.ids.hex_id("vpc"), str(net), False, False, tags=dict(tags or {}))
        self.state.vpcs[vpc.vpc_id] = vpc
        self.add_default_group(vpc.vpc_id)
        routing.add_main_table(self, vpc)
        vpc.dhcp_options_id = routing.default_dhcp_options(self).dhcp_options_id
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
            self.world.ids.hex_id("subnet"), vpc_id, str(net), zone, zone_id(self.region, zone), False, False
        )
        self.state.subnets[subnet.subnet_id] = subnet
        return subnet

    # ----- the data-plane hooks labs use -------------------------------------------------------------
    def serve_http(self, instance_id: str, port: int, body: str, status: int = 200, enabled: bool = True) -> None:
        """Register that the instance now serves `body` on TCP `port` (cloud-init started a web server)."""
        inst = self.instance(instance_id)
        inst.served[str(port)] = ServedPort(port, body, status, enabled=enabled)

    def stop_serving(self, instance_id: str, port: int) -> None:
        """The service on `port` stopped (`systemctl stop httpd`): its connections close with it."""
        if self.instance(instance_id).served.pop(str(port), None) is not None:
            self.emit("service-stopped", instance_id, port=port)

    def serve_udp(self, instance_id: str, port: int, service: str, enabled: bool = True, tcp: bool = False) -> None:
        """Register that `service` now answers UDP datagrams on `port` (and TCP connections when `tcp`)."""
        self.instance(instance_id).datagram[str(port)] = DatagramService(port, service, enabled, tcp)

    def stop_serving_udp(self, instance_id: str, port: int) -> None:
        """The UDP service on `port` stopped (`systemctl stop named`)."""
        self.instance(instance_id).datagram.pop(str(port), None)

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


def new_region_state(world: World, region: str) -> Ec2RegionState:
    """A fresh Region: default VPC with a default subnet per AZ, default group, the public AMIs, the default
    DHCP options, and the VPC's main route table sending 0.0.0.0/0 to its internet gateway."""
    state = Ec2RegionState(region=region)
    world.building("ec2", region, state)  # so the backend below can see it while we build
    backend = Ec2Backend(world, region)
    vpc = Vpc(world.ids.hex_id("vpc"), DEFAULT_VPC_CIDR, True, False)
    state.vpcs[vpc.vpc_id] = vpc
    blocks = list(ipaddress.ip_network(DEFAULT_VPC_CIDR).subnets(new_prefix=20))
    for zone, block in zip(availability_zones(region), blocks, strict=False):
        sid = world.ids.hex_id("subnet")
        state.subnets[sid] = Subnet(sid, vpc.vpc_id, str(block), zone, zone_id(region, zone), True, True)
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
    # Drawn last, so the ids above stay what they were before gateways and route tables were resources.
    vpc.dhcp_options_id = routing.default_dhcp_options(backend).dhcp_options_id
    routing.add_main_table(backend, vpc)
    routing.open_to_internet(backend, vpc)
    return state


def _denied(principal: Principal, action: str, account_id: str) -> AwsError:
    # EC2's shape (spec §1.1): 403 UnauthorizedOperation naming the caller and the action.
    return E("UnauthorizedOperation", arn=principal.arn(account_id), action=action)


def _on_timer(world: World, timer: Timer) -> bool | None:
    # Every EC2 timer comes through here (thousands per simulated day): no import, no typed-accessor check.
    found: Any = world.backend("ec2", timer.region)
    on_timer: Callable[[Timer], bool | None] = found.on_timer
    return on_timer(timer)


def _lab_instance_address(world: World, region: str, obj: Any) -> Any:
    from awsprep.sim.ec2 import backend

    return backend(world, region).public_address(obj)


def _lookup(kind: str) -> Any:
    def find(world: World, region: str, ident: str) -> Any:
        from awsprep.sim.ec2 import backend
        from awsprep.sim.ec2.lab import lookup

        return lookup(backend(world, region), kind, ident)

    return find


_LAB_KINDS = (
    "instance",
    "address",
    "security_group",
    "image",
    "launch_template",
    "key_pair",
    "volume",
    "vpc",
    "subnet",
)

SPEC = EC2_SERVICE = ServiceSpec(
    name="ec2",
    title="Amazon EC2",
    state_type=Ec2RegionState,
    new_state=new_region_state,
    make_backend=Ec2Backend,
    denied=_denied,
    dry_run=E("DryRunOperation"),
    on_timer=_on_timer,
    prices=PRICES,
    endpoints=instance_endpoints,
    endpoint=instance_endpoint,
    lab_resources={
        kind: LabResource(
            _lookup(kind),
            {"public_address": _lab_instance_address}
            if kind == "instance"
            else {"latest_version": lambda w, r, lt: lt.versions[-1].number}
            if kind == "launch_template"
            else {},
        )
        for kind in _LAB_KINDS
    },
)

__all__ = ["EC2_SERVICE", "SPEC", "AwsError", "Ec2Backend", "new_region_state"]
