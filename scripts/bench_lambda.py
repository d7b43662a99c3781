#!/usr/bin/env python3
"""Speed figures for Lambda in the simulator (scripts/benchlib.py): figure, baseline, ratio, target.

(a) warm invocation overhead: 300 warm `Invoke` calls of a trivial handler through `world.call` (the simulator,
    the worker IPC, the log lines) minus the handler's own measured time, per call. Target <= 2 ms.
(b) cold start of a trivial handler: starting a worker process until its INIT is done, against the same
    machine's `python -I -c pass`. Reported as a ratio (target <= 3: the worker adds imports and limits).
(c) a burst of 5,000 concurrent async invocations with the in-process fake runtime: the queue, the lease order,
    the scaling rate (1,000 new environments per 10 s: the rest are throttled and retried) until the queue is
    empty. Target <= 5 s.
Run it alone (`.venv/bin/python scripts/bench_lambda.py`) or through `scripts/bench.py`.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
import zipfile

from benchlib import Targets

from awsprep.sim import World, lambda_
from awsprep.sim.lambda_.procruntime import ProcessRuntime
from awsprep.sim.lambda_.runtime import EnvSpec

TARGETS = Targets()
ROLE = "arn:aws:iam::111122223333:role/bench"
CODE = "def lambda_handler(event, context):\n    return event\n"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("lambda_function.py", CODE)
    return buf.getvalue()


def _function(world: World) -> None:
    world.call(
        "lambda",
        "CreateFunction",
        {
            "FunctionName": "b",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "lambda_function.lambda_handler",
            "Code": {"ZipFile": _zip()},
        },
    )
    world.advance(1)


def warm_overhead() -> None:
    world = World(seed=1)
    lambda_.use_runtime(world, ProcessRuntime(max_workers=1))
    try:
        _function(world)
        world.call("lambda", "Invoke", {"FunctionName": "b", "Payload": b"{}"})
        fleet = lambda_.fleet(world)
        runs = 300
        before = fleet.measured["us-east-1/b:$LATEST"].duration_ms
        start = time.perf_counter()
        for _ in range(runs):
            world.call("lambda", "Invoke", {"FunctionName": "b", "Payload": b'{"k": 1}'})
        total = time.perf_counter() - start
        handler = (fleet.measured["us-east-1/b:$LATEST"].duration_ms - before) / 1000
        per_call = (total - handler) / runs
        print(f"     (warm: {total / runs * 1000:.2f} ms a call, of which the handler {handler / runs * 1000:.3f} ms)")
        TARGETS.seconds("warm invoke overhead over the handler, per call", per_call, handler / runs, 0.002)
    finally:
        world.close()


def cold_start() -> None:
    spec = EnvSpec(
        "bench",
        "b",
        "$LATEST",
        "python3.12",
        "lambda_function.lambda_handler",
        _zip(),
        (),
        {},
        128,
        3.0,
        512,
        "/aws/lambda/b",
        "s",
    )
    runtime = ProcessRuntime(max_workers=1)
    colds, bases = [], []
    for _ in range(7):
        start = time.perf_counter()
        assert runtime.start(spec).ok
        colds.append(time.perf_counter() - start)
        runtime.stop("bench")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-c", "pass"], check=True)
        bases.append(time.perf_counter() - start)
    runtime.close()
    TARGETS.ratio(
        "cold start of a trivial handler vs python -I -c pass", statistics.median(colds), statistics.median(bases), 3.0
    )


def burst() -> None:
    world = World(seed=1)
    lambda_.use_runtime(world, lambda_.FakeRuntime())
    _function(world)

    def run() -> None:
        for _ in range(5000):
            world.call("lambda", "Invoke", {"FunctionName": "b", "InvocationType": "Event", "Payload": b"{}"})
        world.advance(600)

    start = time.perf_counter()
    run()
    took = time.perf_counter() - start
    assert not lambda_.backend(world).state.queue
    base_start = time.perf_counter()
    for _ in range(5000):
        world.call("lambda", "GetFunctionConfiguration", {"FunctionName": "b"})
    base = time.perf_counter() - base_start
    TARGETS.seconds("5,000 concurrent async invocations (fake runtime)", took, base, 5.0)


if __name__ == "__main__":
    print("Lambda")
    warm_overhead()
    cold_start()
    burst()
    sys.exit(TARGETS.summary())
