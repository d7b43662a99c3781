"""The core's metric store and what EC2 publishes into it (CPUUtilization, status checks)."""

from __future__ import annotations

import pytest

from awsprep.sim import World, ec2, run_cli
from awsprep.sim.cloudwatch.sources import refresh
from awsprep.sim.core.metrics import BadPeriod, MetricsState, put, statistics
from tests.sim.conftest import launch

DIMS = "InstanceId"


def _points(world: World, iid: str, name: str, period: int = 60) -> list[dict[str, float]]:
    refresh(world, world.default_region, "AWS/EC2")  # EC2's datapoints are derived when CloudWatch reads them
    got = statistics(world.metrics, "AWS/EC2", name, {DIMS: iid}, world.now - 86400, world.now + 1, period)
    return [p.values for p in got]


def test_statistics_per_period() -> None:
    store = MetricsState()
    for t, v in [(0, 10.0), (30, 30.0), (60, 5.0), (150, 7.0), (200, 1.0)]:
        put(store, "Toy", "Load", {"Node": "a"}, v, 1_000_020.0 + t)
    put(store, "Toy", "Load", {"Node": "a"}, 99.0, 1_000_000.0)  # out of order: kept sorted
    got = statistics(store, "Toy", "Load", {"Node": "a"}, 1_000_000.0, 1_001_000.0, 120)
    # buckets start at multiples of the period: [999960, 1000080), [1000080, 1000200), [1000200, …)
    assert [(p.timestamp, p.values["SampleCount"]) for p in got] == [
        (999_960.0, 3.0),
        (1_000_080.0, 2.0),
        (1_000_200.0, 1.0),
    ]
    assert got[1].values == {"Average": 6.0, "Sum": 12.0, "Minimum": 5.0, "Maximum": 7.0, "SampleCount": 2.0}
    assert statistics(store, "Toy", "Load", {"Node": "b"}, 0, 2e9, 60) == []
    with pytest.raises(BadPeriod):
        statistics(store, "Toy", "Load", {"Node": "a"}, 0, 2e9, 90)


def test_basic_monitoring_publishes_cpu_every_five_minutes_and_status_every_minute(world: World) -> None:
    iid = launch(world)
    ec2.backend(world).set_cpu_load(iid, 40)
    world.advance(1200)
    cpu = _points(world, iid, "CPUUtilization")
    # the first 5-minute datapoint averages in the seconds before the load began
    assert len(cpu) == 4 and {p["Average"] for p in cpu[1:]} == {40.0} and 0 < cpu[0]["Average"] < 40.0
    status = _points(world, iid, "StatusCheckFailed")
    assert 19 <= len(status) <= 20 and {p["Maximum"] for p in status} == {0.0}


def test_detailed_monitoring_publishes_every_minute(world: World) -> None:
    iid = launch(world)
    res = run_cli(
        world,
        [
            "ec2",
            "monitor-instances",
            "--instance-ids",
            iid,
            "--query",
            "InstanceMonitorings[0].Monitoring.State",
            "--output",
            "text",
        ],
    )
    assert res.stdout.strip() == "pending"
    world.advance(60)
    assert ec2.backend(world).instance(iid).monitoring == "enabled"
    ec2.backend(world).set_cpu_load(iid, 150)  # clamped to 100
    world.advance(600)
    cpu = _points(world, iid, "CPUUtilization")
    assert len(cpu) >= 10 and cpu[-1]["Maximum"] == 100.0
    five = _points(world, iid, "CPUUtilization", period=300)
    assert max(p["SampleCount"] for p in five) == 5.0  # a whole 5-minute bucket holds 5 one-minute points


def test_a_stopped_instance_publishes_nothing_and_metrics_survive_a_snapshot(world: World) -> None:
    iid = launch(world)
    world.advance(600)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    before = len(_points(world, iid, "StatusCheckFailed"))
    world.advance(600)
    assert len(_points(world, iid, "StatusCheckFailed")) == before
    loaded = World.load(world.save())
    assert _points(loaded, iid, "StatusCheckFailed") == _points(world, iid, "StatusCheckFailed")
    loaded.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    loaded.advance(600)
    assert len(_points(loaded, iid, "StatusCheckFailed")) > before
