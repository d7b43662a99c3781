"""Static facts: Regions and AZs, instance types, public AMIs, and us-east-1 On-Demand prices.

Prices are On-Demand, us-east-1, per hour, read from https://aws.amazon.com/ec2/pricing/on-demand/
(Linux and Windows tabs) in early 2025; EBS gp3 $0.08/GB-month and gp2 $0.10/GB-month from
https://aws.amazon.com/ebs/pricing/; public IPv4 $0.005/h from https://aws.amazon.com/vpc/pricing/.
They are teaching figures: the simulator uses them for every Region.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from awsprep.sim.core.account import availability_zones, zone_id
from awsprep.sim.core.meter import UsageRecord
from awsprep.sim.core.pricing import Price, flat

PUBLIC_IPV4_PER_HOUR = 0.005
EBS_PER_GB_MONTH = {"gp3": 0.08, "gp2": 0.10, "io1": 0.125, "io2": 0.125, "st1": 0.045, "sc1": 0.015, "standard": 0.05}
# RunInstances' documented default when no instance type is given (API reference, RunInstances: InstanceType).
DEFAULT_INSTANCE_TYPE = "m1.small"


@dataclass(frozen=True)
class InstanceType:
    """One instance type: family, architecture, vCPUs, memory (MiB), hourly On-Demand prices."""

    name: str
    vcpus: int
    memory_mib: int
    linux_price: float
    windows_price: float
    architecture: str = "x86_64"
    burstable: bool = False
    hypervisor: str = "nitro"

    @property
    def family(self) -> str:
        """The family, e.g. `t3` for `t3.micro`."""
        return self.name.split(".")[0]


def _t(name: str, vcpus: int, mem: int, linux: float, windows: float, **kw: object) -> InstanceType:
    return InstanceType(name, vcpus, mem, linux, windows, **kw)  # type: ignore[arg-type]


INSTANCE_TYPES: dict[str, InstanceType] = {
    t.name: t
    for t in [
        _t("t2.nano", 1, 512, 0.0058, 0.0081, burstable=True, hypervisor="xen"),
        _t("t2.micro", 1, 1024, 0.0116, 0.0162, burstable=True, hypervisor="xen"),
        _t("t2.small", 1, 2048, 0.023, 0.032, burstable=True, hypervisor="xen"),
        _t("t2.medium", 2, 4096, 0.0464, 0.0644, burstable=True, hypervisor="xen"),
        _t("t3.nano", 2, 512, 0.0052, 0.0098, burstable=True),
        _t("t3.micro", 2, 1024, 0.0104, 0.0196, burstable=True),
        _t("t3.small", 2, 2048, 0.0208, 0.0392, burstable=True),
        _t("t3.medium", 2, 4096, 0.0416, 0.06, burstable=True),
        _t("t3.large", 2, 8192, 0.0832, 0.1108, burstable=True),
        _t("t4g.micro", 2, 1024, 0.0084, 0.0084, architecture="arm64", burstable=True),
        _t("t4g.small", 2, 2048, 0.0168, 0.0168, architecture="arm64", burstable=True),
        _t("m5.large", 2, 8192, 0.096, 0.188),
        _t("m5.xlarge", 4, 16384, 0.192, 0.376),
        _t("m6i.large", 2, 8192, 0.096, 0.188),
        _t("m7g.large", 2, 8192, 0.0816, 0.0816, architecture="arm64"),
        _t("c5.large", 2, 4096, 0.085, 0.177),
        _t("c6i.large", 2, 4096, 0.085, 0.177),
        _t("r5.large", 2, 16384, 0.126, 0.218),
        _t("p4d.24xlarge", 96, 1179648, 32.7726, 37.1886),
        # Previous generation (https://aws.amazon.com/ec2/previous-generation/), still launchable by old code;
        # Xen, x86_64. Prices: the previous-generation On-Demand table, us-east-1.
        _t("t1.micro", 1, 628, 0.02, 0.02, burstable=True, hypervisor="xen"),
        _t("m1.small", 1, 1740, 0.044, 0.075, hypervisor="xen"),
        _t("m1.medium", 1, 3840, 0.087, 0.149, hypervisor="xen"),
        _t("m1.large", 2, 7680, 0.175, 0.299, hypervisor="xen"),
        _t("m1.xlarge", 4, 15360, 0.35, 0.598, hypervisor="xen"),
        _t("m3.medium", 1, 3840, 0.067, 0.13, hypervisor="xen"),
        _t("m3.large", 2, 7680, 0.133, 0.259, hypervisor="xen"),
        _t("c1.medium", 2, 1740, 0.13, 0.21, hypervisor="xen"),
        _t("c3.large", 2, 3840, 0.105, 0.188, hypervisor="xen"),
        _t("c4.large", 2, 3840, 0.1, 0.192, hypervisor="xen"),
        _t("m4.large", 2, 8192, 0.1, 0.192, hypervisor="xen"),
    ]
}

# Families a running workload cannot simply be resized into (different drivers, EFA/NVSwitch): the API
# answers "Modifying the instance type from X to Y is not allowed." Used to teach that resizing has limits.
UNRESIZABLE_FAMILIES = {"p4d"}


@dataclass(frozen=True)
class PublicImage:
    """A public AMI every Region offers (its id differs per Region, as on AWS)."""

    key: str
    name: str
    description: str
    owner_id: str
    owner_alias: str
    architecture: str
    platform: str  # "linux" | "windows"
    platform_details: str
    root_device_name: str
    root_size_gb: int
    default_user: str
    imds_v2_required: bool  # AL2023 AMIs default to HttpTokens=required


# Owner ids are AWS's documented example account ids, not the vendors' real ones: no real account id goes into
# the repo. Learners filter by owner alias (`--owners amazon`), which the simulator supports.
PUBLIC_IMAGES: list[PublicImage] = [
    PublicImage(
        "al2023",
        "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
        "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1",
        "777788889999",
        "amazon",
        "x86_64",
        "linux",
        "Linux/UNIX",
        "/dev/xvda",
        8,
        "ec2-user",
        True,
    ),
    PublicImage(
        "al2023-arm64",
        "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
        "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1",
        "777788889999",
        "amazon",
        "arm64",
        "linux",
        "Linux/UNIX",
        "/dev/xvda",
        8,
        "ec2-user",
        True,
    ),
    PublicImage(
        "ubuntu",
        "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241119",
        "Canonical, Ubuntu, 24.04, amd64 noble image",
        "123456789012",
        "",
        "x86_64",
        "linux",
        "Linux/UNIX",
        "/dev/sda1",
        8,
        "ubuntu",
        False,
    ),
    PublicImage(
        "windows",
        "Windows_Server-2022-English-Full-Base-2024.12.13",
        "Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon",
        "777788889999",
        "amazon",
        "x86_64",
        "windows",
        "Windows",
        "/dev/sda1",
        30,
        "Administrator",
        False,
    ),
]


def public_image_id(region: str, key: str) -> str:
    """A stable, realistic-looking AMI id for a public image in a Region (the same in every world)."""
    digest = hashlib.sha256(f"{region}/{key}".encode()).hexdigest()
    return f"ami-0{digest[:16]}"


def _instance_rate(rec: UsageRecord) -> float:
    itype = INSTANCE_TYPES[rec.unit]
    return itype.windows_price if rec.platform == "windows" else itype.linux_price


# What EC2 bills (spec §2): instances per second while running (60 s minimum per start), EBS per GB-month,
# every public IPv4 per hour. The bill reads this table; it never names EC2.
PRICES: dict[str, Price] = {
    "instance": Price(_instance_rate),
    "ebs": Price(lambda rec: EBS_PER_GB_MONTH.get(rec.unit, 0.08), "gb-month", "USD/GB-month", "GB-months"),
    "public-ipv4": flat(PUBLIC_IPV4_PER_HOUR),
}

__all__ = ["availability_zones", "zone_id"]


def public_dns(region: str, ip: str) -> str:
    """The public DNS name EC2 gives an address (`ec2-3-80-1-2.compute-1.amazonaws.com` in us-east-1)."""
    dashed = ip.replace(".", "-")
    if region == "us-east-1":
        return f"ec2-{dashed}.compute-1.amazonaws.com"
    return f"ec2-{dashed}.{region}.compute.amazonaws.com"


def private_dns(region: str, ip: str) -> str:
    """The private DNS name (`ip-172-31-5-10.ec2.internal` in us-east-1)."""
    dashed = ip.replace(".", "-")
    if region == "us-east-1":
        return f"ip-{dashed}.ec2.internal"
    return f"ip-{dashed}.{region}.compute.internal"
