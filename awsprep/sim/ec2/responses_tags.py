"""EC2 API operations for tags on any resource (CreateTags, DeleteTags, DescribeTags)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from awsprep.sim.ec2 import filters
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.params import check_tag_keys, require, tag_dict

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.responses import Handler


def _tagged_resources(b: Ec2Backend) -> dict[str, Any]:
    s = b.state
    out: dict[str, Any] = {}
    for table in (
        s.instances,
        s.security_groups,
        s.images,
        s.volumes,
        s.addresses,
        s.vpcs,
        s.subnets,
        s.launch_templates,
        s.internet_gateways,
        s.route_tables,
        s.dhcp_options,
        s.snapshots,
        s.network_interfaces,
    ):
        out.update(table)
    for kp in s.key_pairs.values():
        out[kp.key_id] = kp
    return out


def create_tags(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateTags on any taggable resource."""
    resources = _tagged_resources(b)
    new = tag_dict(require(params, "Tags"))
    check_tag_keys(new)
    wanted = require(params, "Resources")
    for rid in wanted:
        if rid not in resources:
            raise E("InvalidID", rid=rid) if not _WELL_FORMED.match(rid) else _not_found(rid)
    for rid in wanted:
        resources[rid].tags.update(new)
    return {}


# `prefix-` and 8 or 17 hex digits: anything else is not an id at all (InvalidID), not an unknown one.
_WELL_FORMED = re.compile(r"^[a-z]+(?:-[a-z]+)*-(?:[0-9a-f]{8}|[0-9a-f]{17})$")


def _not_found(rid: str) -> Exception:
    prefix = rid.split("-", maxsplit=1)[0]
    key = {
        "i": "InvalidInstanceID.NotFound",
        "sg": "InvalidGroup.NotFound",
        "ami": "InvalidAMIID.NotFound",
        "vol": "InvalidVolume.NotFound",
        "eipalloc": "InvalidAllocationID.NotFound",
        "vpc": "InvalidVpcID.NotFound",
        "subnet": "InvalidSubnetID.NotFound",
        "igw": "InvalidInternetGatewayID.NotFound",
        "rtb": "InvalidRouteTableID.NotFound",
        "dopt": "InvalidDhcpOptionsID.NotFound",
        "snap": "InvalidSnapshot.NotFound",
        "eni": "InvalidNetworkInterfaceID.NotFound",
    }.get(prefix, "InvalidID")
    return E(
        key,
        iid=rid,
        group=rid,
        ami=rid,
        vol=rid,
        alloc=rid,
        vpc=rid,
        subnet=rid,
        rid=rid,
        igw=rid,
        rtb=rid,
        dopt=rid,
        snap=rid,
        eni=rid,
    )


def delete_tags(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteTags (a tag given with a value is removed only when the value matches)."""
    resources = _tagged_resources(b)
    check_tag_keys(t["Key"] for t in params.get("Tags") or [])
    for rid in require(params, "Resources"):
        if rid not in resources:
            raise E("InvalidID", rid=rid) if not _WELL_FORMED.match(rid) else _not_found(rid)
        tags = resources[rid].tags
        for t in params.get("Tags") or [{"Key": k} for k in list(tags)]:
            if t["Key"] in tags and ("Value" not in t or tags[t["Key"]] == t["Value"]):
                del tags[t["Key"]]
    return {}


def describe_tags(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeTags across resources."""
    kinds = {
        "i": "instance",
        "sg": "security-group",
        "ami": "image",
        "vol": "volume",
        "eipalloc": "elastic-ip",
        "vpc": "vpc",
        "subnet": "subnet",
        "lt": "launch-template",
        "key": "key-pair",
        "igw": "internet-gateway",
        "rtb": "route-table",
        "dopt": "dhcp-options",
        "snap": "snapshot",
        "eni": "network-interface",
    }
    rows = []
    for rid, res in _tagged_resources(b).items():
        for k, v in res.tags.items():
            rows.append(
                {"ResourceId": rid, "ResourceType": kinds.get(rid.split("-")[0], "instance"), "Key": k, "Value": v}
            )
    rows = filters.apply(
        rows,
        params.get("Filters"),
        {
            "resource-id": lambda r: [r["ResourceId"]],
            "resource-type": lambda r: [r["ResourceType"]],
            "key": lambda r: [r["Key"]],
            "value": lambda r: [r["Value"]],
        },
    )
    return {"Tags": rows}


OPERATIONS: dict[str, Handler] = {
    "CreateTags": create_tags,
    "DeleteTags": delete_tags,
    "DescribeTags": describe_tags,
}
