"""What IMDS knows about an instance: the metadata tree, built fresh from EC2 state on each request."""

from __future__ import annotations

import json
from typing import Any

from awsprep.sim.core.clock import iso_z
from awsprep.sim.ec2.catalog import private_dns, public_dns
from awsprep.sim.ec2.models import Ec2Backend
from awsprep.sim.ec2.state import Instance

Tree = dict[str, Any]  # a directory: name -> str (a leaf) or Tree


def metadata_tree(b: Ec2Backend, inst: Instance) -> Tree:
    """`/latest/meta-data/` as nested dicts; absent keys are 404s (e.g. public-ipv4 without a public IP)."""
    public_ip = b.public_address(inst)
    groups = [b.state.security_groups[g] for g in inst.security_group_ids if g in b.state.security_groups]
    subnet = b.state.subnets[inst.subnet_id]
    vpc = b.state.vpcs[inst.vpc_id]
    mac_tree: Tree = {
        "device-number": "0",
        "interface-id": inst.eni_id,
        "local-hostname": private_dns(b.region, inst.private_ip),
        "local-ipv4s": inst.private_ip,
        "mac": inst.mac,
        "owner-id": b.world.account_id,
        "security-group-ids": "\n".join(g.group_id for g in groups),
        "security-groups": "\n".join(g.name for g in groups),
        "subnet-id": inst.subnet_id,
        "subnet-ipv4-cidr-block": subnet.cidr,
        "vpc-id": inst.vpc_id,
        "vpc-ipv4-cidr-block": vpc.cidr,
        "vpc-ipv4-cidr-blocks": vpc.cidr,
    }
    tree: Tree = {
        "ami-id": inst.image_id,
        "ami-launch-index": str(inst.ami_launch_index),
        "ami-manifest-path": "(unknown)",
        "block-device-mapping": {"ami": inst.root_device_name.removeprefix("/dev/"), "root": inst.root_device_name},
        "events": {"maintenance": {"scheduled": "[]", "history": "[]"}},
        "hostname": private_dns(b.region, inst.private_ip),
        "instance-action": "none",
        "instance-id": inst.instance_id,
        "instance-life-cycle": "on-demand",
        "instance-type": inst.instance_type,
        "local-hostname": private_dns(b.region, inst.private_ip),
        "local-ipv4": inst.private_ip,
        "mac": inst.mac,
        "network": {"interfaces": {"macs": {inst.mac: mac_tree}}},
        "placement": {
            "availability-zone": inst.az,
            "availability-zone-id": subnet.az_id,
            "group-name": "",
            "region": b.region,
        },
        "reservation-id": inst.reservation_id,
        "security-groups": "\n".join(g.name for g in groups),
        "services": {"domain": "amazonaws.com", "partition": "aws"},
    }
    if public_ip:
        tree["public-ipv4"] = public_ip
        tree["public-hostname"] = public_dns(b.region, public_ip)
        mac_tree["public-ipv4s"] = public_ip
        mac_tree["public-hostname"] = public_dns(b.region, public_ip)
    if inst.key_name and inst.key_name in b.state.key_pairs:
        tree["public-keys"] = {f"0={inst.key_name}": {"openssh-key": b.state.key_pairs[inst.key_name].public_key}}
    if inst.iam_instance_profile_arn:
        role = inst.iam_instance_profile_arn.rsplit("/", 1)[-1]
        creds = {
            "Code": "Success",
            "LastUpdated": iso_z(inst.pending_time),
            "Type": "AWS-HMAC",
            "AccessKeyId": "ASIA" + inst.instance_id[2:18].upper(),
            "SecretAccessKey": "simulated/" + inst.instance_id,
            "Token": "IQoJb3JpZ2luX2VjE" + inst.instance_id,
            "Expiration": iso_z(b.now + 6 * 3600),
        }
        tree["iam"] = {
            "info": json.dumps(
                {
                    "Code": "Success",
                    "LastUpdated": iso_z(inst.pending_time),
                    "InstanceProfileArn": inst.iam_instance_profile_arn,
                    "InstanceProfileId": "AIPA" + inst.instance_id[2:14].upper(),
                },
                indent=2,
            ),
            "security-credentials": {role: json.dumps(creds, indent=2)},
        }
    if inst.metadata.instance_metadata_tags == "enabled":
        tree["tags"] = {"instance": dict(inst.tags)}
    return tree


def identity_document(b: Ec2Backend, inst: Instance) -> str:
    """`/latest/dynamic/instance-identity/document` (pendingTime moves on every start)."""
    doc = {
        "accountId": b.world.account_id,
        "architecture": inst.architecture,
        "availabilityZone": inst.az,
        "billingProducts": None,
        "devpayProductCodes": None,
        "marketplaceProductCodes": None,
        "imageId": inst.image_id,
        "instanceId": inst.instance_id,
        "instanceType": inst.instance_type,
        "kernelId": None,
        "pendingTime": iso_z(inst.pending_time).replace(".000Z", "Z"),
        "privateIp": inst.private_ip,
        "ramdiskId": None,
        "region": b.region,
        "version": "2017-09-30",
    }
    return json.dumps(doc, indent=2)
