"""The CloudWatch backend of one Region and its `SPEC`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.cloudwatch.evaluate import on_timer
from awsprep.sim.cloudwatch.state import CloudWatchRegionState
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import not_simulated_message
from awsprep.sim.core.service import ServiceSpec

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

        handler = OPERATIONS.get(operation)
        if handler is None:
            raise AwsError("UnsupportedOperation", not_simulated_message("cloudwatch", operation))
        return handler(self, params)


SPEC = ServiceSpec(
    name="cloudwatch",
    iam_prefix="cloudwatch",
    title="Amazon CloudWatch",
    state_type=CloudWatchRegionState,
    new_state=lambda world, region: CloudWatchRegionState(region=region),
    make_backend=CloudWatchBackend,
    on_timer=on_timer,
)
