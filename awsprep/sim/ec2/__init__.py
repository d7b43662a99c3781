"""Amazon EC2: instances, images, launch templates, VPC networking, security groups, key pairs, addresses.

Other packages use the typed API re-exported here (`ec2.backend(world, region)`, `ec2.launch`, …), never
response dicts. `SPEC` is what registers EC2 with a world.
"""

from awsprep.sim.ec2.api import (
    LaunchRequest,
    addresses,
    backend,
    default_vpc,
    home_region,
    instance,
    launch,
    open_to_internet,
    public_address,
    security_group,
    subnet,
    subnet_reaches_internet,
    subnets,
    terminate,
)
from awsprep.sim.ec2.models import SPEC, Ec2Backend

__all__ = [
    "SPEC",
    "Ec2Backend",
    "LaunchRequest",
    "addresses",
    "backend",
    "default_vpc",
    "home_region",
    "instance",
    "launch",
    "open_to_internet",
    "public_address",
    "security_group",
    "subnet",
    "subnet_reaches_internet",
    "subnets",
    "terminate",
]
