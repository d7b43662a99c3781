"""What a simulated service plugs into the world: its state type, how to build a Region, its backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from awsprep.sim.core.clock import Timer

if TYPE_CHECKING:
    from awsprep.sim.world import World


class Backend(Protocol):
    """One service in one Region: answers API operations and timers."""

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one API operation (botocore parameter names) and return the response dict."""
        ...

    def on_timer(self, timer: Timer) -> None:
        """A timer this service scheduled is due."""
        ...


@dataclass(frozen=True)
class ServiceSpec:
    """Registration of one service. ELB, Auto Scaling and Lambda add a spec each, nothing else changes."""

    name: str  # botocore service name: "ec2", "elbv2", "autoscaling", "lambda"
    state_type: type
    new_state: Callable[[World, str], Any]
    make_backend: Callable[[World, str], Backend]


@dataclass(frozen=True)
class SimEvent:
    """Something observable happened (e.g. an instance reached `running`); labs subscribe to these.

    `kind` values from EC2: `instance-state` (detail: previous, current, first_boot) and `instance-reboot`.
    """

    kind: str
    service: str
    region: str
    resource_id: str
    detail: dict[str, Any]
