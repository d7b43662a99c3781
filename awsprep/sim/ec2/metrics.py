"""What EC2 reports to CloudWatch (namespace AWS/EC2), derived when someone reads it, not published by a timer.

- `CPUUtilization` (Percent): the guest's load relative to the instance type's vCPUs (`stress --cpu N` keeps
  N vCPUs busy for its timeout; `Ec2Backend.set_cpu_load` sets a steady base load), averaged over the period:
  one datapoint per 5 minutes with basic monitoring, per minute with detailed monitoring (`monitor-instances`,
  or `Monitoring.Enabled` at launch). EC2's metrics page (viewing_metrics_with_cloudwatch.html): "each data
  point covers the 5 minutes that follow the start time of activity for the instance", so basic datapoints are
  aligned on the minute the instance started running (09:02, 09:07, …), not on the clock's 5-minute marks; a
  GetMetricStatistics period of 300 aligned on 09:00/09:05 then holds one datapoint of each instance.
- `StatusCheckFailed`, `StatusCheckFailed_Instance`, `StatusCheckFailed_System` (Count, 0 or 1): every minute
  while running, whatever the monitoring level (as AWS publishes status check metrics).
- `NetworkIn`, `NetworkOut` (Bytes): the bytes the data plane carried to and from the instance during the period
  (requests through load balancers, direct curl, health checks, datagrams), per 5 minutes or per minute like
  CPU; `NetworkPacketsIn`, `NetworkPacketsOut` (Count): the packets, per 5 minutes only (the page: "available
  for basic monitoring only"). The data plane adds to a per-minute counter of the instance (`exchange`,
  `count_traffic`: one list update per request); the datapoints are made here, on read, zeros included.
Datapoints carry the start of their period as the timestamp (as GetMetricStatistics shows them) and appear once
the period has ended. Instances launched by Auto Scaling (tag `aws:autoscaling:groupName`) are reported with the
`AutoScalingGroupName` dimension as well, so a group's average is CloudWatch's Average over its instances.

Why derived: publishing every running instance every simulated minute cost every `advance` time even when no one
looked at a metric (issue 11's EC2 ops/s regression). An instance keeps its running intervals, load intervals
and monitoring changes; `derive` turns them into datapoints up to now when CloudWatch reads AWS/EC2 (a
`cloudwatch.sources` refresh) or when the instance is forgotten, and then drops what it used.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from awsprep.sim.core.metrics import metric_key, put_keyed

if TYPE_CHECKING:
    from awsprep.sim.core.metrics import MetricsState
    from awsprep.sim.ec2.base import Ec2Base
    from awsprep.sim.ec2.state import Instance

NAMESPACE = "AWS/EC2"
TICK = 60.0
BASIC_PERIOD = 300.0
STATUS_METRICS = ("StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System")
ASG_TAG = "aws:autoscaling:groupName"
OPEN = -1.0  # the end of a load that lasts until changed
SEGMENT = 1448  # TCP payload per packet on a 1,500-byte MTU with timestamps [INF]
PACKET_HEADER = 40  # IPv4 + TCP header bytes per packet, counted in NetworkIn/Out [INF]
UDP_HEADER = 28  # IPv4 + UDP header bytes per datagram


def count_traffic(inst: Instance, now: float, bytes_in: float, bytes_out: float, pk_in: float, pk_out: float) -> None:
    """Traffic on the instance's interfaces at `now` (the data plane calls this; the datapoints come on read)."""
    minute = now - now % TICK
    log = inst.net_log
    if log and log[-1][0] == minute:
        row = log[-1]
    else:
        found = [r for r in log if r[0] == minute]  # a minute already counted (traffic is rarely out of order)
        row = found[0] if found else []
        if not row:
            row = [minute, 0.0, 0.0, 0.0, 0.0]
            log.append(row)
            log.sort(key=lambda r: r[0])
    row[1] += bytes_in
    row[2] += bytes_out
    row[3] += pk_in
    row[4] += pk_out


