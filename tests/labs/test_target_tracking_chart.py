"""The asg-target-tracking lab's commands, run in the sandbox: CloudWatch's group CPU shows the stressed
instances at 100 % while every instance is stressed and falls once the stress stops, and `chart cpu --asg`
draws that at 80 columns, with and without colour (issue 13: the chart started near 33 % and fell to 0)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from awsprep.labs.shell import Shell
from awsprep.sim import World
from awsprep.sim.cloudwatch import api as cw

LAB = Path(__file__).resolve().parents[2] / "content" / "labs" / "asg-target-tracking.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
GROUP = {"AutoScalingGroupName": "web-asg"}


def _run_lab(tmp_path: Path) -> tuple[Shell, dict[str, float]]:
    """Every command of the lab up to its clean-up; returns when the stress started and stopped."""
    lab: dict[str, Any] = yaml.safe_load(LAB.read_text(encoding="utf-8"))
    shell = Shell(World(seed=0), tmp_path)
    marks: dict[str, float] = {}
    for step in lab["steps"]:
        if step["id"] == "clean-up":
            break
        for command in step["commands"]:
            if "stress --cpu" in command and "stress" not in marks:
                marks["stress"] = shell.world.now
            if "pkill stress" in command and "calm" not in marks:
                marks["calm"] = shell.world.now
            out = shell.run_line(command)
            assert out.exit_code == 0, (command, out.stdout, out.stderr)
    return shell, marks


def test_the_group_average_follows_the_stress_and_the_chart_shows_it(tmp_path: Path) -> None:
    shell, marks = _run_lab(tmp_path)
    world = shell.world
    points = dict(
        cw.datapoints(world, "us-east-1", "AWS/EC2", "CPUUtilization", GROUP, world.now - 3600, world.now, 60)
    )
    counts = dict(
        cw.datapoints(
            world, "us-east-1", "AWS/EC2", "CPUUtilization", GROUP, world.now - 3600, world.now, 60, "SampleCount"
        )
    )
    first_full = marks["stress"] - marks["stress"] % 60 + 60
    stressed = [t for t in points if first_full <= t and t + 60 <= marks["calm"] and counts[t] == 2.0]
    assert len(stressed) >= 2  # minutes in which both instances (all there were) ran stress the whole minute
    assert all(points[t] >= 90.0 for t in stressed)
    after = [v for t, v in points.items() if t >= marks["calm"] + 60]
    assert after and max(after) < 10.0  # and it falls once the stress stops
    assert max(counts.values()) == 4.0  # the scale-out's instances report too

    chart = shell.run_line("chart cpu --asg web-asg --since 40m")
    assert chart.exit_code == 0, chart.stderr
    lines = chart.stdout.splitlines()
    assert not ANSI.search(chart.stdout) and max(len(line) for line in lines) <= 80
    assert any(line.startswith("100.0┤") and "*" in line for line in lines)  # the stressed plateau
    assert any(line.startswith("  0.0┤") and "*" in line for line in lines)  # and the calm after it
    coloured = shell.run_line("chart cpu --asg web-asg --since 40m --color")
    plain = ANSI.sub("", coloured.stdout)
    assert ANSI.search(coloured.stdout) and max(len(line) for line in plain.splitlines()) <= 80
    assert any(line.startswith("100.0┤") and "•" in line for line in plain.splitlines())
