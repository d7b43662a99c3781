"""The SNS backend of one Region, the lookups every operation shares, and the service's `SPEC`."""

from __future__ import annotations

import uuid
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import Principal
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec
from awsprep.sim.sns.errors import SNS_ERRORS as E
from awsprep.sim.sns.state import SnsRegionState, Subscription, Topic

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.sns.responses import Handler
    from awsprep.sim.world import World


class SnsBackend:
    """SNS in one Region. `handle()` serves the API; lookups raise the API's errors."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> SnsRegionState:
        """The Region's state (looked up each time: a restore replaces it)."""
        found: SnsRegionState = self.world.region_state("sns", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions before)."""
        handler = handler_for("sns", _operations(), operation)
        return handler(self, params)

    def arn_for(self, name: str) -> str:
        """`arn:aws:sns:REGION:ACCOUNT:NAME`."""
        return f"arn:aws:sns:{self.region}:{self.world.account_id}:{name}"

    def new_uuid(self) -> str:
        """A message or subscription id (a UUID from the world's seeded generator)."""
        return str(uuid.UUID(int=self.world.ids.rng.getrandbits(128), version=4))

    def new_token(self) -> str:
        """A confirmation token: a long hex string, as SNS sends."""
        return f"{self.world.ids.rng.getrandbits(512):0128x}"

    def topic(self, arn: Any) -> Topic:
        """A topic by ARN (InvalidParameter for something that is not a topic ARN, NotFound when absent)."""
        text = str(arn or "")
        parts = text.split(":")
        if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sns":
            raise E("InvalidParameter", what="TopicArn")
        found = self.state.topics.get(text)
        if found is None or parts[3] != self.region:
            raise E("TopicNotFound")
        return found

    def subscription(self, arn: Any) -> Subscription:
        """A subscription by ARN (`pending confirmation` is not an ARN)."""
        text = str(arn or "")
        if len(text.split(":")) != 7 or not text.startswith("arn:aws:sns:"):
            raise E("InvalidParameter", what="SubscriptionArn")
        found = self.state.subscriptions.get(text)
        if found is None:
            raise E("SubscriptionNotFound")
        return found

    def subscriptions_of(self, topic_arn: str) -> list[Subscription]:
        """A topic's subscriptions in the order they were made."""
        return [s for s in self.state.subscriptions.values() if s.topic_arn == topic_arn]

    def console_url(self) -> str:
        """The Region's SNS endpoint (unsubscribe and confirmation links point there)."""
        return f"https://sns.{self.region}.amazonaws.com"


def denied(principal: Principal, action: str, account_id: str) -> AwsError:
    """SNS's access-denied shape: AuthorizationError, 403."""
    return E("AuthorizationError", arn=principal.arn(account_id), action=action)


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.sns.responses import OPERATIONS

    return OPERATIONS


def _lab_topic(world: World, region: str, ident: str) -> Topic | None:
    from awsprep.sim.sns.api import backend

    state = backend(world, region).state
    return state.topics.get(ident) or next((t for t in state.topics.values() if t.name == ident), None)


def _confirmed(world: World, region: str, topic: Topic) -> int:
    from awsprep.sim.sns.api import backend

    return sum(1 for s in backend(world, region).subscriptions_of(topic.arn) if s.confirmed)


def _pending(world: World, region: str, topic: Topic) -> int:
    from awsprep.sim.sns.api import backend

    return sum(1 for s in backend(world, region).subscriptions_of(topic.arn) if not s.confirmed)


def _endpoints(world: World, region: str) -> Any:
    from awsprep.sim.sns.links import endpoints

    return endpoints(world, region)


def _on_timer(world: World, timer: Timer) -> bool | None:
    from awsprep.sim.sns.http import on_timer

    return on_timer(world, timer)


SPEC = ServiceSpec(
    name="sns",
    iam_prefix="sns",
    title="Amazon SNS",
    state_type=SnsRegionState,
    new_state=lambda world, region: SnsRegionState(region=region),
    make_backend=SnsBackend,
    denied=denied,
    on_timer=_on_timer,
    endpoints=_endpoints,
    lab_resources={
        "topic": LabResource(_lab_topic, {"confirmed_subscriptions": _confirmed, "pending_subscriptions": _pending})
    },
)
