"""CloudWatch metrics ELB publishes into the core's store, and LCU billing.

Namespaces and dimensions as in https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html:
`AWS/ApplicationELB` / `AWS/NetworkELB`, `LoadBalancer=app/NAME/ID`, `TargetGroup=targetgroup/NAME/ID`.
LCUs (https://aws.amazon.com/elasticloadbalancing/pricing/): the highest of the dimensions used in the hour;
the simulator counts new connections (one per request here) and processed bytes (1 GB/h). An ALB's LCU holds 25
new connections a second, an NLB's NLCU 800 new TCP connections a second (UDP flows, 400, and TLS connections,
50, are counted at the TCP rate [INF simplification]); active connections, an ALB's rule evaluations and the
0.4 GB/h of Lambda targets are not counted.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from awsprep.sim.core.meter import close_record, open_record
from awsprep.sim.core.metrics import put
from awsprep.sim.elbv2.state import LoadBalancer, TargetGroup

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

NEW_CONNECTIONS_PER_LCU = {"application": 25, "network": 800}  # a second, per LCU / NLCU (TCP)


def namespace(lb: LoadBalancer) -> str:
    """The metric namespace of a load balancer."""
    return "AWS/ApplicationELB" if lb.lb_type == "application" else "AWS/NetworkELB"


def lb_dimension(lb: LoadBalancer) -> str:
    """`app/my-alb/50dc6c495c0c9188`: the ARN after `loadbalancer/`."""
    return lb.arn.split(":loadbalancer/", 1)[1]


def tg_dimension(tg: TargetGroup) -> str:
    """`targetgroup/my-tg/73e2d6bc24d8a067`."""
    return tg.arn.split(":", 5)[5]


def publish_health(b: ElbBackend, tg: TargetGroup, lbs: list[LoadBalancer]) -> None:
    """HealthyHostCount and UnHealthyHostCount after a round of checks."""
    healthy = sum(1 for t in tg.targets.values() if t.state == "healthy")
    unhealthy = sum(1 for t in tg.targets.values() if t.state == "unhealthy")
    for lb in lbs:
        dims = {"LoadBalancer": lb_dimension(lb), "TargetGroup": tg_dimension(tg)}
        b.world.put_metric(namespace(lb), "HealthyHostCount", dims, float(healthy), "Count")
        b.world.put_metric(namespace(lb), "UnHealthyHostCount", dims, float(unhealthy), "Count")


def publish_request(
    b: ElbBackend,
    lb: LoadBalancer,
    tg: TargetGroup | None,
    status: int,
    from_target: bool,
    response_time: float,
    size: int,
) -> None:
    """Count one request: RequestCount, HTTPCode_*, TargetResponseTime, RequestCountPerTarget.

    Like ELB, which reports its metrics every 60 seconds, the counts of a minute are kept on the load balancer
    and published as one datapoint per metric when the minute ends (a timer), so a thousand requests do not
    make a thousand datapoints in the saved world.
    """
    lb.hour_requests += 1
    lb.hour_bytes += size
    minute = lb.minute
    if not minute:
        start = b.world.now - (b.world.now % 60)
        b.world.schedule(start + 60 - b.world.now, "elbv2", b.region, "metrics", lb.arn)
    counts, timed, per_target = _keys(lb.arn, tg.arn if tg is not None else "", status, from_target)
    for key in counts:
        entry = minute.get(key)
        if entry is None:
            minute[key] = [1.0, 1.0]
        else:
            entry[0] += 1.0
            entry[1] += 1.0
    for key in timed:
        entry = minute.setdefault(key, [0.0, 0.0])
        entry[0] += response_time
        entry[1] += 1.0
    if per_target and tg is not None:
        # RequestCountPerTarget (Auto Scaling's ALBRequestCountPerTarget): requests over healthy targets.
        healthy = max(1, sum(1 for t in tg.targets.values() if t.state == "healthy"))
        entry = minute.setdefault(per_target, [0.0, 0.0])
        entry[0] += 1.0 / healthy
        entry[1] += 1.0


@lru_cache(maxsize=4096)
def _keys(lb_arn: str, tg_arn: str, status: int, from_target: bool) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """The minute's keys one request adds to: (counted, timed with TargetResponseTime, RequestCountPerTarget).

    HTTPCode_ELB_* and the per-code ELB counts (502, 503, 504, 500) have only the LoadBalancer dimension;
    the target codes and TargetResponseTime also LoadBalancer+TargetGroup (load-balancer-cloudwatch-metrics.html).
    """
    lbd = f"LoadBalancer={lb_arn.split(':loadbalancer/', 1)[1]}"
    klass = f"{status // 100}XX"
    counts = [f"RequestCount|{lbd}"]
    timed = []
    if from_target:
        counts.append(f"HTTPCode_Target_{klass}_Count|{lbd}")
        timed.append(f"TargetResponseTime|{lbd}")
    else:
        counts.append(f"HTTPCode_ELB_{klass}_Count|{lbd}")
        if status in (500, 502, 503, 504):
            counts.append(f"HTTPCode_ELB_{status}_Count|{lbd}")
    per_target = ""
    if tg_arn:
        tgd = f"TargetGroup={tg_arn.split(':', 5)[5]}"
        counts.append(f"RequestCount|{lbd},{tgd}")
        if from_target:
            counts.append(f"HTTPCode_Target_{klass}_Count|{lbd},{tgd}")
            timed.append(f"TargetResponseTime|{lbd},{tgd}")
        per_target = f"RequestCountPerTarget|{tgd}"
    return tuple(counts), tuple(timed), per_target


_UNITS = {"TargetResponseTime": "Seconds", "ProcessedBytes_UDP": "Bytes"}


def count_udp(b: ElbBackend, lb: LoadBalancer, new_flow: bool, size: int) -> None:
    """One datagram through a UDP listener (and its answer): NewFlowCount_UDP when it started a flow,
    ProcessedBytes_UDP with the IPv4 and UDP headers (load-balancer-cloudwatch-metrics.html: NLB metrics are
    reported in 60-second intervals, only when traffic flows), kept per minute like the request counts."""
    lb.hour_bytes += size
    minute = lb.minute
    if not minute:
        start = b.world.now - (b.world.now % 60)
        b.world.schedule(start + 60 - b.world.now, "elbv2", b.region, "metrics", lb.arn)
    lbd = f"LoadBalancer={lb_dimension(lb)}"
    if new_flow:
        entry = minute.setdefault(f"NewFlowCount_UDP|{lbd}", [0.0, 0.0])
        entry[0] += 1.0
        entry[1] += 1.0
    entry = minute.setdefault(f"ProcessedBytes_UDP|{lbd}", [0.0, 0.0])
    entry[0] += float(size)
    entry[1] += 1.0


def flush_minute(b: ElbBackend, lb_arn: str) -> None:
    """Publish the minute's counts (sums; TargetResponseTime as the minute's average), stamped at its start."""
    lb = b.state.load_balancers.get(lb_arn)
    if lb is None or not lb.minute:
        return
    at = b.world.now - 60 if b.world.now % 60 == 0 else b.world.now - (b.world.now % 60)
    for key, (total, count) in sorted(lb.minute.items()):
        name, _, dims = key.partition("|")
        dimensions = dict(part.split("=", 1) for part in dims.split(","))
        value = total / count if name == "TargetResponseTime" else total
        put(b.world.metrics, namespace(lb), name, dimensions, value, at, _UNITS.get(name, "Count"))
    lb.minute = {}


def bill_lcus(b: ElbBackend, lb_arn: str) -> bool | None:
    """Close one billing hour: LCU-hours = the highest dimension used (the hourly timer's work)."""
    lb = b.state.load_balancers.get(lb_arn)
    if lb is None:
        return False
    lcus = max(lb.hour_requests / (NEW_CONNECTIONS_PER_LCU[lb.lb_type] * 3600), lb.hour_bytes / 1e9)
    kind = ("alb" if lb.lb_type == "application" else "nlb") + "-lcu"
    rid = f"{lb.arn}#{int(b.world.now)}"
    if lcus > 0:
        meter = b.world.meter
        open_record(meter, b.world.now, resource_id=rid, region=b.region, kind=kind, unit="lcu", quantity=lcus)
        close_record(meter, b.world.now, resource_id=rid, kind=kind)
    lb.hour_requests = lb.hour_bytes = 0
    return None
