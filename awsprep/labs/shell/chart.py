"""`chart`: a CloudWatch metric drawn in the terminal over the simulated window, with its alarm threshold and,
for a group, a second series on the right axis — the picture the CloudWatch console would show.

    chart cpu --asg NAME [--since 2h] [--period 60]      the group's average CPU, its alarms' thresholds, and
                                                          the instances reporting (or desired capacity)
    chart cpu --instance ID [--since 2h]                  one instance's CPU

Without `--period`, `chart cpu` uses the period the data has, as the console's EC2 graphs do: 1 minute when
every instance charted has detailed monitoring, else 5 minutes. (Charting 5-minute basic data per minute drew
a line between datapoints five minutes apart that no period of the data showed.)
    chart metric NAMESPACE NAME [--dimension K=V]... [--stat Average] [--since 2h] [--period 300]
          [--alarm NAME] [--region R]

Readable without colour (markers and a labelled threshold line) and at 80 columns; `--color` adds colour.
plotext is imported only here, only when a chart is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from awsprep.labs.shell.base import Result, split_flags
from awsprep.sim.cloudwatch import api as cw
from awsprep.sim.core.clock import to_datetime

if TYPE_CHECKING:
    from awsprep.sim.world import World

USAGE = (
    "usage: chart cpu --asg NAME | --instance ID [--since 2h] [--period 60] [--color]\n"
    "       chart metric NAMESPACE NAME [--dimension K=V]... [--stat Average] [--since 2h] [--period 300]\n"
    "             [--alarm NAME] [--region R] [--color]\n"
)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
HEIGHT = 20


@dataclass
class Chart:
    """What to draw: one metric, its thresholds, an optional second series."""

    title: str
    times: list[float]
    values: list[float]
    ylabel: str
    thresholds: list[tuple[str, float]] = field(default_factory=list)
    second: tuple[str, list[float], list[float]] | None = None  # (label, times, values) on the right axis


def _duration(text: str) -> float | None:
    unit = text[-1] if text and text[-1] in UNITS else "s"
    try:
        value = float(text[:-1] if text and text[-1] in UNITS else text)
    except ValueError:
        return None
    return value * UNITS[unit] if value > 0 else None


def chart_command(world: World, args: list[str], colour: bool = False, width: int = 80) -> Result:
    """Parse `chart …`, fetch the data through CloudWatch's typed API, draw it."""
    if not args or args[0] in ("help", "-h", "--help"):
        return Result(0 if args else 2, USAGE)
    colour = colour or "--color" in args or "--colour" in args
    args = [a for a in args if a not in ("--color", "--colour")]
    valued = {"--asg", "--instance", "--since", "--period", "--dimension", "--stat", "--alarm", "--region"}
    flags, words = split_flags(args[1:], valued)
    opts: dict[str, list[str]] = {}
    for name, value in flags:
        opts.setdefault(name, []).append(value)
    since = _duration(opts.get("--since", ["2h"])[-1])
    if since is None:
        return Result(2, "", "chart: --since takes a duration such as 90m, 2h or 1d\n")
    region = opts.get("--region", [world.default_region])[-1]
    if region not in world.regions():
        return Result(2, "", f"chart: unknown Region {region}\n")
    default = str(_cpu_period(world, region, opts)) if args[0] == "cpu" else "60"
    try:
        period = int(opts.get("--period", [default])[-1])
    except ValueError:
        period = 0
    if period < 60 or period % 60:
        return Result(2, "", "chart: --period is a multiple of 60 seconds\n")
    start, end = world.now - since, world.now - world.now % period
    if args[0] == "cpu":
        chart = _cpu(world, region, opts, start, end, period)
    elif args[0] == "metric" and len(words) == 2:
        chart = _metric(world, region, words[0], words[1], opts, start, end, period)
    else:
        return Result(2, "", USAGE)
    if isinstance(chart, str):
        return Result(1, "", chart)
    if not chart.values:
        return Result(
            0, f"{chart.title}\n(no datapoints in the last {opts.get('--since', ['2h'])[-1]}: nothing to draw)\n"
        )
    return Result(0, draw(chart, width, colour))


def _dims(opts: dict[str, list[str]]) -> dict[str, str] | str:
    out = {}
    for item in opts.get("--dimension", []):
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            return f"chart: --dimension takes K=V, not '{item}'\n"
        out[key] = value
    return out


def _alarm_lines(world: World, region: str, ns: str, name: str, dims: dict[str, str]) -> list[tuple[str, float]]:
    return [
        (f"{a.name} ({a.threshold:g})", a.threshold)
        for a in cw.alarms(world, region)
        if a.namespace == ns and a.metric_name == name and a.dimensions == dims
    ]


