"""EC2 API operations: botocore parameters in, backend call, response dict out.

`OPERATIONS` maps each operation name to its handler; the network, image and catalogue operations
live in `responses_network.py` and `responses_images.py` and are merged in here.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.clock import to_datetime
from awsprep.sim.ec2 import base, filters, render
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.instances import LaunchSpec, StateChange
from awsprep.sim.ec2.params import attr_value, require, tags_for, user_data_bytes
from awsprep.sim.ec2.state import Instance, MetadataOptions

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend

Handler = Callable[["Ec2Backend", dict[str, Any]], dict[str, Any]]

INSTANCE_FILTERS: dict[str, filters.Extractor] = {
    "instance-id": lambda i: [i.instance_id],
    "instance-state-name": lambda i: [i.state],
    "instance-state-code": lambda i: [str(render.state(i.state)["Code"])],
    "instance-type": lambda i: [i.instance_type],
    "image-id": lambda i: [i.image_id],
    "key-name": lambda i: [i.key_name],
    "vpc-id": lambda i: [i.vpc_id],
    "subnet-id": lambda i: [i.subnet_id],
    "availability-zone": lambda i: [i.az],
    "private-ip-address": lambda i: [i.private_ip],
    "reservation-id": lambda i: [i.reservation_id],
    "architecture": lambda i: [i.architecture],
    "platform": lambda i: ["windows"] if i.platform == "windows" else [],
}


def _instance_filters(b: Ec2Backend) -> dict[str, filters.Extractor]:
    table = dict(INSTANCE_FILTERS)
    table["ip-address"] = lambda i: [b.public_address(i)]
    table["instance.group-id"] = table["group-id"] = lambda i: list(i.security_group_ids)
    table["instance.group-name"] = table["group-name"] = lambda i: [
        b.state.security_groups[g].name for g in i.security_group_ids if g in b.state.security_groups
    ]
    return table


def _changes(key: str, changes: list[StateChange]) -> dict[str, Any]:
    return {
        key: [
            {
                "InstanceId": c.instance_id,
                "CurrentState": render.state(c.current),
                "PreviousState": render.state(c.previous),
            }
            for c in changes
        ]
    }


# ----- RunInstances ----------------------------------------------------------------------------------------
def _launch_spec(b: Ec2Backend, params: dict[str, Any]) -> LaunchSpec:  # noqa: PLR0915 - one flat mapping
    """Merge the launch template (if any) under the explicit parameters and parse them."""
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
    spec = LaunchSpec(image_id=image_id, instance_type=merged.get("InstanceType", "m1.small"))
    if spec.instance_type == "m1.small":  # EC2's documented default; not in our catalogue, so say so
        raise E(
            "InvalidParameterValue.Generic",
            message="The instance type 'm1.small' is not offered by the "
            "simulator; pass --instance-type (for example t2.micro or t3.micro).",
        )
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
    spec.tags = tags_for(merged, "instance")
    spec.volume_tags = tags_for(merged, "volume")
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
        spec.metadata = _metadata(default, meta)
    spec.monitoring = bool((merged.get("Monitoring") or {}).get("Enabled", False))
    spec.ebs_optimized = bool(merged.get("EbsOptimized", False))
    profile = merged.get("IamInstanceProfile") or {}
    if profile:
        spec.iam_instance_profile_arn = profile.get("Arn") or (
            f"arn:aws:iam::{b.world.account_id}:instance-profile/{profile.get('Name')}"
        )
    spec.client_token = merged.get("ClientToken")
    return spec


def _metadata(current: MetadataOptions, params: dict[str, Any]) -> MetadataOptions:
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


def run_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """RunInstances: instances come back `pending`, without a public IP yet."""
    reservation_id, insts = b.run_instances(_launch_spec(b, params))
    return render.reservation(b, reservation_id, insts)


def describe_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeInstances grouped by reservation; terminated ones stay visible for about an hour."""
    ids = params.get("InstanceIds") or []
    insts = b.instances(ids) if ids else list(b.state.instances.values())
    wanted = params.get("Filters")
    if wanted:  # the filter table holds closures over `b`: build it only when there is something to filter
        insts = filters.apply(insts, wanted, _instance_filters(b))
    by_reservation: dict[str, list[Instance]] = {}
    for inst in insts:
        by_reservation.setdefault(inst.reservation_id, []).append(inst)
    return {"Reservations": [render.reservation(b, rid, group) for rid, group in by_reservation.items()]}


