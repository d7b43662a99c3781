"""ssh from the laptop: the checks in OpenSSH's order, then the instance prompt and its commands."""

from __future__ import annotations

from awsprep.labs.shell import Shell
from awsprep.sim import World, ec2

from .conftest import NOTES_USER_DATA, key_file, launch, ok, public_ip


def test_port_22_closed_times_out(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab")
    ip = public_ip(world, iid)
    r = shell.run_line(f"ssh -i {key} ec2-user@{ip}")
    assert (r.exit_code, r.stderr) == (255, f"ssh: connect to host {ip} port 22: Connection timed out\n")


def test_key_readable_by_others_is_refused_until_chmod_400(shell: Shell, world: World) -> None:
    key = key_file(shell, mode=None)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    r = shell.run_line(f"ssh -i {key} ec2-user@{ip}")
    assert r.exit_code == 255
    assert "WARNING: UNPROTECTED PRIVATE KEY FILE!" in r.stderr
    assert "Permissions 0644 for 'lab.pem' are too open." in r.stderr
    assert r.stderr.endswith(f"ec2-user@{ip}: Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n")
    assert shell.session is None
    ok(shell, f"chmod 400 {key}")
    r = ok(shell, f"ssh -i {key} ec2-user@{ip}")
    assert "Amazon Linux 2023" in r.stdout
    assert shell.prompt.startswith("[ec2-user@ip-") and shell.prompt.endswith(" ~]$ ")


def test_wrong_key_missing_key_and_bad_format(shell: Shell, world: World) -> None:
    key_file(shell, "lab")
    other = key_file(shell, "other")
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    assert "Permission denied (publickey" in shell.run_line(f"ssh -i {other} ec2-user@{ip}").stderr
    r = shell.run_line(f"ssh -i nope.pem ec2-user@{ip}")
    assert "Identity file nope.pem not accessible" in r.stderr and r.exit_code == 255
    ok(shell, "echo '{}' > bad.pem")
    ok(shell, "chmod 600 bad.pem")
    assert 'Load key "bad.pem": invalid format' in shell.run_line(f"ssh -i bad.pem ec2-user@{ip}").stderr
    assert shell.run_line(f"ssh ec2-user@{ip}").exit_code == 255


def test_wrong_user(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    assert 'Please login as the user "ec2-user"' in shell.run_line(f"ssh -i {key} root@{ip}").stdout
    assert shell.run_line(f"ssh -i {key} ubuntu@{ip}").exit_code == 255
    assert shell.run_line("ssh").exit_code == 255
    assert "Could not resolve hostname" in shell.run_line("ssh -i lab.pem ec2-user@nowhere").stderr


def test_command_runs_there(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    r = ok(shell, f"ssh -i {key} ec2-user@{ip} hostname")
    assert r.stdout.startswith("ip-172-31-") and r.stdout.endswith(".ec2.internal\n")
    assert "Permanently added" in r.stderr
    assert "Permanently added" not in ok(shell, f"ssh -i {key} ec2-user@{ip} whoami").stderr  # known host now
    assert shell.session is None
    assert shell.run_line(f"ssh -i {key} ec2-user@{ip} nosuch").exit_code == 127


def test_instance_prompt_files_services_and_exit(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, NOTES_USER_DATA, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    ok(shell, f"ssh -i {key} ec2-user@{ip}")
    log = ok(shell, "cat /var/log/cloud-init-output.log").stdout
    assert "Complete!" in log and "Cloud-init v. 22.2.2 finished" in log
    assert "401 - Unauthorized" in ok(shell, "cat /var/www/html/index.html").stdout
    status = ok(shell, "systemctl status httpd").stdout
    assert "Active: active (running)" in status and "; enabled;" in status
    assert ok(shell, "systemctl is-active httpd").stdout == "active\n"
    assert ok(shell, "hostname").stdout == ok(shell, "hostname -f").stdout
    assert ok(shell, "whoami").stdout == "ec2-user\n"
    assert shell.run_line("echo x > /var/www/html/index.html").stderr.endswith("Permission denied\n")
    assert "superuser privileges" in shell.run_line("yum install -y nginx").stderr
    assert "Interactive authentication required" in shell.run_line("systemctl stop httpd").stderr
    ok(shell, "sudo systemctl stop httpd")
    assert shell.run_line("systemctl status httpd").exit_code == 3
    ok(shell, "echo note > ~/notes.txt")
    assert ok(shell, "ls").stdout == "notes.txt\n"
    r = ok(shell, "exit")
    assert r.stdout == "logout\n" and r.stderr == f"Connection to {ip} closed.\n"
    assert shell.session is None and not shell.exited


def test_sudo_su_and_back(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ok(shell, f"ssh -i {key} ec2-user@{public_ip(world, iid)}")
    assert shell.run_line("su").exit_code == 1
    ok(shell, "sudo su")
    assert shell.prompt.startswith("[root@") and shell.prompt.endswith("]# ")
    ok(shell, "yum install httpd")  # interactive: the question is answered
    ok(shell, "systemctl enable --now httpd")
    ok(shell, "mkdir -p /var/www/html/a")
    ok(shell, "echo A > /var/www/html/a/test.html")
    ok(shell, "exit")
    assert shell.prompt.startswith("[ec2-user@")
    ok(shell, "exit")
    group = ec2.backend(world).instance(iid).security_group_ids[0]
    world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": group,
               "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                                  "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})  # fmt: skip
    ip = public_ip(world, iid)
    assert ok(shell, f"curl {ip}/a/test.html").stdout == "A\n"
    assert "It works!" in ok(shell, f"curl {ip}").stdout  # Apache's test page: empty web root


def test_session_ends_when_the_instance_stops(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ok(shell, f"ssh -i {key} ec2-user@{public_ip(world, iid)}")
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    r = shell.run_line("hostname")
    assert r.exit_code == 255 and "closed by remote host" in r.stderr
    assert shell.session is None


def test_shutdown_from_inside_follows_shutdown_behaviour(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ip = public_ip(world, iid)
    ok(shell, f"ssh -i {key} ec2-user@{ip}")
    assert shell.run_line("shutdown -h now").exit_code == 1
    r = shell.run_line("sudo shutdown -h now")
    assert "closed by remote host" in r.stderr and shell.session is None
    world.advance(30)
    assert ec2.backend(world).instance(iid).state == "stopped"


def test_aws_inside_has_no_credentials_without_a_profile(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    r = shell.run_line(f"ssh -i {key} ec2-user@{public_ip(world, iid)} aws ec2 describe-instances")
    assert r.exit_code == 253 and "Unable to locate credentials" in r.stderr


def test_misc_instance_commands(shell: Shell, world: World) -> None:
    key = key_file(shell)
    iid, _ = launch(world, key_name="lab", ports=(22,))
    ok(shell, f"ssh -i {key} ec2-user@{public_ip(world, iid)}")
    assert ok(shell, "pwd").stdout == "/home/ec2-user\n"
    assert shell.run_line("cd /nope").exit_code == 1
    ok(shell, "cd /var/log")
    assert shell.prompt.endswith(" log]$ ")
    assert "cloud-init-output.log" in ok(shell, "ls").stdout
    assert ok(shell, "id").stdout.startswith("uid=1000(ec2-user)")
    assert ok(shell, "uname").stdout == "Linux\n"
    assert "UTC" in ok(shell, "date").stdout
    assert "wget: not simulated" in ok(shell, "wget http://example.com").stderr
    assert shell.run_line("systemctl status nginx").exit_code == 4
    assert shell.run_line("sudo systemctl start nginx").exit_code == 5
    assert shell.run_line("sudo yum install -y nosuchpkg").exit_code == 1
    assert "Nothing to do" in ok(shell, "sudo dnf update -y").stdout
    ok(shell, "sleep 1")
    assert shell.run_line("sleep x").exit_code == 1
