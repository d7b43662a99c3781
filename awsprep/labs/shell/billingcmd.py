"""`billing`: the account's Billing preferences, which the AWS CLI cannot change (the console's "Receive
CloudWatch billing alerts" box). Until it is on, CloudWatch has no AWS/Billing metric to alarm on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from awsprep.labs.shell.base import Result
from awsprep.sim.cloudwatch.billing import HOME, enabled
from awsprep.sim.cloudwatch.billing import enable as enable_alerts

if TYPE_CHECKING:
    from awsprep.sim.world import World

USAGE = "usage: billing alerts [on]   (the account's Billing preferences: receive CloudWatch billing alerts)\n"


def billing(world: World, args: list[str]) -> Result:
    """`billing alerts` shows the preference; `billing alerts on` turns it on (it cannot be turned off again
    here, as in the console)."""
    if args[:1] != ["alerts"] or len(args) > 2 or (len(args) == 2 and args[1] != "on"):
        return Result(2, "", USAGE)
    if len(args) == 1:
        state = "on" if enabled(world) else "off"
        return Result(0, f"Receive CloudWatch billing alerts: {state}\n")
    if not enable_alerts(world, world.now):
        return Result(0, "Receive CloudWatch billing alerts is already on.\n")
    return Result(
        0,
        "Billing preferences saved: Receive CloudWatch billing alerts is on.\n"
        f"Estimated charges will appear in CloudWatch in {HOME} only (namespace AWS/Billing, metric\n"
        "EstimatedCharges, dimension Currency=USD), a few times a day: the first datapoint within 6 hours.\n",
    )
