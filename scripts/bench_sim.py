"""Speed figures for the simulator, each with the ratio against a baseline measured in the same run.

(a) EC2 operations per second through the Python API (target >= 10,000/s);
(b) the same boto3 run/stop/start/associate/terminate script against the simulator and against moto 5.x
    (skipped with a message when moto is not installed);
(c) one AWS CLI command through the simulator vs the same command answered by a stub handler.

Run: .venv/bin/python scripts/bench_sim.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from awsprep.sim import World, boto3_session, run_cli
from awsprep.sim.ec2.catalog import public_image_id

AMI = public_image_id("us-east-1", "al2023")


def best(fn: Callable[[], int], repeat: int = 3) -> tuple[float, int]:
    """Best wall time of `repeat` runs and the operation count one run performs."""
    times, count = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        count = fn()
        times.append(time.perf_counter() - t0)
    return min(times), count


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
    world = World(seed=1)
    client = boto3_session(world).client("ec2")
    sim_time, ops = best(lambda: boto_script(client, AMI, lambda: world.advance(30)))
    try:
        import moto  # noqa: F401
    except ImportError:
        print(f"(b) boto3 script vs moto: simulator {ops / sim_time:,.0f} ops/s; moto not installed, ratio skipped")
        return
    import os

    import boto3
    from moto import mock_aws

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        mclient = boto3.client("ec2", region_name="us-east-1")
        mami = mclient.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        moto_time, _ = best(lambda: boto_script(mclient, mami, lambda: None))
    print(
        f"(b) boto3 script: simulator {sim_time * 1000:.0f} ms vs moto {moto_time * 1000:.0f} ms "
        f"-> {moto_time / sim_time:.1f}x faster than moto (target >= 20x)"
    )


def bench_cli() -> None:
    from awsprep.sim.frontends import glue

    world = World(seed=1)
    argv = ["ec2", "describe-instances", "--query", "Reservations[].Instances[].InstanceId", "--output", "text"]
    for _ in range(3):
        run_cli(world, ["ec2", "run-instances", "--image-id", AMI, "--instance-type", "t3.micro"])
    run_cli(world, argv)  # warm the cached driver

    def many() -> int:
        for _ in range(20):
            run_cli(world, argv)
        return 20

    sim_time, n = best(many)
    canned = world.call("ec2", "DescribeInstances", {})
    real_call = World.call

    def stub(self: World, service: str, operation: str, params: Any = None, region: Any = None) -> Any:
        return canned

    World.call = stub  # type: ignore[method-assign]
    try:
        stub_time, _ = best(many)
    finally:
        World.call = real_call  # type: ignore[method-assign]
    assert glue  # the stub replaces only the backend; the CLI, botocore and glue still run
    print(
        f"(c) CLI command: simulator {sim_time / n * 1000:.1f} ms vs stub handler {stub_time / n * 1000:.1f} ms "
        f"-> ratio {sim_time / stub_time:.2f} (target <= 1.2)"
    )


def main() -> None:
    elapsed, ops = best(python_api_ops)
    print(f"(a) Python API: {ops / elapsed:,.0f} EC2 operations/s -> {ops / elapsed / 10000:.1f}x the 10,000/s target")
    bench_cli()  # before moto is imported: moto registers global botocore handlers that slow every client
    bench_boto3()


if __name__ == "__main__":
    main()
