"""The instance lifecycle: launch, the state machine and its legality matrix (spec §1.1.1–1.1.2)."""

from __future__ import annotations

import base64
import copy
import ipaddress
from dataclasses import dataclass

from awsprep.sim.core.clock import Timer, gmt_stamp
from awsprep.sim.ec2 import base, metrics
from awsprep.sim.ec2.base import Ec2Base
from awsprep.sim.ec2.catalog import INSTANCE_TYPES
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.launch import LaunchSpec
from awsprep.sim.ec2.state import Instance, MetadataOptions, SecurityGroup, ServedPort, Volume

MAX_USER_DATA = 16384
_USING_VCPUS = frozenset(("pending", "running", "stopping"))  # states that count against the vCPU quota


@dataclass(frozen=True)
class StateChange:
    """One row of Start/Stop/TerminatingInstances."""

    instance_id: str
    previous: str
    current: str


class InstancesMixin(Ec2Base):
    """RunInstances and the state machine."""

    # ----- launch --------------------------------------------------------------------------------------
    def run_instances(self, spec: LaunchSpec) -> tuple[str, list[Instance]]:
        """Launch `spec.count` instances in `pending`; returns the reservation id and the instances."""
        image = self.image(spec.image_id, for_launch=True)
        itype = INSTANCE_TYPES.get(spec.instance_type)
        if itype is None:
            raise E("InvalidParameterValue.InstanceType", value=spec.instance_type)
        if itype.architecture != image.architecture:
            raise E("InvalidParameterValue.Architecture", type_arch=itype.architecture, ami_arch=image.architecture)
        if spec.count < 1:
            raise E("InvalidParameterValue.Count", value=spec.count, name="MinCount")
        state = self.state
        if spec.key_name is not None and spec.key_name not in state.key_pairs:
            raise E("InvalidKeyPair.NotFound", name=spec.key_name)
        if spec.user_data is not None and len(spec.user_data) > MAX_USER_DATA:
            raise E("InvalidParameterValue.UserDataSize")
        if spec.shutdown_behavior not in ("stop", "terminate"):
            raise E("InvalidParameterValue.ShutdownBehavior", value=spec.shutdown_behavior)
        subnet = self.subnet(spec.subnet_id) if spec.subnet_id else self.default_subnet(spec.az)
        groups = [self._launch_group(g, subnet.vpc_id) for g in spec.security_group_ids]
        groups += [self.group_by_name(n, subnet.vpc_id) for n in spec.security_group_names]
        for g in groups:
            if g.vpc_id != subnet.vpc_id:
                raise E(
                    "InvalidParameterValue.Generic",
                    message=f"Security group {g.group_id} and subnet {subnet.subnet_id} belong to different networks.",
                )
        if not groups:
            groups = [self.group_by_name("default", subnet.vpc_id)]
        if spec.private_ip is not None:
            self._check_private_ip(spec.private_ip, subnet.cidr)
        self._check_vcpu_quota(itype.vcpus * spec.count)
        if spec.client_token:
            for inst in state.instances.values():
                if inst.client_token == spec.client_token:  # idempotent retry: same reservation back
                    same = [i for i in state.instances.values() if i.reservation_id == inst.reservation_id]
                    return inst.reservation_id, same
        ids = self.world.ids
        now = self.now
        reservation_id = ids.hex_id("r")
        assign = subnet.map_public_ip if spec.assign_public_ip is None else spec.assign_public_ip
        meta = spec.metadata or MetadataOptions(http_tokens="required" if image.imds_v2_required else "optional")
        launched = []
        taken = self.private_ips_in_use()
        user_data_b64 = base64.b64encode(spec.user_data).decode() if spec.user_data is not None else None
        for index in range(spec.count):
            iid = ids.hex_id("i")
            private_ip = spec.private_ip if (spec.private_ip and index == 0) else None
            private_ip = private_ip or ids.private_ip(subnet.cidr, taken)
            taken.add(private_ip)
            inst = Instance(
                instance_id=iid,
                reservation_id=reservation_id,
                image_id=image.image_id,
                instance_type=itype.name,
                architecture=image.architecture,
                platform=image.platform,
                key_name=spec.key_name,
                launch_time=now,
                ami_launch_index=index,
                state="pending",
                subnet_id=subnet.subnet_id,
                vpc_id=subnet.vpc_id,
                az=subnet.az,
                private_ip=private_ip,
                mac=ids.mac(),
                eni_id=ids.hex_id("eni"),
                attachment_id=ids.hex_id("eni-attach"),
                security_group_ids=[g.group_id for g in groups],
                root_device_name=image.root_device_name,
                client_token=spec.client_token or ids.token(36),
                assign_public_ip=assign,
                user_data_b64=user_data_b64,
                disable_api_termination=spec.disable_api_termination,
                disable_api_stop=spec.disable_api_stop,
                shutdown_behavior=spec.shutdown_behavior,
                metadata=MetadataOptions(**vars(meta)),
                monitoring="enabled" if spec.monitoring else "disabled",
                ebs_optimized=spec.ebs_optimized,
                iam_instance_profile_arn=spec.iam_instance_profile_arn,
                tags=dict(spec.tags),
                pending_time=now,
                launch_template=dict(spec.launch_template) if spec.launch_template else None,
                guest=copy.deepcopy(image.guest) if image.guest else {},  # deepcopy of {} is slow for {}
                served={port: ServedPort(**vars(svc)) for port, svc in image.served.items()},
            )
            state.instances[iid] = inst
            self._create_volumes(inst, spec, image.root_size_gb)
            self._begin(inst, "pending", base.BOOT_SECONDS)
            launched.append(inst)
        return reservation_id, launched

    def _launch_group(self, group_id: str, vpc_id: str) -> SecurityGroup:
        found = self.state.security_groups.get(group_id)
        if found is None:  # RunInstances names the VPC it looked in (InvalidGroup.NotFound)
            raise E("InvalidGroup.NotFoundForLaunch", group=group_id, vpc=vpc_id)
        return found

    def _check_private_ip(self, ip: str, cidr: str) -> None:
        """A requested primary address must be a host of the subnet, not one of the five AWS reserves
        (network, VPC router, DNS, future use, broadcast), and free."""
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            raise E("PrivateIp.Malformed", ip=ip) from None
        net = ipaddress.ip_network(cidr)
        if addr not in net:
            raise E("PrivateIp.OutsideSubnet", ip=ip)
        offset = int(addr) - int(net.network_address)
        if offset < 4 or addr == net.broadcast_address:
            raise E("PrivateIp.Reserved", ip=ip)
        if ip in self.private_ips_in_use():
            raise E("InvalidIPAddress.InUse", ip=ip)

    def _check_vcpu_quota(self, extra: int) -> None:
        state = self.state
        used = 0
        for i in state.instances.values():
            if i.state in _USING_VCPUS:
                used += INSTANCE_TYPES[i.instance_type].vcpus
        if used + extra > state.vcpu_quota:
            raise E("VcpuLimitExceeded", limit=state.vcpu_quota)

    def _create_volumes(self, inst: Instance, spec: LaunchSpec, image_root_gb: int) -> None:
        root_gb = spec.root_size_gb or image_root_gb
        ids, now, volumes = self.world.ids, self.now, self.state.volumes
        devices = [(inst.root_device_name, root_gb, spec.root_volume_type, spec.root_delete_on_termination)]
        devices += spec.extra_volumes
        for device, size, vtype, delete in devices:
            vol = Volume(
                volume_id=ids.hex_id("vol"),
                size_gb=size,
                volume_type=vtype,
                az=inst.az,
                created=now,
                instance_id=inst.instance_id,
                device=device,
                delete_on_termination=delete,
                attach_time=now,
                tags=dict(spec.volume_tags),
            )
            volumes[vol.volume_id] = vol
            self.meter_open(vol.volume_id, "ebs", vtype, quantity=float(size))

    def volumes_of(self, inst: Instance) -> list[Volume]:
        """Volumes attached to `inst`, root first."""
        iid = inst.instance_id
        vols = [v for v in self.state.volumes.values() if v.instance_id == iid]
        if len(vols) < 2:
            return vols
        vols.sort(key=lambda v: (v.device != inst.root_device_name, v.device or ""))
        return vols

    # ----- the state machine ----------------------------------------------------------------------------
    def _begin(self, inst: Instance, state: str, delay: float) -> None:
        """Enter a transitional state and schedule its end; older timers become stale."""
        previous = inst.state
        inst.state = state
        inst.token += 1
        self.schedule(delay, "instance", inst.instance_id, inst.token)
        self.emit("instance-state", inst.instance_id, previous=previous, current=state, first_boot=False)

    def on_instance_timer(self, timer: Timer) -> None:
        """A transitional state has run its course."""
        inst = self.state.instances.get(timer.target)
        if inst is None or inst.token != timer.token:
            return
        if timer.kind == "instance-expire":
            self._forget(inst)
            return
        previous = inst.state
        if inst.state == "pending":
            self._enter_running(inst)
        elif inst.state == "stopping":
            inst.state = "stopped"  # the reason stays what began the stop (API call or OS shutdown)
            inst.state_reason = inst.state_reason or "Client.UserInitiatedShutdown"
        elif inst.state == "shutting-down":
            self._enter_terminated(inst)
        else:
            return
        self.emit(
            "instance-state",
            inst.instance_id,
            previous=previous,
            current=inst.state,
            first_boot=inst.state == "running" and inst.boot_count == 1,
        )

    def _enter_running(self, inst: Instance) -> None:
        inst.state = "running"
        inst.state_reason = None
        inst.state_transition_reason = ""
        inst.ever_running = True
        inst.boot_count += 1
        # A public IPv4 is assigned when asked for (or by the subnet's default) whether or not the VPC can route
        # to the internet, as on AWS: in a VPC without an internet gateway it is simply unreachable.
        if inst.eip_allocation_id is None and inst.assign_public_ip:
            self.assign_auto_public_ip(inst)
        metrics.started(inst, self.now)
        itype = INSTANCE_TYPES[inst.instance_type]
        price_kind = "windows" if inst.platform == "windows" else "linux"
        self.meter_open(inst.instance_id, "instance", itype.name, platform=price_kind, minimum_seconds=60.0)

    def _leave_running(self, inst: Instance) -> None:
        """What stopping, shutting down and terminating share: no more billing, no public IP, no processes."""
        self.meter_close(inst.instance_id, "instance")
        metrics.stopped(inst, self.now)
        self.release_auto_public_ip(inst)
        inst.imds_tokens.clear()
        inst.served = {port: svc for port, svc in inst.served.items() if svc.enabled}
        inst.datagram = {port: svc for port, svc in inst.datagram.items() if svc.enabled}

    def _enter_terminated(self, inst: Instance) -> None:
        inst.state = "terminated"
        inst.ended_at = self.now
        for vol in self.volumes_of(inst):
            if vol.delete_on_termination:
                del self.state.volumes[vol.volume_id]
                self.meter_close(vol.volume_id, "ebs")
            else:
                vol.instance_id, vol.device, vol.state = None, None, "available"
        inst.served = {}
        inst.datagram = {}
        inst.token += 1
        self.schedule(base.TERMINATED_VISIBLE_SECONDS, "instance-expire", inst.instance_id, inst.token)

    def _forget(self, inst: Instance) -> None:
        if inst.runs:  # what it reported while it ran stays in CloudWatch after the instance is gone
            metrics.derive(self, inst, self.now)
        del self.state.instances[inst.instance_id]

    def start_instances(self, instance_ids: list[str]) -> list[StateChange]:
        """StartInstances: stopped → pending; pending/running is a no-op; anything else IncorrectInstanceState."""
        insts = self.instances(instance_ids)
        for inst in insts:
            if inst.state not in ("stopped", "pending", "running"):
                raise E("start.IncorrectState", iid=inst.instance_id)
        self._check_vcpu_quota(sum(INSTANCE_TYPES[i.instance_type].vcpus for i in insts if i.state == "stopped"))
        changes = []
        for inst in insts:
            previous = inst.state
            if inst.state == "stopped":
                inst.pending_time = self.now
                inst.state_reason = None
                self._begin(inst, "pending", base.BOOT_SECONDS)
            changes.append(StateChange(inst.instance_id, previous, inst.state))
        return changes

    def stop_instances(self, instance_ids: list[str], force: bool = False) -> list[StateChange]:
        """StopInstances per the legality matrix (stop protection, never-ran, idempotent when stopping)."""
        insts = self.instances(instance_ids)
        for inst in insts:
            if inst.state == "pending":
                key = "stop.IncorrectState" if inst.ever_running else "stop.NeverRan"
                raise E(key, iid=inst.instance_id)
            if inst.state in ("shutting-down", "terminated"):
                raise E("stop.IncorrectState", iid=inst.instance_id)
            if inst.disable_api_stop and inst.state == "running":
                raise E("stop.Protected", iid=inst.instance_id)
        changes = []
        for inst in insts:
            previous = inst.state
            if inst.state == "running":
                self._leave_running(inst)
                inst.state_transition_reason = f"User initiated ({gmt_stamp(self.now)})"
                inst.state_reason = "Client.UserInitiatedShutdown"
                self._begin(inst, "stopping", base.STOP_SECONDS)
            changes.append(StateChange(inst.instance_id, previous, inst.state))
        return changes

    def reboot_instances(self, instance_ids: list[str]) -> None:
        """RebootInstances: running stays running (same host, same public IP); terminated is ignored."""
        insts = self.instances(instance_ids)
        for inst in insts:
            if inst.state in ("pending", "stopping", "stopped"):
                raise E("reboot.IncorrectState", iid=inst.instance_id)
        for inst in insts:
            if inst.state == "running":
                self.reboot(inst)

    def terminate_instances(self, instance_ids: list[str]) -> list[StateChange]:
        """TerminateInstances; a protected instance fails its AZ but other AZs still terminate (spec §1.1.2)."""
        insts = self.instances(instance_ids)
        blocked: dict[str, str] = {}
        for inst in insts:
            if inst.state in ("shutting-down", "terminated"):
                continue
            if inst.disable_api_termination:
                blocked.setdefault(inst.az, "terminate.Protected:" + inst.instance_id)
            elif inst.disable_api_stop:
                blocked.setdefault(inst.az, "terminate.StopProtected:" + inst.instance_id)
        changes = []
        for inst in insts:
            if inst.az in blocked:
                continue
            changes.append(self.shut_down(inst, reason="User initiated"))
        if blocked:
            key, iid = next(iter(blocked.values())).split(":")
            raise E(key, iid=iid)
        return changes

    def shut_down(self, inst: Instance, reason: str) -> StateChange:
        """Begin termination regardless of protection (API after checks, OS shutdown, Auto Scaling)."""
        previous = inst.state
        if inst.state not in ("shutting-down", "terminated"):
            self._leave_running(inst)
            if inst.eip_allocation_id is not None:
                self.disassociate_from_instance(inst)
            inst.state_transition_reason = f"{reason} ({gmt_stamp(self.now)})"
            inst.state_reason = "Client.UserInitiatedShutdown"
            self._begin(inst, "shutting-down", base.SHUTDOWN_SECONDS)
        return StateChange(inst.instance_id, previous, inst.state)

    def os_shutdown(self, instance_id: str) -> StateChange:
        """`sudo shutdown -h now` inside the instance: stop or terminate per InstanceInitiatedShutdownBehavior.

        Termination protection does not apply here — the exam's favourite trap.
        """
        inst = self.instance(instance_id)
        previous = inst.state
        if inst.state != "running":
            return StateChange(inst.instance_id, previous, inst.state)
        if inst.shutdown_behavior == "terminate":
            change = self.shut_down(inst, reason="Client.InstanceInitiatedShutdown")
            inst.state_reason = "Client.InstanceInitiatedShutdown"
            return change
        self._leave_running(inst)
        inst.state_reason = "Client.InstanceInitiatedShutdown"
        self._begin(inst, "stopping", base.STOP_SECONDS)
        return StateChange(inst.instance_id, previous, inst.state)

    def on_timer(self, timer: Timer) -> bool | None:
        """Route EC2 timers (False ends a recurring one)."""
        if timer.kind in ("instance", "instance-expire"):
            self.on_instance_timer(timer)
        elif timer.kind == "metrics":  # a world saved when EC2 still published on a timer: end that timer
            self.state.metrics_ticking = False
            return False
        elif timer.kind == "monitoring":
            metrics.settle_monitoring(self, timer.target)
        elif timer.kind == "image":
            image = self.state.images.get(timer.target)
            if image is not None and image.state == "pending":
                image.state = "available"
        return None
