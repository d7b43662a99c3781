"""A small ELB estate for tests: two web servers in two AZs behind an ALB."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from awsprep.sim import World, ec2
from awsprep.sim.ec2.catalog import public_image_id


@dataclass
class Estate:
    world: World
    vpc: str
    subnets: list[str]
    lb_sg: str
    web_sg: str
    instances: list[str]
    tg: str = ""
    lb: str = ""
    dns: str = ""
    listener: str = ""


def call(world: World, op: str, **params: Any) -> dict[str, Any]:
    return world.call("elbv2", op, params)


def estate(world: World, admit: str = "lb", interval: int = 10, build: bool = True) -> Estate:
    """Instances serving pages; their SG admits the LB's SG (`admit="lb"`) or only the laptop (`"laptop"`)."""
    c = world.call
    vpc = ec2.default_vpc(world, "us-east-1").vpc_id
    subs = sorted(ec2.subnets(world, "us-east-1", vpc), key=lambda s: s.az)[:2]
    lb_sg = c("ec2", "CreateSecurityGroup", {"GroupName": "lb", "Description": "lb"})["GroupId"]
    c(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": lb_sg, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    )
    web_sg = c("ec2", "CreateSecurityGroup", {"GroupName": "web", "Description": "web"})["GroupId"]
    peer: dict[str, Any] = (
        {"UserIdGroupPairs": [{"GroupId": lb_sg}]} if admit == "lb" else {"IpRanges": [{"CidrIp": "203.0.113.25/32"}]}
    )
    c(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": web_sg, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, **peer}]},
    )
    ids = []
    for s in subs:
        out = c(
            "ec2",
            "RunInstances",
            {
                "ImageId": public_image_id("us-east-1", "al2023"),
                "InstanceType": "t3.micro",
                "MinCount": 1,
                "MaxCount": 1,
                "SubnetId": s.subnet_id,
                "SecurityGroupIds": [web_sg],
            },
        )
        ids.append(out["Instances"][0]["InstanceId"])
    world.advance(30)
    for i in ids:
        ec2.backend(world).serve_http(i, 80, f"hello from {i}\n")
    e = Estate(world, vpc, [s.subnet_id for s in subs], lb_sg, web_sg, ids)
    if build:
        e.tg = call(
            world,
            "CreateTargetGroup",
            Name="web",
            Protocol="HTTP",
            Port=80,
            VpcId=vpc,
            HealthCheckIntervalSeconds=interval,
        )["TargetGroups"][0]["TargetGroupArn"]
        lb = call(world, "CreateLoadBalancer", Name="my-alb", Subnets=e.subnets, SecurityGroups=[lb_sg])[
            "LoadBalancers"
        ][0]
        e.lb, e.dns = lb["LoadBalancerArn"], lb["DNSName"]
        call(world, "RegisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": i} for i in ids])
        e.listener = call(
            world,
            "CreateListener",
            LoadBalancerArn=e.lb,
            Protocol="HTTP",
            Port=80,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
        )["Listeners"][0]["ListenerArn"]
    return e


def states(world: World, tg: str) -> list[tuple[str, str | None]]:
    out = call(world, "DescribeTargetHealth", TargetGroupArn=tg)["TargetHealthDescriptions"]
    return [(d["TargetHealth"]["State"], d["TargetHealth"].get("Reason")) for d in out]


CERTIFICATE = "arn:aws:acm:us-east-1:111122223333:certificate/1234"


def https_listener(world: World, e: Estate, default_actions: list[dict[str, Any]]) -> str:
    """An HTTPS:443 listener on the estate's ALB (any certificate ARN will do: TLS is not real); its ARN."""
    return str(
        call(
            world,
            "CreateListener",
            LoadBalancerArn=e.lb,
            Protocol="HTTPS",
            Port=443,
            Certificates=[{"CertificateArn": CERTIFICATE}],
            DefaultActions=default_actions,
        )["Listeners"][0]["ListenerArn"]
    )
