"""EBS volumes and snapshots beyond the ones RunInstances makes: create, attach, detach, delete, snapshot.

States move with the virtual clock but need no timers: a new volume is `creating` for VOLUME_SECONDS, an
attachment `attaching` for ATTACH_SECONDS, a snapshot `pending` for SNAPSHOT_SECONDS (its Progress rising),
so each is read off the clock when described. Errors follow the EC2 API reference of each operation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import Snapshot, Volume

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend

VOLUME_SECONDS = 5.0
ATTACH_SECONDS = 2.0
SNAPSHOT_SECONDS = 60.0
VOLUME_TYPES = {
    "gp2": (1, 16384),
    "gp3": (1, 16384),
    "io1": (4, 16384),
    "io2": (4, 65536),
    "st1": (125, 16384),
    "sc1": (125, 16384),
    "standard": (1, 1024),
}
_DEVICE = re.compile(r"^/dev/(sd[a-z][0-9]*|xvd[a-z][0-9]*)$")


def volume(b: Ec2Backend, volume_id: str) -> Volume:
    """A volume by id."""
    found = b.state.volumes.get(volume_id)
    if found is None:
        raise E("InvalidVolume.NotFound", vol=volume_id)
    return found


def volume_state(b: Ec2Backend, vol: Volume) -> str:
    """`creating`, `available` or `in-use`, read off the clock."""
    if vol.instance_id:
        return "in-use"
    return "creating" if b.now < vol.created + VOLUME_SECONDS else "available"


def attachment_state(b: Ec2Backend, vol: Volume) -> str:
    """`attaching` for the first ATTACH_SECONDS, then `attached`."""
    return "attaching" if b.now < vol.attach_time + ATTACH_SECONDS else "attached"


def create_volume(
    b: Ec2Backend,
    az: str,
    size: int | None,
    volume_type: str,
    snapshot_id: str | None,
    tags: dict[str, str],
) -> Volume:
    """CreateVolume in one zone of the Region, empty or from a snapshot."""
    from awsprep.sim.ec2.catalog import availability_zones

    if az not in availability_zones(b.region):
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Invalid availability zone: [{az}]",
        )
    snap = snapshot(b, snapshot_id) if snapshot_id else None
    if size is None and snap is None:
        raise E("MissingParameter.Volume")
    if volume_type not in VOLUME_TYPES:
        raise E("InvalidParameterValue.Generic", message=f"Value ({volume_type}) for parameter volumeType is invalid.")
    size = int(size if size is not None else snap.size_gb)  # type: ignore[union-attr]  # one of them is set
    low, high = VOLUME_TYPES[volume_type]
    if snap is not None and size < snap.size_gb:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Volume of {size}GiB is smaller than snapshot '{snap.snapshot_id}', "
            f"expect size >= {snap.size_gb}GiB",
        )
    if not low <= size <= high:
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Volume of size {size}GiB is outside the range {low}-{high}GiB for volume type {volume_type}",
        )
    vol = Volume(
        volume_id=b.world.ids.hex_id("vol"),
        size_gb=size,
        volume_type=volume_type,
        az=az,
        created=b.now,
        state="available",
        tags=dict(tags),
        snapshot_id=snap.snapshot_id if snap else "",
    )
    b.state.volumes[vol.volume_id] = vol
    b.meter_open(vol.volume_id, "ebs", volume_type, quantity=float(size))
    return vol


def attach_volume(b: Ec2Backend, volume_id: str, instance_id: str, device: str) -> Volume:
    """AttachVolume: an available volume in the instance's zone, on a device the instance does not use."""
    vol = volume(b, volume_id)
    inst = b.instance(instance_id)
    state = volume_state(b, vol)
    if state == "in-use":
        raise E("VolumeInUse.Attached", message=f"{vol.volume_id} is already attached to an instance")
    if state != "available":
        raise E("IncorrectState.Generic", message=f"vol '{vol.volume_id}' is not 'available'.")
    if inst.state not in ("running", "stopped"):
        raise E("IncorrectInstanceState.Generic", message=f"Instance '{inst.instance_id}' is not 'running'.")
    if vol.az != inst.az:
        raise E("InvalidVolume.ZoneMismatch", vol=vol.volume_id, iid=inst.instance_id)
    if not _DEVICE.match(device):
        raise E(
            "InvalidParameterValue.Generic",
            message=f"Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name.",
        )
    if any(v.device == device for v in b.volumes_of(inst)):
        raise E("InvalidParameterValue.Generic", message=f"Attachment point {device} is already in use")
    vol.instance_id, vol.device, vol.attach_time = inst.instance_id, device, b.now
    vol.delete_on_termination = False
    return vol


