"""What every benchmark script shares: timing with load-fair baselines, and one line per figure.

Each figure is printed with the baseline measured in the same run and their ratio, so a slow or busy machine
shows up in both. `Targets.exit_code()` is 1 if any target was missed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(measured: Callable[[], object], baseline: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median times of both, measured alternately so that both see the same machine load."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for fn, sink in ((baseline, b), (measured, a)):
            start = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


class Targets:
    def __init__(self, width: int = 52) -> None:
        self.width = width
        self.met: list[str] = []
        self.missed: list[str] = []

    def _line(self, ok: bool, name: str, measured: float, baseline: float, target: str) -> None:
        (self.met if ok else self.missed).append(name)
        print(
            f"{'ok  ' if ok else 'MISS'} {name:<{self.width}} {measured * 1000:8.1f} ms vs baseline "
            f"{baseline * 1000:8.1f} ms  ratio {measured / baseline:5.2f} (target {target})"
        )

    def ratio(self, name: str, measured: float, baseline: float, limit: float) -> None:
        """A target on the ratio itself: measured / baseline <= limit."""
        self._line(measured / baseline <= limit, name, measured, baseline, f"ratio ≤ {limit}")

    def seconds(self, name: str, measured: float, baseline: float, limit_s: float) -> None:
        """A target in time (the issue states it so); the baseline is printed for scale."""
        self._line(measured <= limit_s, name, measured, baseline, f"≤ {limit_s * 1000:g} ms")

    def summary(self) -> int:
        total = len(self.met) + len(self.missed)
        missed = f"; missed: {', '.join(self.missed)}" if self.missed else ""
        print(f"{len(self.met)} of {total} targets met{missed}")
        return 1 if self.missed else 0
