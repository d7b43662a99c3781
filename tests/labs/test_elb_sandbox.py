"""The sandbox against load balancers: curl's flags, the `for … $(seq N)` loop, `load`, DNS that resolves only
while a load balancer is active, an internal one from the laptop."""

from __future__ import annotations

from awsprep.labs.shell import Shell
from awsprep.sim import World
from tests.sim.elb_helpers import call, estate

from .conftest import ok


def test_curl_flags_against_an_alb(shell: Shell, world: World) -> None:
    e = estate(world)
    r = shell.run_line(f"curl -s http://{e.dns}/")
    assert r.exit_code == 6  # provisioning: the name does not resolve yet
    assert shell.run_line(f"curl http://{e.dns}/").stderr == f"curl: (6) Could not resolve host: {e.dns}\n"
    ok(shell, "wait 4m")
    assert ok(shell, f"curl -s -o /dev/null -w '%{{http_code}}' http://{e.dns}/").stdout.endswith("200")
    out = ok(shell, f"for i in $(seq 4); do curl -s http://{e.dns}/; done").stdout.splitlines()
    assert sorted(set(out)) == sorted(f"hello from {i}" for i in e.instances) and len(out) == 4
    verbose = ok(shell, f"curl -v http://{e.dns}/")
    assert "* awsprep: listener HTTP:80, rule default matched" in verbose.stderr
    assert "forward to target group web -> i-" in verbose.stderr
    call(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=1,
        Conditions=[{"Field": "host-header", "Values": ["api.example.com"]}],
        Actions=[
            {
                "Type": "fixed-response",
                "FixedResponseConfig": {"StatusCode": "200", "ContentType": "text/plain", "MessageBody": "api"},
            }
        ],
    )
    head = ok(shell, f"curl -i -H 'Host: api.example.com' http://{e.dns}/").stdout
    assert head.startswith("HTTP/1.1 200 OK\r\n") and "Server: awselb/2.0\r\n" in head and head.endswith("api")


def test_cookie_jars_keep_a_sticky_session(shell: Shell, world: World) -> None:
    e = estate(world)
    call(
        world,
        "ModifyTargetGroupAttributes",
        TargetGroupArn=e.tg,
        Attributes=[{"Key": "stickiness.enabled", "Value": "true"}],
    )
    ok(shell, "wait 4m")
    first = ok(shell, f"curl -s -c jar.txt http://{e.dns}/").stdout
    assert "AWSALB" in ok(shell, "cat jar.txt").stdout
    again = {ok(shell, f"curl -s -b jar.txt http://{e.dns}/").stdout for _ in range(5)}
    assert again == {first}
    summary = ok(shell, f"load http://{e.dns}/ --requests 20 -b jar.txt").stdout
    assert "100.0%" in summary and "200 OK" in summary


def test_load_summarises_targets_and_statuses(shell: Shell, world: World) -> None:
    e = estate(world)
    ok(shell, "wait 4m")
    before = world.now
    out = ok(shell, f"load http://{e.dns}/ --requests 100 --rate 10/s --concurrency 5").stdout
    assert out.startswith(f"100 requests to {e.dns} in 9.50")  # the last batch at 9.5 s, answered in ms
    for iid in e.instances:
        assert f"{iid}:80" in out
    assert "  200 OK" in out and 9.5 < world.now - before < 9.51
    assert shell.run_line("load --requests x http://a").exit_code == 2


def test_deleted_and_internal_load_balancers_from_the_laptop(shell: Shell, world: World) -> None:
    e = estate(world)
    inner = call(
        world, "CreateLoadBalancer", Name="inner", Subnets=e.subnets, Scheme="internal", SecurityGroups=[e.lb_sg]
    )["LoadBalancers"][0]
    assert inner["DNSName"].startswith("internal-inner-")
    call(
        world,
        "CreateListener",
        LoadBalancerArn=inner["LoadBalancerArn"],
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )
    ok(shell, "wait 4m")
    r = shell.run_line(f"curl -m 5 http://{inner['DNSName']}/")
    assert r.exit_code == 28  # resolves to private addresses: the laptop has no route
    call(world, "DeleteLoadBalancer", LoadBalancerArn=e.lb)
    assert shell.run_line(f"curl http://{e.dns}/").exit_code == 6


def test_seq_and_for_in_the_shell(shell: Shell) -> None:
    assert ok(shell, "seq 3").stdout == "1\n2\n3\n"
    assert ok(shell, "seq 5 -2 1").stdout == "5\n3\n1\n"
    assert shell.run_line("seq x").exit_code == 1
    assert ok(shell, "for n in a b; do echo $n; echo -; done").stdout == "a\n-\nb\n-\n"


def test_head_requests_following_redirects_and_output_files(shell: Shell, world: World) -> None:
    e = estate(world)
    call(
        world,
        "CreateRule",
        ListenerArn=e.listener,
        Priority=1,
        Conditions=[{"Field": "path-pattern", "Values": ["/old/*"]}],
        Actions=[{"Type": "redirect", "RedirectConfig": {"Path": "/", "StatusCode": "HTTP_301"}}],
    )
    ok(shell, "wait 4m")
    head = ok(shell, f"curl -I http://{e.dns}/old/page").stdout
    assert head.startswith("HTTP/1.1 301 Moved Permanently\r\nServer: awselb/2.0\r\nDate: ")
    assert f"Location: http://{e.dns}:80/\r\n" in head and head.endswith("\r\n\r\n")  # -I: the head only
    followed = ok(shell, f"curl -sL -w ' %{{http_code}}' http://{e.dns}/old/page").stdout
    assert followed.startswith("hello from i-") and followed.endswith(" 200")  # the redirect, then the target
    assert ok(shell, f"curl -s http://{e.dns}/old/page").stdout.startswith("<html>")  # without -L: the 301 page
    written = ok(shell, f"curl -s -o page.html -w '%{{http_code}}' -L http://{e.dns}/old/page")
    assert written.stdout == "200" and ok(shell, "cat page.html").stdout.startswith("hello from i-")
