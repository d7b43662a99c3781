"""AMIs and launch templates to AWS response dicts (split from `render.py`, which keeps the rest)."""

from __future__ import annotations

from typing import Any

from awsprep.sim.core.clock import iso_z, to_datetime
from awsprep.sim.ec2.render import tags
from awsprep.sim.ec2.state import Image, LaunchTemplate, LaunchTemplateVersion


def image(img: Image) -> dict[str, Any]:
    """An Image of DescribeImages."""
    out: dict[str, Any] = {
        "Architecture": img.architecture,
        "CreationDate": iso_z(img.created),
        "ImageId": img.image_id,
        "ImageLocation": f"{img.owner_alias or img.owner_id}/{img.name}",
        "ImageType": "machine",
        "Public": img.public,
        "OwnerId": img.owner_id,
        "PlatformDetails": img.platform_details,
        "UsageOperation": "RunInstances:0002" if img.platform == "windows" else "RunInstances",
        "State": img.state,
        "BlockDeviceMappings": [
            {
                "DeviceName": img.root_device_name,
                "Ebs": {
                    "DeleteOnTermination": True,
                    "SnapshotId": img.snapshot_id,
                    "VolumeSize": img.root_size_gb,
                    "VolumeType": "gp3",
                    "Encrypted": False,
                },
            }
        ],
        "Description": img.description,
        "EnaSupport": True,
        "Hypervisor": "xen",
        "Name": img.name,
        "RootDeviceName": img.root_device_name,
        "RootDeviceType": "ebs",
        "VirtualizationType": "hvm",
        "BootMode": "uefi-preferred" if img.architecture == "x86_64" else "uefi",
        "ImdsSupport": "v2.0" if img.imds_v2_required else None,
    }
    if out["ImdsSupport"] is None:
        del out["ImdsSupport"]
    if img.owner_alias:
        out["ImageOwnerAlias"] = img.owner_alias
    if img.platform == "windows":
        out["Platform"] = "windows"
    if img.tags:
        out["Tags"] = tags(img.tags)
    return out


def launch_template(lt: LaunchTemplate, account: str) -> dict[str, Any]:
    """A LaunchTemplate."""
    out: dict[str, Any] = {
        "LaunchTemplateId": lt.template_id,
        "LaunchTemplateName": lt.name,
        "CreateTime": to_datetime(lt.created),
        "CreatedBy": f"arn:aws:iam::{account}:user/learner",
        "DefaultVersionNumber": lt.default_version,
        "LatestVersionNumber": lt.versions[-1].number,
    }
    if lt.tags:
        out["Tags"] = tags(lt.tags)
    return out


def template_version(lt: LaunchTemplate, v: LaunchTemplateVersion, account: str) -> dict[str, Any]:
    """A LaunchTemplateVersion."""
    out: dict[str, Any] = {
        "LaunchTemplateId": lt.template_id,
        "LaunchTemplateName": lt.name,
        "VersionNumber": v.number,
        "CreateTime": to_datetime(v.created),
        "CreatedBy": f"arn:aws:iam::{account}:user/learner",
        "DefaultVersion": v.number == lt.default_version,
        "LaunchTemplateData": v.data,
    }
    if v.description is not None:
        out["VersionDescription"] = v.description
    return out
