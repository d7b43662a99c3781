"""`chart`: a metric drawn at 80 columns, readable without colour, with its alarm threshold; `billing alerts`."""

from __future__ import annotations

import re
from pathlib import Path

from awsprep.labs.shell import Shell
from awsprep.labs.shell.chart import chart_command
from awsprep.sim import World, ec2
from tests.sim.conftest import launch

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _group_world() -> World:
    world = World(seed=3)
    ids = [launch(world) for _ in range(2)]
    for iid in ids:
        ec2.backend(world).instance(iid).tags["aws:autoscaling:groupName"] = "web-asg"
    world.call("ec2", "MonitorInstances", {"InstanceIds": ids})
    world.call(
        "cloudwatch",
        "PutMetricAlarm",
        {
            "AlarmName": "cpu-high",
            "Namespace": "AWS/EC2",
            "MetricName": "CPUUtilization",
            "Dimensions": [{"Name": "AutoScalingGroupName", "Value": "web-asg"}],
            "Statistic": "Average",
            "Period": 60,
            "EvaluationPeriods": 3,
            "Threshold": 50.0,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    )
    world.advance(600)
    for iid in ids:
        ec2.backend(world).add_cpu_job(iid, 2, 1200)
    world.advance(1800)
    return world


def test_the_group_cpu_chart_fits_80_columns_without_colour() -> None:
    out = chart_command(_group_world(), ["cpu", "--asg", "web-asg", "--since", "45m"])
    assert out.exit_code == 0, out.stderr
    lines = out.stdout.splitlines()
    assert not ANSI.search(out.stdout)
    assert max(len(line) for line in lines) <= 80
    assert "CPUUtilization (Average) of group web-asg" in lines[0]
    assert any(line.startswith("100.0┤") and "*" in line for line in lines)  # the busy plateau
    assert any("cpu-high (50)" in line and "─" in line for line in lines)  # the threshold, labelled
    assert "x instances reporting (right axis)" in out.stdout


def test_with_colour_the_same_chart_has_escape_codes_and_the_same_width() -> None:
    out = chart_command(_group_world(), ["cpu", "--asg", "web-asg", "--since", "45m", "--color"])
    assert ANSI.search(out.stdout)
    plain = ANSI.sub("", out.stdout)
    assert max(len(line) for line in plain.splitlines()) <= 80 and "cpu-high (50)" in plain


def test_chart_metric_bad_input_and_an_empty_window() -> None:
    world = World(seed=1)
    assert chart_command(world, ["metric", "MyApp", "Load", "--since", "soon"]).exit_code == 2
    assert chart_command(world, ["metric", "MyApp", "Load", "--period", "90"]).exit_code == 2
    assert "no datapoints" in chart_command(world, ["metric", "MyApp", "Load"]).stdout
    missing = chart_command(world, ["metric", "MyApp", "Load", "--alarm", "nope"])
    assert missing.exit_code == 1 and "no alarm named nope" in missing.stderr
    assert chart_command(world, []).exit_code == 2


def test_the_sandbox_turns_billing_alerts_on_and_charts_a_custom_metric(tmp_path: Path) -> None:
    shell = Shell(World(seed=2), tmp_path)
    assert "off" in shell.run_line("billing alerts").stdout
    assert "us-east-1 only" in shell.run_line("billing alerts on").stdout
    assert "already on" in shell.run_line("billing alerts on").stdout
    assert shell.run_line("billing sometimes").exit_code == 2
    for value in (1, 5, 3):
        shell.run_line(f"aws cloudwatch put-metric-data --namespace MyApp --metric-name Load --value {value}")
        shell.run_line("wait 5m")
    out = shell.run_line("chart metric MyApp Load --since 30m --period 300 --stat Maximum")
    assert out.exit_code == 0 and "MyApp Load (Maximum)" in out.stdout


def test_a_basic_monitoring_group_is_charted_per_five_minutes() -> None:
    # Two basic instances started two minutes apart, one busy and one idle: per minute the group's "average" is
    # one instance at a time (100, then 0); per 5 minutes, the period the data has, it is their average, 50.
    world = World(seed=3)
    busy = launch(world)
    world.advance(90)
    idle = launch(world)
    b = ec2.backend(world)
    for iid in (busy, idle):
        b.instance(iid).tags["aws:autoscaling:groupName"] = "basic-asg"
    b.set_cpu_load(busy, 100)
    world.advance(3600)
    out = chart_command(world, ["cpu", "--asg", "basic-asg", "--since", "50m"])
    assert out.exit_code == 0, out.stderr
    rows = out.stdout.splitlines()
    assert not any(line.startswith("100.0┤") and "*" in line for line in rows)
    assert any(line.startswith(" 50.0┤") and "*" in line for line in rows)
    per_minute = chart_command(world, ["cpu", "--asg", "basic-asg", "--since", "50m", "--period", "60"])
    assert any(line.startswith("100.0┤") and "*" in line for line in per_minute.stdout.splitlines())
