"""Where a group launches: its subnets (VPCZoneIdentifier) by Availability Zone, or the default subnets of
the zones it names; a new instance goes to the zone with the fewest of the group's instances."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from awsprep.sim import ec2
from awsprep.sim.autoscaling.state import Group

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend


def zone_subnets(b: AsgBackend, group: Group) -> dict[str, list[str]]:
    """Zone -> the group's subnets in it, zones in the order the group lists them. A subnet deleted since the
    group was made keeps its zone (from the subnet id alone nothing else is known) so launches there fail with
    EC2's reason instead of the zone silently disappearing."""
    out: dict[str, list[str]] = {}
    if group.subnets:
        for sid in group.subnets:
            zone = group.subnet_zones.get(sid, sid)
            out.setdefault(zone, []).append(sid)
        return out
    vpc = ec2.default_vpc(b.world, b.region)
    defaults = {s.az: s.subnet_id for s in ec2.subnets(b.world, b.region, vpc.vpc_id) if s.default_for_az}
    for zone in group.azs:
        out[zone] = [defaults[zone]] if zone in defaults else []
    return out


def next_zone(counts: Counter[str], zones: list[str], skip: set[str]) -> str | None:
    """The zone with the fewest instances (first in the group's order on a tie), skipping failed ones."""
    usable = [z for z in zones if z not in skip]
    if not usable:
        return None
    return min(usable, key=lambda z: (counts[z], zones.index(z)))
