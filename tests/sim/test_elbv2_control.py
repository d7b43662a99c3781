"""ELBv2 control plane (spec §1.2): load balancers, listeners, rules, target groups, errors as AWS words them."""

from __future__ import annotations

import re

import pytest

from awsprep.sim import AwsError, World
from tests.sim.elb_helpers import call, estate


def code_of(world: World, op: str, **params: object) -> tuple[str, str]:
    with pytest.raises(AwsError) as err:
        call(world, op, **params)
    return err.value.code, err.value.message


def test_an_alb_needs_two_subnets_in_two_zones(world: World) -> None:
    e = estate(world, build=False)
    assert code_of(world, "CreateLoadBalancer", Name="a", Subnets=e.subnets[:1]) == (
        "ValidationError",
        "At least two subnets in two different Availability Zones must be specified",
    )


def test_provisioning_then_active_and_the_dns_name_has_aws_form(world: World) -> None:
    e = estate(world)
    lb = call(world, "DescribeLoadBalancers", Names=["my-alb"])["LoadBalancers"][0]
    assert lb["State"]["Code"] == "provisioning"
    assert re.fullmatch(r"my-alb-\d{10}\.us-east-1\.elb\.amazonaws\.com", lb["DNSName"])
    assert re.fullmatch(
        r"arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/my-alb/[0-9a-f]{16}",
        lb["LoadBalancerArn"],
    )
    world.advance(180)
    assert (
        call(world, "DescribeLoadBalancers", LoadBalancerArns=[e.lb])["LoadBalancers"][0]["State"]["Code"] == "active"
    )


def test_a_duplicate_name_is_idempotent_when_equal_and_refused_otherwise(world: World) -> None:
    e = estate(world)
    again = call(world, "CreateLoadBalancer", Name="my-alb", Subnets=e.subnets, SecurityGroups=[e.lb_sg])
    assert again["LoadBalancers"][0]["LoadBalancerArn"] == e.lb
    assert (
        code_of(world, "CreateLoadBalancer", Name="my-alb", Subnets=e.subnets, Scheme="internal")[0]
        == "DuplicateLoadBalancerName"
    )
    assert (
        code_of(world, "CreateTargetGroup", Name="web", Protocol="HTTP", Port=8080, VpcId=e.vpc)[0]
        == "DuplicateTargetGroupName"
    )


