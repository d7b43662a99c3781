"""The responses the one-call-per-operation shape test does not produce, against botocore's output shapes: an
NLB with Elastic IPs and TLS listener, UDP, Lambda and ip groups, every condition config, a weighted sticky
forward, redirects and fixed responses, draining and unknown targets, paged describes."""

from __future__ import annotations

from typing import Any

import botocore.session

from awsprep.sim import World
from tests.sim.elb_helpers import call, estate
from tests.sim.shapes import check_shape
from tests.sim.test_elbv2_nlb import _nlb

MODEL = botocore.session.get_session().get_service_model("elbv2")
CERT = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"


def checked(world: World, op: str, **params: Any) -> dict[str, Any]:
    out = world.call("elbv2", op, params)
    check_shape(out, MODEL.operation_model(op).output_shape, op)
    return out


def test_nlb_tls_udp_lambda_and_ip_responses_match_their_shapes(world: World) -> None:
    e, lb, _ips = _nlb(world, "203.0.113.25/32")
    world.advance(200)
    described = checked(world, "DescribeLoadBalancers")["LoadBalancers"][0]
    assert all(z["LoadBalancerAddresses"][0]["AllocationId"] for z in described["AvailabilityZones"])
    checked(
        world,
        "CreateListener",
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="TLS",
        Port=443,
        Certificates=[{"CertificateArn": CERT}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )
    checked(world, "DescribeListeners", LoadBalancerArn=lb["LoadBalancerArn"])
    checked(world, "CreateTargetGroup", Name="dns", Protocol="UDP", Port=53, VpcId=e.vpc)
    checked(world, "CreateTargetGroup", Name="fn", TargetType="lambda")
    checked(world, "CreateTargetGroup", Name="ips", TargetType="ip", Protocol="HTTP", Port=80, VpcId=e.vpc)
    checked(world, "DescribeTargetGroups")
    checked(world, "DescribeTargetHealth", TargetGroupArn=e.tg)
    checked(world, "DescribeLoadBalancerAttributes", LoadBalancerArn=lb["LoadBalancerArn"])
    checked(world, "DescribeTargetGroupAttributes", TargetGroupArn=e.tg)


def test_alb_rules_with_every_condition_and_action_and_draining_targets_match(world: World) -> None:
    e = estate(world)
    world.advance(200)
    other = call(world, "CreateTargetGroup", Name="two", Protocol="HTTP", Port=80, VpcId=e.vpc)["TargetGroups"][0]
    checked(
        world,
        "CreateListener",
        LoadBalancerArn=e.lb,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": CERT}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )
    conditions = [
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}},
        {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Env", "Values": ["blue"]}},
        {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}},
        {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}]}},
        {"Field": "source-ip", "SourceIpConfig": {"Values": ["203.0.113.0/24"]}},
    ]
    weighted = {
        "TargetGroups": [
            {"TargetGroupArn": e.tg, "Weight": 90},
            {"TargetGroupArn": other["TargetGroupArn"], "Weight": 10},
        ],
        "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 300},
    }
    checked(world, "CreateRule", ListenerArn=e.listener, Priority=5, Conditions=conditions,
            Actions=[{"Type": "forward", "ForwardConfig": weighted}])  # fmt: skip
    redirect = {"Protocol": "HTTPS", "Port": "443", "Path": "/new/#{path}", "StatusCode": "HTTP_302"}
    checked(world, "CreateRule", ListenerArn=e.listener, Priority=6,
            Conditions=[{"Field": "path-pattern", "Values": ["/old/*"]}],
            Actions=[{"Type": "redirect", "RedirectConfig": redirect}])  # fmt: skip
    fixed = {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "no"}
    checked(world, "CreateRule", ListenerArn=e.listener, Priority=7,
            Conditions=[{"Field": "path-pattern", "Values": ["/x"]}],
            Actions=[{"Type": "fixed-response", "FixedResponseConfig": fixed}])  # fmt: skip
    assert len(checked(world, "DescribeRules", ListenerArn=e.listener)["Rules"]) == 4
    checked(world, "DescribeListeners", LoadBalancerArn=e.lb)
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[0]}])
    checked(world, "DescribeTargetHealth", TargetGroupArn=e.tg)  # one draining
    checked(world, "DescribeTargetHealth", TargetGroupArn=other["TargetGroupArn"])
    checked(world, "DescribeTargetHealth", TargetGroupArn=e.tg, Targets=[{"Id": "i-0123456789abcdef0"}])
    assert "NextMarker" in checked(world, "DescribeTargetGroups", PageSize=1)
    checked(world, "DescribeLoadBalancers", PageSize=1)
    checked(world, "DescribeTags", ResourceArns=[e.listener, e.tg])
