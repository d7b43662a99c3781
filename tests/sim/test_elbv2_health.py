"""Target health on the clock (spec §4b) and the data plane (spec §4) through the core's network."""

from __future__ import annotations

from awsprep.sim import World, ec2
from awsprep.sim.net import Outcome, http_request
from tests.sim.elb_helpers import call, estate, states


def test_health_checks_count_on_the_clock(world: World) -> None:
    e = estate(world, interval=10)
    assert states(world, e.tg) == [("initial", "Elb.RegistrationInProgress")] * 2
    world.advance(180)  # provisioning
    assert states(world, e.tg) == [("healthy", None)] * 2
    ec2.backend(world).stop_serving(e.instances[0], 80)  # `sudo systemctl stop httpd`
    world.advance(10)
    assert states(world, e.tg)[0] == ("healthy", None)  # one failure: not yet
    world.advance(10)
    assert states(world, e.tg)[0] == ("unhealthy", "Target.FailedHealthChecks")
    ec2.backend(world).serve_http(e.instances[0], 80, "back\n")
    world.advance(40)
    assert states(world, e.tg)[0][0] == "unhealthy"  # 4 passes of the 5 needed
    world.advance(10)
    assert states(world, e.tg)[0] == ("healthy", None)


def test_a_wrong_matcher_code_is_a_response_code_mismatch(world: World) -> None:
    e = estate(world)
    call(world, "ModifyTargetGroup", TargetGroupArn=e.tg, HealthCheckPath="/health")
    world.advance(200)
    assert states(world, e.tg)[0] == ("unhealthy", "Target.ResponseCodeMismatch")
    desc = call(world, "DescribeTargetHealth", TargetGroupArn=e.tg)["TargetHealthDescriptions"][0]
    assert desc["TargetHealth"]["Description"] == "Health checks failed with these codes: [404]"


def test_an_sg_admitting_only_the_laptop_fails_checks_and_gives_504(world: World) -> None:
    e = estate(world, admit="laptop")
    world.advance(200)
    assert states(world, e.tg) == [("unhealthy", "Target.Timeout")] * 2
    reach, resp = http_request(world, e.dns, 80)
    assert reach.outcome is Outcome.CONNECTED and resp is not None
    assert resp.status == 504 and resp.headers["Server"] == "awselb/2.0"


def test_draining_lasts_the_deregistration_delay(world: World) -> None:
    e = estate(world)
    world.advance(200)
    call(
        world,
        "ModifyTargetGroupAttributes",
        TargetGroupArn=e.tg,
        Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}],
    )
    for _ in range(4):
        http_request(world, e.dns, 80)  # both targets now have a connection from the load balancer
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[1]}])
    assert states(world, e.tg)[1] == ("draining", "Target.DeregistrationInProgress")
    bodies = {http_request(world, e.dns, 80)[1].body for _ in range(4)}  # type: ignore[union-attr]
    assert bodies == {f"hello from {e.instances[0]}\n"}  # no new requests to a draining target
    world.advance(29)
    assert len(states(world, e.tg)) == 2
    world.advance(1)
    assert len(states(world, e.tg)) == 1
    gone = call(world, "DescribeTargetHealth", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[1]}])
    assert gone["TargetHealthDescriptions"][0]["TargetHealth"]["Reason"] == "Target.NotRegistered"


def test_a_target_without_connections_deregisters_at_once(world: World) -> None:
    e = estate(world)
    world.advance(200)
    for _ in range(2):
        http_request(world, e.dns, 80)
    world.advance(61)  # past the idle timeout: the load balancer's connections to the targets are closed
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": e.instances[1]}])
    assert len(states(world, e.tg)) == 1


