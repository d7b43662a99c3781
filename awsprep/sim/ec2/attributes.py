"""Instance attributes that are not the lifecycle: type, user data, guest load, monitoring."""

from __future__ import annotations

import base64

from awsprep.sim.ec2 import metrics
from awsprep.sim.ec2.base import Ec2Base
from awsprep.sim.ec2.catalog import INSTANCE_TYPES, UNRESIZABLE_FAMILIES
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.instances import MAX_USER_DATA
from awsprep.sim.ec2.state import Instance


class AttributesMixin(Ec2Base):
    """ModifyInstanceAttribute's rules, user data, CPU load and detailed monitoring."""

    def require_modifiable(self, inst: Instance, needs_stopped: bool) -> None:
        """The attribute rules: some only while stopped, none once shutting down or terminated."""
        if inst.state in ("shutting-down", "terminated"):
            raise E("attr.Terminated", iid=inst.instance_id)
        if needs_stopped and inst.state != "stopped":
            raise E("attr.NotStopped", iid=inst.instance_id)

    def set_instance_type(self, inst: Instance, new_type: str) -> None:
        """Change the type of a stopped instance (same architecture, not into a special family)."""
        self.require_modifiable(inst, needs_stopped=True)
        target = INSTANCE_TYPES.get(new_type)
        if target is None:
            raise E("InvalidParameterValue.InstanceType", value=new_type)
        if target.architecture != inst.architecture or target.family in UNRESIZABLE_FAMILIES:
            raise E("InvalidInstanceAttributeValue.Type", old=inst.instance_type, new=new_type)
        inst.instance_type = new_type

    def set_user_data(self, inst: Instance, raw: bytes | None) -> None:
        """Replace user data (stopped only; it will not run again unless the script asks cloud-init to)."""
        self.require_modifiable(inst, needs_stopped=True)
        if raw is not None and len(raw) > MAX_USER_DATA:
            raise E("InvalidParameterValue.UserDataSize")
        inst.user_data_b64 = base64.b64encode(raw).decode() if raw else None

    def set_cpu_load(self, instance_id: str, percent: float) -> None:
        """The guest's CPU load in percent (`stress`, a busy web server); CPUUtilization reports it."""
        inst = self.instance(instance_id)
        inst.cpu_load = max(0.0, min(100.0, float(percent)))
        metrics.set_base_load(inst, self.now, inst.cpu_load)

    def add_cpu_job(self, instance_id: str, workers: int, seconds: float | None, share: float = 1.0) -> float:
        """A process keeping `workers` vCPUs busy (each `share` of the time) for `seconds`, or until stopped when
        None (`stress --cpu N --timeout S`); returns the part of the instance's CPU it takes, in percent."""
        inst = self.instance(instance_id)
        vcpus = INSTANCE_TYPES[inst.instance_type].vcpus
        percent = 100.0 * min(workers, vcpus) / vcpus * share
        metrics.add_job(inst, self.now, seconds, percent)
        return percent

    def end_cpu_jobs(self, instance_id: str) -> int:
        """`pkill stress`: every CPU job of the instance ends now; returns how many were running."""
        return metrics.end_jobs(self.instance(instance_id), self.now)

    def set_monitoring(self, instance_ids: list[str], enabled: bool) -> list[Instance]:
        """MonitorInstances / UnmonitorInstances: `pending`/`disabling` until the next whole minute."""
        insts = self.instances(instance_ids)
        for inst in insts:
            if enabled and inst.monitoring != "enabled":
                inst.monitoring = "pending"
            elif not enabled and inst.monitoring != "disabled":
                inst.monitoring = "disabling"
            else:
                continue
            wait = metrics.TICK - (self.now % metrics.TICK)
            self.schedule(wait, "monitoring", inst.instance_id)
        return insts

    def user_data(self, instance_id: str) -> bytes | None:
        """The instance's user data, decoded (None when there is none)."""
        inst = self.instance(instance_id)
        return base64.b64decode(inst.user_data_b64) if inst.user_data_b64 else None
