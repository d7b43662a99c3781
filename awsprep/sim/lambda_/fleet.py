"""Execution environments of one world: which exist, which are busy on the virtual clock, and the runtime that
runs them. Not part of the snapshot (they are processes): a reset, restored or collected world closes its fleet.

An environment is `real` when a runtime process backs it. When a burst needs more environments at one simulated
instant than the machine's pool allows, the extra ones are `modelled`: they take the measured init and duration
of the function's real environments and run no code (the debug log says so).
"""

from __future__ import annotations

import heapq
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsprep.sim.lambda_.runtime import Runtime
from awsprep.sim.lambda_.sinks import Undelivered

if TYPE_CHECKING:
    from awsprep.sim.world import World

DEBUG_KEPT = 1000  # the fleet's own copy of its notes, for tests (the world's notes are read by the shell)


@dataclass
class Env:
    """One execution environment of one function version."""

    env_id: str
    region: str
    function: str
    version: str  # the version it runs ("$LATEST", "3")
    digest: str  # the configuration it was built from (a code or configuration update discards it)
    real: bool
    provisioned: bool
    stream: str
    created: float
    busy_until: float = 0.0
    last_used: float = 0.0
    served: int = 0
    started: bool = False  # its INIT has run (a provisioned environment's runs ahead of its first request)
    pool: str = ""  # the provisioned-concurrency qualifier it belongs to ("" for on-demand)
    log_ms: int = 0  # the timestamp of its stream's last line: each line gets its own millisecond, in order


@dataclass
class Measured:
    """What real runs of one function version measured, for the modelled environments of a burst."""

    inits: int = 0
    init_ms: float = 0.0
    runs: int = 0
    duration_ms: float = 0.0
    memory_mb: int = 0
    last_status: str = "ok"
    last_payload: str = "null"

    def init(self) -> float:
        return self.init_ms / self.inits if self.inits else 150.0

    def duration(self) -> float:
        return self.duration_ms / self.runs if self.runs else 1.0


