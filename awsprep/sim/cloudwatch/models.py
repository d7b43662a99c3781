"""The CloudWatch backend of one Region and its `SPEC`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch.evaluate import on_timer
from awsprep.sim.cloudwatch.state import CloudWatchRegionState
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec

if TYPE_CHECKING:
    from awsprep.sim.world import World


class CloudWatchBackend:
    """CloudWatch in one Region."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> CloudWatchRegionState:
        """The Region's alarms, history and custom-metric bookkeeping."""
        found: CloudWatchRegionState = self.world.region_state("cloudwatch", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation."""
        from awsprep.sim.cloudwatch.responses import OPERATIONS

        handler = handler_for("cloudwatch", OPERATIONS, operation)
        return handler(self, params)


def _lab_alarm(world: World, region: str, name: str) -> Any:
    state: CloudWatchRegionState = world.region_state("cloudwatch", region)
    return state.alarms.get(name)


def _billing_alerts(world: World, region: str, alarm: Any) -> bool:
    from awsprep.sim.cloudwatch.billing import enabled

    return enabled(world)


SPEC = ServiceSpec(
    name="cloudwatch",
    iam_prefix="cloudwatch",
    title="Amazon CloudWatch",
    state_type=CloudWatchRegionState,
    new_state=lambda world, region: CloudWatchRegionState(region=region),
    make_backend=CloudWatchBackend,
    on_timer=on_timer,
    # Lab checks: `resource: alarm, id: NAME, field: state` (any Alarm field), `billing_alerts` (the account's).
    lab_resources={"alarm": LabResource(_lab_alarm, {"billing_alerts": _billing_alerts})},
)
