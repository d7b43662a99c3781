"""Launch resolution: RunInstances parameters, or a launch template plus overrides, to one `LaunchSpec`.

RunInstances and every other service that launches instances (Auto Scaling) go through `resolve_launch`, so a
launch template means the same thing whoever uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from awsprep.sim.ec2.catalog import DEFAULT_INSTANCE_TYPE
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.params import require, tags_for, user_data_bytes
from awsprep.sim.ec2.state import MetadataOptions

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend

# What RunInstances can tag at launch (RunInstances, TagSpecification.N); network interfaces take the tags too.
RUN_TAGGABLE = ("instance", "volume", "network-interface", "spot-instances-request")


@dataclass
class LaunchSpec:
    """Everything RunInstances needs, after launch-template merging and parameter parsing."""

    image_id: str
    instance_type: str = "t2.micro"
    count: int = 1
    key_name: str | None = None
    security_group_ids: list[str] = field(default_factory=list)
    security_group_names: list[str] = field(default_factory=list)
    subnet_id: str | None = None
    az: str | None = None
    user_data: bytes | None = None  # raw bytes (not base64)
    assign_public_ip: bool | None = None
    disable_api_termination: bool = False
    disable_api_stop: bool = False
    shutdown_behavior: str = "stop"
    tags: dict[str, str] = field(default_factory=dict)
    volume_tags: dict[str, str] = field(default_factory=dict)
    extra_volumes: list[tuple[str, int, str, bool]] = field(default_factory=list)  # device, GB, type, DoT
    root_size_gb: int | None = None
    root_delete_on_termination: bool = True
    root_volume_type: str = "gp3"
    metadata: MetadataOptions | None = None
    monitoring: bool = False
    ebs_optimized: bool = False
    iam_instance_profile_arn: str | None = None
    client_token: str | None = None
    launch_template: dict[str, str] | None = None
    private_ip: str | None = None


def resolve_launch(b: Ec2Backend, params: dict[str, Any]) -> LaunchSpec:  # noqa: PLR0915 - one flat mapping
    """RunInstances parameters (botocore names) to a `LaunchSpec`: the launch template's version (if any)
    merged under the explicit parameters. The one place RunInstances and other services' launches resolve."""
    lt_ref = params.get("LaunchTemplate")
    merged: dict[str, Any] = {}
    lt_info = None
    if lt_ref:
        lt = b.launch_template(lt_ref.get("LaunchTemplateId"), lt_ref.get("LaunchTemplateName"))
        version = b.template_version(lt, lt_ref.get("Version"))
        merged.update(version.data)
        if "SecurityGroupIds" not in merged and merged.get("SecurityGroups"):
            merged["SecurityGroupNames"] = merged.pop("SecurityGroups")
        lt_info = {"LaunchTemplateId": lt.template_id, "LaunchTemplateName": lt.name, "Version": str(version.number)}
    explicit = {k: v for k, v in params.items() if v is not None}
    if "SecurityGroups" in explicit:
        explicit["SecurityGroupNames"] = explicit.pop("SecurityGroups")
    merged.update(explicit)
    image_id = require(merged, "ImageId")
    # No type anywhere: the API's documented default, m1.small (a previous-generation type, priced).
    spec = LaunchSpec(image_id=image_id, instance_type=merged.get("InstanceType") or DEFAULT_INSTANCE_TYPE)
    min_count = int(merged.get("MinCount", 1))
    max_count = int(merged.get("MaxCount", min_count))
    if min_count < 1:
        raise E("InvalidParameterValue.Count", value=min_count, name="MinCount")
    if max_count < min_count:
        raise E("InvalidParameterValue.Generic", message="MinCount cannot be greater than MaxCount")
    spec.count = max_count
    spec.key_name = merged.get("KeyName")
    spec.security_group_ids = list(merged.get("SecurityGroupIds") or [])
    spec.security_group_names = list(merged.get("SecurityGroupNames") or [])
    spec.subnet_id = merged.get("SubnetId")
    placement = merged.get("Placement") or {}
    spec.az = placement.get("AvailabilityZone")
    # RunInstances UserData is base64 on the wire (botocore encodes it before we see it); template data too.
    spec.user_data = user_data_bytes(merged.get("UserData"), base64_encoded=True)
    for eni in merged.get("NetworkInterfaces") or []:
        if eni.get("DeviceIndex", 0) == 0:
            if eni.get("AssociatePublicIpAddress") is not None:
                spec.assign_public_ip = bool(eni["AssociatePublicIpAddress"])
            spec.subnet_id = eni.get("SubnetId", spec.subnet_id)
            spec.security_group_ids += list(eni.get("Groups") or [])
            spec.private_ip = eni.get("PrivateIpAddress")
    spec.private_ip = merged.get("PrivateIpAddress", spec.private_ip)
    spec.disable_api_termination = bool(merged.get("DisableApiTermination", False))
    spec.disable_api_stop = bool(merged.get("DisableApiStop", False))
    spec.shutdown_behavior = merged.get("InstanceInitiatedShutdownBehavior", "stop")
    spec.tags = tags_for(merged, "instance", RUN_TAGGABLE)
    spec.volume_tags = tags_for(merged, "volume", RUN_TAGGABLE)
    if lt_info:
        spec.tags.setdefault("aws:ec2launchtemplate:id", lt_info["LaunchTemplateId"])
        spec.tags.setdefault("aws:ec2launchtemplate:version", lt_info["Version"])
        spec.launch_template = lt_info
    image = b.image(image_id)
    for bdm in merged.get("BlockDeviceMappings") or []:
        ebs = bdm.get("Ebs") or {}
        device = bdm.get("DeviceName", "")
        if device == image.root_device_name:
            spec.root_size_gb = ebs.get("VolumeSize")
            spec.root_delete_on_termination = bool(ebs.get("DeleteOnTermination", True))
            spec.root_volume_type = ebs.get("VolumeType", "gp3")
        elif ebs:
            spec.extra_volumes.append(
                (
                    device,
                    int(ebs.get("VolumeSize", 8)),
                    ebs.get("VolumeType", "gp3"),
                    bool(ebs.get("DeleteOnTermination", False)),
                )
            )
    meta = merged.get("MetadataOptions")
    if meta:
        default = MetadataOptions(http_tokens="required" if image.imds_v2_required else "optional")
        spec.metadata = metadata_options(default, meta)
    spec.monitoring = bool((merged.get("Monitoring") or {}).get("Enabled", False))
    spec.ebs_optimized = bool(merged.get("EbsOptimized", False))
    profile = merged.get("IamInstanceProfile") or {}
    if profile:
        spec.iam_instance_profile_arn = profile.get("Arn") or (
            f"arn:aws:iam::{b.world.account_id}:instance-profile/{profile.get('Name')}"
        )
    spec.client_token = merged.get("ClientToken")
    return spec


def metadata_options(current: MetadataOptions, params: dict[str, Any]) -> MetadataOptions:
    new = MetadataOptions(**vars(current))
    if params.get("HttpTokens") is not None:
        if params["HttpTokens"] not in ("optional", "required"):
            raise E("InvalidParameterValue.Generic", message=f"Invalid value for HttpTokens: {params['HttpTokens']}")
        new.http_tokens = params["HttpTokens"]
    if params.get("HttpPutResponseHopLimit") is not None:
        hops = int(params["HttpPutResponseHopLimit"])
        if not 1 <= hops <= 64:
            raise E("InvalidParameterValue.Generic", message="The HttpPutResponseHopLimit must be between 1 and 64.")
        new.hop_limit = hops
    if params.get("HttpEndpoint") is not None:
        new.http_endpoint = params["HttpEndpoint"]
    if params.get("HttpProtocolIpv6") is not None:
        new.http_protocol_ipv6 = params["HttpProtocolIpv6"]
    if params.get("InstanceMetadataTags") is not None:
        new.instance_metadata_tags = params["InstanceMetadataTags"]
    return new
