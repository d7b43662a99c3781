"""BIND on an instance (`dnf install -y bind`, `systemctl start named`) and `dig` from the laptop: the answer as
dig 9.18 prints it, named's default configuration (localhost only), a dropped query timing out on the clock,
a stopped named refusing, the laptop's resolver for the world's names."""

from __future__ import annotations

from pathlib import Path

import yaml

from awsprep.labs.shell import Shell
from awsprep.sim import World

from .conftest import key_file, launch, ok, open_port, public_ip

LAB = Path(__file__).resolve().parents[2] / "content" / "labs" / "elb-nlb-udp.yaml"


def _user_data() -> str:
    """The elb-nlb-udp lab's dns.sh: BIND with a zone example.internal, listening on every address."""
    lab = yaml.safe_load(LAB.read_text(encoding="utf-8"))
    return str(next(s["content"] for s in lab["setup"] if s.get("path") == "dns.sh"))


def test_dig_gets_the_zones_answer_as_dig_prints_it(shell: Shell, world: World) -> None:
    iid, sg = launch(world, user_data=_user_data())
    open_port(world, sg, 53, "udp")
    ip = public_ip(world, iid)
    out = ok(shell, f"dig @{ip} app.example.internal").stdout
    assert out.startswith(f"; <<>> DiG 9.18.28 <<>> @{ip} app.example.internal\n; (1 server found)\n")
    assert ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: " in out
    assert ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1" in out
    assert ";; WARNING: recursion requested but not available" in out  # recursion no
    assert "app.example.internal.\t\t300\tIN\tA\t192.0.2.10" in out
    assert f";; SERVER: {ip}#53({ip}) (UDP)" in out and ";; MSG SIZE  rcvd: " in out
    assert ok(shell, f"dig @{ip} app.example.internal +short").stdout == "192.0.2.10\n"
    assert "status: NXDOMAIN" in ok(shell, f"dig @{ip} nothere.example.internal").stdout
    assert ok(shell, f"dig @{ip} hostname.bind chaos txt +short").stdout.startswith('"ip-172-31-')


def test_a_dropped_query_times_out_on_the_clock_and_a_closed_port_refuses(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, sg = launch(world, user_data=_user_data(), key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    before = world.now
    r = shell.run_line(f"dig +time=2 +tries=2 @{ip} app.example.internal")  # no UDP rule yet
    assert r.exit_code == 9
    assert r.stdout.count(f";; communications error to {ip}#53: timed out\n") == 2
    assert r.stdout.endswith(";; no servers could be reached\n")
    assert 4.0 <= world.now - before < 4.1
    open_port(world, sg, 53, "udp")
    ok(shell, f"ssh -i {key} ec2-user@{ip} sudo systemctl stop named")
    refused = shell.run_line(f"dig @{ip} app.example.internal")
    assert refused.exit_code == 9 and f"communications error to {ip}#53: connection refused" in refused.stdout
    ok(shell, f"ssh -i {key} ec2-user@{ip} sudo systemctl start named")
    assert ok(shell, f"dig @{ip} app.example.internal +short").stdout == "192.0.2.10\n"


def test_named_as_installed_answers_only_itself(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, sg = launch(world, key_name="lab", ports=(22,))
    open_port(world, sg, 53, "udp")
    ip = public_ip(world, iid)
    ok(shell, f"ssh -i {key} ec2-user@{ip} 'sudo dnf install -y bind'")
    ok(shell, f"ssh -i {key} ec2-user@{ip} sudo systemctl start named")
    status = shell.run_line(f"ssh -i {key} ec2-user@{ip} systemctl status named")
    assert "active (running)" in status.stdout
    r = shell.run_line(f"dig @{ip} example.com")  # AL2023's named.conf: listen-on port 53 { 127.0.0.1; }
    assert r.exit_code == 9 and "connection refused" in r.stdout
    inside = f"ssh -i {key} ec2-user@{ip} 'dig @127.0.0.1 version.bind chaos txt +short'"
    assert shell.run_line(inside).exit_code == 127  # no dig until bind-utils is installed
    ok(shell, f"ssh -i {key} ec2-user@{ip} 'sudo dnf install -y bind-utils'")
    assert ok(shell, inside).stdout == '"9.18.28"\n'  # named answers itself on the loopback


def test_dig_without_a_server_asks_the_laptops_resolver(shell: Shell, world: World) -> None:
    iid, _ = launch(world)
    ip = public_ip(world, iid)
    name = "ec2-" + ip.replace(".", "-") + ".compute-1.amazonaws.com"
    assert ok(shell, f"dig +short {name}").stdout == f"{ip}\n"
    out = ok(shell, "dig nothing.example.com").stdout
    assert "status: NXDOMAIN" in out and ";; SERVER: 127.0.0.53#53(127.0.0.53) (UDP)" in out
    assert shell.run_line("dig").exit_code == 1
    assert shell.run_line("dig -p x @192.0.2.1 a.example").exit_code == 1
    assert shell.run_line("dig @nowhere.invalid a.example").exit_code == 10
