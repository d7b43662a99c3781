"""The NLB's UDP data plane: datagrams through a UDP (or TCP_UDP) listener to a DNS server on the targets, by flow
hash with flow stickiness (network/introduction.html), the client's address preserved for UDP target groups
(edit-target-group-attributes.html) and judged by the targets' security groups, nothing answered when nothing
can answer; the guest's named (ec2/dns.py) answering as BIND does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from awsprep.sim import World, ec2, elbv2
from awsprep.sim.ec2.catalog import public_image_id
from awsprep.sim.ec2.dns import query_size
from awsprep.sim.net import Outcome, http_request, udp_request

LAPTOP = "203.0.113.25"
ZONE = {
    "listen": ["any"],
    "allow": ["any"],
    "recursion": False,
    "zones": {
        "example.internal.": [
            ["example.internal.", 300, "SOA", "ns1.example.internal. admin.example.internal. 1 3600 900 604800 300"],
            ["app.example.internal.", 300, "A", "192.0.2.10"],
            ["www.example.internal.", 300, "CNAME", "app.example.internal."],
        ]
    },
}


@dataclass
class Udp:
    world: World
    sg: str
    ids: list[str]
    lb: str
    tg: str
    dns: str
    nodes: dict[str, str]  # zone -> node address


def _estate(listener: str = "UDP", register: bool = True, lb_rule: str | None = "-") -> Udp:
    """Two DNS servers behind an NLB; `lb_rule` gives the NLB a security group with no rule (None) or a UDP 53
    rule for the laptop ("udp"); "-": no security group at all (the default)."""
    world = World(seed=3)
    c = world.call
    vpc = ec2.default_vpc(world, "us-east-1").vpc_id
    subs = sorted(ec2.subnets(world, "us-east-1", vpc), key=lambda s: s.az)[:2]
    sg = c("ec2", "CreateSecurityGroup", {"GroupName": "dns", "Description": "dns"})["GroupId"]
    rules = [
        {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": f"{LAPTOP}/32"}]},
        {"IpProtocol": "tcp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "172.31.0.0/16"}]},
    ]
    c("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": sg, "IpPermissions": rules})
    ids = []
    for s in subs:
        run = {"ImageId": public_image_id("us-east-1", "al2023"), "InstanceType": "t3.micro", "MinCount": 1}
        run |= {"MaxCount": 1, "SubnetId": s.subnet_id, "SecurityGroupIds": [sg]}
        ids.append(c("ec2", "RunInstances", run)["Instances"][0]["InstanceId"])
    world.advance(30)
    b = ec2.backend(world)
    for iid in ids:
        b.instance(iid).guest["dns"] = json.loads(json.dumps(ZONE))
        b.serve_udp(iid, 53, "named", tcp=True)
    params: dict[str, Any] = {"Name": "udp-nlb", "Type": "network", "Subnets": [s.subnet_id for s in subs]}
    if lb_rule != "-":
        lb_sg = c("ec2", "CreateSecurityGroup", {"GroupName": "nlb", "Description": "nlb"})["GroupId"]
        params["SecurityGroups"] = [lb_sg]
        if lb_rule == "udp":
            c("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": lb_sg, "IpPermissions": rules[:1]})
    lb = c("elbv2", "CreateLoadBalancer", params)["LoadBalancers"][0]
    tg = c("elbv2", "CreateTargetGroup", {"Name": "dns", "Protocol": listener, "Port": 53, "VpcId": vpc})
    arn = tg["TargetGroups"][0]["TargetGroupArn"]
    if register:
        c("elbv2", "RegisterTargets", {"TargetGroupArn": arn, "Targets": [{"Id": i} for i in ids]})
    action = [{"Type": "forward", "TargetGroupArn": arn}]
    c("elbv2", "CreateListener", {"LoadBalancerArn": lb["LoadBalancerArn"], "Protocol": listener, "Port": 53,
                                  "DefaultActions": action})  # fmt: skip
    world.advance(400)
    described = c("elbv2", "DescribeLoadBalancers", {"LoadBalancerArns": [lb["LoadBalancerArn"]]})["LoadBalancers"]
    nodes = {z["ZoneName"]: z["LoadBalancerAddresses"][0]["IpAddress"] for z in described[0]["AvailabilityZones"]}
    return Udp(world, sg, ids, lb["LoadBalancerArn"], arn, lb["DNSName"], nodes)


def _ask(u: Udp, host: str, name: str = "app.example.internal", port: int = 40000, **q: str) -> Any:
    query = json.dumps({"id": 7, "name": name, "type": q.get("qtype", "A"), "class": q.get("qclass", "IN")})
    return udp_request(u.world, host, 53, query, query_size(name), client_port=port)


def _target_of(u: Udp, reply: Any) -> str:
    return str(reply.answered_by).split(":")[0]


def test_a_query_through_the_udp_listener_is_answered_by_a_target_in_the_nodes_zone() -> None:
    u = _estate()
    assert set(elbv2.target_states(u.world, "us-east-1", u.tg).values()) == {"healthy"}  # TCP checks on 53
    b = ec2.backend(u.world)
    for zone, node_ip in u.nodes.items():
        reach, reply = _ask(u, node_ip)
        assert reach.outcome is Outcome.CONNECTED and reply.data is not None
        answer = json.loads(reply.data)
        assert answer["status"] == "NOERROR" and "aa" in answer["flags"]
        assert answer["answer"] == [["app.example.internal.", 300, "IN", "A", "192.0.2.10"]]
        target = _target_of(u, reply)
        assert b.instance(target).az == zone  # cross-zone is off by default on an NLB
        assert any(f"the target sees the datagram from {LAPTOP}:40000" in line for line in reply.trace)
        seen = [t for t in elbv2.backend(u.world).state.target_groups[u.tg].targets.values() if t.target_id == target]
        assert seen[0].last_client == LAPTOP  # client IP preserved (always, for UDP)


def test_a_flow_sticks_to_its_target_and_other_flows_spread() -> None:
    u = _estate()
    u.world.call(
        "elbv2",
        "ModifyLoadBalancerAttributes",
        {"LoadBalancerArn": u.lb, "Attributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]},
    )
    node = u.nodes["us-east-1a"]
    first = _target_of(u, _ask(u, node, port=53001)[1])
    for _ in range(10):
        u.world.advance(5)
        assert _target_of(u, _ask(u, node, port=53001)[1]) == first  # one flow, one target
    flows = {p: _target_of(u, _ask(u, node, port=40000 + p)[1]) for p in range(20)}
    assert set(flows.values()) == set(u.ids)  # new source ports are new flows: both targets answer some
    # A third target joins: live flows stay where they are (the hash alone would move about a third of them);
    # flows idle past the UDP idle timeout are hashed again over the three.
    third = _add_target(u)
    kept = {p: _target_of(u, _ask(u, node, port=40000 + p)[1]) for p in range(20)}
    assert kept == flows
    u.world.advance(121)
    rehashed = {p: _target_of(u, _ask(u, node, port=40000 + p)[1]) for p in range(20)}
    assert third in rehashed.values() and rehashed != flows


def _add_target(u: Udp) -> str:
    """A third DNS server in us-east-1a, registered and healthy (the flows above keep sending meanwhile)."""
    vpc = ec2.default_vpc(u.world, "us-east-1").vpc_id
    subnet = sorted(ec2.subnets(u.world, "us-east-1", vpc), key=lambda s: s.az)[0].subnet_id
    run = {"ImageId": public_image_id("us-east-1", "al2023"), "InstanceType": "t3.micro", "MinCount": 1}
    run |= {"MaxCount": 1, "SubnetId": subnet, "SecurityGroupIds": [u.sg]}
    iid = str(u.world.call("ec2", "RunInstances", run)["Instances"][0]["InstanceId"])
    u.world.advance(30)
    b = ec2.backend(u.world)
    b.instance(iid).guest["dns"] = json.loads(json.dumps(ZONE))
    b.serve_udp(iid, 53, "named", tcp=True)
    u.world.call("elbv2", "RegisterTargets", {"TargetGroupArn": u.tg, "Targets": [{"Id": iid}]})
    for _ in range(6):  # keep the flows alive while the new target passes its health checks
        u.world.advance(60)
        for p in range(20):
            _ask(u, u.nodes["us-east-1a"], port=40000 + p)
    assert elbv2.target_states(u.world, "us-east-1", u.tg)[iid] == "healthy"
    return iid


def test_the_targets_security_group_judges_the_client_for_udp() -> None:
    u = _estate()
    u.world.call(
        "ec2",
        "RevokeSecurityGroupIngress",
        {"GroupId": u.sg, "IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "CidrIp": f"{LAPTOP}/32"},
    )
    reach, reply = _ask(u, u.nodes["us-east-1a"])
    assert reach.outcome is Outcome.CONNECTED  # the node took it (no security group on this NLB)
    assert reply.data is None and any("dropped the datagram" in line for line in reply.trace)
    u.world.advance(120)
    assert set(elbv2.target_states(u.world, "us-east-1", u.tg).values()) == {"healthy"}  # TCP checks still pass


def test_no_registered_target_and_no_listener_give_no_answer() -> None:
    u = _estate(register=False)
    reach, reply = _ask(u, u.nodes["us-east-1a"])
    assert reply.data is None and any("has no target" in line for line in reply.trace)
    query = json.dumps({"id": 1, "name": "app.example.internal"})
    reach, reply = udp_request(u.world, u.nodes["us-east-1a"], 5353, query, 40, client_port=1)
    assert reach.outcome is Outcome.TIMEOUT and reply is None  # a load balancer sends no port unreachable


def test_an_nlb_security_group_without_a_udp_rule_drops_the_datagram() -> None:
    closed = _estate(lb_rule=None)
    reach, reply = _ask(closed, closed.nodes["us-east-1a"])
    assert reach.outcome is Outcome.TIMEOUT and reply is None
    open_ = _estate(lb_rule="udp")
    assert _ask(open_, open_.nodes["us-east-1a"])[1].data is not None


def test_a_tcp_udp_listener_carries_both() -> None:
    u = _estate(listener="TCP_UDP")
    _, reply = _ask(u, u.nodes["us-east-1b"])
    assert reply.data is not None and json.loads(reply.data)["answer"][0][4] == "192.0.2.10"
    tcp, _ = http_request(u.world, u.nodes["us-east-1b"], 53)
    assert tcp.outcome is Outcome.CONNECTED  # the TCP side of the same listener reaches named's TCP port


def test_named_answers_as_bind_does() -> None:
    u = _estate()
    node = u.nodes["us-east-1a"]
    missing = json.loads(_ask(u, node, "nothere.example.internal")[1].data)
    assert missing["status"] == "NXDOMAIN" and missing["authority"][0][3] == "SOA"
    alias = json.loads(_ask(u, node, "www.example.internal")[1].data)
    assert [r[3] for r in alias["answer"]] == ["CNAME", "A"]
    outside = json.loads(_ask(u, node, "example.com")[1].data)
    assert outside["status"] == "REFUSED"  # not its zone, recursion off
    host = json.loads(_ask(u, node, "hostname.bind", qtype="TXT", qclass="CH")[1].data)
    assert host["answer"][0][4].startswith('"ip-172-31-')
    b = ec2.backend(u.world)
    for iid in u.ids:
        b.instance(iid).guest["dns"]["allow"] = ["localhost"]  # AL2023's default allow-query
    assert json.loads(_ask(u, node)[1].data)["status"] == "REFUSED"


def test_direct_to_an_instance_closed_port_refuses_and_the_datagrams_count_in_network_in() -> None:
    u = _estate()
    b = ec2.backend(u.world)
    iid = u.ids[0]
    public = b.public_address(b.instance(iid))
    assert public is not None
    reach, reply = _ask(u, public)
    assert reply.data is not None  # the laptop may query it directly too (its rule admits the laptop)
    b.instance(iid).guest["dns"]["listen"] = ["127.0.0.1"]  # named on localhost only (AL2023's default)
    reach, reply = _ask(u, public)
    assert reach.outcome is Outcome.REFUSED and reply is None  # the instance's ICMP port unreachable
    from awsprep.sim.cloudwatch.sources import refresh
    from awsprep.sim.core.metrics import statistics

    u.world.advance(600)
    refresh(u.world, "us-east-1", "AWS/EC2")
    points = statistics(
        u.world.metrics, "AWS/EC2", "NetworkPacketsIn", {"InstanceId": iid}, 0, u.world.now, 86400, ["Sum"]
    )
    assert points and points[0].values["Sum"] == 1  # the datagram named answered (the refused one is not counted)


def test_udp_flows_survive_a_snapshot() -> None:
    u = _estate()
    node = u.nodes["us-east-1a"]
    first = _target_of(u, _ask(u, node, port=53001)[1])
    u.world = World.load(u.world.save())
    assert _target_of(u, _ask(u, node, port=53001)[1]) == first


def test_the_nlb_reports_new_udp_flows_and_processed_bytes() -> None:
    u = _estate()
    u.world.advance(60 - u.world.now % 60)
    start = u.world.now
    node = u.nodes["us-east-1a"]
    sizes = []
    for port in (53001, 53001, 53001, 53002, 53003):  # three flows, five datagrams and five answers
        reply = _ask(u, node, port=port)[1]
        sizes.append(query_size("app.example.internal") + reply.size + 2 * 28)
    u.world.advance(61)
    lb_dim = u.lb.split(":loadbalancer/", 1)[1]
    got: dict[str, Any] = {}
    for name in ("NewFlowCount_UDP", "ProcessedBytes_UDP"):
        out = u.world.call(
            "cloudwatch",
            "GetMetricStatistics",
            {
                "Namespace": "AWS/NetworkELB",
                "MetricName": name,
                "Dimensions": [{"Name": "LoadBalancer", "Value": lb_dim}],
                "StartTime": datetime.fromtimestamp(start, UTC),
                "EndTime": datetime.fromtimestamp(start + 60, UTC),
                "Period": 60,
                "Statistics": ["Sum"],
            },
        )
        got[name] = out["Datapoints"][0]
    assert got["NewFlowCount_UDP"]["Sum"] == 3.0
    assert got["ProcessedBytes_UDP"]["Sum"] == sum(sizes) and got["ProcessedBytes_UDP"]["Unit"] == "Bytes"


def test_stopping_named_fails_the_tcp_health_check_and_starting_it_recovers() -> None:
    u = _estate()
    b = ec2.backend(u.world)
    b.stop_serving_udp(u.ids[0], 53)  # `systemctl stop named`: UDP 53 and TCP 53 close
    u.world.advance(120)
    states = elbv2.target_states(u.world, "us-east-1", u.tg)
    assert states[u.ids[0]] == "unhealthy" and states[u.ids[1]] == "healthy"
    b.serve_udp(u.ids[0], 53, "named", tcp=True)
    u.world.advance(300)
    assert elbv2.target_states(u.world, "us-east-1", u.tg)[u.ids[0]] == "healthy"