def test_unused_when_no_listener_or_zone_not_enabled(world: World) -> None:
    e = estate(world)
    other = call(world, "CreateTargetGroup", Name="idle", Protocol="HTTP", Port=80, VpcId=e.vpc)["TargetGroups"][0][
        "TargetGroupArn"
    ]
    call(world, "RegisterTargets", TargetGroupArn=other, Targets=[{"Id": e.instances[0]}])
    assert states(world, other) == [("unused", "Target.NotInUse")]
    subs = sorted(ec2.subnets(world, "us-east-1", e.vpc), key=lambda s: s.az)
    third = world.call(
        "ec2",
        "RunInstances",
        {
            "ImageId": world.call("ec2", "DescribeInstances", {})["Reservations"][0]["Instances"][0]["ImageId"],
            "InstanceType": "t3.micro",
            "MinCount": 1,
            "MaxCount": 1,
            "SubnetId": subs[2].subnet_id,
        },
    )["Instances"][0]["InstanceId"]
    world.advance(30)
    call(world, "RegisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": third}])
    assert states(world, e.tg)[2] == ("unused", "Target.NotInUse")


def test_round_robin_rules_and_lb_generated_answers(world: World) -> None:
    e = estate(world)
    assert http_request(world, e.dns, 80)[0].outcome is Outcome.TIMEOUT  # provisioning: the name does not resolve
    world.advance(200)
    bodies = [http_request(world, e.dns, 80)[1].body for _ in range(4)]  # type: ignore[union-attr]
    assert sorted(set(bodies)) == sorted(f"hello from {i}\n" for i in e.instances) and bodies[0] != bodies[1]
    call(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=5,
        Conditions=[{"Field": "host-header", "Values": ["api.example.com"]}],
        Actions=[
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {"StatusCode": "418", "ContentType": "text/plain", "MessageBody": "api"},
            }
        ],
    )
    call(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=1,
        Conditions=[{"Field": "path-pattern", "Values": ["/old/*"]}],
        Actions=[{"Type": "redirect", "RedirectConfig": {"Path": "/new/#{path}", "StatusCode": "HTTP_301"}}],
    )
    resp = http_request(world, e.dns, 80, headers={"Host": "API.example.com"})[1]
    assert resp is not None and (resp.status, resp.body, resp.headers["Server"]) == (418, "api", "awselb/2.0")
    moved = http_request(world, e.dns, 80, path="/old/a?x=1")[1]
    assert (
        moved is not None
        and moved.status == 301
        and moved.headers["Location"] == f"http://{e.dns}:80/new/old/a?x=1"
        and moved.headers["Content-Length"] == "134"
        and "<title>301 Moved Permanently</title>" in moved.body
    )  # the port even when it is the default, and the ALB's own page


def test_no_registered_target_is_503_and_all_unhealthy_fails_open(world: World) -> None:
    e = estate(world)
    world.advance(200)
    for i in e.instances:
        ec2.backend(world).serve_http(i, 80, "broken\n", status=500)
    world.advance(20)
    assert [s for s, _ in states(world, e.tg)] == ["unhealthy", "unhealthy"]
    resp = http_request(world, e.dns, 80)[1]
    assert resp is not None and resp.status == 500  # failed open: the targets still get the request
    call(
        world,
        "ModifyTargetGroupAttributes",
        TargetGroupArn=e.tg,
        Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "0"}],
    )
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": i} for i in e.instances])
    resp = http_request(world, e.dns, 80)[1]
    assert resp is not None and resp.status == 503 and "503 Service Temporarily Unavailable" in resp.body


def test_a_stopped_web_server_behind_a_healthy_state_is_a_502(world: World) -> None:
    e = estate(world)
    world.advance(200)
    for i in e.instances:
        ec2.backend(world).stop_serving(i, 80)
    resp = http_request(world, e.dns, 80)[1]
    assert resp is not None and resp.status == 502


