"""EC2 API operations for EBS volumes and snapshots, RegisterImage and DescribeInstanceTypeOfferings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.clock import to_datetime
from awsprep.sim.ec2 import filters, render, render_net, storage
from awsprep.sim.ec2.catalog import INSTANCE_TYPES, availability_zones, zone_id
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.params import require, tags_for

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.responses import Handler
    from awsprep.sim.ec2.state import Volume


# ----- volumes -------------------------------------------------------------------------------------------------
def create_volume(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateVolume: the Volume structure at the top level, `creating`."""
    size = params.get("Size")
    vol = storage.create_volume(
        b,
        require(params, "AvailabilityZone"),
        int(size) if size is not None else None,
        params.get("VolumeType") or "gp2",
        params.get("SnapshotId"),
        tags_for(params, "volume"),
    )
    out = render.volume(b, vol)
    if not vol.tags:
        out.pop("Tags", None)
    return out


def _attachment(b: Ec2Backend, vol: Volume, state: str, instance_id: str, device: str) -> dict[str, Any]:
    return {
        "AttachTime": to_datetime(vol.attach_time),
        "Device": device,
        "InstanceId": instance_id,
        "State": state,
        "VolumeId": vol.volume_id,
    }


def attach_volume(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """AttachVolume: the attachment, `attaching`."""
    vol = storage.attach_volume(
        b, require(params, "VolumeId"), require(params, "InstanceId"), require(params, "Device")
    )
    return _attachment(b, vol, "attaching", vol.instance_id or "", vol.device or "")


def detach_volume(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DetachVolume: the attachment, `detaching`."""
    vol, instance_id, device = storage.detach_volume(
        b, require(params, "VolumeId"), params.get("InstanceId"), bool(params.get("Force"))
    )
    return _attachment(b, vol, "detaching", instance_id, device)


def delete_volume(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteVolume."""
    storage.delete_volume(b, require(params, "VolumeId"))
    return {}


def describe_volumes(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeVolumes."""
    ids = params.get("VolumeIds") or []
    vols = [storage.volume(b, v) for v in ids] if ids else list(b.state.volumes.values())
    vols = filters.apply(
        vols,
        params.get("Filters"),
        {
            "volume-id": lambda v: [v.volume_id],
            "status": lambda v: [storage.volume_state(b, v)],
            "availability-zone": lambda v: [v.az],
            "volume-type": lambda v: [v.volume_type],
            "snapshot-id": lambda v: [v.snapshot_id],
            "attachment.instance-id": lambda v: [v.instance_id],
            "attachment.device": lambda v: [v.device],
            "attachment.status": lambda v: [storage.attachment_state(b, v)] if v.instance_id else [],
            "size": lambda v: [str(v.size_gb)],
            "attachment.delete-on-termination": lambda v: [str(v.delete_on_termination).lower()],
        },
    )
    return {"Volumes": [render.volume(b, v) for v in vols]}


# ----- snapshots -----------------------------------------------------------------------------------------------
def create_snapshot(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """CreateSnapshot: the Snapshot structure at the top level, `pending`."""
    snap = storage.create_snapshot(
        b, require(params, "VolumeId"), params.get("Description") or "", tags_for(params, "snapshot")
    )
    return render_net.snapshot(b, snap)


def delete_snapshot(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DeleteSnapshot."""
    storage.delete_snapshot(b, require(params, "SnapshotId"))
    return {}


def describe_snapshots(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeSnapshots (the account's own; public snapshots are not simulated)."""
    ids = params.get("SnapshotIds") or []
    snaps = [storage.snapshot(b, s) for s in ids] if ids else list(b.state.snapshots.values())
    owners = params.get("OwnerIds") or []
    if owners and not {"self", b.world.account_id} & set(owners):
        snaps = []
    snaps = filters.apply(
        snaps,
        params.get("Filters"),
        {
            "snapshot-id": lambda s: [s.snapshot_id],
            "volume-id": lambda s: [s.volume_id],
            "status": lambda s: [storage.snapshot_progress(b, s)[0]],
            "owner-id": lambda s: [b.world.account_id],
            "description": lambda s: [s.description],
            "volume-size": lambda s: [str(s.size_gb)],
        },
    )
    return {"Snapshots": [render_net.snapshot(b, s) for s in snaps]}


# ----- images and instance types -------------------------------------------------------------------------------
def register_image(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """RegisterImage from an EBS snapshot (the root device's mapping names it)."""
    name = require(params, "Name")
    root_device = params.get("RootDeviceName") or "/dev/xvda"
    mapping = next((m for m in params.get("BlockDeviceMappings") or [] if m.get("DeviceName") == root_device), None)
    snapshot_id = ((mapping or {}).get("Ebs") or {}).get("SnapshotId")
    if not snapshot_id:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"The root device name {root_device} does not match any block device mapping with a snapshot",
        )
    image = b.register_image(
        name,
        params.get("Description") or "",
        root_device,
        params.get("Architecture") or "x86_64",
        storage.snapshot(b, snapshot_id),
    )
    return {"ImageId": image.image_id}


_LOCATION_TYPES = ("region", "availability-zone", "availability-zone-id")


def describe_instance_type_offerings(b: Ec2Backend, params: dict[str, Any]) -> dict[str, Any]:
    """DescribeInstanceTypeOfferings: every catalogue type, in the Region or in each of its zones."""
    kind = params.get("LocationType") or "region"
    if kind not in _LOCATION_TYPES:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Value ({kind}) for parameter locationType is invalid. Valid values are: "
            + ", ".join(_LOCATION_TYPES),
        )
    if kind == "region":
        locations = [b.region]
    elif kind == "availability-zone":
        locations = availability_zones(b.region)
    else:
        locations = [zone_id(b.region, z) for z in availability_zones(b.region)]
    rows = [
        {"InstanceType": name, "LocationType": kind, "Location": where}
        for name in INSTANCE_TYPES
        for where in locations
    ]
    rows = filters.apply(
        rows,
        params.get("Filters"),
        {"instance-type": lambda r: [r["InstanceType"]], "location": lambda r: [r["Location"]]},
    )
    return {"InstanceTypeOfferings": rows}


OPERATIONS: dict[str, Handler] = {
    "CreateVolume": create_volume,
    "AttachVolume": attach_volume,
    "DetachVolume": detach_volume,
    "DeleteVolume": delete_volume,
    "DescribeVolumes": describe_volumes,
    "CreateSnapshot": create_snapshot,
    "DeleteSnapshot": delete_snapshot,
    "DescribeSnapshots": describe_snapshots,
    "RegisterImage": register_image,
    "DescribeInstanceTypeOfferings": describe_instance_type_offerings,
}
