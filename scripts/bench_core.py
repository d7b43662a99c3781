#!/usr/bin/env python3
"""Speed of the service-neutral simulator core (issue 11), one line per figure (scripts/benchlib.py).

(d) EC2 operations per second through the Python API, this tree vs the tree before the core change
    (`git archive` of AWSPREP_BENCH_BASE, default dfa9127, run in a subprocess; both best of 15, alternately):
    the time ratio must stay ≤ 1.05 (no slower).
(e) advance(3600) and advance(86400) on a world with 100 running instances and 1,000 recurring 10-second timers
    (a toy service's health checks): the cost per timer fired must not grow with the seconds (24 h vs 1 h
    ratio ≤ 1.5), i.e. the time grows with the timers due, not with the seconds.
(f) snapshot + JSON + restore of a world with 1,000 instances, this tree vs the old tree: time and JSON size.

Run it alone (`.venv/bin/python scripts/bench_core.py`) or through `scripts/bench.py`. Exit 1 on a miss.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from benchlib import Targets

from awsprep.sim import World, ec2
from awsprep.sim.core import registry
from awsprep.sim.core.clock import Timer
from awsprep.sim.core.service import ServiceSpec
from awsprep.sim.ec2.catalog import public_image_id

ROOT = Path(__file__).resolve().parent.parent
BASE = os.environ.get("AWSPREP_BENCH_BASE", "dfa9127")
TARGETS = Targets()

# The same measurement for both trees: it uses only the API both have (World.call, advance, snapshot).
PROBE = r"""
import json, sys, time
from awsprep.sim import World
from awsprep.sim.ec2.catalog import public_image_id

AMI = public_image_id("us-east-1", "al2023")

def backend(w):
    try:
        from awsprep.sim import ec2
        return ec2.backend(w)
    except (ImportError, AttributeError):  # the tree before the core change
        return w.ec2()

def world():
    if len(sys.argv) > 3 and sys.argv[3] == "ec2-only":  # this tree, with EC2 alone registered
        from awsprep.sim.core import registry
        return World(seed=1, services=[s for s in registry.default_specs() if s.name == "ec2"])
    return World(seed=1)

def ops():
    w = world()
    n = 0
    for _ in range(200):
        run = {"ImageId": AMI, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}
        iid = w.call("ec2", "RunInstances", run)["Instances"][0]["InstanceId"]
        w.advance(15); w.call("ec2", "StopInstances", {"InstanceIds": [iid]})
        w.advance(15); w.call("ec2", "StartInstances", {"InstanceIds": [iid]})
        w.advance(15); w.call("ec2", "DescribeInstances", {"InstanceIds": [iid]})
        w.call("ec2", "TerminateInstances", {"InstanceIds": [iid]}); w.advance(15)
        n += 5
    return n

def snapshot_restore():
    w = World(seed=1)
    backend(w).state.vcpu_quota = 10**6
    for _ in range(10):
        w.call("ec2", "RunInstances", {"ImageId": AMI, "InstanceType": "t3.nano", "MinCount": 100, "MaxCount": 100})
    w.advance(20)
    best, size = 1e9, 0
    for _ in range(3):
        t = time.perf_counter()
        text = json.dumps(w.snapshot())
        World().restore(json.loads(text))
        best, size = min(best, time.perf_counter() - t), len(text)
    return best, size

what = sys.argv[1]
if what == "ops":
    n = ops()  # warm imports and caches
    best = 1e9
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter()
        ops()
        best = min(best, time.perf_counter() - t)
    print(best / n * 1000)  # seconds per 1,000 operations
else:
    print(*snapshot_restore())
