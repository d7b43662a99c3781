"""Simulated cloud-init on the notes' user data: first boot only, the log, the page, enabled services."""

from __future__ import annotations

from awsprep.labs import cloudinit
from awsprep.labs.shell import Shell
from awsprep.labs.shell.guest import CLOUD_INIT_LOG
from awsprep.sim import World, ec2

from .conftest import NOTES_USER_DATA, launch, ok, public_ip

MICROSERVICE_A = """#!/bin/bash
curl -s http://169.254.169.254/latest/dynamic/instance-identity/document > /var/www/html/index.html
mkdir /var/www/html/a
echo “Microservice A” > /var/www/html/a/test.html
"""


def log(world: World, iid: str) -> str:
    return str(ec2.backend(world).instance(iid).guest["files"][CLOUD_INIT_LOG]["content"])


def test_notes_user_data_serves_the_identity_document(shell: Shell, world: World) -> None:
    iid, _ = launch(world, NOTES_USER_DATA, ports=(80,), imds_v1=True)
    page = ok(shell, f"curl -s http://{public_ip(world, iid)}/").stdout
    assert f'"instanceId" : "{iid}"' in page or f'"instanceId": "{iid}"' in page
    text = log(world, iid)
    assert text.startswith("Cloud-init v. 22.2.2 running 'modules:final'")
    assert "Installed:\n  httpd-" in text and "Created symlink" in text and "finished at" in text
    assert "WARNING" not in text


def test_notes_user_data_on_al2023_defaults_gets_imdsv2_401(shell: Shell, world: World) -> None:
    # AL2023 requires IMDSv2, so the notes' plain curl writes the 401 page, as it does on AWS today.
    iid, _ = launch(world, NOTES_USER_DATA, ports=(80,))
    assert "401 - Unauthorized" in ok(shell, f"curl -s {public_ip(world, iid)}").stdout


def test_hostname_substitution_in_user_data(shell: Shell, world: World) -> None:
    ud = (
        "#!/bin/bash\ndnf install -y httpd\nsystemctl start httpd\n"
        'echo "<h1>$(hostname -f)</h1>" > /var/www/html/index.html\n'
    )
    iid, _ = launch(world, ud, ports=(80,))
    inst = ec2.backend(world).instance(iid)
    expected = f"<h1>ip-{inst.private_ip.replace('.', '-')}.ec2.internal</h1>\n"
    assert ok(shell, f"curl {public_ip(world, iid)}").stdout == expected


def test_runs_only_at_first_boot_and_enabled_httpd_returns(shell: Shell, world: World) -> None:
    iid, _ = launch(world, NOTES_USER_DATA, ports=(80,), imds_v1=True)
    first = log(world, iid)
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert log(world, iid) == first  # not run again
    assert ok(shell, f"curl -s {public_ip(world, iid)}").stdout.startswith("{")  # enabled: back after start


def test_started_but_not_enabled_is_gone_after_stop_start(shell: Shell, world: World) -> None:
    ud = "#!/bin/bash\nyum install -y httpd\nsystemctl start httpd\n"
    iid, _ = launch(world, ud, ports=(80,))
    assert "It works!" in ok(shell, f"curl {public_ip(world, iid)}").stdout
    world.call("ec2", "StopInstances", {"InstanceIds": [iid]})
    world.advance(30)
    world.call("ec2", "StartInstances", {"InstanceIds": [iid]})
    world.advance(30)
    assert shell.run_line(f"curl {public_ip(world, iid)}").exit_code == 7
    world.call("ec2", "RebootInstances", {"InstanceIds": [iid]})
    assert shell.run_line(f"curl {public_ip(world, iid)}").exit_code == 7


def test_unknown_commands_and_missing_y_are_reported(world: World) -> None:
    ud = "#!/bin/bash\nyum install httpd\nfoo --bar\nsystemctl start httpd\n"
    iid, _ = launch(world, ud)
    text = log(world, iid)
    assert "Is this ok [y/N]: Operation aborted." in text
    assert "/var/lib/cloud/instance/scripts/part-001: line 3: foo: command not found" in text
    assert "Failed to start httpd.service: Unit httpd.service not found." in text
    assert "cc_scripts_user.py[WARNING]: Failed to run module scripts-user" in text


