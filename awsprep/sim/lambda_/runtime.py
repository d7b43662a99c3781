"""The runtime port: what the simulator asks of whatever runs a function's code, and an in-process fake.

`procruntime.ProcessRuntime` is the real one (a separate, limited Python process per execution environment).
`FakeRuntime` runs no user code at all: tests and the burst bench use it where processes are not the point,
and give it plain Python behaviour of their own (never the learner's code).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class EnvSpec:
    """Everything one execution environment needs: its code, layers, configuration and environment variables."""

    env_id: str
    function_name: str
    version: str
    runtime: str  # "python3.12"
    handler: str
    code: bytes  # the deployment package (.zip)
    layers: tuple[bytes, ...]  # layer .zip files, in the function's order (later ones overwrite earlier files)
    environment: dict[str, str]  # the whole process environment (function variables and Lambda's own)
    memory_mb: int
    timeout_s: float
    ephemeral_mb: int
    log_group: str
    log_stream: str
    init_limit_s: float = 10.0  # how long INIT may take (lambda-runtime-environment.html; longer when retried)
    sim_now: float | None = None  # the simulated clock when INIT starts (for the runtime's log lines)


@dataclass(frozen=True)
class InvokeRequest:
    """One invocation: the event (JSON text) and what the context object shows."""

    request_id: str
    event: str
    version: str
    invoked_arn: str
    remaining_ms: int
    client_context: Any = None
    sim_now: float | None = None  # the simulated clock (epoch seconds): the runtime's log lines are stamped with it


@dataclass
class InitResult:
    """The INIT phase: `ok`, or the runtime's error JSON (`Runtime.ImportModuleError`, …)."""

    ok: bool
    init_ms: float
    error: dict[str, Any] | None = None
    log: str = ""
    max_memory_mb: int = 0
    status: str = "ok"  # "ok" | "error" | "timeout" | "crash" | "oom"


@dataclass
class InvokeResult:
    """The INVOKE phase. `status`: ok | error (the handler raised) | timeout | crash | oom. `payload` is the
    response JSON text (the error JSON unless ok). `alive` is False when the environment is gone (next is cold)."""

    status: str
    payload: str
    duration_ms: float
    max_memory_mb: int
    log: str = ""
    alive: bool = True


class Runtime(Protocol):
    """Runs execution environments. One environment serves one invocation at a time."""

    def has_room(self, memory_mb: int) -> bool:
        """Whether one more environment of this size may start now (the pool is sized to the machine)."""
        ...

    def start(self, spec: EnvSpec) -> InitResult:
        """Create the environment and run INIT (import the handler's module, once)."""
        ...

    def invoke(self, env_id: str, request: InvokeRequest) -> InvokeResult:
        """Run the handler once in a started environment."""
        ...

    def stop(self, env_id: str) -> None:
        """Shut an environment down (idle reaping, a code update, after a timeout or crash)."""
        ...

    def close(self) -> None:
        """Stop every environment and remove every file (world reset, exit, test teardown)."""
        ...

    def live(self) -> int:
        """How many environments are running."""
        ...


Behaviour = Callable[[dict[str, Any], InvokeRequest, EnvSpec], Any]


def echo(event: Any, request: InvokeRequest, spec: EnvSpec) -> Any:
    """The fake's default behaviour: return the event."""
    return event


@dataclass
class FakeRuntime:
    """An in-process stand-in: no process, no user code. `behaviour(event, request, spec)` returns the result,
    or raises to make a function error; `status_for` may force timeout/crash/oom for a function name."""

    behaviour: Behaviour = echo
    init_ms: float = 120.0
    duration_ms: float = 2.0
    capacity: int = 4
    init_error: dict[str, dict[str, Any]] = field(default_factory=dict)  # function name -> runtime error JSON
    status_for: dict[str, str] = field(default_factory=dict)  # function name -> timeout | crash | oom
    started: list[str] = field(default_factory=list)
    invocations: int = 0
    _envs: dict[str, EnvSpec] = field(default_factory=dict)
    _state: dict[str, dict[str, Any]] = field(default_factory=dict)

    def has_room(self, memory_mb: int) -> bool:
        return len(self._envs) < self.capacity

    def start(self, spec: EnvSpec) -> InitResult:
        self.started.append(spec.env_id)
        if spec.function_name in self.init_error:
            return InitResult(False, self.init_ms, self.init_error[spec.function_name], status="error")
        self._envs[spec.env_id] = spec
        self._state[spec.env_id] = {"count": 0}
        return InitResult(True, self.init_ms, max_memory_mb=40)

    def invoke(self, env_id: str, request: InvokeRequest) -> InvokeResult:
        spec = self._envs[env_id]
        self.invocations += 1
        self._state[env_id]["count"] += 1
        forced = self.status_for.get(spec.function_name)
        if forced == "timeout":
            self.stop(env_id)
            return InvokeResult("timeout", "", spec.timeout_s * 1000, 40, alive=False)
        if forced in ("crash", "oom"):
            self.stop(env_id)
            return InvokeResult(forced, "", self.duration_ms, spec.memory_mb if forced == "oom" else 40, alive=False)
        try:
            out = self.behaviour(json.loads(request.event), request, spec)
        except Exception as exc:  # the behaviour's own exception plays a handler error
            error = {"errorMessage": str(exc), "errorType": type(exc).__name__, "stackTrace": []}
            return InvokeResult("error", json.dumps(error), self.duration_ms, 40)
        return InvokeResult("ok", json.dumps(out), self.duration_ms, 40)

    def stop(self, env_id: str) -> None:
        self._envs.pop(env_id, None)
        self._state.pop(env_id, None)

    def close(self) -> None:
        self._envs.clear()
        self._state.clear()

    def live(self) -> int:
        return len(self._envs)

    def count(self, env_id: str) -> int:
        """How many invocations an environment served (warm state, as a module-level counter would show)."""
        return int(self._state.get(env_id, {}).get("count", 0))
