"""curl and ping from the laptop and from inside an instance: timeouts, refusals, pages, IMDS."""

from __future__ import annotations

from awsprep.labs.shell import Result, Shell
from awsprep.sim import World

from .conftest import NOTES_USER_DATA, key_file, launch, ok, open_port, public_ip

WEB = "#!/bin/bash\nyum install -y httpd\nsystemctl start httpd\necho '<h1>hi</h1>' > /var/www/html/index.html\n"


def test_dropped_packets_time_out_and_move_the_clock(shell: Shell, world: World) -> None:
    iid, _ = launch(world, WEB)
    ip = public_ip(world, iid)
    before = world.now
    r = shell.run_line(f"curl http://{ip}/")
    assert r.exit_code == 28
    assert r.stderr == f"curl: (28) Failed to connect to {ip} port 80 after 130002 ms: Connection timed out\n"
    assert world.now - before == 130
    r = shell.run_line(f"curl -m 5 {ip}")
    assert (r.exit_code, r.stderr) == (28, "curl: (28) Connection timed out after 5002 milliseconds\n")
    assert shell.run_line(f"curl -s -m 5 {ip}").stderr == ""
    assert shell.run_line(f"curl -sS -m 5 {ip}").stderr.startswith("curl: (28)")


def test_open_port_without_a_server_is_refused(shell: Shell, world: World) -> None:
    iid, _ = launch(world, None, ports=(80,))
    r = shell.run_line(f"curl {public_ip(world, iid)}")
    assert r.exit_code == 7 and "Connection refused" in r.stderr


def test_page_written_by_user_data(shell: Shell, world: World) -> None:
    iid, _ = launch(world, WEB, ports=(80,))
    ip = public_ip(world, iid)
    assert ok(shell, f"curl http://{ip}/").stdout == "<h1>hi</h1>\n"
    head = ok(shell, f"curl -I {ip}").stdout
    assert head.startswith("HTTP/1.1 200 OK\r\n")
    assert ok(shell, f"curl -i {ip}").stdout.endswith("\r\n\r\n<h1>hi</h1>\n")
    r = shell.run_line(f"curl -f {ip}/missing")
    assert (r.exit_code, r.stderr) == (22, "curl: (22) The requested URL returned error: 404\n")
    assert "404 Not Found" in shell.run_line(f"curl {ip}/missing").stdout
    ok(shell, f"curl -s -o page.html {ip}")
    assert ok(shell, "cat page.html").stdout == "<h1>hi</h1>\n"
    r = ok(shell, f"curl {ip} > saved.html")
    assert "% Total" in r.stderr  # curl's progress meter appears when its output is redirected
    assert shell.run_line(f"curl -X PUT {ip}").stdout.startswith("<!DOCTYPE HTML")


def test_public_dns_name_works_too(shell: Shell, world: World) -> None:
    iid, _ = launch(world, WEB, ports=(80,))
    dns = ok(shell, f"aws ec2 describe-instances --instance-ids {iid} "
                    "--query Reservations[0].Instances[0].PublicDnsName --output text").stdout.strip()  # fmt: skip
    assert ok(shell, f"curl http://{dns}/").stdout == "<h1>hi</h1>\n"


def test_stopped_instance_times_out(shell: Shell, world: World) -> None:
    iid, _ = launch(world, WEB, ports=(80,))
    ip = public_ip(world, iid)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    assert shell.run_line(f"curl -m 2 {ip}").exit_code == 28


def test_unresolvable_and_malformed(shell: Shell) -> None:
    r = shell.run_line("curl https://example.com")
    assert (r.exit_code, r.stderr) == (6, "curl: (6) Could not resolve host: example.com\n")
    assert shell.run_line("curl ftp://x").exit_code == 1
    assert shell.run_line("curl").exit_code == 2
    assert shell.run_line("curl -m soon 1.2.3.4").exit_code == 2
    assert shell.run_line("curl http://1.2.3.4:99999/").exit_code == 3
    assert shell.run_line("curl -m 1 169.254.169.254").exit_code == 28  # IMDS is not on the internet


def test_ping_needs_an_icmp_rule(shell: Shell, world: World) -> None:
    iid, sg = launch(world)
    ip = public_ip(world, iid)
    r = shell.run_line(f"ping {ip}")
    assert r.exit_code == 1 and "4 packets transmitted, 0 received, 100% packet loss" in r.stdout
    open_port(world, sg, 0, "icmp")
    r = shell.run_line(f"ping -c 2 {ip}")
    assert r.exit_code == 0 and f"64 bytes from {ip}: icmp_seq=2" in r.stdout
    assert shell.run_line("ping nowhere.example").exit_code == 2
    assert shell.run_line("ping").exit_code == 1
    assert shell.run_line("ping -c x 1.2.3.4").exit_code == 1


def test_imds_from_inside_v1_and_v2(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, None, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    ok(shell, f"ssh -i {key} ec2-user@{ip}")
    # Amazon Linux 2023 requires IMDSv2: a plain GET is 401.
    assert "401 - Unauthorized" in ok(shell, "curl http://169.254.169.254/latest/meta-data/instance-id").stdout
    ok(shell, 'TOKEN=$(curl -s -X PUT "http://169.254.169.254/latest/api/token" '
              '-H "X-aws-ec2-metadata-token-ttl-seconds: 21600")')  # fmt: skip
    r = ok(shell, 'curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id')
    assert r.stdout == iid
    assert (
        "instance-id"
        in ok(shell, 'curl -H "X-aws-ec2-metadata-token: $TOKEN" 169.254.169.254/latest/meta-data/').stdout
    )
    doc = ok(shell, 'curl -s -H "X-aws-ec2-metadata-token: $TOKEN" '
                    "http://169.254.169.254/latest/dynamic/instance-identity/document").stdout  # fmt: skip
    assert f'"instanceId": "{iid}"' in doc
    assert shell.run_line("curl -s http://localhost/") == Result(7, "", "")  # nothing listens: refused, silently
    assert shell.run_line("curl http://localhost/").exit_code == 7


def test_imds_v1_when_tokens_are_optional(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, NOTES_USER_DATA, key_name="lab", ports=(22,), imds_v1=True)
    r = ok(
        shell,
        f"ssh -i {key} ec2-user@{public_ip(world, iid)} curl -s http://169.254.169.254/latest/meta-data/instance-id",
    )
    assert r.stdout == iid
