#!/usr/bin/env python3
"""Speed figure for EC2 Auto Scaling in the simulator (scripts/benchlib.py): figure, baseline, ratio, target.

One simulated day of a 100-instance group with a target tracking policy on ASGAverageCPUUtilization (target
50 %) and a demand that changes every hour (10 to 50 busy instances over the day, shared by the instances
running at the hour), so the group scales out and in through the day:
(a) behind an ALB target group with ELB health checks (every 30 s): the day in <= 6 s (0.25 s per simulated
    hour; the issue asks for well under 1 s). A check reuses its target's last result while nothing it reads has
    changed (elbv2/checkmemo.py), so ELB now costs little beyond (b); before that a profile showed > 95 % of the
    day in elbv2/health.py. The baseline is the same day for 100 plain instances in the same kind of target group;
(b) the same group with EC2 health checks only, what Auto Scaling itself costs: the day in <= 6 s (0.25 s per
    simulated hour); the baseline is 100 plain instances.
Run it alone (`.venv/bin/python scripts/bench_asg.py`) or through `scripts/bench.py`.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

from benchlib import Targets

from awsprep.sim import World, ec2
from awsprep.sim.core.events import SimEvent
from awsprep.sim.ec2.catalog import public_image_id

AMI = public_image_id("us-east-1", "al2023")
SIZE = 100
TARGETS = Targets()


def _serve(world: World, event: SimEvent) -> None:
    if event.kind == "instance-state" and event.detail.get("current") == "running":
        ec2.backend(world).serve_http(event.resource_id, 80, "ok\n")


def _estate(with_group: bool, elb: bool = True) -> tuple[World, str]:
    w = World(seed=1)
    w.watch(_serve)
    c = w.call
    ec2.backend(w).state.vcpu_quota = 10_000  # a bench account with a raised On-Demand vCPU quota
    vpc = ec2.default_vpc(w, "us-east-1").vpc_id
    subnets = [s.subnet_id for s in sorted(ec2.subnets(w, "us-east-1", vpc), key=lambda s: s.az)[:3]]
    tg = c("elbv2", "CreateTargetGroup", {"Name": "web", "Protocol": "HTTP", "Port": 80, "VpcId": vpc})["TargetGroups"][
        0
    ]["TargetGroupArn"]
    lb = c("elbv2", "CreateLoadBalancer", {"Name": "bench", "Subnets": subnets[:2]})["LoadBalancers"][0]
    c(
        "elbv2",
        "CreateListener",
        {
            "LoadBalancerArn": lb["LoadBalancerArn"],
            "Protocol": "HTTP",
            "Port": 80,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg}],
        },
    )
    if with_group:
        data = {"ImageId": AMI, "InstanceType": "t3.micro"}
        c("ec2", "CreateLaunchTemplate", {"LaunchTemplateName": "web", "LaunchTemplateData": data})
        params: dict[str, Any] = {
            "AutoScalingGroupName": "web",
            "LaunchTemplate": {"LaunchTemplateName": "web", "Version": "$Latest"},
            "MinSize": 20,
            "MaxSize": SIZE,
            "DesiredCapacity": SIZE,
            "VPCZoneIdentifier": ",".join(subnets),
            "TargetGroupARNs": [tg] if elb else [],
            "HealthCheckType": "ELB" if elb else "EC2",
            "HealthCheckGracePeriod": 120,
            "DefaultInstanceWarmup": 120,
        }
        c("autoscaling", "CreateAutoScalingGroup", params)
        tracking = {
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 50.0,
        }
        c(
            "autoscaling",
            "PutScalingPolicy",
            {
                "AutoScalingGroupName": "web",
                "PolicyName": "cpu50",
                "PolicyType": "TargetTrackingScaling",
                "TargetTrackingConfiguration": tracking,
            },
        )
    else:
        ids = [
            c(
                "ec2",
                "RunInstances",
                {"ImageId": AMI, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1, "SubnetId": subnets[i % 3]},
            )["Instances"][0]["InstanceId"]
            for i in range(SIZE)
        ]
        w.advance(30)
        if elb:
            c("elbv2", "RegisterTargets", {"TargetGroupArn": tg, "Targets": [{"Id": i} for i in ids]})
    w.advance(300)
    return w, tg


def _day(w: World) -> tuple[float, list[int]]:
    """Advance 24 hours, setting every running instance's load once an hour; returns time and desired sizes."""
    b = ec2.backend(w)
    sizes = []
    elapsed = 0.0
    for hour in range(24):
        # The day's demand, in instances kept busy: 10 to 50, shared by the instances running at the hour.
        demand = 30 + 20 * math.sin(hour / 24 * 2 * math.pi)
        running = [i for i in b.state.instances.values() if i.state == "running"]
        for inst in running:
            b.set_cpu_load(inst.instance_id, min(100.0, 100.0 * demand / max(1, len(running))))
        start = time.perf_counter()
        w.advance(3600)
        elapsed += time.perf_counter() - start
        if w.has_region_state("autoscaling", "us-east-1"):
            sizes.append(
                w.call("autoscaling", "DescribeAutoScalingGroups", {})["AutoScalingGroups"][0]["DesiredCapacity"]
            )
    return elapsed, sizes


def main() -> int:
    print("# EC2 Auto Scaling (scripts/bench_asg.py)")
    for elb in (True, False):
        w, _tg = _estate(with_group=True, elb=elb)
        day, sizes = _day(w)
        base, _ = _day(_estate(with_group=False, elb=elb)[0])
        acts = len(w.call("autoscaling", "DescribeScalingActivities", {"AutoScalingGroupName": "web"})["Activities"])
        print(
            f"     ({day / 24 * 1000:.0f} ms per simulated hour; desired capacity by hour {sizes}; {acts} activities)"
        )
        if elb:
            TARGETS.seconds("one day, 100-instance group, TT + ELB checks (0.25 s/h)", day, base, 6.0)
        else:
            TARGETS.seconds("one day, 100-instance group, TT + EC2 checks (0.25 s/h)", day, base, 6.0)
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main())
