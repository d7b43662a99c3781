#!/usr/bin/env python3
"""Speed figures for the simulator, one line each: the figure, its baseline, the ratio and the target.

(a) EC2 operations per second through the Python API: target >= 10,000/s. An absolute rate has no
    same-run baseline, so the target rate is printed as the baseline; best of several runs, so a
    moment of machine load does not count.
(b) the same boto3 run/stop/start/associate/terminate script against the simulator and against moto 5.x:
    the simulator at least 20x faster (skipped with a message, not a miss, when moto is not installed);
(c) one AWS CLI command through the simulator vs the same command answered by a stub handler: ratio <= 1.2.

(b) and (c) time both sides alternately, so machine load affects both equally, and compare medians.
Run it alone (`.venv/bin/python scripts/bench_sim.py`) or through `scripts/bench.py`. Exit status 1 if a
target is missed.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from awsprep.sim import World, boto3_session, run_cli
from awsprep.sim.ec2.catalog import public_image_id

AMI = public_image_id("us-east-1", "al2023")
API_TARGET = 10_000.0  # EC2 operations per second
MOTO_TARGET = 20.0  # times faster than moto
CLI_TARGET = 1.2  # CLI command time over the stub handler's
MISSED: list[str] = []


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(measured: Callable[[], object], baseline: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median times of both, measured alternately so that both see the same machine load."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        b.append(timed(baseline))
        a.append(timed(measured))
    return statistics.median(a), statistics.median(b)


def report(name: str, figure: str, baseline: str, ratio: float, limit: float, higher_is_better: bool) -> None:
    ok = ratio >= limit if higher_is_better else ratio <= limit
    if not ok:
        MISSED.append(name)
    sign = "≥" if higher_is_better else "≤"
    print(
        f"{'ok  ' if ok else 'MISS'} {name:<44} {figure:>14} vs baseline {baseline:>14}"
        f"  ratio {ratio:6.2f} (target {sign} {limit:g})"
    )


def python_api_ops() -> int:
    world = World(seed=1)
    ops = 0
    for _ in range(200):
        iid = world.call(
            "ec2", "RunInstances", {"ImageId": AMI, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}
        )["Instances"][0]["InstanceId"]
        world.advance(15)
        world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
        world.advance(15)
        world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
        world.advance(15)
        world.call("ec2", "DescribeInstances", {"InstanceIds": [iid]})
        world.call("ec2", "TerminateInstances", {"InstanceIds": [iid]})
        world.advance(15)
        ops += 5
    return ops


def bench_python_api() -> None:
    ops = python_api_ops()  # also warms imports and caches
    rate = ops / min(timed(python_api_ops) for _ in range(15))
    report("(a) EC2 operations/s, Python API", f"{rate:,.0f} /s", f"{API_TARGET:,.0f} /s", rate / API_TARGET, 1.0, True)


def boto_script(client: Any, ami: str, settle: Callable[[], None]) -> int:
    ops = 0
    for _ in range(20):
        iid = client.run_instances(ImageId=ami, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0][
            "InstanceId"
        ]
        settle()
        client.stop_instances(InstanceIds=[iid])
        settle()
        client.start_instances(InstanceIds=[iid])
        settle()
        alloc = client.allocate_address(Domain="vpc")["AllocationId"]
        client.associate_address(AllocationId=alloc, InstanceId=iid)
        client.terminate_instances(InstanceIds=[iid])
        client.release_address(AllocationId=alloc)
        ops += 7
    return ops


def bench_boto3() -> None:
    name = "(b) boto3 script, times faster than moto 5.x"
    world = World(seed=1)
    client = boto3_session(world).client("ec2")  # before moto is imported: it adds handlers to new sessions

    def sim() -> int:
        return boto_script(client, AMI, lambda: world.advance(30))

    sim()
    try:
        import moto  # noqa: F401
    except ImportError:
        print(f"skip {name:<44} {timed(sim) * 1000:11.1f} ms; moto is not installed, so there is no baseline")
        return
    import os

    import boto3
    from moto import mock_aws

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        mclient = boto3.client("ec2", region_name="us-east-1")
        mami = mclient.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]

        def moto_run() -> int:
            return boto_script(mclient, mami, lambda: None)

        moto_run()
        sim_time, moto_time = paired(sim, moto_run, 5)
    report(name, f"{sim_time * 1000:.1f} ms", f"{moto_time * 1000:.1f} ms", moto_time / sim_time, MOTO_TARGET, True)


def bench_cli() -> None:
    world = World(seed=1)
    argv = ["ec2", "describe-instances", "--query", "Reservations[].Instances[].InstanceId", "--output", "text"]
    for _ in range(3):
        run_cli(world, ["ec2", "run-instances", "--image-id", AMI, "--instance-type", "t3.micro"])
    run_cli(world, argv)  # warm the cached driver
    canned = world.call("ec2", "DescribeInstances", {})
    real_call = World.call

    def stub(self: World, service: str, operation: str, params: Any = None, region: Any = None) -> Any:
        return canned

    def one() -> None:
        run_cli(world, argv)

    def stubbed() -> None:
        # Only the backend is replaced: the CLI, botocore and the glue handlers still run.
        World.call = stub  # type: ignore[method-assign]
        try:
            run_cli(world, argv)
        finally:
            World.call = real_call  # type: ignore[method-assign]

    # One command per sample and many pairs: a command takes ~30 ms, so load changes rarely split a pair.
    sim_time, stub_time = paired(one, stubbed, 41)
    report(
        "(c) CLI command, simulator vs stub handler",
        f"{sim_time * 1000:.1f} ms",
        f"{stub_time * 1000:.1f} ms",
        sim_time / stub_time,
        CLI_TARGET,
        False,
    )


def main() -> int:
    bench_python_api()
    bench_cli()  # before moto is imported: moto adds its handlers to every botocore session created later
    bench_boto3()
    return 1 if MISSED else 0


if __name__ == "__main__":
    sys.exit(main())
