#!/usr/bin/env python3
"""Speed figures for the simulator, one line each (scripts/benchlib.py): figure, baseline, ratio, target.

(a) EC2 operations through the Python API: target >= 10,000/s, shown as 1,000 operations in <= 100 ms.
    An absolute rate has no same-run baseline, so the target time is printed as the baseline; best of
    15 short runs, so a moment of machine load does not count.
(b) the same boto3 run/stop/start/associate/terminate script against the simulator and against moto 5.x:
    the simulator at least 20x faster, i.e. a time ratio <= 0.05 (skipped with a message, not a miss,
    when moto is not installed);
(c) one AWS CLI command through the simulator vs the same command answered by a stub handler: ratio <= 1.2.

(b) and (c) time both sides alternately (`benchlib.paired`), so machine load affects both equally.
Run it alone (`.venv/bin/python scripts/bench_sim.py`) or through `scripts/bench.py`. Exit status 1 if a
target is missed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from benchlib import Targets, paired

from awsprep.sim import World, boto3_session, run_cli
from awsprep.sim.ec2.catalog import public_image_id

AMI = public_image_id("us-east-1", "al2023")
API_TARGET_S = 0.1  # 1,000 EC2 operations in at most 0.1 s: 10,000 operations per second
MOTO_TARGET = 1 / 20  # the simulator's time over moto's: at least 20x faster
CLI_TARGET = 1.2  # CLI command time over the stub handler's
TARGETS = Targets()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


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
    per_1000 = min(timed(python_api_ops) for _ in range(15)) / ops * 1000
    print(f"     (a) {1000 / per_1000:,.0f} EC2 operations/s through the Python API (best of 15 runs)")
    # An absolute rate has no same-run baseline: the target time is printed as the baseline.
    TARGETS.seconds("(a) 1,000 EC2 operations, Python API", per_1000, API_TARGET_S, API_TARGET_S)


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
    name = "(b) boto3 script, simulator vs moto 5.x"
    world = World(seed=1)
    client = boto3_session(world).client("ec2")  # before moto is imported: it adds handlers to new sessions

    def sim() -> int:
        return boto_script(client, AMI, lambda: world.advance(30))

    sim()
    try:
        import moto  # noqa: F401
    except ImportError:
        print(f"skip {name:<52} {timed(sim) * 1000:8.1f} ms; moto is not installed, so there is no baseline")
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
    print(f"     (b) the simulator is {moto_time / sim_time:.1f}x faster than moto (target ≥ {1 / MOTO_TARGET:g}x)")
    TARGETS.ratio(name, sim_time, moto_time, MOTO_TARGET)


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
    TARGETS.ratio("(c) CLI command, simulator vs stub handler", sim_time, stub_time, CLI_TARGET)


def main() -> int:
    bench_python_api()
    bench_cli()  # before moto is imported: moto adds its handlers to every botocore session created later
    bench_boto3()
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main())