def test_microservice_user_data_needs_httpd(world: World) -> None:
    iid, _ = launch(world, MICROSERVICE_A)
    text = log(world, iid)
    assert "/var/www/html/index.html: No such file or directory" in text
    assert "mkdir: cannot create directory '/var/www/html/a': No such file or directory" in text


def test_golden_ami_carries_httpd(shell: Shell, world: World) -> None:
    base, _ = launch(world, NOTES_USER_DATA, imds_v1=True)
    image = world.call("ec2", "CreateImage", {"InstanceId": base, "Name": "golden", "NoReboot": True})["ImageId"]
    world.advance(120)
    sg = ec2.backend(world).instance(base).security_group_ids[0]
    import base64

    params = {"ImageId": image, "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1,
              "SecurityGroupIds": [sg], "MetadataOptions": {"HttpTokens": "optional"},
              "UserData": base64.b64encode(MICROSERVICE_A.encode()).decode()}  # fmt: skip
    iid = world.call("ec2", "RunInstances", params)["Instances"][0]["InstanceId"]
    world.advance(30)
    world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": sg, "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})  # fmt: skip
    ip = public_ip(world, iid)
    assert ok(shell, f"curl -s {ip}/a/test.html").stdout == "“Microservice A”\n"
    assert iid in ok(shell, f"curl -s {ip}/").stdout


def test_without_shebang_nothing_runs(world: World) -> None:
    iid, _ = launch(world, "yum install -y httpd\n")
    assert "Unhandled non-multipart (text/x-not-multipart) userdata" in log(world, iid)
    assert not ec2.backend(world).instance(iid).guest["packages"]
    iid, _ = launch(world, "#cloud-config\npackages: [httpd]\n")
    assert "#cloud-config user data is not simulated" in log(world, iid)
    iid, _ = launch(world, "#!/usr/bin/python3\nprint(1)\n")
    assert "is not simulated" in log(world, iid)


def test_console_output_shows_the_log(shell: Shell, world: World) -> None:
    iid, _ = launch(world, "#!/bin/bash\necho hello from user data\n")
    r = ok(shell, f"aws ec2 get-console-output --instance-id {iid} --query Output --output text")
    assert "hello from user data" in r.stdout


def test_heredoc_in_user_data_and_install_is_idempotent(world: World) -> None:
    ud = "#!/bin/bash\nyum install -y httpd nginx\nyum install -y httpd\ncat > /tmp/x <<EOF\nid=$(hostname -s)\nEOF\n"
    iid, _ = launch(world, ud)
    files = ec2.backend(world).instance(iid).guest["files"]
    assert str(files["/tmp/x"]["content"]).startswith("id=ip-")
    assert "is already installed" in log(world, iid)


def test_install_is_idempotent_per_world(world: World) -> None:
    cloudinit.install(world)
    cloudinit.install(world)
    iid, _ = launch(world, "#!/bin/bash\necho once\n")
    assert log(world, iid).count("once") == 1


def test_a_world_saved_mid_lab_still_runs_cloud_init_after_load(world: World, scratch) -> None:  # type: ignore[no-untyped-def]
    # The subscription is part of the world: a plain World.load (no Shell, no install) keeps cloud-init.
    first, _ = launch(world, NOTES_USER_DATA, ports=(80,), imds_v1=True)
    params = {
        "ImageId": ec2.backend(world).instance(first).image_id,
        "InstanceType": "t3.micro",
        "MinCount": 1,
        "MaxCount": 1,
        "SecurityGroupIds": ec2.backend(world).instance(first).security_group_ids,
        "MetadataOptions": {"HttpTokens": "optional"},
        "UserData": __import__("base64").b64encode(NOTES_USER_DATA.encode()).decode(),
    }
    pending = world.call("ec2", "RunInstances", params)["Instances"][0]["InstanceId"]  # boots after the save
    loaded = World.load(world.save())
    loaded.advance(30)
    assert "finished at" in log(loaded, pending)
    shell = Shell(loaded, scratch)
    page = ok(shell, f"curl -s http://{public_ip(loaded, pending)}/").stdout
    assert f'"instanceId" : "{pending}"' in page or f'"instanceId": "{pending}"' in page
    assert log(loaded, first) == log(world, first)  # the first boot's log came along, and did not run again
