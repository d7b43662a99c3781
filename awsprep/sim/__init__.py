"""awsprep's in-process AWS simulator (see README.md in this folder for the API).

Importing this package loads only the pure-Python backend. `run_cli` and `boto3_session` load
botocore/awscli on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim import services  # noqa: F401 - registers the built services with every World()
from awsprep.sim.billing import Bill, LineItem, bill
from awsprep.sim.core.account import AUTOSCALING_ROLE, ELB_ROLE, LEARNER, Principal
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.events import SimEvent
from awsprep.sim.core.snapshots import SnapshotError
from awsprep.sim.imds import ImdsResponse, imds_request
from awsprep.sim.net import HttpReply, Outcome, Reach, connect, http_get
from awsprep.sim.world import World

if TYPE_CHECKING:
    from awsprep.sim.frontends.cli import CliResult

__all__ = [
    "AUTOSCALING_ROLE",
    "ELB_ROLE",
    "LEARNER",
    "AwsError",
    "Bill",
    "CliResult",
    "HttpReply",
    "ImdsResponse",
    "LineItem",
    "Outcome",
    "Principal",
    "Reach",
    "SimEvent",
    "SnapshotError",
    "World",
    "bill",
    "boto3_session",
    "connect",
    "debug_notes",
    "http_get",
    "imds_request",
    "run_cli",
    "services_simulated",
    "warm_up_cli",
]


def services_simulated() -> frozenset[str]:
    """botocore names of the services awsprep simulates (the registry's answer)."""
    from awsprep.sim.core.registry import simulated

    return simulated()


def debug_notes(world: World) -> tuple[list[str], int]:
    """The simulator's notes since the last call (what it modelled or decided that AWS would not show), and
    how many older ones were dropped unread; `--debug` front ends print them (see `core/debuglog.py`)."""
    from awsprep.sim.core.debuglog import take

    return take(world)


def run_cli(world: World, argv: list[str], **kwargs: Any) -> CliResult:
    """Run `aws <argv…>` in-process against `world` (see `frontends.cli.run_cli`)."""
    from awsprep.sim.frontends.cli import run_cli as _run

    return _run(world, argv, **kwargs)


def warm_up_cli() -> None:
    """Build the in-process AWS CLI ahead of the first `run_cli` (botocore loads its models: ~0.3 s)."""
    from awsprep.sim.frontends.cli import warm_up

    warm_up()


def boto3_session(world: World, region: str | None = None) -> Any:
    """A boto3 session bound to `world` (see `frontends.boto.boto3_session`)."""
    from awsprep.sim.frontends.boto import boto3_session as _session

    return _session(world, region)


def __getattr__(name: str) -> Any:
    if name == "CliResult":
        from awsprep.sim.frontends.cli import CliResult

        return CliResult
    raise AttributeError(name)
