"""Target kinds and routing features beyond the basics: ip and lambda targets, slow start, target-group
stickiness across a weighted forward."""

from __future__ import annotations

from awsprep.sim import World, ec2, elbv2
from awsprep.sim.core.endpoint import HttpRequest, HttpResponse
from awsprep.sim.net import http_request
from tests.sim.elb_helpers import call, estate, states


def test_ip_targets_take_the_zone_of_their_subnet(world: World) -> None:
    e = estate(world)
    ip_tg = call(world, "CreateTargetGroup", Name="ips", Protocol="HTTP", Port=80, VpcId=e.vpc, TargetType="ip")
    arn = ip_tg["TargetGroups"][0]["TargetGroupArn"]
    private = ec2.backend(world).instance(e.instances[1]).private_ip
    call(world, "RegisterTargets", TargetGroupArn=arn, Targets=[{"Id": private}])
    desc = call(world, "DescribeTargetHealth", TargetGroupArn=arn)["TargetHealthDescriptions"][0]
    assert desc["Target"] == {"Id": private, "Port": 80, "AvailabilityZone": "us-east-1b"}
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": arn}])
    world.advance(200)
    assert states(world, arn) == [("healthy", None)]
    resp = http_request(world, e.dns, 80)[1]
    assert resp is not None and resp.body == f"hello from {e.instances[1]}\n"


def test_a_lambda_target_is_answered_by_whoever_registers_an_invoker(world: World) -> None:
    e = estate(world)
    fn = "arn:aws:lambda:us-east-1:111122223333:function:hello"
    arn = call(world, "CreateTargetGroup", Name="fn", TargetType="lambda")["TargetGroups"][0]["TargetGroupArn"]
    call(world, "RegisterTargets", TargetGroupArn=arn, Targets=[{"Id": fn}])
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": arn}])
    assert states(world, arn) == [("unavailable", "Target.HealthCheckDisabled")]
    world.advance(200)
    resp = http_request(world, e.dns, 80)[1]
    assert resp is not None and resp.status == 502  # no Lambda service answers yet

    def invoke(w: World, function_arn: str, request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {"Content-Type": "text/plain"}, f"{function_arn.rsplit(':', 1)[1]} saw {request.path}")

    before = list(elbv2.api._LAMBDA)  # the Lambda package's invoker, put back afterwards
    elbv2.set_lambda_invoker(invoke)
    try:
        resp = http_request(world, e.dns, 80, path="/hi")[1]
        assert resp is not None and (resp.status, resp.body) == (200, "hello saw /hi")
    finally:
        elbv2.api._LAMBDA[:] = before


def test_slow_start_ramps_a_new_targets_share(world: World) -> None:
    e = estate(world)
    call(
        world,
        "ModifyTargetGroupAttributes",
        TargetGroupArn=e.tg,
        Attributes=[{"Key": "slow_start.duration_seconds", "Value": "300"}],
    )
    world.advance(600)  # both healthy and past their slow start
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[1]}])  # idle: leaves at once
    call(world, "RegisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[1]}])
    world.advance(10)  # one passing check: healthy again, and in slow start
    assert states(world, e.tg)[1] == ("healthy", None)
    world.advance(30)
    early = [http_request(world, e.dns, 80)[1].answered_by for _ in range(200)]  # type: ignore[union-attr]
    new_share = early.count(f"{e.instances[1]}:80")
    assert 0 < new_share < 40  # far under its even half (100) while it warms up
    world.advance(300)
    later = [http_request(world, e.dns, 80)[1].answered_by for _ in range(100)]  # type: ignore[union-attr]
    assert later.count(f"{e.instances[1]}:80") == 50


def test_target_group_stickiness_pins_a_client_to_one_group(world: World) -> None:
    e = estate(world)
    green = call(world, "CreateTargetGroup", Name="green", Protocol="HTTP", Port=80, VpcId=e.vpc)["TargetGroups"][0][
        "TargetGroupArn"
    ]
    call(world, "RegisterTargets", TargetGroupArn=green, Targets=[{"Id": e.instances[1]}])
    config = {
        "TargetGroups": [{"TargetGroupArn": e.tg, "Weight": 50}, {"TargetGroupArn": green, "Weight": 50}],
        "TargetGroupStickinessConfig": {"Enabled": True, "DurationSeconds": 600},
    }
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "ForwardConfig": config}])
    world.advance(200)
    first = http_request(world, e.dns, 80)[1]
    assert first is not None
    cookie = next(c for c in first.set_cookies if c.startswith("AWSALBTG="))
    group = first.trace[-2].split("target group ")[1].split(" ")[0]
    again = {
        http_request(world, e.dns, 80, headers={"Cookie": cookie.split(";")[0]})[1]
        .trace[-2]
        .split("target group ")[1]
        .split(" ")[0]
        for _ in range(6)
    }  # type: ignore[union-attr]
    assert again == {group}
