"""One invocation, end to end: lease an environment (§6.1), INIT it when cold, INVOKE, and account for it —
the environment is busy for the measured time on the virtual clock, the log gets START/END/REPORT (§6.6),
and AWS/Lambda metrics are published."""

from __future__ import annotations

import json
import math
import time as _time
from dataclasses import dataclass, replace

from awsprep.sim.lambda_ import billing, catalog, sinks
from awsprep.sim.lambda_.concurrency import lease
from awsprep.sim.lambda_.fleet import Env, Measured, fleet
from awsprep.sim.lambda_.layers import layer_zips
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.runtime import EnvSpec, InvokeRequest, InvokeResult
from awsprep.sim.lambda_.state import Function, VersionConfig

# Simulated credentials of the execution role (AWS documentation placeholders): never real ones.
SIM_KEY_ID = "ASIAIOSFODNN7EXAMPLE"
SIM_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@dataclass
class Execution:
    """What an invocation produced (the caller turns it into Invoke's response or an async outcome)."""

    request_id: str
    status: str  # ok | error | timeout | crash | oom | init
    payload: str  # response JSON (the error JSON unless ok)
    executed_version: str
    duration_ms: float
    billed_ms: int
    init_ms: float | None
    max_memory_mb: int
    log: str
    env_id: str
    modelled: bool

    @property
    def function_error(self) -> str | None:
        return None if self.status == "ok" else "Unhandled"

    @property
    def seconds(self) -> float:
        return ((self.init_ms or 0.0) + self.duration_ms) / 1000.0