def datagram(inst: Instance, now: float, received: int, sent: int) -> None:
    """One UDP datagram in (`received` bytes of payload) and its answer out (`sent`, 0 when none), each one
    packet with its 28 bytes of IPv4 and UDP header."""
    out = 1 if sent else 0
    count_traffic(inst, now, received + UDP_HEADER, sent + UDP_HEADER * out, 1, out)


def exchange(inst: Instance, now: float, received: int, sent: int) -> None:
    """One request/response (TCP) or datagram/answer (UDP, `sent` 0 when none): payload bytes in each direction,
    in segments of SEGMENT bytes with their headers, plus the ACK each side sends for what it received."""
    pk_in = -(-received // SEGMENT) + (1 if sent else 0)
    pk_out = -(-sent // SEGMENT) + (1 if received and sent else 0)
    count_traffic(inst, now, received + PACKET_HEADER * pk_in, sent + PACKET_HEADER * pk_out, pk_in, pk_out)


def started(inst: Instance, now: float) -> None:
    """The instance entered `running`."""
    inst.running_since = now


def stopped(inst: Instance, now: float) -> None:
    """The instance left `running`: close the interval; its processes (stress jobs) end with it."""
    if inst.running_since is not None:
        inst.runs.append([inst.running_since, now])
        inst.running_since = None
    end_jobs(inst, now)


def set_base_load(inst: Instance, now: float, percent: float) -> None:
    """A steady load from now on (replacing the previous steady one)."""
    for load in inst.loads:
        if load[1] == OPEN and not load[3]:
            load[1] = now
    if percent > 0:
        inst.loads.append([now, OPEN, percent, 0.0])


def add_job(inst: Instance, now: float, seconds: float | None, percent: float) -> None:
    """A process keeping `percent` of the CPU busy for `seconds` (None: until it is killed or the instance stops)."""
    inst.loads.append([now, OPEN if seconds is None else now + seconds, percent, 1.0])


def end_jobs(inst: Instance, now: float) -> int:
    """End every job still running; returns how many there were."""
    ended = 0
    for load in inst.loads:
        if load[3] and (load[1] == OPEN or load[1] > now):
            load[1] = now
            ended += 1
    return ended


def set_monitoring(inst: Instance, at: float, detailed: bool) -> None:
    """Detailed monitoring takes effect at `at` (the next whole minute after monitor-instances)."""
    inst.monitoring_log.append([at, 1.0 if detailed else 0.0])


def settle_monitoring(b: Ec2Base, instance_id: str) -> None:
    """The minute after monitor-instances (an EC2 timer): detailed monitoring is on (or off) from now."""
    inst = b.state.instances.get(instance_id)
    if inst is None or inst.monitoring not in ("pending", "disabling"):
        return
    inst.monitoring = "enabled" if inst.monitoring == "pending" else "disabled"
    set_monitoring(inst, b.now, inst.monitoring == "enabled")


def _detailed(inst: Instance, t: float) -> bool:
    # Every entry of the log is a change, so before the first one the level was the other one; with no change
    # yet, the level the instance was launched with (Monitoring.Enabled in RunInstances or the launch
    # template). An empty log used to mean basic, even for an instance launched with detailed monitoring.
    log = inst.monitoring_log
    launched = 1.0 if inst.monitoring in ("enabled", "disabling") else 0.0
    level = 1.0 - log[0][1] if log else launched
    for at, flag in inst.monitoring_log:
        if at < t:
            level = flag
    return level == 1.0


def _load(inst: Instance, a: float, b: float) -> float:
    """Average CPU percent over [a, b), clamped to 0–100."""
    if b <= a:
        return 0.0
    busy = 0.0
    for load in inst.loads:
        s, e, pct = load[0], load[1], load[2]
        hi = b if e == OPEN else min(b, e)
        lo = max(a, s)
        if hi > lo:
            busy += pct * (hi - lo)
    return max(0.0, min(100.0, busy / (b - a)))


def detailed(inst: Instance, t: float) -> bool:
    """Whether the instance reports every minute (detailed monitoring) at time `t`."""
    return _detailed(inst, t)


def average_load(inst: Instance, start: float, end: float) -> float:
    """The guest's average CPU percent over [start, end) (Auto Scaling's aggregated group metric reads it)."""
    return _load(inst, start, end)


def derive(b: Ec2Base, inst: Instance, until: float) -> None:
    """Write the instance's datapoints for whole minutes ending after its mark and at or before `until`."""
    intervals = list(inst.runs)
    if inst.running_since is not None:
        intervals.append([inst.running_since, until])
    mark = inst.metrics_until
    store = b.world.metrics
    iid = inst.instance_id
    group = inst.tags.get(ASG_TAG)
    net = {r[0]: r for r in inst.net_log}
    for s, e in intervals:
        lo = max(s, mark)
        t = (lo // TICK + 1) * TICK  # the first whole minute after lo
        end = min(e, until)
        anchor = s - s % TICK  # basic windows follow the start of this run's activity
        while t <= end:
            _point(store, iid, group, "StatusCheckFailed", t - TICK, 0.0, "Count", all_status=True)
            basic_end = (t - anchor) % BASIC_PERIOD == 0
            if _detailed(inst, t):
                cpu = _load(inst, max(t - TICK, s), t)
                _point(store, iid, group, "CPUUtilization", t - TICK, cpu, "Percent")
                _network(store, iid, group, net, t - TICK, t, packets=False)
            elif basic_end:
                cpu = _load(inst, max(t - BASIC_PERIOD, s), t)
                _point(store, iid, group, "CPUUtilization", t - BASIC_PERIOD, cpu, "Percent")
                _network(store, iid, group, net, t - BASIC_PERIOD, t, packets=False)
            if basic_end:
                _network(store, iid, group, net, t - BASIC_PERIOD, t, packets=True)
            t += TICK
    inst.metrics_until = max(mark, until)
    inst.runs = []
    keep_from = until - BASIC_PERIOD
    inst.loads = [load for load in inst.loads if load[1] == OPEN or load[1] > keep_from]
    if inst.net_log and inst.net_log[0][0] < keep_from:
        inst.net_log = [r for r in inst.net_log if r[0] >= keep_from]
    if len(inst.monitoring_log) > 1:
        inst.monitoring_log = [m for m in inst.monitoring_log[:-1] if m[0] > until] + inst.monitoring_log[-1:]


def _network(
    store: MetricsState,
    iid: str,
    group: str | None,
    net: dict[float, list[float]],
    start: float,
    end: float,
    packets: bool,
) -> None:
    """The bytes (or packets) of the minutes in [start, end), stamped with `start`; 0 when nothing moved."""
    first, second = (3, 4) if packets else (1, 2)
    got_in = got_out = 0.0
    if net:
        minute = start - start % TICK
        while minute < end:
            row = net.get(minute)
            if row is not None:
                got_in += row[first]
                got_out += row[second]
            minute += TICK
    if packets:
        _point(store, iid, group, "NetworkPacketsIn", start, got_in, "Count")
        _point(store, iid, group, "NetworkPacketsOut", start, got_out, "Count")
    else:
        _point(store, iid, group, "NetworkIn", start, got_in, "Bytes")
        _point(store, iid, group, "NetworkOut", start, got_out, "Bytes")


def _point(
    store: MetricsState,
    iid: str,
    group: str | None,
    name: str,
    at: float,
    value: float,
    unit: str,
    all_status: bool = False,
) -> None:
    names = STATUS_METRICS if all_status else (name,)
    for n in names:
        put_keyed(store, _key(n, iid), NAMESPACE, n, {"InstanceId": iid}, value, at, unit)
        if group is not None:
            put_keyed(store, _group_key(n, group), NAMESPACE, n, {"AutoScalingGroupName": group}, value, at, unit)


def materialize(b: Ec2Base) -> None:
    """Bring every instance of the Region's datapoints up to now (CloudWatch calls this before reading)."""
    now = b.now
    for inst in b.state.instances.values():
        if inst.running_since is not None or inst.runs:
            derive(b, inst, now)


@lru_cache(maxsize=65536)
def _key(name: str, instance_id: str) -> str:
    return metric_key(NAMESPACE, name, {"InstanceId": instance_id})


@lru_cache(maxsize=4096)
def _group_key(name: str, group: str) -> str:
    return metric_key(NAMESPACE, name, {"AutoScalingGroupName": group})