"""


def _old_tree() -> Path | None:
    """The simulator as it was before the core change, extracted into a temporary folder."""
    try:
        blob = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", BASE, "awsprep"], check=True, capture_output=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    target = Path(tempfile.mkdtemp(prefix="awsprep-base-"))
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(target, filter="data")
    return target


def _probe(tree: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], check=True, capture_output=True, text=True, env=env, cwd=tree
    )
    return out.stdout.strip()


def bench_ops(old: Path | None) -> None:
    name = "(d) 1,000 EC2 operations, this tree vs before"
    if old is None:
        print(f"skip {name}: cannot extract {BASE} with git")
        return
    new_times, alone_times, old_times = [], [], []
    for _ in range(3):  # alternate the trees so machine load hits all alike
        old_times.append(float(_probe(old, "ops", "5")) / 1000)  # seconds per operation
        new_times.append(float(_probe(ROOT, "ops", "5")) / 1000)
        alone_times.append(float(_probe(ROOT, "ops", "5", "ec2-only")) / 1000)
    new, alone, before = min(new_times), min(alone_times), min(old_times)
    print(
        f"     (d) before ({BASE}): {1 / before:,.0f} ops/s; after, EC2 alone: {1 / alone:,.0f} ops/s; "
        f"after, every registered service ({', '.join(s.name for s in registry.default_specs())}): {1 / new:,.0f} ops/s"
    )
    TARGETS.ratio(name + " (EC2 alone)", alone, before, 1.05)


@dataclass
class Checks:
    """The toy health checker's state: how many checks ran."""

    runs: int = 0


def _check(world: World, timer: Timer) -> bool | None:
    state: Checks = world.region_state("bench-checks", timer.region)
    state.runs += 1
    return None


CHECKER = ServiceSpec("bench-checks", Checks, lambda w, r: Checks(), ec2.backend, on_timer=_check)


def _busy_world() -> World:
    world = World(seed=3, services=[*registry.default_specs(), CHECKER])
    b = ec2.backend(world)
    b.state.vcpu_quota = 10**6
    ami = public_image_id("us-east-1", "al2023")
    world.call("ec2", "RunInstances", {"ImageId": ami, "InstanceType": "t3.nano", "MinCount": 100, "MaxCount": 100})
    world.advance(30)
    for i in range(1000):
        world.schedule(10 + i / 100, "bench-checks", "us-east-1", "health", f"t{i}", every=10)
    return world


def bench_advance() -> None:
    results = {}
    for seconds in (3600, 86400):
        world = _busy_world()
        start = time.perf_counter()
        world.advance(seconds)
        elapsed = time.perf_counter() - start
        runs = world.region_state("bench-checks", "us-east-1").runs
        results[seconds] = (elapsed, runs)
        each = elapsed / runs * 1e6
        print(f"     (e) advance({seconds}): {elapsed * 1000:,.0f} ms, {runs:,} timers fired, {each:.2f} µs each")
    (hour, hour_runs), (day, day_runs) = results[3600], results[86400]
    print(f"     (e) 24 h / 1 h: time x{day / hour:.1f} for timers due x{day_runs / hour_runs:.1f}")
    TARGETS.ratio("(e) cost per timer fired, 24 h vs 1 h", day / day_runs, hour / hour_runs, 1.5)


def bench_snapshot(old: Path | None) -> None:
    elapsed, size = (float(x) for x in _probe(ROOT, "snap").split())
    if old is None:
        print(f"     (f) snapshot+restore of 1,000 instances: {elapsed * 1000:.0f} ms, {size / 1e6:.2f} MB JSON")
        return
    before, before_size = (float(x) for x in _probe(old, "snap").split())
    print(
        f"     (f) snapshot+restore of 1,000 instances: {elapsed * 1000:.0f} ms, {size / 1e6:.2f} MB JSON "
        f"(before: {before * 1000:.0f} ms, {before_size / 1e6:.2f} MB)"
    )
    TARGETS.ratio("(f) snapshot+restore 1,000 instances vs before", elapsed, before, 1.25)


def main() -> int:
    old = _old_tree()
    bench_ops(old)
    bench_advance()
    bench_snapshot(old)
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main())
