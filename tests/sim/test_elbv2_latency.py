"""Targets take time: a PHP page that sleeps is slow, TargetResponseTime is what the exchanges took, a target
slower than the idle timeout is the ALB's 504, and least outstanding requests sees requests in flight."""

from __future__ import annotations

from awsprep.sim import World, ec2, elbv2
from awsprep.sim.core.metrics import statistics
from awsprep.sim.net import http_request
from tests.sim.elb_helpers import Estate, call, estate


def php_page(world: World, iid: str, path: str, source: str) -> None:
    """What `sudo dnf install -y php` and writing /var/www/html/PATH leave on the guest."""
    guest = ec2.backend(world).instance(iid).guest
    guest["php"] = True
    guest.setdefault("pages", {})[f"80{path}"] = source


def ready(world: World) -> Estate:
    e = estate(world)
    world.advance(200)
    return e


def metric(world: World, e: Estate, name: str, stat: str = "Sum") -> list[float]:
    dims = {"LoadBalancer": e.lb.split(":loadbalancer/", 1)[1]}
    points = statistics(world.metrics, "AWS/ApplicationELB", name, dims, 0, world.now + 60, 60, [stat])
    return [p.values[stat] for p in points]


def test_a_slow_page_is_measured_and_one_slower_than_the_idle_timeout_is_the_albs_504(world: World) -> None:
    e = ready(world)
    for iid in e.instances:
        php_page(world, iid, "/slow.php", "<?php sleep(3); echo 'done from ' . gethostname(); ?>")
    fast = [elbv2.request(world, e.lb, "/") for _ in range(4)]
    assert all(r.status == 200 and 0 < r.elapsed < 0.01 for r in fast)
    slow = elbv2.request(world, e.lb, "/slow.php")
    assert slow.status == 200 and slow.body.startswith("done from ip-") and 3 < slow.elapsed < 3.01
    world.advance(60)
    (average,) = metric(world, e, "TargetResponseTime", "Average")
    assert 0.5 < average < 0.7  # (4 fast + one of 3 s) / 5: measured, not a constant
    call(
        world,
        "ModifyLoadBalancerAttributes",
        LoadBalancerArn=e.lb,
        Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "2"}],
    )
    late = elbv2.request(world, e.lb, "/slow.php")
    assert late.status == 504 and late.headers["Server"] == "awselb/2.0" and late.elapsed == 2.0
    assert "<title>504 Gateway Time-out</title>" in late.body
    assert any("longer than the idle timeout (2 s): 504" in line for line in late.trace)
    world.advance(60)
    assert metric(world, e, "HTTPCode_ELB_5XX_Count")[-1] == 1.0
    assert metric(world, e, "HTTPCode_ELB_504_Count") == [1.0]
    assert metric(world, e, "HTTPCode_Target_2XX_Count") == [5.0]


def test_httpd_gives_up_on_php_after_its_own_timeout(world: World) -> None:
    e = ready(world)
    call(
        world,
        "ModifyLoadBalancerAttributes",
        LoadBalancerArn=e.lb,
        Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "120"}],
    )
    for iid in e.instances:
        php_page(world, iid, "/report.php", "<?php sleep(90); echo 'late'; ?>")
    out = elbv2.request(world, e.lb, "/report.php")
    assert out.status == 504 and out.headers["Server"].startswith("Apache/2.4")  # the target's 504, not the ALB's
    assert 60 < out.elapsed < 60.01
    world.advance(60)
    assert metric(world, e, "HTTPCode_Target_5XX_Count") == [1.0]
    assert metric(world, e, "HTTPCode_ELB_5XX_Count") == []


def test_php_cookies_headers_status_and_what_the_target_sees(world: World) -> None:
    e = ready(world)
    source = (
        "<?php http_response_code(201); header('X-App: v2'); setcookie('cart', 'abc'); ?>"
        "<p><?= $_SERVER['REMOTE_ADDR'] ?> for <?php echo $_SERVER['HTTP_X_FORWARDED_FOR']; ?></p>"
    )
    for iid in e.instances:
        php_page(world, iid, "/who.php", source)
        php_page(world, iid, "/broken.php", "<?php this is not php ?>")
    out = elbv2.request(world, e.lb, "/who.php")
    nodes = [n.private_ip for n in elbv2.load_balancer(world, "us-east-1", e.lb).nodes]  # type: ignore[union-attr]
    node_ip, client = out.body[3:-4].split(" for ")
    assert out.status == 201 and out.headers["X-App"] == "v2" and out.set_cookies == ["cart=abc; path=/"]
    assert node_ip in nodes and client == world.meta.laptop_ip  # the ALB's address; the client in X-Forwarded-For
    broken = elbv2.request(world, e.lb, "/broken.php")
    assert (broken.status, broken.body) == (500, "")


def test_a_health_check_slower_than_its_timeout_is_target_timeout(world: World) -> None:
    e = estate(world)
    for iid in e.instances:
        php_page(world, iid, "/health.php", "<?php sleep(6); echo 'ok'; ?>")
    call(world, "ModifyTargetGroup", TargetGroupArn=e.tg, HealthCheckPath="/health.php")
    world.advance(200)
    desc = call(world, "DescribeTargetHealth", TargetGroupArn=e.tg)["TargetHealthDescriptions"]
    assert {(d["TargetHealth"]["State"], d["TargetHealth"]["Reason"]) for d in desc} == {
        ("unhealthy", "Target.Timeout")
    }
    for iid in e.instances:
        php_page(world, iid, "/health.php", "<?php sleep(4); echo 'ok'; ?>")  # under the 5 s timeout
    world.advance(60)
    assert {
        d["TargetHealth"]["State"]
        for d in call(world, "DescribeTargetHealth", TargetGroupArn=e.tg)["TargetHealthDescriptions"]
    } == {"healthy"}


def test_least_outstanding_requests_counts_requests_in_flight(world: World) -> None:
    e = ready(world)
    slow, quick = e.instances
    php_page(world, slow, "/index.php", "<?php sleep(2); echo 'slow'; ?>")
    for algorithm, expected in (("round_robin", {slow: 3, quick: 3}), ("least_outstanding_requests", {quick: 6})):
        call(
            world,
            "ModifyTargetGroupAttributes",
            TargetGroupArn=e.tg,
            Attributes=[{"Key": "load_balancing.algorithm.type", "Value": algorithm}],
        )
        world.advance(5)  # nothing in flight any more
        first = elbv2.request(world, e.lb, "/")  # one request to each: the slow one's is still in flight
        second = elbv2.request(world, e.lb, "/")
        assert {first.answered_by, second.answered_by} == {f"{slow}:80", f"{quick}:80"}
        world.advance(0.01)  # the quick target has answered; the slow one has not
        seen: dict[str, int] = {}
        for _ in range(6):
            iid = elbv2.request(world, e.lb, "/").answered_by.split(":")[0]
            seen[iid] = seen.get(iid, 0) + 1
            world.advance(0.01)
        assert seen == expected, algorithm


def test_a_stopped_web_server_is_502_from_the_alb(world: World) -> None:
    e = ready(world)
    for iid in e.instances:
        ec2.backend(world).stop_serving(iid, 80)  # `sudo systemctl stop httpd`: the port refuses
    _reach, out = http_request(world, e.dns, 80)
    assert out is not None and out.status == 502 and out.headers["Server"] == "awselb/2.0"
    assert any("refused the connection" in line for line in out.trace)
