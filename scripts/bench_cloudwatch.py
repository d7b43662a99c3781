#!/usr/bin/env python3
"""Speed figures for CloudWatch in the simulator (scripts/benchlib.py): figure, baseline, ratio, target.

(a) alarm evaluation for 1,000 alarms over one simulated hour: 100 custom metrics (one datapoint each per
    minute through PutMetricData) watched by 10 alarms each (the four TreatMissingData modes, periods of 60 and
    300 s), evaluated every simulated minute (60,000 evaluations). The baseline is the same hour with the same
    datapoints and no alarms, so the difference is what evaluation costs. Target: ≤ 10 s for the hour (a guard;
    the figure is reported per evaluation).
(b) 100 running instances, each with a CPUUtilization alarm (detailed monitoring), through one simulated hour:
    EC2's datapoints are derived when the alarms read them. Baseline: the same hour without alarms (EC2 then
    derives nothing). Reported, with a guard of 10 s.
Run it alone (`.venv/bin/python scripts/bench_cloudwatch.py`) or through `scripts/bench.py`.
"""

from __future__ import annotations

import sys
import time

from benchlib import Targets

from awsprep.sim import World, ec2
from awsprep.sim.ec2.catalog import public_image_id

TARGETS = Targets()
METRICS = 100
PER_METRIC = 10
MODES = ("missing", "notBreaching", "breaching", "ignore")


def _custom(alarms: bool) -> float:
    w = World(seed=1)
    if alarms:
        for m in range(METRICS):
            for a in range(PER_METRIC):
                w.call(
                    "cloudwatch",
                    "PutMetricAlarm",
                    {
                        "AlarmName": f"m{m}-a{a}", "Namespace": "Bench", "MetricName": f"M{m}",
                        "Statistic": "Average", "Period": 60 if a % 2 else 300, "EvaluationPeriods": 3,
                        "DatapointsToAlarm": 2, "Threshold": float(10 * a), "TreatMissingData": MODES[a % 4],
                        "ComparisonOperator": "GreaterThanThreshold",
                    },
                )  # fmt: skip
    start = time.perf_counter()
    for minute in range(60):
        data = [{"MetricName": f"M{m}", "Value": float((m + minute) % 100)} for m in range(METRICS) if minute % 7]
        if data:
            w.call("cloudwatch", "PutMetricData", {"Namespace": "Bench", "MetricData": data})
        w.advance(60)
    return time.perf_counter() - start


def _instances(alarms: bool) -> float:
    w = World(seed=2)
    b = ec2.backend(w)
    b.state.vcpu_quota = 10_000
    ami = public_image_id("us-east-1", "al2023")
    out = w.call("ec2", "RunInstances", {"ImageId": ami, "InstanceType": "t3.micro", "MinCount": 100, "MaxCount": 100})
    ids = [i["InstanceId"] for i in out["Instances"]]
    w.call("ec2", "MonitorInstances", {"InstanceIds": ids})
    w.advance(60)
    for n, iid in enumerate(ids):
        b.add_cpu_job(iid, 1 + n % 2, 600.0 * (1 + n % 4))
        if alarms:
            w.call(
                "cloudwatch",
                "PutMetricAlarm",
                {
                    "AlarmName": f"cpu-{iid}", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
                    "Dimensions": [{"Name": "InstanceId", "Value": iid}], "Statistic": "Average", "Period": 60,
                    "EvaluationPeriods": 3, "Threshold": 70.0, "ComparisonOperator": "GreaterThanThreshold",
                },
            )  # fmt: skip
    start = time.perf_counter()
    w.advance(3600)
    return time.perf_counter() - start


def main() -> int:
    print("# CloudWatch (baselines: the same simulated hour without the alarms)")
    base = min(_custom(False) for _ in range(2))
    measured = min(_custom(True) for _ in range(2))
    evaluations = METRICS * PER_METRIC * 60
    print(
        f"     (a) 1,000 alarms, one simulated hour: {measured * 1000:,.0f} ms ({evaluations:,} evaluations, "
        f"{(measured - base) / evaluations * 1e6:.1f} µs each beyond the datapoints)"
    )
    TARGETS.seconds("(a) 1,000 alarms evaluated over one simulated hour", measured, base, 10.0)
    base = min(_instances(False) for _ in range(2))
    measured = min(_instances(True) for _ in range(2))
    print(f"     (b) 100 instances with CPU alarms, one simulated hour: {measured * 1000:,.0f} ms")
    TARGETS.seconds("(b) 100 EC2 CPU alarms over one simulated hour", measured, base, 10.0)
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main())
