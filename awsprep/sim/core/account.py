"""The simulated account: its id, the learner's identity, every commercial Region with its Availability Zones.

Every service shares these facts, so they live in the core. Zone names map to zone ids in a fixed order here;
on AWS the mapping of names to ids is per account in the older Regions, and any fixed mapping is a valid one.
Regions and zones are those `aws ec2 describe-regions` / `describe-availability-zones` list for a new account
(https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). Regions launched after
March 2019 are opt-in; the simulated account has opted in to all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

ACCOUNT_ID = "111122223333"
DEFAULT_REGION = "us-east-1"
LEARNER_USER = "learner"
# The learner's laptop as seen from AWS (TEST-NET-3, RFC 5737): the source of "internet" traffic.
LAPTOP_IP = "203.0.113.25"


@dataclass(frozen=True)
class Region:
    """One commercial Region: its zones (suffix letters and zone-id numbers, in the same order)."""

    name: str
    zone_prefix: str  # zone ids are e.g. `use1-az1`
    suffixes: str
    zone_numbers: tuple[int, ...]
    opt_in: bool  # launched after March 2019: an opt-in Region (the simulated account opted in)

    @property
    def zones(self) -> list[str]:
        """Zone names, e.g. `us-east-1a`."""
        return [f"{self.name}{s}" for s in self.suffixes]

    def zone_id(self, zone: str) -> str:
        """The zone id of a zone name of this Region."""
        return f"{self.zone_prefix}-az{self.zone_numbers[self.suffixes.index(zone[-1])]}"


def _r(name: str, prefix: str, suffixes: str = "abc", numbers: tuple[int, ...] = (), opt_in: bool = False) -> Region:
    return Region(name, prefix, suffixes, numbers or tuple(range(1, len(suffixes) + 1)), opt_in)


REGIONS: dict[str, Region] = {
    r.name: r
    for r in [
        _r("us-east-1", "use1", "abcdef"),
        _r("us-east-2", "use2"),
        _r("us-west-1", "usw1", "bc", (1, 3)),
        _r("us-west-2", "usw2", "abcd"),
        _r("af-south-1", "afs1", opt_in=True),
        _r("ap-east-1", "ape1", opt_in=True),
        _r("ap-south-1", "aps1"),
        _r("ap-south-2", "aps2", opt_in=True),
        _r("ap-southeast-1", "apse1"),
        _r("ap-southeast-2", "apse2"),
        _r("ap-southeast-3", "apse3", opt_in=True),
        _r("ap-southeast-4", "apse4", opt_in=True),
        _r("ap-southeast-5", "apse5", opt_in=True),
        _r("ap-southeast-7", "apse7", opt_in=True),
        _r("ap-northeast-1", "apne1", "acd", (4, 1, 2)),
        _r("ap-northeast-2", "apne2", "abcd"),
        _r("ap-northeast-3", "apne3"),
        _r("ca-central-1", "cac1", "abd", (1, 2, 4)),
        _r("ca-west-1", "caw1", opt_in=True),
        _r("eu-central-1", "euc1"),
        _r("eu-central-2", "euc2", opt_in=True),
        _r("eu-west-1", "euw1"),
        _r("eu-west-2", "euw2"),
        _r("eu-west-3", "euw3"),
        _r("eu-south-1", "eus1", opt_in=True),
        _r("eu-south-2", "eus2", opt_in=True),
        _r("eu-north-1", "eun1"),
        _r("il-central-1", "ilc1", opt_in=True),
        _r("me-south-1", "mes1", opt_in=True),
        _r("me-central-1", "mec1", opt_in=True),
        _r("mx-central-1", "mxc1", opt_in=True),
        _r("sa-east-1", "sae1"),
    ]
}


@cache
def availability_zones(region: str) -> list[str]:
    """The zone names of a Region, e.g. `us-east-1a`."""
    return REGIONS[region].zones


def zone_id(region: str, zone: str) -> str:
    """The zone id (`use1-az1`) of a zone name."""
    return REGIONS[region].zone_id(zone)


def zone_of_id(region: str, zid: str) -> str | None:
    """The zone name of a zone id of `region` (None when it is not one)."""
    return next((z for z in availability_zones(region) if zone_id(region, z) == zid), None)


@dataclass(frozen=True)
class Principal:
    """Who makes a call: the learner's IAM user, a service-linked role, or a role a service assumed.

    `key` names the principal in the world's permission table; `arn` is what error messages show.
    """

    kind: str  # "user" | "service-linked-role" | "role"
    name: str
    session: str = ""

    @property
    def key(self) -> str:
        """The permission table's key: `user/learner`, `role/AWSServiceRoleForAutoScaling`, …"""
        return f"{'user' if self.kind == 'user' else 'role'}/{self.name}"

    def arn(self, account_id: str = ACCOUNT_ID) -> str:
        """The caller ARN as AWS prints it in an access-denied message."""
        if self.kind == "user":
            return f"arn:aws:iam::{account_id}:user/{self.name}"
        return f"arn:aws:sts::{account_id}:assumed-role/{self.name}/{self.session or self.name}"


LEARNER = Principal("user", LEARNER_USER)


def service_linked_role(role_name: str, session: str) -> Principal:
    """A service-linked role, e.g. `service_linked_role("AWSServiceRoleForAutoScaling", "AutoScaling")`."""
    return Principal("service-linked-role", role_name, session)


def assumed_role(role_name: str, session: str) -> Principal:
    """A role assumed by a service (a Lambda execution role: the session is the function name)."""
    return Principal("role", role_name, session)


AUTOSCALING_ROLE = service_linked_role("AWSServiceRoleForAutoScaling", "AutoScaling")
ELB_ROLE = service_linked_role("AWSServiceRoleForElasticLoadBalancing", "ElasticLoadBalancing")
