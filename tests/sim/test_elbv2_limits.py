"""Parameters beyond the API model's limits get the service's own validation message (botocore refuses only
values below a minimum on the client), and a health-check timeout not below the interval gets AWS's words."""

from __future__ import annotations

import pytest

from awsprep.sim import AwsError, World, run_cli
from tests.sim.elb_helpers import call, estate


def error(world: World, op: str, **params: object) -> tuple[str, str]:
    with pytest.raises(AwsError) as err:
        call(world, op, **params)
    return err.value.code, err.value.message


def test_a_value_above_the_models_maximum_is_the_services_validation_error(world: World) -> None:
    e = estate(world, build=False)
    base = {"Protocol": "HTTP", "Port": 80, "VpcId": e.vpc}
    assert error(world, "CreateTargetGroup", Name="a", HealthCheckIntervalSeconds=301, **base) == (
        "ValidationError",
        "1 validation error detected: Value '301' at 'healthCheckIntervalSeconds' failed to satisfy constraint: "
        "Member must have value less than or equal to 300",
    )
    assert error(
        world, "CreateTargetGroup", Name="b", HealthyThresholdCount=11, UnhealthyThresholdCount=12, **base
    ) == (
        "ValidationError",
        "2 validation errors detected: Value '11' at 'healthyThresholdCount' failed to satisfy constraint: "
        "Member must have value less than or equal to 10; Value '12' at 'unhealthyThresholdCount' failed to "
        "satisfy constraint: Member must have value less than or equal to 10",
    )
    tg = call(world, "CreateTargetGroup", Name="c", **base)["TargetGroups"][0]["TargetGroupArn"]
    assert error(world, "ModifyTargetGroup", TargetGroupArn=tg, HealthCheckTimeoutSeconds=121)[1].endswith(
        "at 'healthCheckTimeoutSeconds' failed to satisfy constraint: Member must have value less than or equal to 120"
    )
    assert error(world, "DescribeTargetGroups", PageSize=401)[1] == (
        "1 validation error detected: Value '401' at 'pageSize' failed to satisfy constraint: "
        "Member must have value less than or equal to 400"
    )


def test_rule_priorities_above_50000(world: World) -> None:
    e = estate(world)
    rule = {
        "Conditions": [{"Field": "path-pattern", "Values": ["/a"]}],
        "Actions": [{"Type": "forward", "TargetGroupArn": e.tg}],
    }
    assert error(world, "CreateRule", ListenerArn=e.listener, Priority=50001, **rule)[1] == (
        "1 validation error detected: Value '50001' at 'priority' failed to satisfy constraint: "
        "Member must have value less than or equal to 50000"
    )
    arn = call(world, "CreateRule", ListenerArn=e.listener, Priority=5, **rule)["Rules"][0]["RuleArn"]
    assert error(world, "SetRulePriorities", RulePriorities=[{"RuleArn": arn, "Priority": 60000}])[1] == (
        "1 validation error detected: Value '60000' at 'rulePriorities.1.member.priority' failed to satisfy "
        "constraint: Member must have value less than or equal to 50000"
    )
    body = {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": "x" * 1025}
    assert error(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=6,
        Conditions=rule["Conditions"],
        Actions=[{"Type": "fixed-response", "FixedResponseConfig": body}],
    )[1].endswith(
        "at 'actions.1.member.fixedResponseConfig.messageBody' failed to satisfy constraint: "
        "Member must have length less than or equal to 1024"
    )


def test_the_timeout_must_be_below_the_interval_in_aws_words(world: World) -> None:
    e = estate(world, build=False)
    base = {"Protocol": "HTTP", "Port": 80, "VpcId": e.vpc}
    message = "Health check interval must be greater than the timeout."
    assert error(world, "CreateTargetGroup", Name="a", HealthCheckIntervalSeconds=5, **base) == (
        "ValidationError",
        message,
    )  # the default timeout (5) is not below 5: the mistake of tflint-ruleset-aws issue #404
    tg = call(world, "CreateTargetGroup", Name="b", **base)["TargetGroups"][0]["TargetGroupArn"]
    assert error(world, "ModifyTargetGroup", TargetGroupArn=tg, HealthCheckIntervalSeconds=5) == (
        "ValidationError",
        message,
    )


def test_the_cli_prints_the_services_line_for_a_value_above_the_maximum(world: World) -> None:
    e = estate(world, build=False)
    res = run_cli(
        world,
        [
            "elbv2",
            "create-target-group",
            "--name",
            "t",
            "--protocol",
            "HTTP",
            "--port",
            "80",
            "--vpc-id",
            e.vpc,
            "--health-check-interval-seconds",
            "400",
        ],
    )
    assert res.exit_code != 0
    assert res.stderr.strip() == (
        "An error occurred (ValidationError) when calling the CreateTargetGroup operation: 1 validation error "
        "detected: Value '400' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have "
        "value less than or equal to 300"
    )


def test_a_classic_health_check_above_its_ranges(world: World) -> None:
    from tests.sim.test_elb_classic import clb

    clb(world)
    check = {
        "Target": "HTTP:80/index.html",
        "Interval": 30,
        "Timeout": 61,
        "UnhealthyThreshold": 2,
        "HealthyThreshold": 10,
    }
    with pytest.raises(AwsError) as err:
        world.call("elb", "ConfigureHealthCheck", {"LoadBalancerName": "classic", "HealthCheck": check})
    assert (err.value.code, err.value.message) == (
        "ValidationError",
        "1 validation error detected: Value '61' at 'healthCheck.timeout' failed to satisfy constraint: "
        "Member must have value less than or equal to 60",
    )  # the range comes first: a timeout of 61 is also not below the interval
