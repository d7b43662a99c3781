"""EC2 API operations for addresses, security groups, key pairs, VPCs, subnets, volumes and Regions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import REGIONS, availability_zones, zone_id
from awsprep.sim.ec2 import filters, render
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.params import permissions, require, tags_for
from awsprep.sim.ec2.state import Rule, SecurityGroup

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.responses import Handler


# ----- Elastic IPs -------------------------------------------------------------------------------------------
def allocate_address(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AllocateAddress."""
    addr = b.allocate_address(tags_for(params, "elastic-ip"))
    return {
        "PublicIp": addr.public_ip,
        "AllocationId": addr.allocation_id,
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": b.region,
        "Domain": "vpc",
    }


def associate_address(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AssociateAddress by allocation id (or public IP)."""
    if params.get("AllocationId"):
        addr = b.address(params["AllocationId"])
    elif params.get("PublicIp"):
        addr = b.address_by_ip(params["PublicIp"])
    else:
        raise E("MissingParameter", name="AllocationId")
    instance_id = params.get("InstanceId")
    if not instance_id and params.get("NetworkInterfaceId"):
        match = [i for i in b.state.instances.values() if i.eni_id == params["NetworkInterfaceId"]]
        if not match:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"The networkInterface ID '{params['NetworkInterfaceId']}' does not exist",
            )
        instance_id = match[0].instance_id
    if not instance_id:
        raise E("MissingParameter", name="InstanceId")
    allow = params.get("AllowReassociation")
    assoc = b.associate_address(
        addr, instance_id, None if allow is None else bool(allow), params.get("PrivateIpAddress")
    )
    return {"AssociationId": assoc}


def disassociate_address(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DisassociateAddress by association id (or public IP)."""
    if params.get("AssociationId"):
        addr = b.address_by_association(params["AssociationId"])
    elif params.get("PublicIp"):
        addr = b.address_by_ip(params["PublicIp"])
        if addr.association_id is None:
            return {}
    else:
        raise E("MissingParameter", name="AssociationId")
    b.disassociate(addr)
    return {}


def release_address(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ReleaseAddress: VPC addresses are released by allocation id only."""
    if params.get("PublicIp") and not params.get("AllocationId"):
        b.address_by_ip(params["PublicIp"])  # someone else's address: AuthFailure; unknown: NotFound
        raise E("InvalidParameterValue.ReleasePublicIp")
    b.release_address(require(params, "AllocationId"))
    return {}


def describe_addresses(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeAddresses."""
    addrs = list(b.state.addresses.values())
    if params.get("AllocationIds"):
        addrs = [b.address(a) for a in params["AllocationIds"]]
    if params.get("PublicIps"):
        addrs = [b.address_by_ip(ip) for ip in params["PublicIps"]]
    addrs = filters.apply(
        addrs,
        params.get("Filters"),
        {
            "allocation-id": lambda a: [a.allocation_id],
            "association-id": lambda a: [a.association_id],
            "instance-id": lambda a: [a.instance_id],
            "public-ip": lambda a: [a.public_ip],
            "domain": lambda a: ["vpc"],
            "private-ip-address": lambda a: [a.private_ip],
        },
    )
    return {"Addresses": [render.address(b, a) for a in addrs]}


# ----- security groups -----------------------------------------------------------------------------------------
def _group_from(b: Ec2Backend, params: dict[str, Any]) -> SecurityGroup:
    if params.get("GroupId"):
        return b.group(params["GroupId"])
    if params.get("GroupName"):
        return b.group_by_name(params["GroupName"])
    raise E("MissingParameter", name="GroupId")


def create_security_group(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateSecurityGroup."""
    sg = b.create_security_group(
        require(params, "GroupName"),
        require(params, "Description"),
        params.get("VpcId"),
        tags_for(params, "security-group"),
    )
    out: dict[str, Any] = {"GroupId": sg.group_id, "SecurityGroupArn": render.security_group(b, sg)["SecurityGroupArn"]}
    if sg.tags:
        out["Tags"] = render.tags(sg.tags)
    return out


def delete_security_group(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteSecurityGroup."""
    sg = _group_from(b, params)
    b.delete_security_group(sg)
    return {"Return": True, "GroupId": sg.group_id}


def _lookup(b: Ec2Backend, sg: SecurityGroup) -> Any:
    return lambda name: b.group_by_name(name, sg.vpc_id).group_id


def _authorize(egress: bool) -> Handler:
    def handler(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
        sg = _group_from(b, params)
        rules = b.authorize(sg, permissions(params, _lookup(b, sg)), egress=egress)
        return {"Return": True, "SecurityGroupRules": [render.sg_rule(b, sg, r, egress) for r in rules]}

    handler.__doc__ = f"AuthorizeSecurityGroup{'Egress' if egress else 'Ingress'}."
    return handler


def _revoke(egress: bool) -> Handler:
    def handler(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
        sg = _group_from(b, params)
        unknown = b.revoke(
            sg, permissions(params, _lookup(b, sg)), list(params.get("SecurityGroupRuleIds") or []), egress
        )
        out: dict[str, Any] = {"Return": True}
        if unknown:
            out["UnknownIpPermissions"] = render.ip_permissions(
                [Rule("", p.protocol, p.from_port, p.to_port, p.cidr, p.cidr_v6, p.group_id) for p in unknown],
                b.world.account_id,
            )
        return out

    handler.__doc__ = f"RevokeSecurityGroup{'Egress' if egress else 'Ingress'}."
    return handler


def describe_security_groups(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeSecurityGroups."""
    groups = list(b.state.security_groups.values())
    if params.get("GroupIds"):
        groups = [b.group(g) for g in params["GroupIds"]]
    if params.get("GroupNames"):
        groups = [b.group_by_name(n) for n in params["GroupNames"]]
    groups = filters.apply(
        groups,
        params.get("Filters"),
        {
            "group-id": lambda g: [g.group_id],
            "group-name": lambda g: [g.name],
            "vpc-id": lambda g: [g.vpc_id],
            "description": lambda g: [g.description],
            "ip-permission.from-port": lambda g: [str(r.from_port) for r in g.ingress],
            "ip-permission.to-port": lambda g: [str(r.to_port) for r in g.ingress],
            "ip-permission.cidr": lambda g: [r.cidr for r in g.ingress],
        },
    )
    return {"SecurityGroups": [render.security_group(b, g) for g in groups]}


def describe_security_group_rules(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeSecurityGroupRules."""
    rows = []
    for sg in b.state.security_groups.values():
        rows += [(sg, r, False) for r in sg.ingress] + [(sg, r, True) for r in sg.egress]
    if params.get("SecurityGroupRuleIds"):
        rows = [row for row in rows if row[1].rule_id in params["SecurityGroupRuleIds"]]
    rows = filters.apply(
        rows,
        params.get("Filters"),
        {"group-id": lambda row: [row[0].group_id], "security-group-rule-id": lambda row: [row[1].rule_id]},
    )
    return {"SecurityGroupRules": [render.sg_rule(b, sg, r, eg) for sg, r, eg in rows]}


# ----- key pairs ----------------------------------------------------------------------------------------------
def create_key_pair(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateKeyPair: the only response that ever carries KeyMaterial."""
    kp, material = b.create_key_pair(
        require(params, "KeyName"), params.get("KeyType") or "rsa", tags_for(params, "key-pair")
    )
    return {
        "KeyFingerprint": kp.fingerprint,
        "KeyMaterial": material,
        "KeyName": kp.name,
        "KeyPairId": kp.key_id,
        "Tags": render.tags(kp.tags),
    }


def import_key_pair(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ImportKeyPair (the material arrives as bytes from botocore's blob, or text from the Python API)."""
    material = params.get("PublicKeyMaterial")
    if material is None:
        raise E("MissingParameter", name="PublicKeyMaterial")
    kp = b.import_key_pair(require(params, "KeyName"), material, tags_for(params, "key-pair"))
    return {"KeyFingerprint": kp.fingerprint, "KeyName": kp.name, "KeyPairId": kp.key_id, "Tags": render.tags(kp.tags)}


def delete_key_pair(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteKeyPair (succeeds for an unknown name, as EC2 does)."""
    name = params.get("KeyName")
    if not name and params.get("KeyPairId"):
        name = next((k.name for k in b.state.key_pairs.values() if k.key_id == params["KeyPairId"]), None)
    kp = b.state.key_pairs.pop(name or "", None)
    return {"Return": True, "KeyPairId": kp.key_id} if kp else {"Return": True}


def describe_key_pairs(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeKeyPairs (never shows the private key)."""
    pairs = list(b.state.key_pairs.values())
    if params.get("KeyNames"):
        pairs = [b.key_pair(n) for n in params["KeyNames"]]
    if params.get("KeyPairIds"):
        pairs = [p for p in pairs if p.key_id in params["KeyPairIds"]]
    pairs = filters.apply(
        pairs,
        params.get("Filters"),
        {"key-name": lambda k: [k.name], "key-pair-id": lambda k: [k.key_id], "fingerprint": lambda k: [k.fingerprint]},
    )
    public = bool(params.get("IncludePublicKey"))
    return {"KeyPairs": [render.key_pair(p, include_public_key=public) for p in pairs]}


# ----- VPCs, subnets, Regions --------------------------------------------------------------------
def create_vpc(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateVpc."""
    vpc = b.create_vpc(require(params, "CidrBlock"), tags_for(params, "vpc"))
    return {"Vpc": render.vpc(vpc, b.world.account_id)}


def describe_vpcs(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeVpcs."""
    vpcs = [b.vpc(v) for v in params["VpcIds"]] if params.get("VpcIds") else list(b.state.vpcs.values())
    vpcs = filters.apply(
        vpcs,
        params.get("Filters"),
        {
            "vpc-id": lambda v: [v.vpc_id],
            "is-default": lambda v: [str(v.is_default).lower()],
            "cidr": lambda v: [v.cidr],
        },
    )
    return {"Vpcs": [render.vpc(v, b.world.account_id) for v in vpcs]}


def create_subnet(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateSubnet."""
    s = b.create_subnet(require(params, "VpcId"), require(params, "CidrBlock"), params.get("AvailabilityZone"))
    s.tags.update(tags_for(params, "subnet"))
    return {"Subnet": render.subnet(b, s)}


def describe_subnets(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeSubnets."""
    subs = [b.subnet(s) for s in params["SubnetIds"]] if params.get("SubnetIds") else list(b.state.subnets.values())
    subs = filters.apply(
        subs,
        params.get("Filters"),
        {
            "vpc-id": lambda s: [s.vpc_id],
            "subnet-id": lambda s: [s.subnet_id],
            "availability-zone": lambda s: [s.az],
            "default-for-az": lambda s: [str(s.default_for_az).lower()],
            "map-public-ip-on-launch": lambda s: [str(s.map_public_ip).lower()],
        },
    )
    return {"Subnets": [render.subnet(b, s) for s in subs]}


def modify_subnet_attribute(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ModifySubnetAttribute (MapPublicIpOnLaunch)."""
    s = b.subnet(require(params, "SubnetId"))
    if params.get("MapPublicIpOnLaunch") is not None:
        s.map_public_ip = bool(params["MapPublicIpOnLaunch"].get("Value"))
    return {}


def describe_regions(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeRegions: every commercial Region (the simulated account has opted in to the opt-in ones)."""
    names = params.get("RegionNames") or []
    for name in names:
        if name not in REGIONS:
            raise E("InvalidParameterValue.Generic", message=f"Invalid region: {name}")
    regions = [
        {
            "Endpoint": f"ec2.{r.name}.amazonaws.com",
            "RegionName": r.name,
            "OptInStatus": "opted-in" if r.opt_in else "opt-in-not-required",
        }
        for r in REGIONS.values()
        if not names or r.name in names
    ]
    regions = filters.apply(
        regions,
        params.get("Filters"),
        {
            "region-name": lambda r: [r["RegionName"]],
            "endpoint": lambda r: [r["Endpoint"]],
            "opt-in-status": lambda r: [r["OptInStatus"]],
        },
    )
    return {"Regions": regions}


def describe_availability_zones(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeAvailabilityZones: the Region's zones with their zone ids; ZoneNames/ZoneIds must exist."""
    zones = [
        {
            "State": "available",
            "OptInStatus": "opt-in-not-required",
            "Messages": [],
            "RegionName": b.region,
            "ZoneName": z,
            "ZoneId": zone_id(b.region, z),
            "GroupName": b.region,
            "NetworkBorderGroup": b.region,
            "ZoneType": "availability-zone",
        }
        for z in availability_zones(b.region)
    ]
    for key, field in (("ZoneNames", "ZoneName"), ("ZoneIds", "ZoneId")):
        wanted = params.get(key) or []
        for value in wanted:
            if value not in {z[field] for z in zones}:
                raise E(
                    "InvalidParameterValue.Generic",
                    message=f"The zone '{value}' does not exist in the region '{b.region}'.",
                )
        if wanted:
            zones = [z for z in zones if z[field] in wanted]
    zones = filters.apply(
        zones,
        params.get("Filters"),
        {
            "zone-name": lambda z: [z["ZoneName"]],
            "zone-id": lambda z: [z["ZoneId"]],
            "state": lambda z: [z["State"]],
            "region-name": lambda z: [z["RegionName"]],
            "zone-type": lambda z: [z["ZoneType"]],
            "group-name": lambda z: [z["GroupName"]],
        },
    )
    return {"AvailabilityZones": zones}


OPERATIONS: dict[str, Handler] = {
    "AllocateAddress": allocate_address,
    "AssociateAddress": associate_address,
    "DisassociateAddress": disassociate_address,
    "ReleaseAddress": release_address,
    "DescribeAddresses": describe_addresses,
    "CreateSecurityGroup": create_security_group,
    "DeleteSecurityGroup": delete_security_group,
    "AuthorizeSecurityGroupIngress": _authorize(False),
    "AuthorizeSecurityGroupEgress": _authorize(True),
    "RevokeSecurityGroupIngress": _revoke(False),
    "RevokeSecurityGroupEgress": _revoke(True),
    "DescribeSecurityGroups": describe_security_groups,
    "DescribeSecurityGroupRules": describe_security_group_rules,
    "CreateKeyPair": create_key_pair,
    "ImportKeyPair": import_key_pair,
    "DeleteKeyPair": delete_key_pair,
    "DescribeKeyPairs": describe_key_pairs,
    "CreateVpc": create_vpc,
    "DescribeVpcs": describe_vpcs,
    "CreateSubnet": create_subnet,
    "DescribeSubnets": describe_subnets,
    "ModifySubnetAttribute": modify_subnet_attribute,
    "DescribeRegions": describe_regions,
    "DescribeAvailabilityZones": describe_availability_zones,
}
