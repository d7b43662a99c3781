"""Classic Load Balancers (`aws elb`): listeners, one health check, InService/OutOfService, connection draining,
duration-based stickiness, and every response against its botocore shape."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from awsprep.sim import AwsError, World, ec2
from awsprep.sim.elb.responses import OPERATIONS
from awsprep.sim.net import http_request
from tests.sim.elb_helpers import estate
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("elb")


def clb(world: World) -> tuple[Any, str]:
    e = estate(world, build=False)
    out = world.call(
        "elb",
        "CreateLoadBalancer",
        {
            "LoadBalancerName": "classic",
            "Listeners": [{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 80}],
            "Subnets": e.subnets,
            "SecurityGroups": [e.lb_sg],
        },
    )
    return e, out["DNSName"]


def health(world: World) -> list[tuple[str, str]]:
    out = world.call("elb", "DescribeInstanceHealth", {"LoadBalancerName": "classic"})["InstanceStates"]
    return [(s["State"], s["Description"]) for s in out]


def test_instances_go_in_service_after_the_healthy_threshold(world: World) -> None:
    e, dns = clb(world)
    world.call(
        "elb",
        "ConfigureHealthCheck",
        {
            "LoadBalancerName": "classic",
            "HealthCheck": {
                "Target": "HTTP:80/index.html",
                "Interval": 10,
                "Timeout": 5,
                "UnhealthyThreshold": 2,
                "HealthyThreshold": 3,
            },
        },
    )
    for i in e.instances:
        ec2.backend(world).serve_http(i, 80, "page")  # "/" only: /index.html is a 404 page
    world.call(
        "elb",
        "RegisterInstancesWithLoadBalancer",
        {"LoadBalancerName": "classic", "Instances": [{"InstanceId": i} for i in e.instances]},
    )
    assert health(world)[0] == ("OutOfService", "Instance registration is still in progress.")
    world.call(
        "elb",
        "ConfigureHealthCheck",
        {
            "LoadBalancerName": "classic",
            "HealthCheck": {
                "Target": "HTTP:80/",
                "Interval": 10,
                "Timeout": 5,
                "UnhealthyThreshold": 2,
                "HealthyThreshold": 3,
            },
        },
    )
    world.advance(20)
    assert health(world)[0][0] == "OutOfService"  # 2 of the 3 passes needed
    world.advance(10)
    assert [s for s, _ in health(world)] == ["InService", "InService"]
    bodies = {http_request(world, dns, 80)[1].answered_by for _ in range(4)}  # type: ignore[union-attr]
    assert bodies == {f"{i}:80" for i in e.instances}
    ec2.backend(world).stop_serving(e.instances[0], 80)
    world.advance(20)
    assert health(world)[0] == (
        "OutOfService",
        "Instance has failed at least the UnhealthyThreshold number of health checks consecutively.",
    )


def test_connection_draining_and_stickiness(world: World) -> None:
    e, dns = clb(world)
    c = world.call
    c(
        "elb",
        "ModifyLoadBalancerAttributes",
        {
            "LoadBalancerName": "classic",
            "LoadBalancerAttributes": {"ConnectionDraining": {"Enabled": True, "Timeout": 60}},
        },
    )
    c(
        "elb",
        "RegisterInstancesWithLoadBalancer",
        {"LoadBalancerName": "classic", "Instances": [{"InstanceId": i} for i in e.instances]},
    )
    world.advance(300)  # 10 passes at 30 s
    assert [s for s, _ in health(world)] == ["InService", "InService"]
    c(
        "elb",
        "CreateLBCookieStickinessPolicy",
        {"LoadBalancerName": "classic", "PolicyName": "sticky", "CookieExpirationPeriod": 600},
    )
    c(
        "elb",
        "SetLoadBalancerPoliciesOfListener",
        {"LoadBalancerName": "classic", "LoadBalancerPort": 80, "PolicyNames": ["sticky"]},
    )
    first = http_request(world, dns, 80)[1]
    assert first is not None and first.set_cookies[0].startswith("AWSELB=")
    cookie = {"Cookie": first.set_cookies[0].split(";")[0]}
    assert {http_request(world, dns, 80, headers=cookie)[1].answered_by for _ in range(5)} == {first.answered_by}  # type: ignore[union-attr]
    c(
        "elb",
        "DeregisterInstancesFromLoadBalancer",
        {"LoadBalancerName": "classic", "Instances": [{"InstanceId": e.instances[1]}]},
    )
    assert health(world)[1] == ("InService", "Instance deregistration currently in progress.")
    world.advance(60)
    assert len(health(world)) == 1
    with pytest.raises(AwsError) as err:
        c(
            "elb",
            "SetLoadBalancerPoliciesOfListener",
            {"LoadBalancerName": "classic", "LoadBalancerPort": 80, "PolicyNames": ["nope"]},
        )
    assert err.value.code == "PolicyNotFound"
    with pytest.raises(AwsError) as err:
        c("elb", "DescribeInstanceHealth", {"LoadBalancerName": "missing"})
    assert (err.value.code, err.value.message) == (
        "LoadBalancerNotFound",
        "There is no ACTIVE Load Balancer named 'missing'",
    )


def test_no_instance_in_service_is_a_503(world: World) -> None:
    _e, dns = clb(world)
    resp = http_request(world, dns, 80)[1]
    assert resp is not None and resp.status == 503


def test_every_classic_operation_matches_its_botocore_shape(world: World) -> None:
    e, _dns = clb(world)
    name = {"LoadBalancerName": "classic"}
    params: dict[str, dict[str, Any]] = {
        "CreateLoadBalancer": {
            **name,
            "Listeners": [{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
            "Subnets": e.subnets,
        },
        "DescribeLoadBalancers": {},
        "ConfigureHealthCheck": {
            **name,
            "HealthCheck": {
                "Target": "HTTP:80/",
                "Interval": 30,
                "Timeout": 5,
                "UnhealthyThreshold": 2,
                "HealthyThreshold": 10,
            },
        },
        "RegisterInstancesWithLoadBalancer": {**name, "Instances": [{"InstanceId": e.instances[0]}]},
        "DescribeInstanceHealth": name,
        "ModifyLoadBalancerAttributes": {
            **name,
            "LoadBalancerAttributes": {"ConnectionDraining": {"Enabled": True, "Timeout": 300}},
        },
        "DescribeLoadBalancerAttributes": name,
        "CreateLBCookieStickinessPolicy": {**name, "PolicyName": "p"},
        "SetLoadBalancerPoliciesOfListener": {**name, "LoadBalancerPort": 80, "PolicyNames": ["p"]},
        "DeregisterInstancesFromLoadBalancer": {**name, "Instances": [{"InstanceId": e.instances[0]}]},
        "DeleteLoadBalancer": name,
    }
    assert sorted(params) == sorted(OPERATIONS)
    for op, p in params.items():
        check_shape(world.call("elb", op, p), MODEL.operation_model(op).output_shape, op)


def test_the_instances_whole_answer_comes_back_with_x_forwarded_for(world: World) -> None:
    e, dns = clb(world)
    world.call(
        "elb",
        "ConfigureHealthCheck",
        {
            "LoadBalancerName": "classic",
            "HealthCheck": {"Target": "TCP:80", "Interval": 10, "Timeout": 5, "UnhealthyThreshold": 2,
                            "HealthyThreshold": 2},
        },
    )  # fmt: skip
    from tests.sim.test_elbv2_latency import php_page

    iid = e.instances[0]
    php_page(
        world, iid, "/who.php", "<?= $_SERVER['REMOTE_ADDR'] ?> for <?php echo $_SERVER['HTTP_X_FORWARDED_FOR']; ?>"
    )
    world.call(
        "elb", "RegisterInstancesWithLoadBalancer", {"LoadBalancerName": "classic", "Instances": [{"InstanceId": iid}]}
    )
    world.advance(30)
    resp = http_request(world, dns, 80, path="/who.php")[1]
    assert resp is not None and resp.status == 200, resp
    node, client = resp.body.split(" for ")
    assert node.startswith("172.31.") and client == world.meta.laptop_ip  # the node's address; the client in XFF
    assert resp.headers.get("Server", "").startswith("Apache/")  # the instance's own head, not just a type
