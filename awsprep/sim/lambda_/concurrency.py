"""Concurrency: reserved and provisioned settings, the account's pools and the lease order of spec §6.1, and
the per-function scaling rate of §6.2 (1,000 new environments per 10 s, refilled continuously)."""

from __future__ import annotations

from typing import Any

from awsprep.sim.lambda_ import catalog
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.fleet import Env, Fleet, fleet
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.provisioned import provision, spillover
from awsprep.sim.lambda_.state import Function, Provisioned


class Throttled(Exception):
    """No environment may serve this request now: 429 with `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reserved_total(b: LambdaBackend, except_fn: str = "") -> int:
    return sum(f.reserved or 0 for f in b.state.functions.values() if f.name != except_fn)


def provisioned_total(fn: Function) -> int:
    return sum(pc.requested for pc in fn.provisioned.values())


def unreserved(b: LambdaBackend) -> int:
    return catalog.ACCOUNT_CONCURRENCY - reserved_total(b)


def put_reserved(b: LambdaBackend, p: dict[str, Any]) -> int:
    fn = b.function(p["FunctionName"])
    value = int(p["ReservedConcurrentExecutions"])
    if value < 0:
        raise E(
            "Validation",
            value=value,
            field="reservedConcurrentExecutions",
            constraint="Member must have value greater than or equal to 0",
        )
    if catalog.ACCOUNT_CONCURRENCY - reserved_total(b, fn.name) - value < catalog.MIN_UNRESERVED:
        raise E("Unreserved")
    if provisioned_total(fn) > value:
        raise E(
            "Param",
            message=" ".join(
                [
                    "ReservedConcurrentExecutions",
                    str(value),
                    "should not be lower than function's total provisioned",
                    f"concurrency [{provisioned_total(fn)}].",
                ]
            ),
        )
    fn.reserved = value
    return value


def put_provisioned(b: LambdaBackend, p: dict[str, Any]) -> tuple[Function, Provisioned]:
    fn = b.function(p["FunctionName"])
    qualifier = str(p["Qualifier"])
    requested = int(p["ProvisionedConcurrentExecutions"])
    if requested < 1:
        raise E(
            "Validation",
            value=requested,
            field="provisionedConcurrentExecutions",
            constraint="Member must have value greater than or equal to 1",
        )
    if qualifier == "$LATEST":
        raise E("PcOnLatest")
    _, alias = b.resolve(fn, qualifier)
    if alias is not None and alias.version in fn.provisioned:
        raise E("PcAliasOnProvisionedVersion")
    if alias is None and any(a.version == qualifier and a.name in fn.provisioned for a in fn.aliases.values()):
        raise E("PcVersionUsed")
    others = provisioned_total(fn) - (fn.provisioned[qualifier].requested if qualifier in fn.provisioned else 0)
    if fn.reserved is not None and others + requested > fn.reserved:
        raise E("PcOverReserved")
    if fn.reserved is None and unreserved(b) - others - requested < catalog.MIN_UNRESERVED:
        raise E(
            "Param",
            message="Specified ConcurrentExecutions for function is greater than account's "
            "unreserved concurrency [" + str(unreserved(b) - catalog.MIN_UNRESERVED) + "].",
        )
    pc = Provisioned(qualifier, requested, b.world.now + catalog.PROVISIONED_SECONDS, b.now_text())
    fn.provisioned[qualifier] = pc
    provision(b, fn, pc)
    return fn, pc


def provisioned_config(b: LambdaBackend, fn: Function, qualifier: str) -> Provisioned:
    found = fn.provisioned.get(qualifier)
    if found is None:
        raise E("PcNotFound")
    return found


def _on_demand(fl: Fleet, b: LambdaBackend, fn: Function, now: float) -> int:
    return fl.running(b.region, fn.name, now)


def _take_token(fl: Fleet, fn_key: str, now: float) -> bool:
    tokens, at = fl.tokens.get(fn_key, (float(catalog.SCALE_BURST), now))
    tokens = min(float(catalog.SCALE_BURST), tokens + (now - at) * catalog.SCALE_PER_SECOND)
    if tokens < 1.0:
        fl.tokens[fn_key] = (tokens, now)
        return False
    fl.tokens[fn_key] = (tokens - 1.0, now)
    return True


def lease(b: LambdaBackend, fn: Function, version: str, pool: str, digest: str) -> tuple[Env | None, bool, str]:
    """Choose how a request is served at the world's now: (warm environment or None for a new one, provisioned,
    pool). Raises `Throttled` with the 429 reason (spec §6.1 order: provisioned, reserved, account)."""
    fl = fleet(b.world)
    now = b.world.now
    pc = fn.provisioned.get(pool) if pool else None
    if pc is not None and now >= pc.ready_at:
        mine = [e for e in fl.of_function(b.region, fn.name) if e.provisioned and e.pool == pool]
        idle = [e for e in mine if e.busy_until <= now and e.digest == digest]
        if idle:
            return max(idle, key=lambda e: e.last_used), True, pool
        if len(mine) < pc.requested:  # not initialised yet in this process (a loaded world): made for this request
            return None, True, pool
        spillover(b, fn, pool)  # every provisioned environment is busy: on-demand concurrency serves it
    running = _on_demand(fl, b, fn, now)
    if fn.reserved is not None:
        if running + provisioned_total(fn) >= fn.reserved:
            raise Throttled("ReservedFunctionConcurrentInvocationLimitExceeded")
    else:
        others = 0
        for other in b.state.functions.values():
            if other.reserved is None:
                others += provisioned_total(other) + _on_demand(fl, b, other, now)
        if unreserved(b) - others <= 0:
            raise Throttled("ConcurrentInvocationLimitExceeded")
    warm = fl.take_idle(b.region, fn.name, version, digest, now)
    if warm is not None:
        return warm, False, ""
    if not _take_token(fl, f"{b.region}/{fn.name}", now):
        raise Throttled("ConcurrentInvocationLimitExceeded")
    return None, False, ""