def test_one_listener_per_port(world: World) -> None:
    e = estate(world)
    other = call(world, "CreateTargetGroup", Name="other", Protocol="HTTP", Port=80, VpcId=e.vpc)["TargetGroups"][0]
    assert code_of(
        world,
        "CreateListener",
        LoadBalancerArn=e.lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": other["TargetGroupArn"]}],
    ) == (
        "DuplicateListener",
        "A listener already exists on this port for this load balancer",
    )
    assert (
        code_of(
            world,
            "CreateListener",
            LoadBalancerArn=e.lb,
            Protocol="HTTPS",
            Port=443,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
        )[0]
        == "ValidationError"
    )
    https = call(
        world,
        "CreateListener",
        LoadBalancerArn=e.lb,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/abc"}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )
    assert https["Listeners"][0]["SslPolicy"]


def _rule(world: World, listener: str, priority: int, path: str = "/x/*") -> dict[str, object]:
    return call(
        world,
        "CreateRule",
        ListenerArn=listener,
        Priority=priority,
        Conditions=[{"Field": "path-pattern", "Values": [path]}],
        Actions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )


def test_priorities_are_unique_and_in_range(world: World) -> None:
    e = estate(world)
    first = _rule(world, e.listener, 10)["Rules"][0]
    assert first["Priority"] == "10" and first["IsDefault"] is False
    assert code_of(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=10,
        Conditions=[{"Field": "path-pattern", "Values": ["/y"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    ) == ("PriorityInUse", "Priority '10' is currently in use")
    assert (
        code_of(
            world,
            "CreateRule",
            ListenerArn=e.listener,
            Priority=50001,
            Conditions=[{"Field": "path-pattern", "Values": ["/y"]}],
            Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
        )[0]
        == "ValidationError"
    )
    second = _rule(world, e.listener, 20, "/y")["Rules"][0]
    moved = call(
        world,
        "SetRulePriorities",
        RulePriorities=[{"RuleArn": first["RuleArn"], "Priority": 20}, {"RuleArn": second["RuleArn"], "Priority": 10}],
    )
    assert {r["RuleArn"]: r["Priority"] for r in moved["Rules"]} == {first["RuleArn"]: "20", second["RuleArn"]: "10"}
    rules = call(world, "DescribeRules", ListenerArn=e.listener)["Rules"]
    assert [r["Priority"] for r in rules] == ["10", "20", "default"]
    default = rules[-1]["RuleArn"]
    assert (
        code_of(world, "SetRulePriorities", RulePriorities=[{"RuleArn": default, "Priority": 5}])[0]
        == "OperationNotPermitted"
    )
    assert code_of(world, "DeleteRule", RuleArn=default)[0] == "OperationNotPermitted"


def test_conditions_are_validated_and_echoed(world: World) -> None:
    e = estate(world)
    conds = [
        {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}},
        {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Env", "Values": ["blue"]}},
        {"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["GET"]}},
        {"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "v", "Value": "2"}]}},
        {"Field": "source-ip", "SourceIpConfig": {"Values": ["203.0.113.0/24"]}},
    ]
    rule = call(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=1,
        Conditions=conds,
        Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )["Rules"][0]
    assert [c["Field"] for c in rule["Conditions"]] == [
        "host-header",
        "http-header",
        "http-request-method",
        "query-string",
        "source-ip",
    ]
    too_many = [
        {"Field": "path-pattern", "Values": ["/a", "/b", "/c"]},
        {"Field": "host-header", "Values": ["a.example.com", "b.example.com", "c.example.com"]},
    ]
    assert code_of(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=2,
        Conditions=too_many,
        Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    ) == ("ValidationError", "A rule can only have '5' condition values")
    twice = [{"Field": "path-pattern", "Values": ["/a"]}, {"Field": "path-pattern", "Values": ["/b"]}]
    assert (
        code_of(
            world,
            "CreateRule",
            ListenerArn=e.listener,
            Priority=3,
            Conditions=twice,
            Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
        )[0]
        == "ValidationError"
    )


def test_a_rule_on_an_unknown_listener_and_other_missing_ids(world: World) -> None:
    e = estate(world)
    bogus = e.listener[:-4] + "0000"
    assert code_of(
        world,
        "CreateRule",
        ListenerArn=bogus,
        Priority=1,
        Conditions=[{"Field": "path-pattern", "Values": ["/"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    ) == ("ListenerNotFound", "One or more listeners not found")
    assert code_of(world, "DescribeTargetHealth", TargetGroupArn=e.tg[:-4] + "0000") == (
        "TargetGroupNotFound",
        "One or more target groups not found",
    )
    assert code_of(world, "DescribeLoadBalancers", LoadBalancerArns=[e.lb[:-4] + "0000"]) == (
        "LoadBalancerNotFound",
        "One or more load balancers not found",
    )
    assert (
        code_of(
            world, "DescribeRules", RuleArns=[e.listener.replace("listener/", "listener-rule/") + "/0000000000000000"]
        )[0]
        == "RuleNotFound"
    )


def test_health_check_settings_ranges_and_timeout_below_interval(world: World) -> None:
    e = estate(world, build=False)
    base = {"Protocol": "HTTP", "Port": 80, "VpcId": e.vpc}
    assert code_of(
        world, "CreateTargetGroup", Name="a", HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=10, **base
    ) == ("ValidationError", "Health check interval must be greater than the timeout.")
    assert code_of(world, "CreateTargetGroup", Name="b", HealthyThresholdCount=11, **base)[0] == "ValidationError"
    assert code_of(world, "CreateTargetGroup", Name="c", Matcher={"HttpCode": "600"}, **base)[0] == "ValidationError"
    tg = call(world, "CreateTargetGroup", Name="d", **base)["TargetGroups"][0]
    assert (
        tg["HealthCheckIntervalSeconds"],
        tg["HealthCheckTimeoutSeconds"],
        tg["HealthyThresholdCount"],
        tg["UnhealthyThresholdCount"],
        tg["Matcher"],
        tg["HealthCheckPath"],
        tg["HealthCheckPort"],
    ) == (30, 5, 5, 2, {"HttpCode": "200"}, "/", "traffic-port")
    lam = call(world, "CreateTargetGroup", Name="fn", TargetType="lambda")["TargetGroups"][0]
    assert lam["HealthCheckEnabled"] is False and lam["HealthCheckTimeoutSeconds"] == 30 and "VpcId" not in lam


def test_attributes_defaults_and_ranges(world: World) -> None:
    e = estate(world)
    attrs = {
        a["Key"]: a["Value"] for a in call(world, "DescribeTargetGroupAttributes", TargetGroupArn=e.tg)["Attributes"]
    }
    assert attrs["deregistration_delay.timeout_seconds"] == "300" and attrs["stickiness.type"] == "lb_cookie"
    assert attrs["load_balancing.algorithm.type"] == "round_robin" and attrs["slow_start.duration_seconds"] == "0"
    assert (
        code_of(
            world,
            "ModifyTargetGroupAttributes",
            TargetGroupArn=e.tg,
            Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "3601"}],
        )[0]
        == "ValidationError"
    )
    assert (
        code_of(
            world,
            "ModifyTargetGroupAttributes",
            TargetGroupArn=e.tg,
            Attributes=[
                {"Key": "slow_start.duration_seconds", "Value": "60"},
                {"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"},
            ],
        )[0]
        == "InvalidConfigurationRequest"
    )


def test_registering_a_stopped_instance_and_deleting_a_group_in_use(world: World) -> None:
    e = estate(world)
    world.call("ec2", "StopInstances", {"InstanceIds": [e.instances[0]]})
    world.advance(30)
    assert code_of(world, "RegisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[0]}]) == (
        "InvalidTarget",
        f"The following targets are not in a running state and cannot be registered: '{e.instances[0]}'",
    )
    assert code_of(world, "DeleteTargetGroup", TargetGroupArn=e.tg) == (
        "ResourceInUse",
        f"Target group '{e.tg}' is currently in use by a listener or a rule",
    )
    call(world, "DeleteListener", ListenerArn=e.listener)
    call(world, "DeleteTargetGroup", TargetGroupArn=e.tg)
    assert code_of(world, "DescribeTargetGroups", TargetGroupArns=[e.tg])[0] == "TargetGroupNotFound"


def test_describes_paginate_and_tags(world: World) -> None:
    e = estate(world)
    for i in range(3):
        call(world, "CreateTargetGroup", Name=f"tg-{i}", Protocol="HTTP", Port=80, VpcId=e.vpc)
    page = call(world, "DescribeTargetGroups", PageSize=2)
    assert len(page["TargetGroups"]) == 2 and page["NextMarker"]
    rest = call(world, "DescribeTargetGroups", PageSize=2, Marker=page["NextMarker"])
    assert len(rest["TargetGroups"]) == 2 and "NextMarker" not in rest
    call(world, "AddTags", ResourceArns=[e.lb, e.tg], Tags=[{"Key": "env", "Value": "lab"}])
    tags = call(world, "DescribeTags", ResourceArns=[e.lb])["TagDescriptions"][0]["Tags"]
    assert tags == [{"Key": "env", "Value": "lab"}]
    call(world, "RemoveTags", ResourceArns=[e.lb], TagKeys=["env"])
    assert call(world, "DescribeTags", ResourceArns=[e.lb])["TagDescriptions"][0]["Tags"] == []


def test_weighted_forward_is_validated(world: World) -> None:
    e = estate(world)
    groups = [{"TargetGroupArn": e.tg, "Weight": 1000}]
    assert (
        code_of(
            world,
            "ModifyListener",
            ListenerArn=e.listener,
            DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": groups}}],
        )[0]
        == "ValidationError"
    )
    assert (
        code_of(
            world,
            "ModifyListener",
            ListenerArn=e.listener,
            DefaultActions=[{"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_301"}}],
        )[0]
        == "InvalidLoadBalancerAction"
    )
