"""What a simulated service plugs into the world: one `ServiceSpec`, and the world knows it by nothing else.

A spec says what the service's per-Region state is and how to build it, which backend answers its API, how a
denied call and a DryRun fail, which timers and events it handles, what it bills, what it makes addressable on
the network and which resources lab checks may look at. See awsprep/sim/README.md for a worked example.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from awsprep.sim.core.account import Principal
from awsprep.sim.core.clock import Timer
from awsprep.sim.core.endpoint import Endpoint
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.events import SimEvent
from awsprep.sim.core.pricing import Price

if TYPE_CHECKING:
    from awsprep.sim.world import World


class Backend(Protocol):
    """One service in one Region: answers API operations."""

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one API operation (botocore parameter names) and return the response dict."""
        ...


EventHandler = Callable[["World", SimEvent], None]
TimerHandler = Callable[["World", Timer], "bool | None"]  # False ends a recurring timer
EndpointSource = Callable[["World", str], Iterable[Endpoint]]
EndpointLookup = Callable[["World", str, str], "Endpoint | None"]  # (world, region, endpoint id)


def _access_denied(principal: Principal, action: str, account_id: str) -> AwsError:
    return AwsError(
        "AccessDenied",
        f"User: {principal.arn(account_id)} is not authorized to perform: {action}",
        403,
    )


@dataclass(frozen=True)
class LabResource:
    """A kind of resource lab checks and captures can name (`resource: instance`, `resource: target_group`).

    `lookup(world, region, ident)` returns the resource (None when it does not exist; by id, or by name where AWS
    allows); `fields` adds derived fields (`public_address`) computed as `fn(world, region, obj)`.
    """

    lookup: Callable[[World, str, str], Any]
    fields: Mapping[str, Callable[[World, str, Any], Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceSpec:
    """Registration of one service. ELB, Auto Scaling and Lambda add a spec each; nothing in the core changes.

    - `name`: botocore's service name (`ec2`, `elbv2`, `autoscaling`, `lambda`); `iam_prefix` the IAM action
      prefix (`elasticloadbalancing` for elbv2).
    - `state_type`/`new_state(world, region)`: the per-Region state (a dataclass tree `core.codec` serialises).
    - `make_backend(world, region)`: the object whose `handle(operation, params)` answers the API.
    - `denied(principal, action, account_id)`: the service's own access-denied error (EC2: UnauthorizedOperation;
      ELB and Auto Scaling: AccessDenied; Lambda: AccessDeniedException).
    - `dry_run`: the error a permitted DryRun call raises (EC2's DryRunOperation); None when the service has none.
    - `on_timer(world, timer)`: the service's timers (return False to end a recurring one).
    - `handlers`: event subscriptions, `(event kind, handler)`; `"*"` for every kind. Part of the world's wiring,
      so a restored or loaded world delivers to them as the saved one did.
    - `prices`: priced usage kinds (`core.meter` records of that kind are billed at that price).
    - `endpoints(world, region)`: what the service makes addressable (instance interfaces, LB nodes, URLs);
      `endpoint(world, region, endpoint_id)` optionally finds one of them without building the others.
    - `lab_resources`: resource kinds lab checks can address.
    - `on_discard(world)`: the world's state is about to be replaced or dropped (`reset`, `restore`, `close`):
      release what lives outside the state (Lambda's worker processes). Never part of the snapshot.
    """

    name: str
    state_type: type
    new_state: Callable[[World, str], Any]
    make_backend: Callable[[World, str], Backend]
    iam_prefix: str = ""
    denied: Callable[[Principal, str, str], AwsError] = _access_denied
    dry_run: AwsError | None = None
    on_timer: TimerHandler | None = None
    handlers: tuple[tuple[str, EventHandler], ...] = ()
    prices: Mapping[str, Price] = field(default_factory=dict)
    endpoints: EndpointSource | None = None
    endpoint: EndpointLookup | None = None
    lab_resources: Mapping[str, LabResource] = field(default_factory=dict)
    title: str = ""  # the service's name for people: "Amazon EC2"
    on_discard: Callable[[World], None] | None = None

    @property
    def action_prefix(self) -> str:
        """The IAM prefix of this service's actions."""
        return self.iam_prefix or self.name
