"""Every ELBv2 operation's response against its botocore output shape, and the CLI end to end."""

from __future__ import annotations

import json

import botocore.session

from awsprep.sim import World, run_cli
from awsprep.sim.elbv2.responses import OPERATIONS
from tests.sim.elb_helpers import call, estate
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("elbv2")


def test_every_elbv2_operation_matches_its_botocore_output_shape() -> None:
    w = World(seed=5)
    e = estate(w)
    w.advance(200)
    rule = call(
        w,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=3,
        Conditions=[{"Field": "path-pattern", "Values": ["/a/*"]}],
        Actions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )["Rules"][0]["RuleArn"]
    spare = call(w, "CreateTargetGroup", Name="spare", Protocol="HTTP", Port=80, VpcId=e.vpc)["TargetGroups"][0][
        "TargetGroupArn"
    ]
    extra = call(
        w,
        "CreateListener",
        LoadBalancerArn=e.lb,
        Protocol="HTTP",
        Port=8080,
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )["Listeners"][0]["ListenerArn"]
    params = {
        "CreateLoadBalancer": {"Name": "my-alb", "Subnets": e.subnets, "SecurityGroups": [e.lb_sg]},
        "DescribeLoadBalancers": {},
        "DescribeLoadBalancerAttributes": {"LoadBalancerArn": e.lb},
        "ModifyLoadBalancerAttributes": {
            "LoadBalancerArn": e.lb,
            "Attributes": [{"Key": "idle_timeout.timeout_seconds", "Value": "30"}],
        },
        "SetSecurityGroups": {"LoadBalancerArn": e.lb, "SecurityGroups": [e.lb_sg]},
        "CreateListener": {
            "LoadBalancerArn": e.lb,
            "Protocol": "HTTP",
            "Port": 81,
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": e.tg}],
        },
        "DescribeListeners": {"LoadBalancerArn": e.lb},
        "ModifyListener": {"ListenerArn": extra, "Port": 8081},
        "CreateRule": {
            "ListenerArn": e.listener,
            "Priority": 4,
            "Conditions": [{"Field": "host-header", "Values": ["a.example.com"]}],
            "Actions": [
                {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
            ],
        },
        "DescribeRules": {"ListenerArn": e.listener},
        "ModifyRule": {"RuleArn": rule, "Conditions": [{"Field": "path-pattern", "Values": ["/b/*"]}]},
        "SetRulePriorities": {"RulePriorities": [{"RuleArn": rule, "Priority": 7}]},
        "CreateTargetGroup": {"Name": "more", "Protocol": "HTTP", "Port": 80, "VpcId": e.vpc},
        "DescribeTargetGroups": {},
        "ModifyTargetGroup": {"TargetGroupArn": e.tg, "HealthCheckPath": "/"},
        "DescribeTargetGroupAttributes": {"TargetGroupArn": e.tg},
        "ModifyTargetGroupAttributes": {
            "TargetGroupArn": e.tg,
            "Attributes": [{"Key": "stickiness.enabled", "Value": "true"}],
        },
        "RegisterTargets": {"TargetGroupArn": spare, "Targets": [{"Id": e.instances[0]}]},
        "DescribeTargetHealth": {"TargetGroupArn": e.tg},
        "DeregisterTargets": {"TargetGroupArn": spare, "Targets": [{"Id": e.instances[0]}]},
        "AddTags": {"ResourceArns": [e.lb], "Tags": [{"Key": "k", "Value": "v"}]},
        "DescribeTags": {"ResourceArns": [e.lb, e.tg]},
        "RemoveTags": {"ResourceArns": [e.lb], "TagKeys": ["k"]},
        "DeleteRule": {"RuleArn": rule},
        "DeleteListener": {"ListenerArn": extra},
        "DeleteTargetGroup": {"TargetGroupArn": spare},
        "DeleteLoadBalancer": {"LoadBalancerArn": e.lb},
    }
    assert sorted(params) == sorted(OPERATIONS), "list every implemented operation here"
    for op, p in params.items():
        out = w.call("elbv2", op, p)
        shape = MODEL.operation_model(op).output_shape
        check_shape(out, shape, op)


def test_the_cli_creates_and_describes(world: World) -> None:
    e = estate(world)
    res = run_cli(world, ["elbv2", "describe-target-health", "--target-group-arn", e.tg])
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["TargetHealthDescriptions"][0]["TargetHealth"]["State"] == "initial"
    bad = run_cli(
        world,
        [
            "elbv2",
            "create-rule",
            "--listener-arn",
            e.listener,
            "--priority",
            "0",
            "--conditions",
            "Field=path-pattern,Values=/x",
            "--actions",
            f"Type=forward,TargetGroupArn={e.tg}",
        ],
    )
    assert bad.exit_code == 255 and "valid min value: 1" in bad.stderr  # botocore refuses it client-side