def test_weights_and_stickiness(world: World) -> None:
    e = estate(world)
    green = call(
        world, "CreateTargetGroup", Name="green", Protocol="HTTP", Port=80, VpcId=e.vpc, HealthCheckIntervalSeconds=10
    )["TargetGroups"][0]["TargetGroupArn"]
    call(world, "RegisterTargets", TargetGroupArn=green, Targets=[{"Id": e.instances[1]}])
    forward = {"TargetGroups": [{"TargetGroupArn": e.tg, "Weight": 90}, {"TargetGroupArn": green, "Weight": 10}]}
    call(
        world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "ForwardConfig": forward}]
    )
    world.advance(200)
    seen = [http_request(world, e.dns, 80)[1].trace[-2] for _ in range(100)]  # type: ignore[union-attr]
    to_green = sum("target group green" in t for t in seen)
    assert to_green == 10
    call(
        world,
        "ModifyTargetGroupAttributes",
        TargetGroupArn=e.tg,
        Attributes=[{"Key": "stickiness.enabled", "Value": "true"}],
    )
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}])
    first = http_request(world, e.dns, 80)[1]
    assert first is not None and first.set_cookies[0].startswith("AWSALB=")
    cookie = first.set_cookies[0].split(";", 1)[0]
    bodies = {http_request(world, e.dns, 80, headers={"Cookie": cookie})[1].body for _ in range(6)}  # type: ignore[union-attr]
    assert bodies == {first.body}


def test_metrics_land_in_the_store_once_a_minute(world: World) -> None:
    from awsprep.sim.core.metrics import statistics

    e = estate(world)
    world.advance(200)
    for _ in range(5):
        http_request(world, e.dns, 80)
    dim = {"LoadBalancer": e.lb.split(":loadbalancer/")[1]}

    def total(name: str, dims: dict[str, str]) -> float:
        points = statistics(
            world.metrics, "AWS/ApplicationELB", name, dims, world.now - 600, world.now + 1, 60, ["Sum"]
        )
        return sum(p.values["Sum"] for p in points)

    assert total("RequestCount", dim) == 0  # ELB reports every 60 seconds: nothing until the minute ends
    world.advance(60)
    assert total("RequestCount", dim) == 5 and total("HTTPCode_Target_2XX_Count", dim) == 5
    tgd = {**dim, "TargetGroup": e.tg.split(":", 5)[5]}
    assert total("RequestCount", tgd) == 5
    assert total("RequestCountPerTarget", {"TargetGroup": tgd["TargetGroup"]}) == 2.5  # 5 requests, 2 healthy
    assert total("HealthyHostCount", tgd) > 0
    series = [s for s in world.metrics.series.values() if s.name == "RequestCount"]
    assert all(len(s.times) == 1 for s in series)  # one datapoint per minute, not one per request


def test_answers_the_alb_makes_itself_carry_its_head_in_its_order(world: World) -> None:
    e = estate(world)
    world.advance(200)
    call(world, "DeregisterTargets", TargetGroupArn=e.tg, Targets=[{"Id": i} for i in e.instances])
    resp = http_request(world, e.dns, 80)[1]
    assert resp is not None and resp.status == 503
    assert list(resp.headers) == ["Server", "Date", "Content-Type", "Content-Length", "Connection"]
    assert resp.headers["Date"] == "Mon, 06 Jan 2025 09:03:50 GMT"  # the simulated clock, as HTTP writes dates
    assert (resp.headers["Content-Length"], resp.headers["Connection"]) == ("162", "keep-alive")
    call(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=1,
        Conditions=[{"Field": "path-pattern", "Values": ["/old"]}],
        Actions=[
            {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_302"}}
        ],
    )
    moved = http_request(world, e.dns, 80, path="/old")[1]
    assert moved is not None and list(moved.headers)[-2:] == ["Connection", "Location"]
    assert moved.headers["Location"] == f"https://{e.dns}:443/old"


def test_the_albs_own_security_group_judges_the_client(world: World) -> None:
    e = estate(world)
    world.advance(200)
    assert http_request(world, e.dns, 80)[0].outcome is Outcome.CONNECTED
    world.call(
        "ec2",
        "RevokeSecurityGroupIngress",
        {"GroupId": e.lb_sg, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    )
    reach = http_request(world, e.dns, 80)[0]
    assert reach.outcome is Outcome.TIMEOUT and f"no inbound rule of {e.lb_sg} allows tcp/80" in reach.reason
    assert [s for s, _ in states(world, e.tg)] == ["healthy", "healthy"]  # the targets are fine all along
