"""boto3 sessions bound to a world, so a learner's own boto3 code runs unchanged against the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3

from awsprep.sim.frontends.glue import WorldHandlers

if TYPE_CHECKING:
    from awsprep.sim.world import World

FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def boto3_session(world: World, region: str | None = None) -> Any:
    """A `boto3.session.Session` whose clients and resources talk only to `world`.

    Credentials are fake and explicit, so botocore never looks for real ones (nor asks IMDS).
    """
    session = boto3.session.Session(
        aws_access_key_id=FAKE_KEY,
        aws_secret_access_key=FAKE_SECRET,
        region_name=region or world.default_region,
    )
    WorldHandlers(world).register(session.events)
    return session
