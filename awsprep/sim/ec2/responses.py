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
from awsprep.sim.ec2.instances import StateChange
from awsprep.sim.ec2.launch import metadata_options, resolve_launch
from awsprep.sim.ec2.params import attr_value, require, user_data_bytes
from awsprep.sim.ec2.state import Instance

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
def run_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """RunInstances: instances come back `pending`, without a public IP yet."""
    reservation_id, insts = b.run_instances(resolve_launch(b, params))
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
    ids = params.get("InstanceIds")
    if not ids:  # [REAL] an empty list is refused this way, not as a missing parameter
        raise E("NoInstancesSpecified")
    return _changes("TerminatingInstances", b.terminate_instances(ids))


def reboot_instances(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """RebootInstances (no output)."""
    b.reboot_instances(require(params, "InstanceIds"))
    return {}


def _checks(b: Ec2Backend, inst: Instance) -> tuple[str, str | None]:
    """(status, reachability) of an instance's status checks: `initializing` for the first minutes."""
    if inst.state != "running":
        return "not-applicable", None
    if b.now - inst.pending_time >= base.BOOT_SECONDS + base.STATUS_CHECK_SECONDS:
        return "ok", "passed"
    return "initializing", "initializing"


# DescribeInstanceStatus filters (EC2 API reference); the simulated checks are the same for instance, system and
# attached EBS, and no scheduled events exist.
_STATUS_FILTERS: dict[str, filters.Extractor] = {
    "availability-zone": lambda row: [row[0].az],
    "instance-state-name": lambda row: [row[0].state],
    "instance-state-code": lambda row: [str(render.state(row[0].state)["Code"])],
    **{
        f"{kind}.status": (lambda row: [row[1][0]])
        for kind in ("instance-status", "system-status", "attached-ebs-status")
    },
    **{
        f"{kind}.reachability": (lambda row: [row[1][1]])
        for kind in ("instance-status", "system-status", "attached-ebs-status")
    },
    **{
        f"event.{name}": (lambda row: [])
        for name in ("code", "description", "instance-event-id", "not-after", "not-before", "not-before-deadline")
    },
}


def describe_instance_status(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Only running instances unless IncludeAllInstances; checks `initializing` for the first minutes."""
    ids = params.get("InstanceIds") or []
    insts = b.instances(ids) if ids else list(b.state.instances.values())
    if not params.get("IncludeAllInstances"):
        insts = [i for i in insts if i.state == "running"]
    rows = filters.apply([(i, _checks(b, i)) for i in insts], params.get("Filters"), _STATUS_FILTERS)
    out = []
    for inst, (status, detail) in rows:

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
    inst.metadata = metadata_options(inst.metadata, params)
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
    "MonitorInstances": lambda b, p: _monitoring(b, p, True),
    "UnmonitorInstances": lambda b, p: _monitoring(b, p, False),
}


def _monitoring(b: Ec2Backend, params: dict[str, Any], enabled: bool) -> dict[str, Any]:
    """MonitorInstances / UnmonitorInstances: detailed (1-minute) monitoring on or off."""
    insts = b.set_monitoring(require(params, "InstanceIds"), enabled)
    return {
        "InstanceMonitorings": [{"InstanceId": i.instance_id, "Monitoring": {"State": i.monitoring}} for i in insts]
    }


def _register() -> None:
    from awsprep.sim.ec2 import (
        paging,
        responses_images,
        responses_interfaces,
        responses_network,
        responses_storage,
        responses_tags,
        responses_vpc,
    )

    for module in (
        responses_network,
        responses_images,
        responses_tags,
        responses_vpc,
        responses_storage,
        responses_interfaces,
    ):
        OPERATIONS.update(module.OPERATIONS)
    paging.wrap(OPERATIONS)


_register()
