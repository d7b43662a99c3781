"""Asynchronous invocation (spec §6.3, §6.4): a per-function queue on the virtual clock, function-error retries
about 1 and 2 minutes apart (MaximumRetryAttempts), throttle retries with backoff from 1 s to 5 min, the event
age limit, and on-success / on-failure destination records and DLQ messages."""

from __future__ import annotations

import json
import time as _time
from typing import TYPE_CHECKING, Any

from awsprep.sim.lambda_ import catalog, sinks
from awsprep.sim.lambda_.concurrency import Throttled
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.execute import Execution, run, throttle_metric
from awsprep.sim.lambda_.fleet import fleet
from awsprep.sim.lambda_.models import LambdaBackend, backend
from awsprep.sim.lambda_.state import AsyncEvent, EventConfig, Function

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.world import World


def enqueue(b: LambdaBackend, fn: Function, qualifier: str, payload: str, delay: float = 0.0) -> AsyncEvent:
    event = AsyncEvent(f"{fn.name}/{b.uuid()}", fn.name, qualifier, payload, b.uuid(), b.world.now)
    b.state.queue[event.event_id] = event
    b.world.schedule(delay, "lambda", b.region, "async", event.event_id)
    return event


def event_config(fn: Function, qualifier: str) -> EventConfig:
    return fn.event_configs.get(qualifier) or EventConfig()


def on_timer(world: World, timer: Timer) -> bool | None:
    if timer.kind == "async":
        _attempt(backend(world, timer.region), timer.target)
    elif timer.kind == "pc-ready":
        from awsprep.sim.lambda_.provisioned import on_ready

        on_ready(backend(world, timer.region), timer.target)
    elif timer.kind == "esm-poll":
        from awsprep.sim.lambda_.esmpoll import poll

        return poll(backend(world, timer.region), timer.target)
    return None


def _attempt(b: LambdaBackend, event_id: str) -> None:
    from awsprep.sim.lambda_.invoke import target

    event = b.state.queue.get(event_id)
    if event is None:
        return
    fn = b.state.functions.get(event.function)
    if fn is None:
        del b.state.queue[event_id]
        return
    conf = event_config(fn, event.qualifier)
    max_age = conf.max_age if conf.max_age is not None else catalog.DEFAULT_MAX_AGE
    max_retries = conf.max_retries if conf.max_retries is not None else catalog.DEFAULT_RETRIES
    if b.world.now - event.queued_at > max_age:
        _fail(b, fn, event, conf, None, "EventAgeExceeded")
        return
    try:
        _, cfg, invoked, pool = target(b, fn.name, event.qualifier)
    except Exception:  # the version or alias is gone: the event cannot run
        del b.state.queue[event_id]
        return
    try:
        ex = run(b, fn, cfg, invoked, event.payload, event.request_id, pool)
    except Throttled:
        throttle_metric(b, fn)
        event.throttles += 1
        delay = min(catalog.THROTTLE_MAX, catalog.THROTTLE_FIRST * 2 ** (event.throttles - 1))
        if b.world.now + delay - event.queued_at > max_age:
            _fail(b, fn, event, conf, None, "EventAgeExceeded")
            return
        fleet(b.world).note(b.world, f"{fn.name}: async event throttled, retried in {delay:g} s")
        b.world.schedule(delay, "lambda", b.region, "async", event_id)
        return
    event.attempts += 1
    if ex.status == "ok":
        _succeed(b, fn, event, conf, ex)
        return
    if event.attempts > max_retries:
        _fail(b, fn, event, conf, ex, "RetriesExhausted")
        return
    delay = catalog.RETRY_DELAYS[min(event.attempts - 1, len(catalog.RETRY_DELAYS) - 1)]
    b.world.schedule(delay, "lambda", b.region, "async", event_id)


def record(b: LambdaBackend, fn: Function, event: AsyncEvent, ex: Execution | None, condition: str) -> str:
    """The destination record of spec §6.4."""
    stamp = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(b.world.now)) + f".{int(b.world.now * 1000) % 1000:03d}Z"
    response: dict[str, Any] = {"statusCode": 200, "executedVersion": ex.executed_version if ex else "$LATEST"}
    if ex is not None and ex.function_error:
        response["functionError"] = ex.function_error
    body: dict[str, Any] = {
        "version": "1.0",
        "timestamp": stamp,
        "requestContext": {
            "requestId": event.request_id,
            "functionArn": b.arn(fn.name, event.qualifier),
            "condition": condition,
            "approximateInvokeCount": max(1, event.attempts),
        },
        "requestPayload": json.loads(event.payload),
        "responseContext": response,
    }
    if ex is not None:
        body["responsePayload"] = json.loads(ex.payload)
    return json.dumps(body)


def _deliver(b: LambdaBackend, arn: str, body: str, attributes: dict[str, str]) -> None:
    if ":function:" in arn:
        name = arn.split(":")[6]
        fn = b.state.functions.get(name)
        if fn is not None:
            enqueue(b, fn, "$LATEST", body)
        return
    sinks.send(b.world, b.region, arn, body, attributes, fleet(b.world).undelivered)


def _succeed(b: LambdaBackend, fn: Function, event: AsyncEvent, conf: EventConfig, ex: Execution) -> None:
    b.state.queue.pop(event.event_id, None)
    if conf.on_success:
        _deliver(b, conf.on_success, record(b, fn, event, ex, "Success"), {})


def _fail(
    b: LambdaBackend, fn: Function, event: AsyncEvent, conf: EventConfig, ex: Execution | None, condition: str
) -> None:
    b.state.queue.pop(event.event_id, None)
    if conf.on_failure:
        _deliver(b, conf.on_failure, record(b, fn, event, ex, condition), {})
    cfg = fn.latest if event.qualifier == "$LATEST" else fn.versions.get(event.qualifier, fn.latest)
    if cfg.dead_letter:
        error = json.loads(ex.payload) if ex is not None else {}
        attributes = {
            "RequestID": event.request_id,
            "ErrorCode": "200",
            "ErrorMessage": str(error.get("errorMessage", condition)),
        }
        _deliver(b, cfg.dead_letter, event.payload, attributes)
    b.world.put_metric("AWS/Lambda", "AsyncEventsDropped", {"FunctionName": fn.name}, 1, "Count")


def put_event_config(b: LambdaBackend, p: dict[str, Any], merge: bool) -> tuple[Function, str, EventConfig]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    q = q or "$LATEST"
    b.resolve(fn, q)
    conf = fn.event_configs.get(q) if merge else None
    if merge and conf is None:
        raise E("NoEventConfig", arn=b.arn(fn.name, q))
    conf = conf or EventConfig()
    if "MaximumRetryAttempts" in p:
        value = int(p["MaximumRetryAttempts"])
        if not 0 <= value <= 2:
            raise E(
                "Validation",
                value=value,
                field="maximumRetryAttempts",
                constraint="Member must have value less than or equal to 2",
            )
        conf.max_retries = value
    if "MaximumEventAgeInSeconds" in p:
        value = int(p["MaximumEventAgeInSeconds"])
        if not 60 <= value <= 21600:
            raise E(
                "Validation",
                value=value,
                field="maximumEventAgeInSeconds",
                constraint="Member must have value less than or equal to 21600",
            )
        conf.max_age = value
    if "DestinationConfig" in p:
        dest = p["DestinationConfig"] or {}
        conf.on_success = str((dest.get("OnSuccess") or {}).get("Destination") or "")
        conf.on_failure = str((dest.get("OnFailure") or {}).get("Destination") or "")
    conf.last_modified = b.world.now
    fn.event_configs[q] = conf
    return fn, q, conf
