"""STS API operations: botocore parameters in, response dict out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsprep.sim.sts.models import StsBackend

Handler = Callable[["StsBackend", dict[str, Any]], dict[str, Any]]


def get_caller_identity(b: StsBackend, params: dict[str, Any]) -> dict[str, Any]:
    """GetCallerIdentity: `{UserId, Account, Arn}` of the caller."""
    from awsprep.sim.sts.models import unique_id

    account = b.world.account_id
    return {"UserId": unique_id(b.caller, account), "Account": account, "Arn": b.caller.arn(account)}


OPERATIONS: dict[str, Handler] = {"GetCallerIdentity": get_caller_identity}
