"""EC2 API operations for AMIs, launch templates and instance types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.ec2 import filters, render_images
from awsprep.sim.ec2.catalog import INSTANCE_TYPES
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.params import require, tags_for
from awsprep.sim.ec2.state import Image

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.responses import Handler


def create_image(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateImage (reboots a running instance unless NoReboot)."""
    tags = tags_for(params, "image", ("image", "snapshot"))
    image = b.create_image(
        require(params, "InstanceId"),
        require(params, "Name"),
        params.get("Description") or "",
        bool(params.get("NoReboot")),
    )
    image.tags.update(tags)
    return {"ImageId": image.image_id}


def copy_image(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CopyImage (called in the destination Region)."""
    image = b.copy_image(
        require(params, "SourceRegion"),
        require(params, "SourceImageId"),
        require(params, "Name"),
        params.get("Description") or "",
    )
    return {"ImageId": image.image_id}


def _visible(b: Ec2Backend, img: Image, owners: list[str], users: list[str]) -> bool:
    if owners:
        aliases = {"self": b.world.account_id}
        wanted = {aliases.get(o, o) for o in owners}
        if img.owner_id not in wanted and img.owner_alias not in wanted:
            return False
    if users:
        account = b.world.account_id
        if not any(
            (u in ("self", account) and (account in img.launch_permissions or img.public))
            or (u == "all" and img.public)
            for u in users
        ):
            return False
    return True


def describe_images(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeImages (own, shared and public images; Owners, ExecutableUsers, filters with wildcards)."""
    if params.get("ImageIds"):
        images = [b.image(i) for i in params["ImageIds"]]
    else:
        images = [i for i in b.state.images.values() if b.can_see_image(i)]
    images = [
        i for i in images if _visible(b, i, list(params.get("Owners") or []), list(params.get("ExecutableUsers") or []))
    ]
    images = filters.apply(
        images,
        params.get("Filters"),
        {
            "name": lambda i: [i.name],
            "image-id": lambda i: [i.image_id],
            "state": lambda i: [i.state],
            "architecture": lambda i: [i.architecture],
            "owner-id": lambda i: [i.owner_id],
            "owner-alias": lambda i: [i.owner_alias],
            "is-public": lambda i: [str(i.public).lower()],
            "platform": lambda i: ["windows"] if i.platform == "windows" else [],
            "root-device-type": lambda i: ["ebs"],
            "virtualization-type": lambda i: ["hvm"],
            "description": lambda i: [i.description],
        },
    )
    return {"Images": [render_images.image(i) for i in images]}


def deregister_image(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeregisterImage."""
    b.deregister_image(require(params, "ImageId"))
    return {"Return": True}


def modify_image_attribute(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ModifyImageAttribute: launch permissions (share with accounts, or group `all` = public)."""
    add: list[str] = []
    remove: list[str] = []
    lp = params.get("LaunchPermission") or {}
    for p in lp.get("Add") or []:
        add.append(p.get("Group") or p.get("UserId"))
    for p in lp.get("Remove") or []:
        remove.append(p.get("Group") or p.get("UserId"))
    target = remove if params.get("OperationType") == "remove" else add
    target += list(params.get("UserIds") or []) + list(params.get("UserGroups") or [])
    image = b.own_image(require(params, "ImageId"))
    if params.get("Description"):
        image.description = str(params["Description"].get("Value", image.description))
    if not add and not remove and not params.get("Description"):
        raise E("MissingParameter", name="LaunchPermission")
    b.set_launch_permission(image.image_id, add, remove)
    return {}


def describe_image_attribute(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeImageAttribute (launchPermission, description)."""
    image = b.own_image(require(params, "ImageId"))
    attr = require(params, "Attribute")
    out: dict[str, Any] = {"ImageId": image.image_id}
    if attr == "launchPermission":
        perms: list[dict[str, str]] = [{"Group": "all"}] if image.public else []
        out["LaunchPermissions"] = perms + [{"UserId": u} for u in image.launch_permissions]
    elif attr == "description":
        out["Description"] = {"Value": image.description}
    else:
        raise E("InvalidParameterValue.Generic", message=f"Value ({attr}) for parameter attribute is invalid.")
    return out


# ----- launch templates ----------------------------------------------------------------------------------------
def create_launch_template(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateLaunchTemplate (version 1, the default)."""
    lt = b.create_launch_template(
        require(params, "LaunchTemplateName"),
        require(params, "LaunchTemplateData"),
        params.get("VersionDescription"),
        tags_for(params, "launch-template"),
    )
    return {"LaunchTemplate": render_images.launch_template(lt, b.world.account_id)}


def create_launch_template_version(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateLaunchTemplateVersion (optionally based on SourceVersion)."""
    lt = b.launch_template(params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    version = b.create_template_version(
        lt, require(params, "LaunchTemplateData"), params.get("SourceVersion"), params.get("VersionDescription")
    )
    return {"LaunchTemplateVersion": render_images.template_version(lt, version, b.world.account_id)}


def modify_launch_template(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ModifyLaunchTemplate (--default-version)."""
    lt = b.launch_template(params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    if params.get("DefaultVersion"):
        b.set_default_version(lt, str(params["DefaultVersion"]))
    return {"LaunchTemplate": render_images.launch_template(lt, b.world.account_id)}


def delete_launch_template(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteLaunchTemplate."""
    lt = b.launch_template(params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    del b.state.launch_templates[lt.template_id]
    return {"LaunchTemplate": render_images.launch_template(lt, b.world.account_id)}


def describe_launch_templates(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeLaunchTemplates."""
    lts = list(b.state.launch_templates.values())
    if params.get("LaunchTemplateIds"):
        lts = [b.launch_template(i) for i in params["LaunchTemplateIds"]]
    if params.get("LaunchTemplateNames"):
        lts = [b.launch_template(name=n, listing=True) for n in params["LaunchTemplateNames"]]
    lts = filters.apply(lts, params.get("Filters"), {"launch-template-name": lambda lt: [lt.name]})
    return {"LaunchTemplates": [render_images.launch_template(lt, b.world.account_id) for lt in lts]}


def describe_launch_template_versions(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeLaunchTemplateVersions (Versions may name `$Latest` / `$Default`)."""
    lt = b.launch_template(params.get("LaunchTemplateId"), params.get("LaunchTemplateName"))
    wanted = params.get("Versions")
    versions = [b.template_version(lt, v) for v in wanted] if wanted else list(reversed(lt.versions))
    return {"LaunchTemplateVersions": [render_images.template_version(lt, v, b.world.account_id) for v in versions]}


def describe_instance_types(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeInstanceTypes for the simulator's catalogue."""
    names = params.get("InstanceTypes") or list(INSTANCE_TYPES)
    missing = [n for n in names if n not in INSTANCE_TYPES]
    if missing:
        raise E("InvalidInstanceType", types=", ".join(missing))
    types = filters.apply(
        [INSTANCE_TYPES[n] for n in names],
        params.get("Filters"),
        {
            "instance-type": lambda t: [t.name],
            "burstable-performance-supported": lambda t: [str(t.burstable).lower()],
            "processor-info.supported-architecture": lambda t: [t.architecture],
            "vcpu-info.default-vcpus": lambda t: [str(t.vcpus)],
            "memory-info.size-in-mib": lambda t: [str(t.memory_mib)],
        },
    )
    return {
        "InstanceTypes": [
            {
                "InstanceType": t.name,
                "CurrentGeneration": t.family != "t2",
                "FreeTierEligible": t.name in ("t2.micro", "t3.micro"),
                "SupportedUsageClasses": ["on-demand", "spot"],
                "SupportedRootDeviceTypes": ["ebs"],
                "SupportedVirtualizationTypes": ["hvm"],
                "BareMetal": False,
                "Hypervisor": t.hypervisor,
                "ProcessorInfo": {"SupportedArchitectures": [t.architecture]},
                "VCpuInfo": {"DefaultVCpus": t.vcpus},
                "MemoryInfo": {"SizeInMiB": t.memory_mib},
                "InstanceStorageSupported": False,
                "BurstablePerformanceSupported": t.burstable,
            }
            for t in types
        ]
    }


OPERATIONS: dict[str, Handler] = {
    "CreateImage": create_image,
    "CopyImage": copy_image,
    "DescribeImages": describe_images,
    "DeregisterImage": deregister_image,
    "ModifyImageAttribute": modify_image_attribute,
    "DescribeImageAttribute": describe_image_attribute,
    "CreateLaunchTemplate": create_launch_template,
    "CreateLaunchTemplateVersion": create_launch_template_version,
    "ModifyLaunchTemplate": modify_launch_template,
    "DeleteLaunchTemplate": delete_launch_template,
    "DescribeLaunchTemplates": describe_launch_templates,
    "DescribeLaunchTemplateVersions": describe_launch_template_versions,
    "DescribeInstanceTypes": describe_instance_types,
}
