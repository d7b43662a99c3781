"""Model objects to AWS response dicts (botocore member names and Python types, datetimes for timestamps)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.clock import to_datetime
from awsprep.sim.ec2.catalog import INSTANCE_TYPES, private_dns, public_dns
from awsprep.sim.ec2.state import (
    STATE_CODES,
    Address,
    Instance,
    KeyPair,
    Rule,
    SecurityGroup,
    Subnet,
    Volume,
    Vpc,
)

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend

_REASONS = {
    "Client.UserInitiatedShutdown": "Client.UserInitiatedShutdown: User initiated shutdown",
    "Client.InstanceInitiatedShutdown": "Client.InstanceInitiatedShutdown: Instance initiated shutdown",
}


def tags(d: dict[str, str]) -> list[dict[str, str]]:
    """`{"k": "v"}` → `[{"Key": "k", "Value": "v"}]`."""
    return [{"Key": k, "Value": v} for k, v in d.items()]


def state(name: str) -> dict[str, Any]:
    """`{"Code": 16, "Name": "running"}`."""
    return {"Code": STATE_CODES[name], "Name": name}


def instance(b: Ec2Backend, inst: Instance) -> dict[str, Any]:
    """The Instance structure of DescribeInstances / RunInstances."""
    known = b.state.security_groups
    groups = [{"GroupId": g, "GroupName": known[g].name} for g in inst.security_group_ids if g in known]
    public_ip = b.public_address(inst)
    live = inst.state != "terminated"
    itype = INSTANCE_TYPES[inst.instance_type]
    meta = inst.metadata
    windows = inst.platform == "windows"
    launched = to_datetime(inst.launch_time)
    private_name = private_dns(b.region, inst.private_ip)
    out: dict[str, Any] = {
        "AmiLaunchIndex": inst.ami_launch_index,
        "ImageId": inst.image_id,
        "InstanceId": inst.instance_id,
        "InstanceType": inst.instance_type,
        "LaunchTime": launched,
        "Monitoring": {"State": inst.monitoring},
        "Placement": {"AvailabilityZone": inst.az, "GroupName": "", "Tenancy": "default"},
        "PrivateDnsName": private_name if live else "",
        "ProductCodes": [],
        "PublicDnsName": public_dns(b.region, public_ip) if public_ip else "",
        "State": {"Code": STATE_CODES[inst.state], "Name": inst.state},
        "StateTransitionReason": inst.state_transition_reason,
        "Architecture": inst.architecture,
        "BlockDeviceMappings": [
            {
                "DeviceName": v.device,
                "Ebs": {
                    "AttachTime": to_datetime(v.attach_time),
                    "DeleteOnTermination": v.delete_on_termination,
                    "Status": "attached",
                    "VolumeId": v.volume_id,
                },
            }
            for v in b.volumes_of(inst)
        ],
        "ClientToken": inst.client_token,
        "EbsOptimized": inst.ebs_optimized,
        "EnaSupport": itype.hypervisor == "nitro",
        "Hypervisor": "xen",
        "RootDeviceName": inst.root_device_name,
        "RootDeviceType": "ebs",
        "SecurityGroups": groups,
        "SourceDestCheck": inst.source_dest_check,
        "VirtualizationType": "hvm",
        "CpuOptions": {
            "CoreCount": max(1, itype.vcpus // 2),
            "ThreadsPerCore": 2 if itype.vcpus > 1 else 1,
        },
        "MetadataOptions": {
            "State": "applied",
            "HttpTokens": meta.http_tokens,
            "HttpPutResponseHopLimit": meta.hop_limit,
            "HttpEndpoint": meta.http_endpoint,
            "HttpProtocolIpv6": meta.http_protocol_ipv6,
            "InstanceMetadataTags": meta.instance_metadata_tags,
        },
        "PlatformDetails": "Windows" if windows else "Linux/UNIX",
        "UsageOperation": "RunInstances:0002" if windows else "RunInstances",
    }
    if windows:
        out["Platform"] = "windows"
    if inst.key_name:
        out["KeyName"] = inst.key_name
    if live:
        out["PrivateIpAddress"] = inst.private_ip
        out["SubnetId"] = inst.subnet_id
        out["VpcId"] = inst.vpc_id
        out["NetworkInterfaces"] = [_eni(b, inst, groups, public_ip, launched, private_name)]
        if b.state.network_interfaces:  # secondary interfaces (AttachNetworkInterface)
            from awsprep.sim.ec2 import interfaces, render_net

            for eni in interfaces.attached_to(b, inst.instance_id):
                out["NetworkInterfaces"].append(render_net.instance_interface(b, eni))
    if public_ip:
        out["PublicIpAddress"] = public_ip
    if inst.state_reason:
        out["StateReason"] = {"Code": inst.state_reason, "Message": _REASONS.get(inst.state_reason, inst.state_reason)}
    if inst.iam_instance_profile_arn:
        out["IamInstanceProfile"] = {
            "Arn": inst.iam_instance_profile_arn,
            "Id": "AIPA" + inst.instance_id[2:14].upper(),
        }
    if inst.tags:
        out["Tags"] = tags(inst.tags)
    return out


def _eni(
    b: Ec2Backend,
    inst: Instance,
    groups: list[dict[str, Any]],
    public_ip: str | None,
    launched: datetime,
    private_name: str,
) -> dict[str, Any]:
    eni: dict[str, Any] = {
        "Attachment": {
            "AttachTime": launched,
            "AttachmentId": inst.attachment_id,
            "DeleteOnTermination": True,
            "DeviceIndex": 0,
            "Status": "attached",
            "NetworkCardIndex": 0,
        },
        "Description": "",
        "Groups": groups,
        "Ipv6Addresses": [],
        "MacAddress": inst.mac,
        "NetworkInterfaceId": inst.eni_id,
        "OwnerId": b.world.account_id,
        "PrivateDnsName": private_name,
        "PrivateIpAddress": inst.private_ip,
        "PrivateIpAddresses": [
            {
                "Primary": True,
                "PrivateDnsName": private_name,
                "PrivateIpAddress": inst.private_ip,
            }
        ],
        "SourceDestCheck": inst.source_dest_check,
        "Status": "in-use",
        "SubnetId": inst.subnet_id,
        "VpcId": inst.vpc_id,
        "InterfaceType": "interface",
    }
    if public_ip:
        owner = b.world.account_id if inst.eip_allocation_id else "amazon"
        assoc = {"IpOwnerId": owner, "PublicDnsName": public_dns(b.region, public_ip), "PublicIp": public_ip}
        eni["Association"] = assoc
        eni["PrivateIpAddresses"][0]["Association"] = dict(assoc)
    return eni


def reservation(b: Ec2Backend, reservation_id: str, insts: list[Instance]) -> dict[str, Any]:
    """A Reservation (also the RunInstances response body)."""
    return {
        "ReservationId": reservation_id,
        "OwnerId": b.world.account_id,
        "Groups": [],
        "Instances": [instance(b, i) for i in insts],
    }


def address(b: Ec2Backend, addr: Address) -> dict[str, Any]:
    """An Address of DescribeAddresses."""
    out: dict[str, Any] = {
        "PublicIp": addr.public_ip,
        "AllocationId": addr.allocation_id,
        "Domain": "vpc",
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": b.region,
    }
    if addr.association_id:
        out.update(
            AssociationId=addr.association_id,
            InstanceId=addr.instance_id,
            NetworkInterfaceId=addr.eni_id,
            NetworkInterfaceOwnerId=b.world.account_id,
            PrivateIpAddress=addr.private_ip,
        )
    if addr.tags:
        out["Tags"] = tags(addr.tags)
    return out


def _perm_peer(rule: Rule, account: str) -> dict[str, Any]:
    if rule.cidr:
        return {"IpRanges": [_desc({"CidrIp": rule.cidr}, rule)]}
    if rule.cidr_v6:
        return {"Ipv6Ranges": [_desc({"CidrIpv6": rule.cidr_v6}, rule)]}
    return {"UserIdGroupPairs": [_desc({"GroupId": rule.group_id or "", "UserId": account}, rule)]}


def _desc(d: dict[str, Any], rule: Rule) -> dict[str, Any]:
    if rule.description:
        d["Description"] = rule.description
    return d


def ip_permissions(rules: list[Rule], account: str) -> list[dict[str, Any]]:
    """Rules grouped the way DescribeSecurityGroups shows them: one entry per protocol and port range."""
    grouped: dict[tuple[str, int, int], dict[str, Any]] = {}
    for rule in rules:
        key = (rule.protocol, rule.from_port, rule.to_port)
        perm = grouped.get(key)
        if perm is None:
            perm = {
                "IpProtocol": rule.protocol,
                "IpRanges": [],
                "Ipv6Ranges": [],
                "PrefixListIds": [],
                "UserIdGroupPairs": [],
            }
            if rule.protocol != "-1":
                perm["FromPort"], perm["ToPort"] = rule.from_port, rule.to_port
            grouped[key] = perm
        for k, v in _perm_peer(rule, account).items():
            perm[k].extend(v)
    return list(grouped.values())


def security_group(b: Ec2Backend, sg: SecurityGroup) -> dict[str, Any]:
    """A SecurityGroup of DescribeSecurityGroups."""
    out: dict[str, Any] = {
        "Description": sg.description,
        "GroupName": sg.name,
        "IpPermissions": ip_permissions(sg.ingress, b.world.account_id),
        "OwnerId": b.world.account_id,
        "GroupId": sg.group_id,
        "IpPermissionsEgress": ip_permissions(sg.egress, b.world.account_id),
        "VpcId": sg.vpc_id,
        "SecurityGroupArn": f"arn:aws:ec2:{b.region}:{b.world.account_id}:security-group/{sg.group_id}",
    }
    if sg.tags:
        out["Tags"] = tags(sg.tags)
    return out


def sg_rule(b: Ec2Backend, sg: SecurityGroup, rule: Rule, egress: bool) -> dict[str, Any]:
    """A SecurityGroupRule (AuthorizeSecurityGroupIngress, DescribeSecurityGroupRules)."""
    out: dict[str, Any] = {
        "SecurityGroupRuleId": rule.rule_id,
        "GroupId": sg.group_id,
        "GroupOwnerId": b.world.account_id,
        "IsEgress": egress,
        "IpProtocol": rule.protocol,
        "FromPort": rule.from_port,
        "ToPort": rule.to_port,
        "SecurityGroupRuleArn": f"arn:aws:ec2:{b.region}:{b.world.account_id}:security-group-rule/{rule.rule_id}",
        "Tags": [],
    }
    if rule.cidr:
        out["CidrIpv4"] = rule.cidr
    if rule.cidr_v6:
        out["CidrIpv6"] = rule.cidr_v6
    if rule.group_id:
        out["ReferencedGroupInfo"] = {"GroupId": rule.group_id, "UserId": b.world.account_id}
    if rule.description:
        out["Description"] = rule.description
    return out


def key_pair(kp: KeyPair, include_public_key: bool = False) -> dict[str, Any]:
    """A KeyPairInfo of DescribeKeyPairs (never the private material; the public key on request)."""
    out: dict[str, Any] = {
        "KeyPairId": kp.key_id,
        "KeyFingerprint": kp.fingerprint,
        "KeyName": kp.name,
        "KeyType": kp.key_type,
        "Tags": tags(kp.tags),
        "CreateTime": to_datetime(kp.created),
    }
    if include_public_key:
        out["PublicKey"] = kp.public_key
    return out


def vpc(v: Vpc, account: str) -> dict[str, Any]:
    """A Vpc."""
    out: dict[str, Any] = {
        "CidrBlock": v.cidr,
        "DhcpOptionsId": v.dhcp_options_id,
        "State": "available",
        "VpcId": v.vpc_id,
        "OwnerId": account,
        "InstanceTenancy": "default",
        "IsDefault": v.is_default,
        "CidrBlockAssociationSet": [
            {
                "AssociationId": "vpc-cidr-assoc-" + v.vpc_id[4:],
                "CidrBlock": v.cidr,
                "CidrBlockState": {"State": "associated"},
            }
        ],
    }
    if v.tags:
        out["Tags"] = tags(v.tags)
    return out


def subnet(b: Ec2Backend, s: Subnet) -> dict[str, Any]:
    """A Subnet."""
    import ipaddress

    used = sum(1 for i in b.state.instances.values() if i.subnet_id == s.subnet_id and i.state != "terminated")
    out: dict[str, Any] = {
        "AvailabilityZone": s.az,
        "AvailabilityZoneId": s.az_id,
        "AvailableIpAddressCount": ipaddress.ip_network(s.cidr).num_addresses - 5 - used,
        "CidrBlock": s.cidr,
        "DefaultForAz": s.default_for_az,
        "MapPublicIpOnLaunch": s.map_public_ip,
        "State": "available",
        "SubnetId": s.subnet_id,
        "VpcId": s.vpc_id,
        "OwnerId": b.world.account_id,
        "SubnetArn": f"arn:aws:ec2:{b.region}:{b.world.account_id}:subnet/{s.subnet_id}",
    }
    if s.tags:
        out["Tags"] = tags(s.tags)
    return out


def volume(b: Ec2Backend, v: Volume) -> dict[str, Any]:
    """A Volume (CreateVolume returns the same structure at the top level)."""
    from awsprep.sim.ec2 import storage

    out: dict[str, Any] = {
        "Attachments": [],
        "AvailabilityZone": v.az,
        "CreateTime": to_datetime(v.created),
        "Encrypted": False,
        "Size": v.size_gb,
        "SnapshotId": v.snapshot_id,
        "State": storage.volume_state(b, v),
        "VolumeId": v.volume_id,
        "Iops": 3000 if v.volume_type == "gp3" else max(100, 3 * v.size_gb),
        "VolumeType": v.volume_type,
        "MultiAttachEnabled": False,
    }
    if v.volume_type == "gp3":
        out["Throughput"] = 125
    if v.instance_id:
        out["Attachments"] = [
            {
                "AttachTime": to_datetime(v.attach_time),
                "Device": v.device,
                "InstanceId": v.instance_id,
                "State": storage.attachment_state(b, v),
                "VolumeId": v.volume_id,
                "DeleteOnTermination": v.delete_on_termination,
            }
        ]
    if v.tags:
        out["Tags"] = tags(v.tags)
    return out
