"""Provisioned concurrency at run time: INIT when the configuration goes READY (not at the first request), no cold
start for that version or alias, spill-over to on-demand beyond it, and the four provisioned metrics
(monitoring-concurrency.html). The in-process fake runtime stands in for worker processes."""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import World, lambda_, logs
from awsprep.sim.core.metrics import metric_key
from tests.sim.lambda_helpers import create, invoke

from .test_lambda_control import shape


@pytest.fixture
def rt() -> lambda_.FakeRuntime:
    return lambda_.FakeRuntime(capacity=8)


@pytest.fixture
def pw(rt: lambda_.FakeRuntime) -> World:
    """fn with version 1, alias live -> 1, and 2 provisioned environments on live (IN_PROGRESS)."""
    world = World(seed=3)
    lambda_.use_runtime(world, rt)
    create(world)
    world.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    world.call("lambda", "CreateAlias", {"FunctionName": "fn", "Name": "live", "FunctionVersion": "1"})
    out = world.call(
        "lambda",
        "PutProvisionedConcurrencyConfig",
        {"FunctionName": "fn", "Qualifier": "live", "ProvisionedConcurrentExecutions": 2},
    )
    assert out["Status"] == "IN_PROGRESS"
    return world


def values(world: World, name: str, **dims: str) -> list[float]:
    series = world.metrics.series.get(metric_key("AWS/Lambda", name, dims))
    return list(series.values) if series else []


def lines(world: World) -> list[str]:
    return [e.message for e in logs.events(world, "us-east-1", "/aws/lambda/fn")]


def pc(world: World, qualifier: str = "live") -> dict[str, Any]:
    out: dict[str, Any] = world.call(
        "lambda", "GetProvisionedConcurrencyConfig", {"FunctionName": "fn", "Qualifier": qualifier}
    )
    shape("GetProvisionedConcurrencyConfig", out)
    return out


def test_environments_are_initialised_when_the_configuration_goes_ready(pw: World, rt: lambda_.FakeRuntime) -> None:
    assert rt.started == [] and pc(pw)["AllocatedProvisionedConcurrentExecutions"] == 0
    pw.advance(119)
    assert rt.started == []  # still IN_PROGRESS
    pw.advance(1)
    got = pc(pw)
    assert (got["Status"], got["AllocatedProvisionedConcurrentExecutions"]) == ("READY", 2)
    assert len(rt.started) == 2  # INIT ran for both, before any request
    streams = {e.env_id: e.stream for e in lambda_.fleet(pw).envs.values()}
    assert len(streams) == 2 and all("[1]" in s for s in streams.values())
    reports = [line for line in lines(pw) if line.startswith("INIT_REPORT")]
    assert reports == ["INIT_REPORT Init Duration: 120.00 ms\tPhase: init\tStatus: success"] * 2


def test_invocations_of_the_alias_use_them_without_a_cold_start(pw: World, rt: lambda_.FakeRuntime) -> None:
    pw.advance(120)
    out = invoke(pw, Qualifier="live", LogType="Tail")
    assert out["ExecutedVersion"] == "1"
    assert len(rt.started) == 2  # no third INIT
    report = [line for line in lines(pw) if line.startswith("REPORT")]
    assert len(report) == 1 and "Init Duration" not in report[0]
    env = next(e for e in lambda_.fleet(pw).envs.values() if e.served)
    assert env.provisioned and env.pool == "live"
    # $LATEST is not provisioned: its first call is a cold start in an environment of its own
    invoke(pw)
    assert len(rt.started) == 3 and "Init Duration" in [x for x in lines(pw) if x.startswith("REPORT")][-1]