def _cpu(world: World, region: str, opts: dict[str, list[str]], start: float, end: float, period: int) -> Chart | str:
    if "--asg" in opts:
        dims = {"AutoScalingGroupName": opts["--asg"][-1]}
        title = f"CPUUtilization (Average) of group {dims['AutoScalingGroupName']}, {region}"
    elif "--instance" in opts:
        dims = {"InstanceId": opts["--instance"][-1]}
        title = f"CPUUtilization (Average) of {dims['InstanceId']}, {region}"
    else:
        return USAGE
    points = cw.datapoints(world, region, "AWS/EC2", "CPUUtilization", dims, start, end, period, "Average")
    chart = Chart(title, [t for t, _ in points], [v for _, v in points], "CPU %")
    chart.thresholds = _alarm_lines(world, region, "AWS/EC2", "CPUUtilization", dims)
    if "--asg" in opts:
        group = {"AutoScalingGroupName": dims["AutoScalingGroupName"]}
        desired = cw.datapoints(
            world, region, "AWS/AutoScaling", "GroupDesiredCapacity", group, start, end, period, "Maximum"
        )
        if desired:
            chart.second = ("desired capacity", [t for t, _ in desired], [v for _, v in desired])
        else:  # how many instances had a datapoint in each period (a detailed one has 5 per 5 minutes)
            counts: dict[float, float] = {}
            for iid in _instances(world, region, opts):
                for t, _ in cw.datapoints(
                    world, region, "AWS/EC2", "CPUUtilization", {"InstanceId": iid}, start, end, period, "SampleCount"
                ):
                    counts[t] = counts.get(t, 0.0) + 1.0
            times = sorted(counts)
            chart.second = ("instances reporting", times, [counts[t] for t in times])
    return chart


def _instances(world: World, region: str, opts: dict[str, list[str]]) -> list[str]:
    """The instances `chart cpu` draws: the one named, or the group's (by the tag Auto Scaling launches with)."""
    from awsprep.sim import ec2

    if "--instance" in opts:
        return [opts["--instance"][-1]]
    if "--asg" not in opts or not world.has_region_state("ec2", region):
        return []
    group = opts["--asg"][-1]
    found = ec2.backend(world, region).state.instances.values()
    return [i.instance_id for i in found if i.tags.get("aws:autoscaling:groupName") == group]


def _cpu_period(world: World, region: str, opts: dict[str, list[str]]) -> int:
    """60 when every instance charted has detailed monitoring (1-minute data), else 300 (basic: 5 minutes)."""
    from awsprep.sim import ec2

    ids = _instances(world, region, opts)
    if not ids:
        return 300
    b = ec2.backend(world, region)
    states = [b.state.instances[i].monitoring for i in ids if i in b.state.instances]
    return 60 if states and all(m in ("enabled", "disabling") for m in states) else 300


def _metric(
    world: World,
    region: str,
    namespace: str,
    name: str,
    opts: dict[str, list[str]],
    start: float,
    end: float,
    period: int,
) -> Chart | str:
    dims = _dims(opts)
    if isinstance(dims, str):
        return dims
    stat = opts.get("--stat", ["Average"])[-1]
    if stat not in ("Average", "Sum", "Minimum", "Maximum", "SampleCount"):
        return f"chart: --stat is one of Average, Sum, Minimum, Maximum, SampleCount (not {stat})\n"
    points = cw.datapoints(world, region, namespace, name, dims, start, end, period, stat)
    shown = ",".join(f"{k}={v}" for k, v in dims.items())
    chart = Chart(f"{namespace} {name} ({stat}){' ' + shown if shown else ''}, {region}", [], [], name)
    chart.times, chart.values = [t for t, _ in points], [v for _, v in points]
    chart.thresholds = _alarm_lines(world, region, namespace, name, dims)
    for wanted in opts.get("--alarm", []):
        alarm = cw.alarm(world, region, wanted)
        if alarm is None:
            return f"chart: no alarm named {wanted} in {region}\n"
        line = (f"{alarm.name} ({alarm.threshold:g})", alarm.threshold)
        if line not in chart.thresholds:
            chart.thresholds.append(line)
    return chart


def _label(ts: float) -> str:
    return to_datetime(ts).strftime("%H:%M")


def draw(chart: Chart, width: int = 80, colour: bool = False) -> str:
    """The chart as text, `width` columns wide (no escape codes unless `colour`)."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, HEIGHT)
    plt.theme("pro" if colour else "clear")
    origin = chart.times[0]
    xs = [(t - origin) / 60 for t in chart.times]
    top = max([*chart.values, *(v for _, v in chart.thresholds)])
    plt.ylim(0, 100 if chart.ylabel == "CPU %" and top <= 100 else top * 1.1 or 1)
    plt.plot(xs, chart.values, marker="dot" if colour else "*")
    for label, value in chart.thresholds:
        plt.hline(value, "red" if colour else "default")
        plt.text(f"{label}", x=xs[0], y=value, alignment="left")
    if chart.second is not None:
        label, times, values = chart.second
        plt.plot([(t - origin) / 60 for t in times], values, marker="x", yside="right")
        plt.ylim(0, max(values) + 1, yside="right")  # whole instances; keeps the series off the midline
    ticks = xs[:: max(1, len(xs) // 5)]
    plt.xticks(ticks, [_label(origin + x * 60) for x in ticks])
    plt.title(chart.title[: width - 4])
    text: str = plt.build()
    if not colour:
        text = plt.uncolorize(text)
    legend = f"  * {chart.ylabel}"
    if chart.second is not None:
        legend += f"   x {chart.second[0]} (right axis)"
    for label, _ in chart.thresholds:
        legend += f"   ── {label}"
    return text.rstrip("\n") + "\n" + _fit(legend, width) + "\n"


def _fit(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    out, line = [], ""
    for part in text.split("   "):
        candidate = f"{line}   {part}" if line else part
        if len(candidate) > width and line:
            out.append(line)
            line = "  " + part.strip()
        else:
            line = candidate
    out.append(line)
    return "\n".join(out)
