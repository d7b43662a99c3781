"""Many concurrent synchronous invocations on the virtual clock (the sandbox's `load lambda`): every `interval`
seconds a batch of `concurrency` callers invokes at the same simulated instant, so each batch needs that many
environments at once; throttles, cold starts and the environments used are counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsprep.sim.lambda_.concurrency import Throttled
from awsprep.sim.lambda_.execute import run, throttle_metric
from awsprep.sim.lambda_.fleet import fleet
from awsprep.sim.lambda_.invoke import check_runnable, target
from awsprep.sim.lambda_.models import backend

if TYPE_CHECKING:
    from awsprep.sim.world import World

MAX_INVOCATIONS = 100_000


@dataclass
class LoadReport:
    """What a load run saw."""

    function: str
    invocations: int = 0
    ok: int = 0
    errors: int = 0
    throttles: Counter[str] = field(default_factory=Counter)
    cold: int = 0
    init_ms: float = 0.0
    versions: Counter[str] = field(default_factory=Counter)
    environments: set[str] = field(default_factory=set)
    modelled: set[str] = field(default_factory=set)
    peak: int = 0
    seconds: float = 0.0

    def lines(self, concurrency: int, interval: float) -> list[str]:
        out = [
            f"{self.invocations} invocations of {self.function} in {self.seconds:.3g} simulated seconds "
            f"({concurrency} at a time, every {interval:g} s)",
            f"  succeeded            {self.ok:>7}",
            f"  function errors      {self.errors:>7}",
            f"  throttled (429)      {sum(self.throttles.values()):>7}",
        ]
        out += [f"    Reason: {reason} ({n})" for reason, n in sorted(self.throttles.items())]
        warm = self.ok + self.errors - self.cold
        mean = f" (Init Duration {self.init_ms / self.cold:.1f} ms on average)" if self.cold else ""
        out.append(f"cold starts: {self.cold}{mean}, warm invocations: {max(warm, 0)}")
        real = len(self.environments - self.modelled)
        out.append(
            f"execution environments used: {len(self.environments)} ({real} ran your code"
            + (f", {len(self.modelled)} modelled from their measured times" if self.modelled else "")
            + ")"
        )
        out.append(f"highest concurrency: {self.peak}")
        if len(self.versions) > 1:
            out.append("executed versions: " + ", ".join(f"{v}: {n}" for v, n in sorted(self.versions.items())))
        return out


def load(
    world: World,
    name: str,
    concurrency: int,
    duration: float,
    interval: float = 1.0,
    payload: str = "{}",
    qualifier: str | None = None,
    region: str | None = None,
    sleep: Callable[[float], None] | None = None,
) -> LoadReport:
    """Run the batches; `sleep(seconds)` moves the clock between them (the shell's, or `world.advance`)."""
    b = backend(world, region)
    fn = b.function(name, qualifier)
    report = LoadReport(fn.name)
    batches = max(1, int(duration / interval))
    start = world.now
    for i in range(batches):
        if i:
            (sleep or world.advance)(interval)
        for _ in range(concurrency):
            if report.invocations >= MAX_INVOCATIONS:
                break
            fn_, cfg, invoked, pool = target(b, fn.name, qualifier)
            check_runnable(b, fn_, cfg)
            report.invocations += 1
            try:
                ex = run(b, fn_, cfg, invoked, payload, b.uuid(), pool)
            except Throttled as t:
                throttle_metric(b, fn_)
                report.throttles[t.reason] += 1
                continue
            report.environments.add(ex.env_id)
            if ex.modelled:
                report.modelled.add(ex.env_id)
            if ex.init_ms is not None:
                report.cold += 1
                report.init_ms += ex.init_ms
            report.versions[ex.executed_version] += 1
            if ex.status == "ok":
                report.ok += 1
            else:
                report.errors += 1
        report.peak = max(report.peak, fleet(world).busy(b.region, world.now, fn.name))
    # The run ends when its last callers have their answers (the next command finds those environments free).
    busy_until = max((e.busy_until for e in fleet(world).of_function(b.region, fn.name)), default=world.now)
    if busy_until > world.now:
        (sleep or world.advance)(busy_until - world.now)
    report.seconds = world.now - start
    return report