def test_provisioned_metrics_and_spill_over_to_on_demand(pw: World, rt: lambda_.FakeRuntime) -> None:
    pw.advance(120)
    report = lambda_.load(pw, "fn", 3, 1.0, qualifier="live")  # three at once, two provisioned
    assert (report.ok, report.cold) == (3, 1)  # the third spilled over to on-demand: one cold start
    resource = {"FunctionName": "fn", "Resource": "fn:live"}
    assert values(pw, "ProvisionedConcurrencyInvocations", **resource) == [1, 1]
    assert values(pw, "ProvisionedConcurrencyInvocations", FunctionName="fn") == [1, 1]
    assert values(pw, "ProvisionedConcurrentExecutions", **resource) == [1, 2]
    assert values(pw, "ProvisionedConcurrencyUtilization", **resource) == [0.5, 1.0]
    assert values(pw, "ProvisionedConcurrencySpilloverInvocations", **resource) == [1]
    assert values(pw, "ProvisionedConcurrencySpilloverInvocations", FunctionName="fn") == [1]
    on_demand = [e for e in lambda_.fleet(pw).envs.values() if not e.provisioned]
    assert len(on_demand) == 1 and on_demand[0].version == "1"


def test_moving_the_alias_provisions_again_and_deleting_releases(pw: World, rt: lambda_.FakeRuntime) -> None:
    pw.advance(120)
    pw.call("lambda", "UpdateFunctionCode", {"FunctionName": "fn", "ZipFile": b"PK\x05\x06" + b"\0" * 18})
    pw.advance(1)
    pw.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    pw.call("lambda", "UpdateAlias", {"FunctionName": "fn", "Name": "live", "FunctionVersion": "2"})
    assert pc(pw)["Status"] == "IN_PROGRESS" and rt.live() == 0
    pw.advance(120)
    assert pc(pw)["Status"] == "READY"
    assert {e.version for e in lambda_.fleet(pw).envs.values()} == {"2"} and rt.live() == 2
    pw.call("lambda", "DeleteProvisionedConcurrencyConfig", {"FunctionName": "fn", "Qualifier": "live"})
    assert rt.live() == 0 and not lambda_.fleet(pw).envs


def test_a_stale_ready_timer_does_nothing(pw: World, rt: lambda_.FakeRuntime) -> None:
    pw.advance(60)
    pw.call(  # put again halfway: READY is 120 s from now, not from the first put
        "lambda",
        "PutProvisionedConcurrencyConfig",
        {"FunctionName": "fn", "Qualifier": "live", "ProvisionedConcurrentExecutions": 3},
    )
    pw.advance(60)
    assert rt.started == [] and pc(pw)["Status"] == "IN_PROGRESS"
    pw.advance(60)
    assert len(rt.started) == 3


def test_a_loaded_world_initialises_a_provisioned_environment_when_first_needed(pw: World) -> None:
    pw.advance(120)
    loaded = World.load(pw.save())
    runtime = lambda_.FakeRuntime()
    lambda_.use_runtime(loaded, runtime)
    invoke(loaded, Qualifier="live")
    env = next(iter(lambda_.fleet(loaded).envs.values()))
    assert env.provisioned and len(runtime.started) == 1
    assert "Init Duration" not in [x for x in lines(loaded) if x.startswith("REPORT")][-1]


def test_when_workers_run_out_a_provisioned_environment_is_modelled_not_lost() -> None:
    world = World(seed=3)
    runtime = lambda_.FakeRuntime(capacity=1)
    lambda_.use_runtime(world, runtime)
    create(world)
    world.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    world.call(
        "lambda",
        "PutProvisionedConcurrencyConfig",
        {"FunctionName": "fn", "Qualifier": "1", "ProvisionedConcurrentExecutions": 2},
    )
    world.advance(120)
    envs = list(lambda_.fleet(world).envs.values())
    assert [e.real for e in envs] == [True, False]  # one worker process: the second is modelled
    invoke(world, "fn")  # $LATEST needs the worker: the provisioned real one becomes modelled, still allocated
    provisioned = [e for e in lambda_.fleet(world).envs.values() if e.provisioned]
    assert len(provisioned) == 2 and not any(e.real for e in provisioned)
    assert any("is modelled from now on" in n for n in lambda_.fleet(world).debug)
