"""The AWS Budgets backend (global: every call reads the one state kept under us-east-1) and its `SPEC`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.budgets.state import BudgetsState
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.world import World

HOME = "us-east-1"


class BudgetsBackend:
    """AWS Budgets for the account."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> BudgetsState:
        """The account's budgets (whatever Region the call named: Budgets is global)."""
        found: BudgetsState = self.world.region_state("budgets", HOME)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation."""
        from awsprep.sim.budgets.responses import OPERATIONS

        handler = handler_for("budgets", OPERATIONS, operation)
        return handler(self, params)


def _on_timer(world: World, timer: Timer) -> bool | None:
    from awsprep.sim.budgets.check import on_timer

    return on_timer(world, timer)


def _denied(principal: Any, action: str, account: str) -> AwsError:
    return AwsError(
        "AccessDeniedException", f"User: {principal.arn(account)} is not authorized to perform: {action}", 400
    )


def _lab_budget(world: World, region: str, name: str) -> Any:
    state: BudgetsState = world.region_state("budgets", HOME)
    return state.budgets.get(name)


def _alerts_sent(world: World, region: str, budget: Any) -> int:
    return sum(1 for n in budget.notifications if n.state == "ALARM")


SPEC = ServiceSpec(
    name="budgets",
    iam_prefix="budgets",
    title="AWS Budgets",
    state_type=BudgetsState,
    new_state=lambda world, region: BudgetsState(region=region),
    make_backend=BudgetsBackend,
    denied=_denied,
    on_timer=_on_timer,
    lab_resources={"budget": LabResource(_lab_budget, {"alerts_sent": _alerts_sent})},
)