def environment(b: LambdaBackend, fn: Function, cfg: VersionConfig, stream: str, provisioned: bool) -> dict[str, str]:
    """The process environment: the function's variables and Lambda's own, nothing from the learner's shell."""
    env = dict(cfg.environment)
    env.update(
        {
            "AWS_LAMBDA_FUNCTION_NAME": fn.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(cfg.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": cfg.version,
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{fn.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": stream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "provisioned-concurrency" if provisioned else "on-demand",
            "AWS_REGION": b.region,
            "AWS_DEFAULT_REGION": b.region,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{cfg.runtime}",
            "_HANDLER": cfg.handler,
            "LAMBDA_TASK_ROOT": "/var/task",
            "LAMBDA_RUNTIME_DIR": "/var/runtime",
            "TZ": ":UTC",
            "LANG": "en_US.UTF-8",
            "PATH": "/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin",
            "LD_LIBRARY_PATH": "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:"
            "/opt/lib",
            "PYTHONPATH": "/var/runtime",
            "AWS_ACCESS_KEY_ID": SIM_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SIM_SECRET,
            "AWS_SESSION_TOKEN": f"simulated-session-token-for-{fn.name}",
        }
    )
    return env


def _stream(b: LambdaBackend, version: str) -> str:
    day = _time.strftime("%Y/%m/%d", _time.gmtime(b.world.now))
    return f"{day}/[{version}]{b.world.ids.rng.getrandbits(128):032x}"


def _error_json(kind: str, message: str) -> str:
    return json.dumps({"errorMessage": message, "errorType": kind})


def _outcome(result: InvokeResult, request_id: str, timeout: int) -> tuple[str, str]:
    if result.status == "timeout":
        return "timeout", _error_json(
            "Sandbox.Timedout", f"RequestId: {request_id} Error: Task timed out after {timeout:.2f} seconds"
        )
    if result.status == "oom":
        return "oom", _error_json(
            "Runtime.OutOfMemory", f"RequestId: {request_id} Error: Runtime exited with error: signal: killed"
        )
    if result.status == "crash":
        return "crash", _error_json(
            "Runtime.ExitError", f"RequestId: {request_id} Error: Runtime exited with error: {result.payload}"
        )
    if result.status == "ok" and len(result.payload.encode()) > catalog.RESPONSE_PAYLOAD:
        return "error", _error_json(
            "Function.ResponseSizeTooLarge",
            f"Response payload size exceeded maximum allowed payload size ({catalog.RESPONSE_PAYLOAD} bytes).",
        )
    return result.status, result.payload


def _error_log(payload: str) -> str:
    try:
        err = json.loads(payload)
    except ValueError:
        return ""
    lines = [f"[ERROR] {err.get('errorType')}: {err.get('errorMessage')}"]
    if err.get("stackTrace"):
        lines.append("Traceback (most recent call last):")
        lines.extend(str(s).rstrip("\n") for s in err["stackTrace"])
    return "\n".join(lines) + "\n"


@dataclass
class _Run:
    """What one run gathers on its way (so each phase is its own function)."""

    request_id: str
    status: str = "ok"
    out: str = "null"
    duration: float = 0.0
    memory: int = 0
    init_ms: float | None = None
    init_log: str = ""  # INIT's output comes before START in the stream, as on AWS
    reinit_ms: float = 0.0  # an INIT retried inside the invocation (after the 10 s limit): part of its Duration
    log: str = ""


def _new_env(
    b: LambdaBackend, fn: Function, cfg: VersionConfig, provisioned: bool, pool: str, reclaim: bool = True
) -> Env:
    """A new environment: a real process when there is room (or, with `reclaim`, when an idle one can give its
    process up), else modelled."""
    fl = fleet(b.world)
    real = fl.make_room(b.world, cfg.memory) if reclaim else fl.runtime.has_room(cfg.memory)
    env = Env(
        f"{fn.name}-{b.world.ids.rng.getrandbits(48):012x}",
        b.region,
        fn.name,
        cfg.version,
        cfg.revision_id,
        real,
        provisioned,
        _stream(b, cfg.version),
        b.world.now,
        pool=pool,
    )
    fl.add(env)
    if not real:
        fl.note(
            b.world,
            f"{fn.name}: environment {env.env_id} is modelled (every worker process is busy): its init "
            "and duration are the means measured on the real ones",
        )
    return env


def _modelled_note(fn: Function, cfg: VersionConfig, ex: Execution, measured: Measured) -> str:
    """One line per modelled invocation: what it took and where the figures came from."""
    init = f", Init Duration {ex.init_ms:.2f} ms" if ex.init_ms is not None else ""
    if measured.runs:
        source = (
            f"the means of {measured.runs} real run{'s' if measured.runs != 1 else ''}"
            + (f" and {measured.inits} real init{'s' if measured.inits != 1 else ''}" if init else "")
            + f"; result copied from the last real run ({measured.last_status})"
        )
    else:
        source = "no real run measured yet, so Lambda's typical figures and a null result"
    return (
        f"{fn.name}:{cfg.version}: request {ex.request_id} ran on modelled environment {ex.env_id} (no code ran): "
        f"Duration {ex.duration_ms:.2f} ms{init}, {source}"
    )


def _init(b: LambdaBackend, fn: Function, cfg: VersionConfig, env: Env, r: _Run, measured: Measured) -> None:
    env.started = True
    if not env.real:
        r.init_ms = measured.init()
        return
    spec = EnvSpec(
        env.env_id,
        fn.name,
        cfg.version,
        cfg.runtime,
        cfg.handler,
        b.code(cfg.code_sha256),
        layer_zips(b, cfg.layers),
        environment(b, fn, cfg, env.stream, env.provisioned),
        cfg.memory,
        float(cfg.timeout),
        cfg.ephemeral,
        f"/aws/lambda/{fn.name}",
        env.stream,
        max(catalog.PROVISIONED_INIT_LIMIT_S, cfg.timeout) if env.provisioned else catalog.INIT_LIMIT_S,
        b.world.now,
    )
    runtime = fleet(b.world).runtime
    init = runtime.start(spec)
    r.init_log = _line(init.log)
    r.init_ms = init.init_ms
    if init.status == "timeout" and not env.provisioned:
        # Past the 10 s limit Lambda reports the INIT and runs it again within the first invocation, under the
        # function's timeout; that second INIT is part of the invocation's Duration [INF: its REPORT lines].
        r.init_log += f"INIT_REPORT Init Duration: {init.init_ms:.2f} ms\tPhase: init\tStatus: timeout\n"
        init = runtime.start(replace(spec, init_limit_s=float(cfg.timeout)))
        r.log += _line(init.log)
        r.init_ms, r.reinit_ms = None, init.init_ms
        if init.ok:
            measured.inits += 1
            measured.init_ms += init.init_ms
            return
        r.duration = init.init_ms
        if init.status == "timeout":
            r.status, r.out = _outcome(InvokeResult("timeout", "", 0.0, 0), r.request_id, cfg.timeout)
            r.log += _error_log(r.out)
            return
    if init.ok:
        measured.inits += 1
        measured.init_ms += init.init_ms
        return
    failed = _outcome(InvokeResult(init.status, "exit status 1", 0.0, 0), r.request_id, cfg.timeout)[1]
    r.status, r.out, r.memory = "init", json.dumps(init.error or json.loads(failed)), init.max_memory_mb
    r.log += _error_log(r.out)


def _invoke(
    b: LambdaBackend, cfg: VersionConfig, env: Env, r: _Run, measured: Measured, request: InvokeRequest
) -> None:
    result = fleet(b.world).runtime.invoke(env.env_id, request)
    r.status, r.out = _outcome(result, r.request_id, cfg.timeout)
    r.duration, r.memory = result.duration_ms, result.max_memory_mb
    r.log += _line(result.log)
    if r.status == "timeout":
        stamp = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(b.world.now + r.duration / 1000)) + ".000Z"
        r.log += f"{stamp} {r.request_id} Task timed out after {cfg.timeout:.2f} seconds\n"
    elif r.status != "ok":
        r.log += _error_log(r.out)
    measured.runs += 1
    measured.duration_ms += r.duration
    measured.memory_mb = max(measured.memory_mb, r.memory)
    measured.last_status, measured.last_payload = r.status, r.out


def _line(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def run(
    b: LambdaBackend,
    fn: Function,
    cfg: VersionConfig,
    invoked_arn: str,
    payload: str,
    request_id: str,
    pool: str = "",
) -> Execution:
    """Run one invocation now (raises `Throttled`). The environment stays busy for the run's measured time."""
    fl = fleet(b.world)
    now = b.world.now
    fl.reap(now, catalog.IDLE_REAP_SECONDS)
    env, provisioned, pool = lease(b, fn, cfg.version, pool, cfg.revision_id)
    measured = fl.measured.setdefault(f"{b.region}/{fn.name}:{cfg.version}", Measured())
    env = env or _new_env(b, fn, cfg, provisioned, pool)
    r = _Run(request_id)
    if not env.started:
        _init(b, fn, cfg, env, r, measured)
    if r.status == "ok" and env.real:
        left = max(1, int(cfg.timeout * 1000 - r.reinit_ms))
        request = InvokeRequest(request_id, payload, cfg.version, invoked_arn, left, sim_now=b.world.now)
        _invoke(b, cfg, env, r, measured, request)
        r.duration += r.reinit_ms
    elif r.status == "ok":
        r.duration, r.memory = measured.duration(), measured.memory_mb or 40
        r.status, r.out = measured.last_status, measured.last_payload
    if r.status not in ("ok", "error"):
        env.started = False  # a crash, timeout or failed init resets the environment: the next request re-inits
        if env.real:
            fl.runtime.stop(env.env_id)
    if env.provisioned:
        r.init_ms = None  # initialised ahead of the request: no cold start, no Init Duration in REPORT
    billed = max(1, math.ceil(r.duration))
    report = (
        f"REPORT RequestId: {request_id}\tDuration: {r.duration:.2f} ms\tBilled Duration: {billed} ms\t"
        f"Memory Size: {cfg.memory} MB\tMax Memory Used: {r.memory} MB\t"
    )
    if r.init_ms is not None:
        report += f"Init Duration: {r.init_ms:.2f} ms\t"
    text = f"{r.init_log}START RequestId: {request_id} Version: {cfg.version}\n{r.log}END RequestId: {request_id}\n"
    ex = Execution(
        request_id,
        r.status,
        r.out,
        cfg.version,
        r.duration,
        billed,
        r.init_ms,
        r.memory,
        text + report + "\n",
        env.env_id,
        not env.real,
    )
    fl.mark_busy(env, now + ex.seconds)
    env.served += 1
    if not env.real:
        fl.note(b.world, _modelled_note(fn, cfg, ex, measured))
    _account(b, fn, cfg, ex, env)
    return ex


def _account(b: LambdaBackend, fn: Function, cfg: VersionConfig, ex: Execution, env: Env) -> None:
    world = b.world
    dims = {"FunctionName": fn.name}
    world.put_metric("AWS/Lambda", "Invocations", dims, 1, "Count")
    world.put_metric("AWS/Lambda", "Duration", dims, ex.duration_ms, "Milliseconds")
    world.put_metric("AWS/Lambda", "Errors", dims, 0 if ex.status == "ok" else 1, "Count")
    busy = fleet(world).busy(b.region, world.now, fn.name)  # this invocation's environment is busy already
    world.put_metric("AWS/Lambda", "ConcurrentExecutions", dims, busy, "Count")
    world.put_metric("AWS/Lambda", "ConcurrentExecutions", {}, fleet(world).busy(b.region, world.now), "Count")
    if cfg.version != "$LATEST":
        world.put_metric(
            "AWS/Lambda", "Invocations", {"FunctionName": fn.name, "Resource": f"{fn.name}:{cfg.version}"}, 1, "Count"
        )
    if env.provisioned:
        from awsprep.sim.lambda_.provisioned import metrics

        metrics(b, fn, env)
    billing.invocation(b, fn, cfg, ex.billed_ms, env.provisioned)
    write_log(b, fn, env, ex.log)


def write_log(b: LambdaBackend, fn: Function, env: Env, text: str) -> None:
    """Append lines to the environment's log stream. CloudWatch Logs orders a stream by timestamp (ms): one
    millisecond per line keeps INIT output, START, the handler's output, END and REPORT in the order written."""
    world = b.world
    lines = [line for line in text.splitlines() if line]
    base = max(round(world.now * 1000), env.log_ms + 1)
    env.log_ms = base + len(lines) - 1
    events = [((base + i) / 1000, line) for i, line in enumerate(lines)]
    sinks.write_logs(world, b.region, f"/aws/lambda/{fn.name}", env.stream, events, fleet(world).undelivered)


def initialise(b: LambdaBackend, fn: Function, cfg: VersionConfig, pool: str) -> Env:
    """A provisioned environment initialised now, ahead of any request (see provisioned.py): INIT runs, and its
    stream gets the INIT output and an INIT_REPORT line with the Init Duration."""
    fl = fleet(b.world)
    env = _new_env(b, fn, cfg, True, pool, reclaim=False)  # allocation takes free workers, never warm ones
    measured = fl.measured.setdefault(f"{b.region}/{fn.name}:{cfg.version}", Measured())
    r = _Run("")
    _init(b, fn, cfg, env, r, measured)
    status = "success"
    if r.status != "ok":  # the first request will try again (its REPORT shows the error)
        env.started, status = False, "error"
        if env.real:
            fl.runtime.stop(env.env_id)
        fl.note(b.world, f"{fn.name}:{pool}: a provisioned environment failed its INIT: {r.out}")
    init_ms = r.init_ms if r.init_ms is not None else measured.init()
    write_log(
        b, fn, env, f"{r.init_log}{r.log}INIT_REPORT Init Duration: {init_ms:.2f} ms\tPhase: init\tStatus: {status}\n"
    )
    return env


def throttle_metric(b: LambdaBackend, fn: Function) -> None:
    b.world.put_metric("AWS/Lambda", "Throttles", {"FunctionName": fn.name}, 1, "Count")