def start_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """StartInstances."""
    return _changes("StartingInstances", b.start_instances(require(params, "InstanceIds")))


def stop_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """StopInstances."""
    return _changes("StoppingInstances", b.stop_instances(require(params, "InstanceIds"), bool(params.get("Force"))))


def terminate_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """TerminateInstances."""
    return _changes("TerminatingInstances", b.terminate_instances(require(params, "InstanceIds")))


def reboot_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """RebootInstances (no output)."""
    b.reboot_instances(require(params, "InstanceIds"))
    return {}


def describe_instance_status(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Only running instances unless IncludeAllInstances; checks `initializing` for the first minutes."""
    ids = params.get("InstanceIds") or []
    insts = b.instances(ids) if ids else list(b.state.instances.values())
    if not params.get("IncludeAllInstances"):
        insts = [i for i in insts if i.state == "running"]
    insts = filters.apply(
        insts,
        params.get("Filters"),
        {"instance-state-name": lambda i: [i.state], "availability-zone": lambda i: [i.az]},
    )
    out = []
    for inst in insts:
        if inst.state == "running":
            ready = b.now - inst.pending_time >= base.BOOT_SECONDS + base.STATUS_CHECK_SECONDS
            status = "ok" if ready else "initializing"
            detail = "passed" if ready else "initializing"
        else:
            status, detail = "not-applicable", None

        def check(status: str = status, detail: str | None = detail) -> dict[str, Any]:
            d: dict[str, Any] = {"Status": status}
            if detail:
                d["Details"] = [{"Name": "reachability", "Status": detail}]
            return d

        out.append(
            {
                "AvailabilityZone": inst.az,
                "InstanceId": inst.instance_id,
                "InstanceState": render.state(inst.state),
                "InstanceStatus": check(),
                "SystemStatus": check(),
                "AttachedEbsStatus": check(),
            }
        )
    return {"InstanceStatuses": out}


# ----- attributes -------------------------------------------------------------------------------------------
_ATTR_OUT = {
    "instanceType": "InstanceType",
    "kernel": "KernelId",
    "ramdisk": "RamdiskId",
    "userData": "UserData",
    "disableApiTermination": "DisableApiTermination",
    "disableApiStop": "DisableApiStop",
    "instanceInitiatedShutdownBehavior": "InstanceInitiatedShutdownBehavior",
    "rootDeviceName": "RootDeviceName",
    "blockDeviceMapping": "BlockDeviceMappings",
    "productCodes": "ProductCodes",
    "sourceDestCheck": "SourceDestCheck",
    "groupSet": "Groups",
    "ebsOptimized": "EbsOptimized",
    "sriovNetSupport": "SriovNetSupport",
    "enaSupport": "EnaSupport",
    "enclaveOptions": "EnclaveOptions",
}


def describe_instance_attribute(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeInstanceAttribute: `{InstanceId, <Attr>: {Value}}`; user data comes back base64."""
    inst = b.instance(require(params, "InstanceId"))
    attr = require(params, "Attribute")
    key = _ATTR_OUT.get(attr)
    if key is None:
        raise E("InvalidInstanceAttributeValue.Unknown", value=attr)
    values: dict[str, Any] = {
        "InstanceType": {"Value": inst.instance_type},
        "KernelId": {},
        "RamdiskId": {},
        "UserData": {"Value": inst.user_data_b64} if inst.user_data_b64 else {},
        "DisableApiTermination": {"Value": inst.disable_api_termination},
        "DisableApiStop": {"Value": inst.disable_api_stop},
        "InstanceInitiatedShutdownBehavior": {"Value": inst.shutdown_behavior},
        "RootDeviceName": {"Value": inst.root_device_name},
        "BlockDeviceMappings": render.instance(b, inst)["BlockDeviceMappings"],
        "ProductCodes": [],
        "SourceDestCheck": {"Value": inst.source_dest_check},
        "Groups": render.instance(b, inst)["SecurityGroups"],
        "EbsOptimized": {"Value": inst.ebs_optimized},
        "SriovNetSupport": {},
        "EnaSupport": {"Value": True},
        "EnclaveOptions": {"Enabled": False},
    }
    return {"InstanceId": inst.instance_id, key: values[key]}


def modify_instance_attribute(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ModifyInstanceAttribute: type and user data only when stopped; protections any time before the end."""
    inst = b.instance(require(params, "InstanceId"))
    changes: dict[str, Any] = {}
    legacy = params.get("Attribute")
    if legacy:
        out_key = _ATTR_OUT.get(legacy)
        if out_key is None:
            raise E("InvalidInstanceAttributeValue.Unknown", value=legacy)
        changes[out_key] = params.get("Value")
    for key in (
        "InstanceType",
        "UserData",
        "DisableApiTermination",
        "DisableApiStop",
        "InstanceInitiatedShutdownBehavior",
        "SourceDestCheck",
        "EbsOptimized",
        "EnaSupport",
        "Kernel",
        "Ramdisk",
        "SriovNetSupport",
    ):
        if params.get(key) is not None:
            changes[key] = attr_value(params[key])
    if params.get("Groups"):
        changes["Groups"] = params["Groups"]
    if not changes:
        raise E("MissingParameter", name="Attribute")
    needs_stop = {
        "InstanceType",
        "UserData",
        "EbsOptimized",
        "EnaSupport",
        "Kernel",
        "KernelId",
        "Ramdisk",
        "RamdiskId",
        "SriovNetSupport",
    }
    for key in changes:
        b.require_modifiable(inst, needs_stopped=key in needs_stop)
    for key, value in changes.items():
        if key == "InstanceType":
            b.set_instance_type(inst, str(value))
        elif key == "UserData":
            b.set_user_data(inst, user_data_bytes(value, base64_encoded=False))
        elif key in ("DisableApiTermination", "DisableApiStop", "SourceDestCheck", "EbsOptimized"):
            flag = value if isinstance(value, bool) else str(value).lower() == "true"
            attr = {
                "DisableApiTermination": "disable_api_termination",
                "DisableApiStop": "disable_api_stop",
                "SourceDestCheck": "source_dest_check",
                "EbsOptimized": "ebs_optimized",
            }[key]
            setattr(inst, attr, flag)
        elif key == "InstanceInitiatedShutdownBehavior":
            if value not in ("stop", "terminate"):
                raise E("InvalidParameterValue.ShutdownBehavior", value=value)
            inst.shutdown_behavior = str(value)
        elif key == "Groups":
            groups = [b.group(g) for g in value]
            inst.security_group_ids = [g.group_id for g in groups]
    return {}


def modify_instance_metadata_options(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """ModifyInstanceMetadataOptions: the reply says `pending`; describe shows `applied`."""
    inst = b.instance(require(params, "InstanceId"))
    if inst.state in ("shutting-down", "terminated"):
        raise E("attr.Terminated", iid=inst.instance_id)
    inst.metadata = _metadata(inst.metadata, params)
    if inst.metadata.http_endpoint == "disabled":
        inst.imds_tokens.clear()
    m = inst.metadata
    return {
        "InstanceId": inst.instance_id,
        "InstanceMetadataOptions": {
            "State": "pending",
            "HttpTokens": m.http_tokens,
            "HttpPutResponseHopLimit": m.hop_limit,
            "HttpEndpoint": m.http_endpoint,
            "HttpProtocolIpv6": m.http_protocol_ipv6,
            "InstanceMetadataTags": m.instance_metadata_tags,
        },
    }


def get_console_output(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """GetConsoleOutput: the cloud-init log the labs keep in `guest["console"]`, base64."""
    inst = b.instance(require(params, "InstanceId"))
    text = str(inst.guest.get("console", ""))
    return {
        "InstanceId": inst.instance_id,
        "Timestamp": to_datetime(b.now),
        "Output": base64.b64encode(text.encode()).decode(),
    }


OPERATIONS: dict[str, Handler] = {
    "RunInstances": run_instances,
    "DescribeInstances": describe_instances,
    "StartInstances": start_instances,
    "StopInstances": stop_instances,
    "TerminateInstances": terminate_instances,
    "RebootInstances": reboot_instances,
    "DescribeInstanceStatus": describe_instance_status,
    "DescribeInstanceAttribute": describe_instance_attribute,
    "ModifyInstanceAttribute": modify_instance_attribute,
    "ModifyInstanceMetadataOptions": modify_instance_metadata_options,
    "GetConsoleOutput": get_console_output,
}


def _register() -> None:
    from awsprep.sim.ec2 import responses_images, responses_network, responses_tags

    OPERATIONS.update(responses_network.OPERATIONS)
    OPERATIONS.update(responses_images.OPERATIONS)
    OPERATIONS.update(responses_tags.OPERATIONS)


_register()
