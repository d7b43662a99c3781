"""Network Load Balancers: a static address per AZ (or the Elastic IPs given), TCP pass-through, the client's
address preserved, cross-zone off by default."""

from __future__ import annotations

from typing import Any

from awsprep.sim import World
from awsprep.sim.net import Outcome, http_request
from tests.sim.elb_helpers import call, estate, states


def _nlb(world: World, client_cidr: str) -> tuple[Any, dict[str, Any], list[str]]:
    e = estate(world, build=False)
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {
            "GroupId": e.web_sg,
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": client_cidr}]}
            ],
        },
    )
    eips = [world.call("ec2", "AllocateAddress", {"Domain": "vpc"}) for _ in e.subnets]
    mappings = [{"SubnetId": s, "AllocationId": a["AllocationId"]} for s, a in zip(e.subnets, eips, strict=True)]
    lb = call(world, "CreateLoadBalancer", Name="my-nlb", Type="network", SubnetMappings=mappings)["LoadBalancers"][0]
    tg = call(
        world,
        "CreateTargetGroup",
        Name="tcp",
        Protocol="TCP",
        Port=80,
        VpcId=e.vpc,
        HealthCheckIntervalSeconds=10,
        HealthCheckTimeoutSeconds=5,
    )["TargetGroups"][0]["TargetGroupArn"]
    call(world, "RegisterTargets", TargetGroupArn=tg, Targets=[{"Id": i} for i in e.instances])
    call(
        world,
        "CreateListener",
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="TCP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}],
    )
    e.tg = tg
    return e, lb, [a["PublicIp"] for a in eips]


def test_the_elastic_ips_are_the_nodes_addresses_and_the_client_ip_is_preserved(world: World) -> None:
    _e, lb, ips = _nlb(world, "203.0.113.25/32")
    assert lb["DNSName"].startswith("my-nlb-") and lb["DNSName"].endswith(".elb.us-east-1.amazonaws.com")
    assert [z["LoadBalancerAddresses"][0]["IpAddress"] for z in lb["AvailabilityZones"]] == ips
    assert "SecurityGroups" not in lb  # no groups: nothing filters what reaches the nodes
    world.advance(200)
    reach, resp = http_request(world, ips[0], 80)
    assert reach.outcome is Outcome.CONNECTED and resp is not None and resp.status == 200
    assert "awselb" not in str(resp.headers)  # layer 4: the target answers itself
    assert any("sees the connection from 203.0.113.25" in t for t in resp.trace)


def test_a_target_group_admitting_only_the_vpc_passes_checks_but_drops_clients(world: World) -> None:
    e, lb, _ips = _nlb(world, "172.31.0.0/16")
    world.advance(200)
    assert [s for s, _ in states(world, e.tg)] == ["healthy", "healthy"]  # checks come from the nodes' addresses
    reach, resp = http_request(world, lb["DNSName"], 80)
    assert reach.outcome is Outcome.CONNECTED and resp is not None and resp.status == 0 and resp.elapsed > 0
    attrs = {
        a["Key"]: a["Value"]
        for a in call(world, "DescribeLoadBalancerAttributes", LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]
    }
    assert attrs["load_balancing.cross_zone.enabled"] == "false"


def test_cross_zone_off_keeps_traffic_in_the_nodes_zone(world: World) -> None:
    e, lb, _ips = _nlb(world, "203.0.113.25/32")
    world.advance(200)
    answered = {http_request(world, lb["DNSName"], 80)[1].answered_by for _ in range(6)}  # type: ignore[union-attr]
    assert answered == {f"{i}:80" for i in e.instances}  # each node serves its own zone's target
