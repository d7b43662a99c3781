"""`stress`/`stress-ng` over ssh: CPU load on the simulated clock, shown by CloudWatch's CPUUtilization."""

from __future__ import annotations

from awsprep.labs.shell.instance import InstanceShell
from awsprep.sim import World
from awsprep.sim.cloudwatch.api import datapoints
from tests.sim.conftest import launch


def _cpu(world: World, iid: str, period: int = 60) -> list[float]:
    return [v for _, v in datapoints(world, "us-east-1", "AWS/EC2", "CPUUtilization", {"InstanceId": iid},
                                     world.now - 7200, world.now, period)]  # fmt: skip


def _shell(world: World, itype: str = "t3.micro") -> tuple[InstanceShell, str]:
    iid = launch(world, InstanceType=itype)
    world.call("ec2", "MonitorInstances", {"InstanceIds": [iid]})
    world.advance(60)
    shell = InstanceShell(world, iid)
    assert shell.run_line("sudo dnf install -y stress stress-ng").exit_code == 0
    return shell, iid


def test_stress_returns_at_once_and_loads_the_vcpus_for_its_timeout() -> None:
    world = World(seed=3)
    shell, iid = _shell(world, "t3.micro")  # 2 vCPUs
    start = world.now
    out = shell.run_line("stress --cpu 1 --timeout 300")
    assert out.exit_code == 0 and "dispatching hogs: 1 cpu" in out.stdout
    assert world.now == start  # the shell did not wait
    world.advance(600)
    cpu = _cpu(world, iid)
    assert max(cpu) == 50.0 and cpu[-1] == 0.0  # one of two vCPUs busy, then idle after the timeout
    assert sum(1 for v in cpu if v == 50.0) in (4, 5)


def test_background_nohup_stress_ng_and_pkill() -> None:
    world = World(seed=4)
    shell, iid = _shell(world, "t3.micro")
    job = shell.run_line("nohup stress-ng --cpu 0 --cpu-load 80 &")
    assert job.stdout.startswith("[1] ") and "nohup.out" in job.stderr
    assert "dispatching hogs: 2 cpu" in shell.run_line("cat nohup.out").stdout
    world.advance(180)
    assert shell.run_line("pkill stress-ng").exit_code == 0
    world.advance(180)
    cpu = _cpu(world, iid)
    assert 80.0 in cpu and cpu[-1] == 0.0


def test_stress_needs_the_package_and_a_cpu_count() -> None:
    world = World(seed=5)
    iid = launch(world)
    shell = InstanceShell(world, iid)
    assert shell.run_line("stress --cpu 1 --timeout 10").exit_code == 127
    shell.run_line("sudo yum install -y stress")
    bad = shell.run_line("stress --timeout 10")
    assert bad.exit_code == 1 and "no hogs" in bad.stderr
    assert "invalid timeout" in shell.run_line("stress --cpu 1 --timeout soon").stderr


def test_a_stop_ends_the_load_and_basic_monitoring_averages_five_minutes() -> None:
    world = World(seed=6)
    iid = launch(world, InstanceType="t3.micro")
    shell = InstanceShell(world, iid)
    shell.run_line("sudo yum install -y stress")
    shell.run_line("stress --cpu 2 --timeout 3600")
    world.advance(900)
    five = _cpu(world, iid, 300)
    assert five[-1] == 100.0
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(60)
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(900)
    assert _cpu(world, iid, 300)[-1] == 0.0  # the stress process died with the stop
