"""Server-side pagination of EC2's Describe operations: one table of bounds, one wrapper (core.describe).

Each row: the response list that is paged, MaxResults' bounds (from the API reference of the operation), and
the id list that MaxResults cannot be combined with. DescribeInstances pages instances (their reservations are
rebuilt per page), as EC2 counts MaxResults in instances. A new Describe operation pages by adding a row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.describe import paginate
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.filters import paging

if TYPE_CHECKING:
    from awsprep.sim.ec2.responses import Handler

# operation -> (list key, MaxResults minimum, maximum, id parameter it excludes, that parameter's wire name)
PAGED: dict[str, tuple[str, int, int, str | None, str]] = {
    "DescribeInstances": ("Reservations", 5, 1000, "InstanceIds", "instancesSet"),
    "DescribeInstanceStatus": ("InstanceStatuses", 5, 1000, "InstanceIds", "instancesSet"),
    "DescribeSecurityGroups": ("SecurityGroups", 5, 1000, None, ""),
    "DescribeSecurityGroupRules": ("SecurityGroupRules", 5, 1000, None, ""),
    "DescribeVpcs": ("Vpcs", 5, 1000, None, ""),
    "DescribeSubnets": ("Subnets", 5, 1000, None, ""),
    "DescribeVolumes": ("Volumes", 5, 1000, None, ""),  # the CLI itself asks for pages of 1000
    "DescribeImages": ("Images", 1, 1000, None, ""),
    "DescribeLaunchTemplates": ("LaunchTemplates", 1, 200, None, ""),
    "DescribeLaunchTemplateVersions": ("LaunchTemplateVersions", 1, 200, None, ""),
    "DescribeInstanceTypes": ("InstanceTypes", 5, 100, None, ""),
    "DescribeTags": ("Tags", 5, 1000, None, ""),
    "DescribeInternetGateways": ("InternetGateways", 5, 1000, None, ""),
    "DescribeRouteTables": ("RouteTables", 5, 100, None, ""),
    "DescribeDhcpOptions": ("DhcpOptions", 5, 1000, None, ""),
    "DescribeSnapshots": ("Snapshots", 5, 1000, None, ""),
    "DescribeNetworkInterfaces": ("NetworkInterfaces", 5, 1000, None, ""),
    "DescribeInstanceTypeOfferings": ("InstanceTypeOfferings", 5, 1000, None, ""),
}


def paged(operation: str, handler: Handler) -> Handler:
    """`handler` with MaxResults/NextToken applied to its result list."""
    key, lo, hi, ids, wire = PAGED[operation]
    bounds = paging(lo, hi)

    def run(b: Any, params: dict[str, Any]) -> dict[str, Any]:
        max_results, token = params.pop("MaxResults", None), params.pop("NextToken", None)
        if ids and max_results is not None and params.get(ids):
            raise E("Paging.WithIds", ids=wire)
        out = handler(b, params)
        if max_results is None and not token:
            return out
        if key == "Reservations":
            pairs = [(r, i) for r in out[key] for i in r["Instances"]]
            page, next_token = paginate(pairs, max_results, token, bounds, operation)
            regrouped: dict[str, dict[str, Any]] = {}
            for r, i in page:
                regrouped.setdefault(r["ReservationId"], {**r, "Instances": []})["Instances"].append(i)
            out[key] = list(regrouped.values())
        else:
            out[key], next_token = paginate(out[key], max_results, token, bounds, operation)
        if next_token:
            out["NextToken"] = next_token
        return out

    return run


def wrap(operations: dict[str, Handler]) -> None:
    """Page every operation of the table that is in `operations` (in place)."""
    for name in PAGED:
        if name in operations:
            operations[name] = paged(name, operations[name])