def detach_volume(b: Ec2Backend, volume_id: str, instance_id: str | None, force: bool) -> tuple[Volume, str, str]:
    """DetachVolume (not the root volume of an instance that is not stopped); returns (volume, instance, device)."""
    vol = volume(b, volume_id)
    if not vol.instance_id:
        raise E("IncorrectState.Generic", message=f"Volume '{vol.volume_id}' is in the 'available' state.")
    inst = b.instance(vol.instance_id)
    if instance_id and instance_id != inst.instance_id:
        raise E(
            "InvalidAttachment.NotFound",
            message=f"The volume {vol.volume_id} is not attached to instance {instance_id}",
        )
    if vol.device == inst.root_device_name and inst.state != "stopped" and not force:
        raise E(
            "IncorrectState.Generic",
            message=f"Unable to detach root volume '{vol.volume_id}' from instance '{inst.instance_id}'",
        )
    device = vol.device or ""
    vol.instance_id, vol.device, vol.delete_on_termination = None, None, False
    vol.created = min(vol.created, b.now - VOLUME_SECONDS)  # an old volume: available again, not "creating"
    return vol, inst.instance_id, device


def delete_volume(b: Ec2Backend, volume_id: str) -> None:
    """DeleteVolume: not while attached."""
    vol = volume(b, volume_id)
    if vol.instance_id:
        raise E("VolumeInUse.Attached", message=f"Volume {vol.volume_id} is currently attached to {vol.instance_id}")
    del b.state.volumes[vol.volume_id]
    b.meter_close(vol.volume_id, "ebs")


# ----- snapshots -----------------------------------------------------------------------------------------------
def snapshot(b: Ec2Backend, snapshot_id: str) -> Snapshot:
    """A snapshot owned by the account."""
    found = b.state.snapshots.get(snapshot_id)
    if found is None:
        raise E("InvalidSnapshot.NotFound", snap=snapshot_id)
    return found


def snapshot_progress(b: Ec2Backend, snap: Snapshot) -> tuple[str, str]:
    """(state, progress): `pending` with a rising percentage, then `completed` / `100%`."""
    done = (b.now - snap.started) / SNAPSHOT_SECONDS
    if done >= 1:
        return "completed", "100%"
    return "pending", f"{int(done * 100)}%"


def create_snapshot(b: Ec2Backend, volume_id: str, description: str, tags: dict[str, str]) -> Snapshot:
    """CreateSnapshot of a volume (attached or not)."""
    vol = volume(b, volume_id)
    snap = Snapshot(b.world.ids.hex_id("snap"), vol.volume_id, vol.size_gb, b.now, description, dict(tags))
    b.state.snapshots[snap.snapshot_id] = snap
    return snap


def delete_snapshot(b: Ec2Backend, snapshot_id: str) -> None:
    """DeleteSnapshot: not while a registered AMI uses it."""
    snap = snapshot(b, snapshot_id)
    for image in b.state.images.values():
        if image.snapshot_id == snap.snapshot_id and image.state != "deregistered":
            raise E("InvalidSnapshot.InUse", snap=snap.snapshot_id, ami=image.image_id)
    del b.state.snapshots[snap.snapshot_id]
