"""A learner makes one web server slow with PHP (as AL2023 runs it) and watches the load balancer: curl waits,
`load --concurrency` shows round robin splitting evenly and least outstanding requests avoiding the slow one,
and an idle timeout below the page's time is the ALB's 504."""

from __future__ import annotations

from awsprep.labs.shell import Shell
from awsprep.sim import World, ec2

from .conftest import launch, ok, public_ip

BOOT = """#!/bin/bash
dnf install -y httpd php
systemctl enable --now httpd
echo '<?php {sleep} echo gethostname(); ?>' > /var/www/html/index.php
"""


def _alb(world: World, instances: list[str]) -> tuple[str, str, str]:
    c = world.call
    vpc = ec2.default_vpc(world, "us-east-1").vpc_id
    subnets = sorted(ec2.subnets(world, "us-east-1", vpc), key=lambda s: s.az)[:2]
    sg = c("ec2", "CreateSecurityGroup", {"GroupName": "alb", "Description": "alb"})["GroupId"]
    perm = {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    c("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": sg, "IpPermissions": [perm]})
    tg = c("elbv2", "CreateTargetGroup", {"Name": "web", "Protocol": "HTTP", "Port": 80, "VpcId": vpc})
    tg_arn = tg["TargetGroups"][0]["TargetGroupArn"]
    c("elbv2", "RegisterTargets", {"TargetGroupArn": tg_arn, "Targets": [{"Id": i} for i in instances]})
    lb = c("elbv2", "CreateLoadBalancer", {"Name": "web", "Subnets": [s.subnet_id for s in subnets],
                                            "SecurityGroups": [sg]})["LoadBalancers"][0]  # fmt: skip
    action = [{"Type": "forward", "TargetGroupArn": tg_arn}]
    listener = {"LoadBalancerArn": lb["LoadBalancerArn"], "Protocol": "HTTP", "Port": 80, "DefaultActions": action}
    c("elbv2", "CreateListener", listener)
    return lb["LoadBalancerArn"], lb["DNSName"], tg_arn


def _share(summary: str, iid: str) -> int:
    line = next(line for line in summary.splitlines() if line.strip().startswith(f"{iid}:80"))
    return int(line.split()[1])


def test_a_slow_php_page_least_outstanding_requests_and_the_idle_timeout(shell: Shell, world: World) -> None:
    slow, _ = launch(world, BOOT.replace("{sleep}", "sleep(2);"), ports=(80,))
    quick, _ = launch(world, BOOT.replace("{sleep}", ""), ports=(80,))
    start = world.now
    page = ok(shell, f"curl -s http://{public_ip(world, slow)}/").stdout
    assert page.startswith("ip-") and 2 <= world.now - start < 2.1  # curl waited for the page
    timed_out = shell.run_line(f"curl -s -S -m 1 http://{public_ip(world, slow)}/")
    assert timed_out.exit_code == 28 and "Operation timed out after 1000 milliseconds" in timed_out.stderr

    lb, dns, tg = _alb(world, [slow, quick])
    ok(shell, "wait 5m")
    even = ok(shell, f"load http://{dns}/ --requests 100 --concurrency 10").stdout
    assert _share(even, slow) == 50 and _share(even, quick) == 50  # round robin ignores how busy a target is
    ok(
        shell,
        f"aws elbv2 modify-target-group-attributes --target-group-arn {tg} "
        "--attributes Key=load_balancing.algorithm.type,Value=least_outstanding_requests",
    )
    ok(shell, "wait 10s")
    fewest = ok(shell, f"load http://{dns}/ --requests 100 --concurrency 10").stdout
    assert _share(fewest, slow) < 15 and _share(fewest, quick) > 85, fewest

    ok(
        shell,
        f"aws elbv2 modify-load-balancer-attributes --load-balancer-arn {lb} "
        "--attributes Key=idle_timeout.timeout_seconds,Value=1",
    )
    ok(shell, "wait 10s")
    codes = ok(shell, f"for i in $(seq 4); do curl -s -o /dev/null -w '%{{http_code}} ' http://{dns}/; done").stdout
    assert sorted(codes.split()) == ["200", "200", "504", "504"]  # one after another, so nothing is in flight
    heads = [ok(shell, f"curl -s -i http://{dns}/").stdout for _ in range(2)]
    late = next(h for h in heads if h.startswith("HTTP/1.1 504"))
    assert late.startswith("HTTP/1.1 504 Gateway Time-out\r\n") and "Server: awselb/2.0\r\n" in late


def test_app_cookie_stickiness_with_curl_cookie_jars(shell: Shell, world: World) -> None:
    first, _ = launch(world, BOOT.replace("{sleep}", "session_start();"), ports=(80,))
    second, _ = launch(world, BOOT.replace("{sleep}", "session_start();"), ports=(80,))
    _lb, dns, tg = _alb(world, [first, second])
    ok(
        shell,
        f"aws elbv2 modify-target-group-attributes --target-group-arn {tg} --attributes Key=stickiness.enabled,"
        "Value=true Key=stickiness.type,Value=app_cookie Key=stickiness.app_cookie.cookie_name,Value=PHPSESSID "
        "Key=stickiness.app_cookie.duration_seconds,Value=120",
    )
    ok(shell, "wait 5m")
    head = ok(shell, f"curl -s -i -c jar.txt http://{dns}/").stdout
    assert "Set-Cookie: PHPSESSID=" in head and "Set-Cookie: AWSALBAPP-0=" in head
    saved = ok(shell, "cat jar.txt").stdout
    assert "\tPHPSESSID\t" in saved and "\tAWSALBAPP-0\t" in saved
    pages = {ok(shell, f"curl -s -b jar.txt -c jar.txt http://{dns}/").stdout for _ in range(6)}
    assert len(pages) == 1  # one target answers the whole session
    summary = ok(shell, f"load http://{dns}/ --requests 20 -b jar.txt").stdout
    assert "100.0%" in summary
    ok(shell, "wait 3m")  # longer than the 120 s duration: the session is over
    assert len({ok(shell, f"curl -s -b jar.txt http://{dns}/").stdout for _ in range(4)}) == 2