@dataclass
class Fleet:
    """The environments and the runtime of one world."""

    runtime: Runtime
    envs: dict[str, Env] = field(default_factory=dict)
    measured: dict[str, Measured] = field(default_factory=dict)  # "region/function:version" -> figures
    tokens: dict[str, tuple[float, float]] = field(default_factory=dict)  # function -> (tokens, at): scaling rate
    debug: list[str] = field(default_factory=list)  # what the fleet decided that a learner cannot see (--debug)
    undelivered: Undelivered = field(default_factory=Undelivered)
    # Indexes, so a burst of thousands of invocations costs no scan of every environment per request:
    # per "region/function", busy-until times of on-demand environments (a heap; expired ones popped when read);
    # per "region/function:version", (busy until, seq, env id) of on-demand environments and the ones free now.
    _busy: dict[str, list[float]] = field(default_factory=dict)
    _pending: dict[str, list[tuple[float, int, str]]] = field(default_factory=dict)
    _free: dict[str, list[str]] = field(default_factory=dict)
    _seq: int = 0
    _last_reap: float = 0.0

    _provisioned: set[str] = field(default_factory=set)

    def note(self, world: World, text: str) -> None:
        """Record a decision a learner cannot see in AWS's answers: `--debug` shows it (sim/core/debuglog)."""
        from awsprep.sim.core import debuglog

        self.debug.append(text)
        if len(self.debug) > DEBUG_KEPT:
            del self.debug[: len(self.debug) - DEBUG_KEPT]
        debuglog.note(world, f"lambda: {text}")

    def add(self, env: Env) -> None:
        self.envs[env.env_id] = env
        if env.provisioned:
            self._provisioned.add(env.env_id)

    def mark_busy(self, env: Env, until: float) -> None:
        """The environment serves a request until `until` (simulated seconds)."""
        env.busy_until = until
        env.last_used = until
        if env.provisioned:
            return
        heapq.heappush(self._busy.setdefault(f"{env.region}/{env.function}", []), until)
        self._seq += 1
        heapq.heappush(self._pending.setdefault(_vkey(env), []), (until, self._seq, env.env_id))

    def running(self, region: str, function: str, now: float) -> int:
        """On-demand environments of a function busy at `now`."""
        heap = self._busy.get(f"{region}/{function}")
        if not heap:
            return 0
        while heap and heap[0] <= now:
            heapq.heappop(heap)
        return len(heap)

    def take_idle(self, region: str, function: str, version: str, digest: str, now: float) -> Env | None:
        """A warm on-demand environment of that version free at `now` (the most recently freed first)."""
        key = f"{region}/{function}:{version}"
        pending = self._pending.get(key, [])
        free = self._free.setdefault(key, [])
        while pending and pending[0][0] <= now:
            free.append(heapq.heappop(pending)[2])
        while free:
            env = self.envs.get(free.pop())
            if env is not None and env.busy_until <= now and env.digest == digest and not env.provisioned:
                return env
        return None

    def of_version(self, region: str, function: str, version: str) -> list[Env]:
        return [e for e in self.envs.values() if (e.region, e.function, e.version) == (region, function, version)]

    def of_function(self, region: str, function: str) -> list[Env]:
        return [e for e in self.envs.values() if (e.region, e.function) == (region, function)]

    def busy(self, region: str, now: float, function: str | None = None) -> int:
        """Environments busy at `now` (concurrency), of one function or of the Region."""
        names = [function] if function else {k.split("/", 1)[1] for k in self._busy if k.startswith(region + "/")}
        provisioned = 0
        for env_id in self._provisioned:
            e = self.envs.get(env_id)
            if e and e.region == region and e.busy_until > now and (function is None or e.function == function):
                provisioned += 1
        return sum(self.running(region, n, now) for n in names) + provisioned

    def remove(self, env_id: str) -> None:
        self._provisioned.discard(env_id)
        env = self.envs.pop(env_id, None)
        if env is not None and env.real:
            self.runtime.stop(env_id)

    def discard(self, region: str, function: str, version: str | None = None) -> None:
        """Drop a function's environments (all, or one version's): new code or configuration starts cold."""
        for env in list(self.envs.values()):
            if (env.region, env.function) == (region, function) and (version is None or env.version == version):
                self.remove(env.env_id)

    def discard_pool(self, region: str, function: str, pool: str) -> None:
        """Drop the provisioned environments of one qualifier (its configuration changed)."""
        for env in list(self.envs.values()):
            if (env.region, env.function, env.pool) == (region, function, pool) and env.provisioned:
                self.remove(env.env_id)

    def reap(self, now: float, idle: float) -> None:
        """Reclaim environments idle for longer than `idle` simulated seconds (provisioned ones stay); looked at
        once a simulated minute at most."""
        if now - self._last_reap < 60.0 and self._last_reap:
            return
        self._last_reap = now
        for env in list(self.envs.values()):
            if not env.provisioned and env.busy_until <= now and now - max(env.last_used, env.created) > idle:
                self.remove(env.env_id)

    def make_room(self, world: World, memory_mb: int) -> bool:
        """Free a real slot for a new environment: stop the least recently used real one idle now."""
        if self.runtime.has_room(memory_mb):
            return True
        now = world.now
        idle = [e for e in self.envs.values() if e.real and e.busy_until <= now]
        if not idle:
            return False
        victim = min(idle, key=lambda e: e.last_used)
        if victim.provisioned:  # it stays allocated (and initialised) but is modelled from now on
            self.runtime.stop(victim.env_id)
            victim.real = False
            self.note(
                world,
                f"{victim.function}: provisioned environment {victim.env_id} is modelled from now on "
                "(its worker process was needed)",
            )
        else:
            self.note(world, f"{victim.function}: environment {victim.env_id} reclaimed to free a worker process")
            self.remove(victim.env_id)
        return self.runtime.has_room(memory_mb)

    def forget(self) -> None:
        """Drop every environment and index (the processes are the runtime's to stop)."""
        self.envs.clear()
        self._provisioned.clear()
        self._busy.clear()
        self._pending.clear()
        self._free.clear()
        self._last_reap = 0.0

    def close(self) -> None:
        self.forget()
        self.runtime.close()


def _vkey(env: Env) -> str:
    return f"{env.region}/{env.function}:{env.version}"


_FLEETS: weakref.WeakKeyDictionary[World, Fleet] = weakref.WeakKeyDictionary()
_FACTORY: list[Callable[[], Runtime]] = []


def _default_runtime() -> Runtime:
    if _FACTORY:
        return _FACTORY[0]()
    from awsprep.sim.lambda_.procruntime import ProcessRuntime

    return ProcessRuntime()


def fleet(world: World) -> Fleet:
    """The world's fleet (made on first use, with the default runtime)."""
    found = _FLEETS.get(world)
    if found is None:
        found = Fleet(_default_runtime())
        _FLEETS[world] = found
        weakref.finalize(world, found.runtime.close)
    return found


def use_runtime(world: World, runtime: Runtime) -> Fleet:
    """Give a world a runtime of its own (tests: `FakeRuntime`); its environments start afresh."""
    old = _FLEETS.pop(world, None)
    if old is not None:
        old.close()
    new = Fleet(runtime)
    _FLEETS[world] = new
    weakref.finalize(world, runtime.close)
    return new


def set_runtime_factory(factory: Callable[[], Runtime] | None) -> None:
    """Change the runtime new fleets get (None: real processes). Benches and test sessions use it."""
    _FACTORY[:] = [factory] if factory is not None else []


def discard_world(world: World) -> None:
    """The world's state is being replaced (reset, restore): stop its environments."""
    found = _FLEETS.get(world)
    if found is not None:
        found.forget()
        found.measured.clear()
        found.tokens.clear()
        found.undelivered = Undelivered()
        found.runtime.close()
