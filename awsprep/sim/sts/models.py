"""The STS backend and its registration.

GetCallerIdentity answers with the account, the caller's ARN and its unique id (STS API reference,
GetCallerIdentity: an IAM user's id is its `AIDA…` unique id, an assumed role's `AROA…:session`). Calls that
reach STS come from the learner's CLI and boto3 sessions, so the caller is the learner.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import LEARNER, Principal
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import ServiceSpec
from awsprep.sim.sts.state import StsState

if TYPE_CHECKING:
    from awsprep.sim.sts.responses import Handler
    from awsprep.sim.world import World


def unique_id(principal: Principal, account_id: str) -> str:
    """A stable IAM unique id (21 characters): `AIDA…` for a user, `AROA…:session` for an assumed role."""
    digest = hashlib.sha256(f"{account_id}/{principal.key}".encode()).digest()
    body = base64.b32encode(digest).decode()[:17]
    if principal.kind == "user":
        return "AIDA" + body
    return f"AROA{body}:{principal.session or principal.name}"


class StsBackend:
    """STS in one Region (it answers the same in every Region)."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region
        self.caller: Principal = LEARNER

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one STS operation; the ones not simulated say so."""
        handler = handler_for("sts", _operations(), operation)
        return handler(self, params)


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.sts.responses import OPERATIONS

    return OPERATIONS


def _new_state(world: World, region: str) -> StsState:
    return StsState()


SPEC = ServiceSpec(
    name="sts",
    state_type=StsState,
    new_state=_new_state,
    make_backend=StsBackend,
    title="AWS Security Token Service",
)
