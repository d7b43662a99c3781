"""The Lambda backend of one Region, the lookups every operation shares, and the service's `SPEC`."""

from __future__ import annotations

import base64
import hashlib
import time as _time
from functools import cache
from typing import TYPE_CHECKING, Any

from awsprep.sim.core.account import Principal
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.registry import handler_for
from awsprep.sim.core.service import LabResource, ServiceSpec
from awsprep.sim.lambda_.catalog import PRICES
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.state import Alias, Function, LambdaRegionState, VersionConfig

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.lambda_.responses import Handler
    from awsprep.sim.world import World


def timestamp(now: float) -> str:
    """Lambda's LastModified form: 2025-01-06T09:00:00.000+0000."""
    return _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}+0000"


def sha256_b64(data: bytes) -> str:
    """CodeSha256 as Lambda shows it (base64 of the digest)."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class LambdaBackend:
    """Lambda in one Region. `handle()` serves the API; the lookups raise the API's not-found errors."""

    def __init__(self, world: World, region: str) -> None:
        self.world = world
        self.region = region

    @property
    def state(self) -> LambdaRegionState:
        """The Region's state (looked up each time: a restore replaces it)."""
        found: LambdaRegionState = self.world.region_state("lambda", self.region)
        return found

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run an API operation (the world has checked permissions before)."""
        handler = handler_for("lambda", _operations(), operation)
        return handler(self, params)

    # ----- names and ids ----------------------------------------------------------------------------------------
    def arn(self, name: str, qualifier: str | None = None) -> str:
        """A function ARN, qualified when a version or alias is given."""
        base = f"arn:aws:lambda:{self.region}:{self.world.account_id}:function:{name}"
        return f"{base}:{qualifier}" if qualifier else base

    def layer_arn(self, name: str, version: int | None = None) -> str:
        base = f"arn:aws:lambda:{self.region}:{self.world.account_id}:layer:{name}"
        return f"{base}:{version}" if version is not None else base

    def uuid(self) -> str:
        """A request or revision id (uuid4 form, from the seeded generator)."""
        n = self.world.ids.rng.getrandbits(128)
        h = f"{n:032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[n % 4]}{h[17:20]}-{h[20:32]}"

    def now_text(self) -> str:
        return timestamp(self.world.now)

    # ----- lookups ------------------------------------------------------------------------------------------------
    def split_name(self, name: str, qualifier: str | None = None) -> tuple[str, str | None]:
        """A FunctionName parameter (name, ARN or partial ARN, maybe with `:qualifier`) -> (name, qualifier)."""
        parts = name.split(":")
        if name.startswith("arn:"):
            fname = parts[6] if len(parts) > 6 else ""
            q = parts[7] if len(parts) > 7 else None
        elif len(parts) >= 3 and parts[1] == "function":
            fname, q = parts[2], (parts[3] if len(parts) > 3 else None)
        elif len(parts) == 2:
            fname, q = parts
        else:
            fname, q = name, None
        if qualifier and q and qualifier != q:
            raise E(
                "Param", message="The derived qualifier from the function name does not match the specified qualifier."
            )
        return fname, qualifier or q

    def function(self, name: str, qualifier: str | None = None) -> Function:
        """A function by name or ARN (ResourceNotFoundException)."""
        fname, q = self.split_name(name, qualifier)
        found = self.state.functions.get(fname)
        if found is None:
            raise E("FunctionNotFound", arn=self.arn(fname, q))
        return found

    def resolve(self, fn: Function, qualifier: str | None) -> tuple[VersionConfig, Alias | None]:
        """The configuration a qualifier names (a version, an alias, `$LATEST` or none)."""
        if qualifier in (None, "", "$LATEST"):
            return self.settle(fn.latest), None
        if qualifier in fn.versions:
            return fn.versions[qualifier], None
        alias = fn.aliases.get(qualifier)
        if alias is not None:
            return self.version(fn, alias.version), alias
        raise E("FunctionNotFound", arn=self.arn(fn.name, qualifier))

    def version(self, fn: Function, version: str) -> VersionConfig:
        if version == "$LATEST":
            return self.settle(fn.latest)
        found = fn.versions.get(version)
        if found is None:
            raise E("FunctionNotFound", arn=self.arn(fn.name, version))
        return found

    def settle(self, cfg: VersionConfig) -> VersionConfig:
        """Move Pending -> Active and InProgress -> Successful once their time has come."""
        if cfg.ready_at <= self.world.now:
            if cfg.state == "Pending":
                cfg.state, cfg.state_reason_code = "Active", ""
            if cfg.last_update_status == "InProgress":
                cfg.last_update_status = "Successful"
        return cfg

    def code(self, sha: str) -> bytes:
        return base64.b64decode(self.state.code[sha])

    def execution_role(self, cfg: VersionConfig, fn: Function) -> Principal:
        from awsprep.sim.core.account import assumed_role

        return assumed_role(cfg.role.rsplit("/", 1)[-1], fn.name)


@cache
def _operations() -> dict[str, Handler]:
    from awsprep.sim.lambda_.responses import OPERATIONS

    return OPERATIONS


def new_region_state(world: World, region: str) -> LambdaRegionState:
    """An empty Region."""
    return LambdaRegionState(region=region)


def backend(world: World, region: str | None = None) -> LambdaBackend:
    """The typed Lambda backend of a Region (the default Region when None)."""
    found = world.backend("lambda", region)
    assert isinstance(found, LambdaBackend)
    return found


def _on_timer(world: World, timer: Timer) -> bool | None:
    from awsprep.sim.lambda_.asynchronous import on_timer

    return on_timer(world, timer)


def _discard(world: World) -> None:
    from awsprep.sim.lambda_.fleet import discard_world

    discard_world(world)


def _denied(principal: Principal, action: str, account: str) -> AwsError:
    return E("AccessDenied", arn=principal.arn(account), action=action)


def _lab_lookup(world: World, region: str, ident: str) -> Any:
    return backend(world, region).state.functions.get(ident)


def _lab_fields() -> dict[str, Any]:
    from awsprep.sim.lambda_ import lab

    return lab.FIELDS


def _endpoints(world: World, region: str) -> Any:
    from awsprep.sim.lambda_.httpevents import url_endpoints

    return url_endpoints(world, region)


SPEC = ServiceSpec(
    name="lambda",
    iam_prefix="lambda",
    title="AWS Lambda",
    state_type=LambdaRegionState,
    new_state=new_region_state,
    make_backend=LambdaBackend,
    denied=_denied,
    on_timer=_on_timer,
    prices=PRICES,
    endpoints=_endpoints,
    on_discard=_discard,
    lab_resources={"function": LabResource(_lab_lookup, _lab_fields())},
)
