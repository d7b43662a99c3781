"""The ELBv2 quotas and combinations spec §1.2 lists, each with its error code: rules per load balancer,
targets per group, target groups per forward action, actions per rule, listener and group protocols."""

from __future__ import annotations

import ipaddress

import pytest

from awsprep.sim import AwsError, World, ec2
from tests.sim.elb_helpers import call, estate, https_listener


def error(world: World, op: str, **params: object) -> tuple[str, str]:
    with pytest.raises(AwsError) as err:
        call(world, op, **params)
    return err.value.code, err.value.message


def _rule(e: object, priority: int, path: str) -> dict[str, object]:
    return {
        "ListenerArn": e.listener,  # type: ignore[attr-defined]
        "Priority": priority,
        "Conditions": [{"Field": "path-pattern", "Values": [path]}],
        "Actions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    }


def test_a_load_balancer_takes_100_rules_besides_its_default_rules(world: World) -> None:
    e = estate(world)
    for i in range(1, 101):
        call(world, "CreateRule", **_rule(e, i, f"/r{i}"))
    assert error(world, "CreateRule", **_rule(e, 101, "/r101")) == (
        "TooManyRules",
        "You've reached the limit on the number of rules per load balancer",
    )


def test_a_target_group_takes_1000_targets(world: World) -> None:
    e = estate(world)
    tg = call(world, "CreateTargetGroup", Name="ips", Protocol="HTTP", Port=80, VpcId=e.vpc, TargetType="ip")
    arn = tg["TargetGroups"][0]["TargetGroupArn"]
    subnet = next(s for s in ec2.subnets(world, "us-east-1", e.vpc) if s.az == "us-east-1a")
    hosts = ipaddress.ip_network(subnet.cidr).hosts()
    addresses = [str(next(hosts)) for _ in range(1001)]
    call(world, "RegisterTargets", TargetGroupArn=arn, Targets=[{"Id": a} for a in addresses[:999]])
    call(world, "RegisterTargets", TargetGroupArn=arn, Targets=[{"Id": addresses[0]}, {"Id": addresses[999]}])
    assert len(call(world, "DescribeTargetHealth", TargetGroupArn=arn)["TargetHealthDescriptions"]) == 1000
    assert error(world, "RegisterTargets", TargetGroupArn=arn, Targets=[{"Id": addresses[1000]}]) == (
        "TooManyTargets",
        "You've reached the limit on the number of targets.",
    )
    call(world, "RegisterTargets", TargetGroupArn=arn, Targets=[{"Id": addresses[5]}])  # already there: fine


def test_a_forward_takes_5_groups_a_rule_2_actions_and_protocols_must_agree(world: World) -> None:
    e = estate(world)
    groups = [
        call(world, "CreateTargetGroup", Name=f"g{i}", Protocol="HTTP", Port=80, VpcId=e.vpc)["TargetGroups"][0][
            "TargetGroupArn"
        ]
        for i in range(6)
    ]
    forward = {"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": g} for g in groups]}}
    base = {"ListenerArn": e.listener, "Conditions": [{"Field": "path-pattern", "Values": ["/a"]}]}
    assert error(world, "CreateRule", Priority=1, Actions=[forward], **base)[0] == "TooManyTargetGroups"
    fixed = {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}
    cognito = {
        "Type": "authenticate-cognito",
        "AuthenticateCognitoConfig": {"UserPoolArn": "arn", "UserPoolClientId": "c", "UserPoolDomain": "d"},
    }
    https = https_listener(world, e, [fixed])
    three = [{**cognito, "Order": 1}, {**cognito, "Order": 2}, {**fixed, "Order": 3}]
    assert error(world, "CreateRule", **{**base, "ListenerArn": https}, Priority=2, Actions=three) == (
        "TooManyActions",
        "You've reached the limit on the number of actions per rule",
    )
    assert error(world, "CreateRule", Priority=2, Actions=[{**cognito, "Order": 1}, {**fixed, "Order": 2}], **base)[
        0
    ] == ("InvalidLoadBalancerAction")  # authenticate actions need an HTTPS listener
    tcp = call(world, "CreateTargetGroup", Name="tcp", Protocol="TCP", Port=80, VpcId=e.vpc)["TargetGroups"][0][
        "TargetGroupArn"
    ]
    assert error(world, "CreateRule", Priority=3, Actions=[{"Type": "forward", "TargetGroupArn": tcp}], **base) == (
        "IncompatibleProtocols",
        f"The protocol of the target group '{tcp}' is not compatible with the listener protocol 'HTTP'",
    )


def test_an_https_listener_may_not_redirect_to_http(world: World) -> None:
    e = estate(world)
    fixed = {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}
    https = https_listener(world, e, [fixed])

    def redirect(listener: str, protocol: str, priority: int) -> dict[str, object]:
        return {
            "ListenerArn": listener,
            "Priority": priority,
            "Conditions": [{"Field": "path-pattern", "Values": [f"/{priority}"]}],
            "Actions": [{"Type": "redirect", "RedirectConfig": {"Protocol": protocol, "StatusCode": "HTTP_301"}}],
        }

    assert error(world, "CreateRule", **redirect(https, "HTTP", 1))[0] == "InvalidLoadBalancerAction"
    call(world, "CreateRule", **redirect(https, "HTTPS", 2) | {"Actions": [{"Type": "redirect", "RedirectConfig": {
        "Protocol": "HTTPS", "Port": "8443", "StatusCode": "HTTP_301"}}]})  # fmt: skip
    call(world, "CreateRule", **redirect(e.listener, "HTTPS", 3))  # HTTP to HTTPS: the usual one


def test_a_condition_takes_three_values_and_a_rule_five(world: World) -> None:
    e = estate(world)
    base = {"ListenerArn": e.listener, "Actions": [{"Type": "forward", "TargetGroupArn": e.tg}]}
    four = [{"Field": "path-pattern", "Values": ["/a", "/b", "/c", "/d"]}]
    assert error(world, "CreateRule", Priority=1, Conditions=four, **base) == (
        "ValidationError",
        "A 'path-pattern' condition can only have '3' values",
    )  # listener-rules.html: up to three comparison strings per condition, five per rule
    six = [
        {"Field": "path-pattern", "Values": ["/a", "/b", "/c"]},
        {"Field": "host-header", "Values": ["a.example.com", "b.example.com", "c.example.com"]},
    ]
    assert (
        error(world, "CreateRule", Priority=1, Conditions=six, **base)[1] == "A rule can only have '5' condition values"
    )
    call(
        world,
        "CreateRule",
        Priority=1,
        Conditions=[*six[:1], {"Field": "host-header", "Values": ["a.example.com", "b.example.com"]}],
        **base,
    )
