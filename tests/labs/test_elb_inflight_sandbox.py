"""A request still on its way when its target goes away (the ALB troubleshooting page's 502 causes): a
background `curl URL &` of a slow page, then deregister the target or stop its instance. Draining lets the
request finish within the deregistration delay; when the delay ends first, or the instance stops, the ALB
answers 502 at that moment."""

from __future__ import annotations

from awsprep.labs.shell import Shell
from awsprep.sim import World

from .conftest import launch, ok
from .test_elb_latency_sandbox import BOOT, _alb

# the health-check path (/) answers at once; /report.php takes 40 s (below httpd's 60 s Timeout and the ALB's
# idle timeout)
SLOW = BOOT.replace("{sleep}", "") + "echo '<?php sleep(40); echo \"report\\n\"; ?>' > /var/www/html/report.php\n"


def _states(shell: Shell, tg: str) -> str:
    return ok(
        shell,
        f"aws elbv2 describe-target-health --target-group-arn {tg} "
        "--query 'TargetHealthDescriptions[].TargetHealth.State' --output text",
    ).stdout.strip()


def _ready(shell: Shell, world: World) -> tuple[str, str, str]:
    iid, _ = launch(world, SLOW, ports=(80,))
    _lb, dns, tg = _alb(world, [iid])
    ok(shell, "wait 5m")
    assert _states(shell, tg) == "healthy"
    return iid, dns, tg


def test_the_deregistration_delay_ending_mid_request_is_a_502(shell: Shell, world: World) -> None:
    iid, dns, tg = _ready(shell, world)
    delay = "Key=deregistration_delay.timeout_seconds,Value=20"
    ok(shell, f"aws elbv2 modify-target-group-attributes --target-group-arn {tg} --attributes {delay}")
    start = world.now
    started = ok(shell, f"curl -s http://{dns}/report.php &")
    assert started.stdout == "[1] 4243\n" and world.now == start  # the clock did not wait for the answer
    ok(shell, f"aws elbv2 deregister-targets --target-group-arn {tg} --targets Id={iid}")
    assert _states(shell, tg) == "draining"  # a request is in flight: the target drains for the delay
    assert ok(shell, "wait 15s").stdout.count("\n") == 1  # still on its way: nothing but the clock line
    late = ok(shell, "wait 10s").stdout
    assert "<title>502 Bad Gateway</title>" in late and "ip-" not in late
    assert late.endswith("[1]+  Done                    curl -s http://" + dns + "/report.php\n")
    assert _states(shell, tg) == ""  # gone after the delay
    assert ok(shell, "wait 1m").stdout.count("\n") == 1  # the job was reported once


def test_a_request_that_completes_within_the_delay_is_answered_while_the_target_drains(
    shell: Shell, world: World
) -> None:
    iid, dns, tg = _ready(shell, world)
    ok(shell, f"curl -s -w ' %{{http_code}}\\n' http://{dns}/report.php &")
    ok(shell, f"aws elbv2 deregister-targets --target-group-arn {tg} --targets Id={iid}")
    start = world.now
    done = ok(shell, "wait").stdout  # a bare wait waits for the background job
    assert 40 <= world.now - start < 40.1
    assert done.startswith("report") and " 200\n[1]+  Done" in done
    assert _states(shell, tg) == "draining"  # the default delay (300 s) goes on after the request is done


def test_stopping_the_instance_mid_request_is_a_502_and_v_says_why(shell: Shell, world: World) -> None:
    iid, dns, _tg = _ready(shell, world)
    ok(shell, f"curl -v http://{dns}/report.php &")
    ok(shell, f"curl -s -o page.txt -w '%{{http_code}}' http://{dns}/report.php &")
    stopped = ok(shell, f"aws ec2 stop-instances --instance-ids {iid}")
    assert "<title>502 Bad Gateway</title>" in stopped.stdout
    assert "[1]+  Done" in stopped.stdout and "[2]+  Done" in stopped.stdout
    assert "\n502[2]+  Done" in stopped.stdout  # -w's code, then the job line; the page went to the file
    assert "502 Bad Gateway" in ok(shell, "cat page.txt").stdout
    verbose = stopped.stderr
    assert "* awsprep: forward to target group web -> " + iid in verbose
    assert "* awsprep: the target closed the connection after 0 s, before the answer was complete: 502" in verbose
    assert "< HTTP/1.1 502 Bad Gateway" in verbose and "answered 200" not in verbose


def test_other_background_lines_still_run_at_once(shell: Shell, world: World) -> None:
    _iid, dns, _tg = _ready(shell, world)
    start = world.now
    assert ok(shell, "echo hi &").stdout == "[1] 4243\nhi\n"
    looped = ok(shell, f"for i in 1 2; do curl -s http://{dns}/report.php; done &").stdout
    assert looped.startswith("[1] 4243\nreport") and world.now - start >= 80  # a loop runs in the foreground
    start = world.now
    assert ok(shell, f"curl -s http://{dns}/report.php").stdout == "report\n" and world.now - start >= 40
