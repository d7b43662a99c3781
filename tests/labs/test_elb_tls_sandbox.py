"""TLS at the load balancer, seen with curl: an NLB TLS listener terminates TLS and reaches a plain web server
over TCP; an ALB HTTPS listener does the same for HTTP; a client speaking the wrong protocol gets what curl
prints for it. UDP target groups are health checked over TCP or HTTP only."""

from __future__ import annotations

import pytest

from awsprep.labs.shell import Shell
from awsprep.sim import World
from awsprep.sim.core.errors import AwsError
from tests.sim.elb_helpers import call, estate, states
from tests.sim.test_elbv2_nlb import _nlb

from .conftest import ok

CERT = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"


def test_an_nlb_tls_listener_terminates_tls_and_forwards_tcp(shell: Shell, world: World) -> None:
    e, lb, _eips = _nlb(world, "0.0.0.0/0")
    call(
        world,
        "CreateListener",
        LoadBalancerArn=lb["LoadBalancerArn"],
        Protocol="TLS",
        Port=443,
        Certificates=[{"CertificateArn": CERT}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )
    ok(shell, "wait 5m")
    dns = lb["DNSName"]
    assert ok(shell, f"curl -s https://{dns}/").stdout.startswith("hello from i-")
    verbose = ok(shell, f"curl -v https://{dns}/").stderr
    assert f"TLS terminated at the load balancer (ELBSecurityPolicy-2016-08, certificate {CERT})" in verbose
    assert "TLS 443 forwarded as TCP to i-" in verbose
    plain = shell.run_line(f"curl -sS http://{dns}:443/")
    assert (plain.exit_code, plain.stderr) == (52, "curl: (52) Empty reply from server\n")
    through = shell.run_line(f"curl -sS https://{dns}:80/")  # TCP passes the TLS handshake to plain httpd
    assert through.exit_code == 35 and "wrong version number" in through.stderr


def test_an_alb_https_listener_and_the_wrong_scheme(shell: Shell, world: World) -> None:
    e = estate(world)
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": e.lb_sg, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
    )
    call(
        world,
        "CreateListener",
        LoadBalancerArn=e.lb,
        Protocol="HTTPS",
        Port=443,
        Certificates=[{"CertificateArn": CERT}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": e.tg}],
    )
    ok(shell, "wait 5m")
    assert ok(shell, f"curl -s https://{e.dns}/").stdout.startswith("hello from i-")
    wrong = ok(shell, f"curl -s -i http://{e.dns}:443/").stdout
    assert wrong.startswith("HTTP/1.1 400 Bad Request\r\n") and "Server: awselb/2.0\r\n" in wrong
    assert "The plain HTTP request was sent to HTTPS port" in wrong
    tls_to_http = shell.run_line(f"curl -sS https://{e.dns}/")  # port 443 is HTTPS; 80 is plain HTTP
    assert tls_to_http.exit_code == 0
    assert shell.run_line(f"curl -sS https://{e.dns}:80/").exit_code == 35


def test_udp_target_groups_are_checked_over_tcp_or_http(world: World) -> None:
    e = estate(world, build=False)
    with pytest.raises(AwsError) as err:
        call(world, "CreateTargetGroup", Name="dns", Protocol="UDP", Port=53, VpcId=e.vpc, HealthCheckProtocol="UDP")
    assert err.value.code == "ValidationError" and "'UDP' is not supported" in str(err.value)
    with pytest.raises(AwsError):
        call(world, "CreateTargetGroup", Name="web", Protocol="HTTP", Port=80, VpcId=e.vpc, HealthCheckProtocol="TCP")
    tg = call(
        world,
        "CreateTargetGroup",
        Name="dns",
        Protocol="UDP",
        Port=53,
        VpcId=e.vpc,
        HealthCheckProtocol="HTTP",
        HealthCheckPort="80",
        HealthCheckIntervalSeconds=10,
        HealthCheckTimeoutSeconds=5,
    )["TargetGroups"][0]
    assert (tg["HealthCheckPath"], tg["Matcher"]["HttpCode"]) == ("/", "200-399")
    nlb = call(world, "CreateLoadBalancer", Name="dns", Type="network", Subnets=e.subnets)["LoadBalancers"][0]
    call(world, "RegisterTargets", TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": i} for i in e.instances])
    call(
        world,
        "CreateListener",
        LoadBalancerArn=nlb["LoadBalancerArn"],
        Protocol="UDP",
        Port=53,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}],
    )
    world.advance(240)
    assert {s for s, _ in states(world, tg["TargetGroupArn"])} == {"unhealthy"}  # the web SG admits only the ALB
    world.call(
        "ec2",
        "AuthorizeSecurityGroupIngress",
        {"GroupId": e.web_sg, "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "172.31.0.0/16"},
    )
    world.advance(60)
    assert states(world, tg["TargetGroupArn"]) == [("healthy", None)] * 2  # httpd on 80 answers the checks
