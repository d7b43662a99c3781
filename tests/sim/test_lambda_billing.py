"""Lambda usage in the simulator's meter: requests, GB-seconds of billed duration per architecture, ephemeral
storage above 512 MB, provisioned concurrency (configured time, rounded up to 5 minutes) and the cheaper duration
on provisioned environments; `AWS/Billing EstimatedCharges` with ServiceName AWSLambda grows with them."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World, bill, lambda_
from awsprep.sim.cloudwatch.api import enable_billing_alerts
from awsprep.sim.lambda_ import catalog
from tests.sim.lambda_helpers import create, invoke

from .test_billing_budgets import DIMS, _charges


def items(world: World) -> dict[str, tuple[float, float]]:
    """kind -> (quantity, cost) over every Lambda line of the bill."""
    out: dict[str, tuple[float, float]] = {}
    for i in bill(world).items:
        if i.kind.startswith("lambda"):
            q, c = out.get(i.kind, (0.0, 0.0))
            out[i.kind] = (q + i.quantity, c + i.cost)
    return out


def world_with(runtime: lambda_.FakeRuntime) -> World:
    world = World(seed=2)
    lambda_.use_runtime(world, runtime)
    return world


def test_requests_and_gb_seconds_of_the_billed_duration_per_architecture() -> None:
    world = world_with(lambda_.FakeRuntime(duration_ms=2.3))  # billed 3 ms: rounded up to the millisecond
    create(world, "x86", MemorySize=1024)
    create(world, "arm", MemorySize=2048, Architectures=["arm64"], EphemeralStorage={"Size": 1536})
    for _ in range(10):
        invoke(world, "x86")
        invoke(world, "arm")
    got = items(world)
    assert got["lambda-requests"][0] == 20
    assert got["lambda-requests"][1] == pytest.approx(20 * 0.20 / 1_000_000)
    x86_gbs, arm_gbs = 10 * 1.0 * 0.003, 10 * 2.0 * 0.003
    assert got["lambda-duration"][0] == pytest.approx(x86_gbs + arm_gbs)
    assert got["lambda-duration"][1] == pytest.approx(x86_gbs * 0.0000166667 + arm_gbs * 0.0000133334)
    assert got["lambda-ephemeral-storage"][0] == pytest.approx(10 * 1.0 * 0.003)  # 1 GB above the free 512 MB
    assert len(world.meter.records) == 5  # a handful of hourly records, not one per invocation


def test_throttled_requests_cost_nothing() -> None:
    world = world_with(lambda_.FakeRuntime())
    create(world)
    world.call("lambda", "PutFunctionConcurrency", {"FunctionName": "fn", "ReservedConcurrentExecutions": 0})
    with pytest.raises(Exception, match="Rate Exceeded"):
        invoke(world)
    assert items(world) == {}


def test_usage_of_a_new_hour_opens_a_new_record() -> None:
    world = world_with(lambda_.FakeRuntime())
    create(world)
    invoke(world)
    world.advance(3600)
    invoke(world)
    requests = [r for r in world.meter.records if r.kind == "lambda-requests"]
    assert [r.quantity for r in requests] == [1, 1]
    assert all(r.end is not None and r.end % 3600 == 0 for r in requests)


def test_estimated_charges_for_aws_lambda_grow_as_aws_would() -> None:
    world = world_with(lambda_.FakeRuntime(duration_ms=60_000.0, capacity=200))  # each run bills 60 s
    assert enable_billing_alerts(world)
    create(world, MemorySize=10240, Timeout=900)
    lambda_.load(world, "fn", 100, 1.0)  # 100 × 10 GB × 60 s = 60,000 GB-seconds
    first = 60_000 * catalog.DURATION["x86_64"] + 100 * catalog.REQUEST
    assert first == pytest.approx(1.000022)
    world.advance(6 * 3600)
    lam = [*DIMS, {"Name": "ServiceName", "Value": "AWSLambda"}]
    assert _charges(world, dims=lam)[-1] == pytest.approx(round(first, 2))
    lambda_.load(world, "fn", 100, 1.0)
    world.advance(6 * 3600)
    assert _charges(world, dims=lam)[-2:] == [pytest.approx(1.0), pytest.approx(2.0)]


def test_provisioned_concurrency_is_charged_while_configured_in_whole_5_minutes() -> None:
    world = world_with(lambda_.FakeRuntime())
    create(world, MemorySize=1024)
    world.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    world.call(
        "lambda",
        "PutProvisionedConcurrencyConfig",
        {"FunctionName": "fn", "Qualifier": "1", "ProvisionedConcurrentExecutions": 2},
    )
    world.advance(3601)
    running = items(world)["lambda-provisioned"]
    assert running[0] == pytest.approx(2 * 3601 / 3600)  # GB-hours so far, charged from the put, not from READY
    invoke(world, "fn", Qualifier="1")  # on a provisioned environment: the provisioned duration rate
    assert "lambda-duration" not in items(world)
    assert items(world)["lambda-provisioned-duration"][1] == pytest.approx(1.0 * 0.002 * 0.0000097222)
    world.call("lambda", "DeleteProvisionedConcurrencyConfig", {"FunctionName": "fn", "Qualifier": "1"})
    world.advance(3600)
    quantity, cost = items(world)["lambda-provisioned"]
    assert quantity == pytest.approx(2 * 3900 / 3600)  # 3,601 s rounded up to 13 × 5 minutes, then nothing
    assert cost == pytest.approx(2 * 3900 * 0.0000041667)


def test_architectures_are_kept_and_checked() -> None:
    world = world_with(lambda_.FakeRuntime())
    assert create(world, "arm", Architectures=["arm64"])["Architectures"] == ["arm64"]
    assert create(world, "plain")["Architectures"] == ["x86_64"]
    for bad, says in ((["arm64", "x86_64"], "length less than or equal to 1"), (["sparc"], "enum value set")):
        with pytest.raises(AwsError) as info:
            create(world, "bad", Architectures=bad)
        assert info.value.code == "ValidationException" and says in info.value.message


def test_hourly_records_survive_a_save_and_load() -> None:
    world = world_with(lambda_.FakeRuntime())
    create(world)
    invoke(world)
    loaded = World.load(world.save())
    lambda_.use_runtime(loaded, lambda_.FakeRuntime())
    invoke(loaded)
    requests = [r for r in loaded.meter.records if r.kind == "lambda-requests"]
    assert [r.quantity for r in requests] == [2]  # the same hour's record, counted on
