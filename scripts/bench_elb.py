#!/usr/bin/env python3
"""Speed figures for Elastic Load Balancing in the simulator (scripts/benchlib.py): figure, baseline, ratio, target.

(a) requests through an ALB's data plane via the Python API (`elbv2.request`): 20 healthy targets, 50 listener
    rules (49 that do not match, evaluated in order, then the default forward; each request measured on the
    clock, X-Forwarded-* added, in-flight counts kept, metrics counted). Target >= 5,000 requests/s,
    shown as 5,000 requests in <= 1 s; the baseline is the same number of direct requests to one instance's
    web server (`net.serve`), what each forwarded request costs at least.
(b) one simulated hour of health checks: 10 target groups x 10 targets, 10 s interval (36,000 checks); the
    baseline is 36,000 direct requests to the instances' web servers (what each check costs at least).
    Reported; the line's target (60 s) is only a guard against a runaway.
Run it alone (`.venv/bin/python scripts/bench_elb.py`) or through `scripts/bench.py`.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from benchlib import Targets

from awsprep.sim import World, ec2, elbv2
from awsprep.sim.ec2.catalog import public_image_id
from awsprep.sim.net import serve

AMI = public_image_id("us-east-1", "al2023")
REQUESTS = 5_000
TARGETS = Targets()


def _estate(instances: int, groups: int, interval: int, rules: int) -> tuple[World, str, list[str], list[str]]:
    w = World(seed=1)
    c = w.call
    ec2.backend(w).state.vcpu_quota = 10_000  # a bench account with a raised On-Demand vCPU quota
    vpc = ec2.default_vpc(w, "us-east-1").vpc_id
    subnets = sorted(ec2.subnets(w, "us-east-1", vpc), key=lambda s: s.az)[:2]
    lb_sg = c("ec2", "CreateSecurityGroup", {"GroupName": "lb", "Description": "lb"})["GroupId"]
    c(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": lb_sg, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    )
    web = c("ec2", "CreateSecurityGroup", {"GroupName": "web", "Description": "web"})["GroupId"]
    pair: dict[str, Any] = {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": lb_sg}]}
    c("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": web, "IpPermissions": [pair]})
    ids: list[str] = []
    for i in range(instances):
        params = {
            "ImageId": AMI,
            "InstanceType": "t3.micro",
            "MinCount": 1,
            "MaxCount": 1,
            "SecurityGroupIds": [web],
            "SubnetId": subnets[i % 2].subnet_id,
        }
        ids.append(c("ec2", "RunInstances", params)["Instances"][0]["InstanceId"])
    w.advance(30)
    for iid in ids:
        ec2.backend(w).serve_http(iid, 80, f"hello from {iid}\n")
    tgs = []
    per = max(1, instances // max(groups, 1))
    for g in range(groups):
        tg = c(
            "elbv2",
            "CreateTargetGroup",
            {"Name": f"tg-{g}", "Protocol": "HTTP", "Port": 80, "VpcId": vpc, "HealthCheckIntervalSeconds": interval},
        )["TargetGroups"][0]["TargetGroupArn"]
        c(
            "elbv2",
            "RegisterTargets",
            {"TargetGroupArn": tg, "Targets": [{"Id": i} for i in ids[g * per : (g + 1) * per]]},
        )
        tgs.append(tg)
    lb = c(
        "elbv2",
        "CreateLoadBalancer",
        {"Name": "bench", "Subnets": [s.subnet_id for s in subnets], "SecurityGroups": [lb_sg]},
    )["LoadBalancers"][0]["LoadBalancerArn"]
    listener = c(
        "elbv2",
        "CreateListener",
        {
            "LoadBalancerArn": lb,
            "Protocol": "HTTP",
            "Port": 80,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": tgs[0]}],
        },
    )["Listeners"][0]["ListenerArn"]
    for g, tg in enumerate(tgs[1:], start=1):  # every group in use, so every group is health checked
        c(
            "elbv2",
            "CreateRule",
            {
                "ListenerArn": listener,
                "Priority": g,
                "Conditions": [{"Field": "path-pattern", "Values": [f"/group-{g}/*"]}],
                "Actions": [{"Type": "forward", "TargetGroupArn": tg}],
            },
        )
    for r in range(len(tgs), rules + 1):
        c(
            "elbv2",
            "CreateRule",
            {
                "ListenerArn": listener,
                "Priority": r,
                "Conditions": [{"Field": "path-pattern", "Values": [f"/never-{r}/*"]}],
                "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}],
            },
        )
    return w, lb, tgs, ids


def data_plane() -> None:
    w, lb, tgs, ids = _estate(20, 1, 10, 50)
    w.advance(200)
    assert elbv2.target_states(w, "us-east-1", tgs[0]) == dict.fromkeys(ids, "healthy")
    assert elbv2.request(w, lb, "/").status == 200

    def through_lb() -> None:
        for _ in range(REQUESTS):
            elbv2.request(w, lb, "/index.html?q=1")

    def direct() -> None:
        for _ in range(REQUESTS):
            serve(w, ids[0], 80, "GET", "/")

    # Interleaved rounds, best of each: a loaded machine slows both sides of the same round alike, so the
    # ratio stays meaningful when other work shares the CPU (the figure once missed under load).
    lb_times, base_times = [], []
    for _ in range(5):
        lb_times.append(_timed(through_lb))
        base_times.append(_timed(direct))
    lb_time, base = min(lb_times), min(base_times)
    print(f"     ({REQUESTS / lb_time:,.0f} requests/s through the ALB, 20 targets, 50 rules)")
    TARGETS.seconds(f"{REQUESTS:,} ALB requests, 20 targets, 50 rules", lb_time, base, 1.0)


def health_hour() -> None:
    w, _lb, tgs, ids = _estate(100, 10, 10, 10)
    w.advance(200)
    count = len(tgs) * 10 * 360
    checks = _timed(lambda: w.advance(3600))
    base = _timed(lambda: [serve(w, ids[i % len(ids)], 80, "GET", "/") for i in range(count)])
    states = [s for tg in tgs for s in elbv2.target_states(w, "us-east-1", tg).values()]
    print(f"     ({count:,} checks in one simulated hour; {states.count('healthy')} targets healthy at the end)")
    TARGETS.seconds("one simulated hour of checks, 10 TGs x 10 targets, 10 s", checks, base, 60.0)


def _timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    print("# Elastic Load Balancing (scripts/bench_elb.py)")
    data_plane()
    health_hour()
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main())
