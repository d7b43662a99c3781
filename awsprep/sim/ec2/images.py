"""AMIs (create, copy, share, make public, deregister) and launch templates with versions."""

from __future__ import annotations

import copy
from typing import Any

from awsprep.sim.ec2 import base
from awsprep.sim.ec2.base import Ec2Base
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import Image, LaunchTemplate, LaunchTemplateVersion, ServedPort, Snapshot


class ImagesMixin(Ec2Base):
    """AMI and launch template operations."""

    def create_image(self, instance_id: str, name: str, description: str = "", no_reboot: bool = False) -> Image:
        """CreateImage from a running or stopped instance; reboots a running one unless `no_reboot`."""
        inst = self.instance(instance_id)
        if inst.state not in ("running", "stopped"):
            raise E("image.IncorrectState", iid=inst.instance_id)
        self._check_name(name)
        if inst.state == "running" and not no_reboot:
            self.reboot(inst)
        source = self.state.images.get(inst.image_id)
        root = next(
            (
                v
                for v in self.state.volumes.values()
                if v.instance_id == inst.instance_id and v.device == inst.root_device_name
            ),
            None,
        )
        image = Image(
            image_id=self.world.ids.hex_id("ami"),
            name=name,
            description=description,
            owner_id=self.world.account_id,
            owner_alias="",
            architecture=inst.architecture,
            platform=inst.platform,
            platform_details="Windows" if inst.platform == "windows" else "Linux/UNIX",
            root_device_name=inst.root_device_name,
            root_size_gb=root.size_gb if root else 8,
            state="pending",
            created=self.now,
            public=False,
            default_user=source.default_user if source else "ec2-user",
            imds_v2_required=source.imds_v2_required if source else False,
            source_instance_id=inst.instance_id,
            snapshot_id=self.world.ids.hex_id("snap"),
            guest=copy.deepcopy(inst.guest),
            served={p: ServedPort(**vars(s)) for p, s in inst.served.items() if s.enabled},
        )
        self.state.images[image.image_id] = image
        # The root volume's snapshot is the account's, as on AWS (DescribeSnapshots lists it; it stays after
        # DeregisterImage and cannot be deleted while the image is registered).
        self.state.snapshots[image.snapshot_id] = Snapshot(
            image.snapshot_id,
            root.volume_id if root else "",
            image.root_size_gb,
            self.now,
            f"Created by CreateImage({inst.instance_id}) for {image.image_id}",
        )
        self.schedule(base.IMAGE_SECONDS, "image", image.image_id)
        return image

    def _check_name(self, name: str) -> None:
        for img in self.state.images.values():
            if img.name == name and img.owner_id == self.world.account_id:
                raise E("InvalidAMIName.Duplicate", name=name, ami=img.image_id)

    def register_image(
        self, name: str, description: str, root_device: str, architecture: str, snapshot: Snapshot
    ) -> Image:
        """RegisterImage from an EBS snapshot of the account: a Linux AMI, available at once."""
        self._check_name(name)
        if architecture not in ("x86_64", "arm64", "i386"):
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Value ({architecture}) for parameter architecture is invalid.",
            )
        image = Image(
            image_id=self.world.ids.hex_id("ami"),
            name=name,
            description=description,
            owner_id=self.world.account_id,
            owner_alias="",
            architecture=architecture,
            platform="linux",
            platform_details="Linux/UNIX",
            root_device_name=root_device,
            root_size_gb=snapshot.size_gb,
            state="available",
            created=self.now,
            public=False,
            default_user="ec2-user",
            imds_v2_required=False,
            snapshot_id=snapshot.snapshot_id,
        )
        self.state.images[image.image_id] = image
        return image

    def copy_image(self, source_region: str, source_image_id: str, name: str, description: str = "") -> Image:
        """CopyImage into this Region (the call is made in the destination Region, as on AWS)."""
        from awsprep.sim.ec2.api import backend  # the other Region's backend (api imports this module)

        source_backend = backend(self.world, source_region)
        src = source_backend.image(source_image_id, for_launch=True)
        self._check_name(name)
        image = copy.deepcopy(src)
        image.image_id = self.world.ids.hex_id("ami")
        image.name, image.description = name, description or src.description
        image.owner_id, image.owner_alias, image.public = self.world.account_id, "", False
        image.launch_permissions, image.state, image.created = [], "pending", self.now
        image.snapshot_id = self.world.ids.hex_id("snap")
        self.state.images[image.image_id] = image
        self.state.snapshots[image.snapshot_id] = Snapshot(  # the copy's own snapshot, in this Region
            image.snapshot_id,
            "",
            image.root_size_gb,
            self.now,
            f"Copied for DestinationAmi {image.image_id} from SourceAmi {src.image_id} for SourceSnapshot "
            f"{src.snapshot_id}",
        )
        self.schedule(base.IMAGE_SECONDS, "image", image.image_id)
        return image

    def own_image(self, image_id: str) -> Image:
        """An image the account owns (sharing and deregistering need ownership)."""
        image = self.image(image_id)
        if image.owner_id != self.world.account_id:
            raise E("AuthFailure")
        return image

    def set_launch_permission(self, image_id: str, add: list[str], remove: list[str]) -> None:
        """Share with accounts, or with the group `all` to make the AMI public."""
        image = self.own_image(image_id)
        for who in add:
            if who == "all":
                image.public = True
            elif who not in image.launch_permissions:
                image.launch_permissions.append(who)
        for who in remove:
            if who == "all":
                image.public = False
            elif who in image.launch_permissions:
                image.launch_permissions.remove(who)

    def deregister_image(self, image_id: str) -> None:
        """DeregisterImage: running instances keep running; new launches fail."""
        image = self.own_image(image_id)
        del self.state.images[image.image_id]

    # ----- launch templates -----------------------------------------------------------------------------
    def create_launch_template(
        self, name: str, data: dict[str, Any], description: str | None = None, tags: dict[str, str] | None = None
    ) -> LaunchTemplate:
        """A template with version 1 as default."""
        if any(lt.name == name for lt in self.state.launch_templates.values()):
            raise E("InvalidLaunchTemplateName.AlreadyExistsException")
        lt = LaunchTemplate(self.world.ids.hex_id("lt"), name, self.now, 1, tags=dict(tags or {}))
        lt.versions.append(LaunchTemplateVersion(1, description, self.now, copy.deepcopy(data)))
        self.state.launch_templates[lt.template_id] = lt
        return lt

    def launch_template(
        self, template_id: str | None = None, name: str | None = None, listing: bool = False
    ) -> LaunchTemplate:
        """A template by id or name (exactly one). `listing`: DescribeLaunchTemplates' wording for a missing name."""
        if not template_id and not name:
            raise E("LaunchTemplate.MissingNameOrId")
        if template_id and name:
            raise E("LaunchTemplate.NameAndId")
        if template_id:
            found = self.state.launch_templates.get(template_id)
            if found is None:
                if not template_id.startswith("lt-"):
                    raise E("InvalidLaunchTemplateId.Malformed", lt=template_id)
                raise E("InvalidLaunchTemplateId.NotFound", lt=template_id)
            return found
        for lt in self.state.launch_templates.values():
            if lt.name == name:
                return lt
        if listing:
            raise E("InvalidLaunchTemplateName.NotFoundException")
        raise E("InvalidLaunchTemplateName.NotFoundByName", name=name)

    def template_version(self, lt: LaunchTemplate, version: str | None) -> LaunchTemplateVersion:
        """Resolve `$Latest`, `$Default` (the default when None) or a number."""
        if version in (None, "", "$Default"):
            number = lt.default_version
        elif version == "$Latest":
            number = lt.versions[-1].number
        else:
            try:
                number = int(str(version))
            except ValueError:
                raise E("InvalidLaunchTemplateId.VersionNotFound", version=version, lt=lt.template_id) from None
        for v in lt.versions:
            if v.number == number:
                return v
        raise E("InvalidLaunchTemplateId.VersionNotFound", version=version, lt=lt.template_id)

    def create_template_version(
        self, lt: LaunchTemplate, data: dict[str, Any], source_version: str | None, description: str | None
    ) -> LaunchTemplateVersion:
        """A new immutable version; with `source_version`, the new data is laid over that version's data."""
        merged: dict[str, Any] = {}
        if source_version is not None:
            merged = copy.deepcopy(self.template_version(lt, source_version).data)
        merged.update(copy.deepcopy(data))
        version = LaunchTemplateVersion(lt.versions[-1].number + 1, description, self.now, merged)
        lt.versions.append(version)
        return version

    def set_default_version(self, lt: LaunchTemplate, version: str) -> None:
        """ModifyLaunchTemplate --default-version."""
        lt.default_version = self.template_version(lt, version).number
