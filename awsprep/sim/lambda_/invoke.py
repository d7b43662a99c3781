"""The Invoke API: payload checks, qualifier and alias routing, synchronous runs (with `--log-type Tail`),
asynchronous queueing (202) and DryRun (204) (spec §2 item 36, §6.3; API_Invoke.html)."""

from __future__ import annotations

import base64
import json
from typing import Any

from awsprep.sim.lambda_ import catalog
from awsprep.sim.lambda_.concurrency import Throttled
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.execute import Execution, run, throttle_metric
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Function, VersionConfig
from awsprep.sim.lambda_.versions import pick_version


def _payload(raw: Any) -> str:
    if raw is None or raw in (b"", ""):
        return "{}"
    if isinstance(raw, bytes | bytearray):
        try:
            text = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise E("BadJson", detail="Invalid UTF-8 start byte") from None
    else:
        text = str(raw)
    try:
        json.loads(text)
    except ValueError as exc:
        raise E("BadJson", detail=str(exc)) from None
    return text


def target(b: LambdaBackend, name: str, qualifier: str | None) -> tuple[Function, VersionConfig, str, str]:
    """(function, configuration to run, invoked ARN, provisioned pool) for a FunctionName and Qualifier."""
    fn = b.function(name, qualifier)
    _, q = b.split_name(name, qualifier)
    cfg, alias = b.resolve(fn, q)
    pool = q or ""
    if alias is not None:
        version = pick_version(b, alias)
        cfg = b.version(fn, version)
        pool = alias.name if alias.name in fn.provisioned else version
    invoked = b.arn(fn.name, q) if q else b.arn(fn.name)
    return fn, cfg, invoked, pool


def check_runnable(b: LambdaBackend, fn: Function, cfg: VersionConfig) -> None:
    latest = b.settle(fn.latest)
    if cfg is latest and latest.state == "Pending":
        raise E("Pending")
    if cfg.runtime not in catalog.PYTHON_RUNTIMES:
        raise E("NotPython", runtime=cfg.runtime)


def sync(b: LambdaBackend, fn: Function, cfg: VersionConfig, invoked: str, payload: str, pool: str) -> Execution:
    """Run now; the caller waited, so the clock moves by the run's time. Throttles are 429."""
    try:
        ex = run(b, fn, cfg, invoked, payload, b.uuid(), pool)
    except Throttled as t:
        throttle_metric(b, fn)
        raise _throttle(t.reason) from None
    return ex


def _throttle(reason: str) -> Exception:
    err = E("Throttled")
    err.fields = {"Type": "User", "Reason": reason, "message": err.message}
    return err


def invoke(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    kind = p.get("InvocationType", "RequestResponse")
    raw = p.get("Payload")
    size = len(raw) if isinstance(raw, bytes | bytearray | str) else 0
    limit = catalog.ASYNC_PAYLOAD if kind == "Event" else catalog.SYNC_PAYLOAD
    if size > limit:
        raise E("TooLarge", limit=limit)
    payload = _payload(raw)
    fn, cfg, invoked, pool = target(b, p["FunctionName"], p.get("Qualifier"))
    check_runnable(b, fn, cfg)
    if kind == "DryRun":
        return {"StatusCode": 204}
    if kind == "Event":
        from awsprep.sim.lambda_.asynchronous import enqueue

        _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
        enqueue(b, fn, q or "$LATEST", payload)
        return {"StatusCode": 202}
    ex = sync(b, fn, cfg, invoked, payload, pool)
    b.world.advance(ex.seconds)
    out: dict[str, Any] = {"StatusCode": 200, "Payload": ex.payload.encode(), "ExecutedVersion": ex.executed_version}
    if ex.function_error:
        out["FunctionError"] = ex.function_error
    if p.get("LogType") == "Tail":
        tail = ex.log.encode()[-catalog.TAIL_BYTES :]
        out["LogResult"] = base64.b64encode(tail).decode()
    return out
