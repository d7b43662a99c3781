"""Fixtures for the sandbox shell: a seeded world, a shell over a temporary scratch folder, no network."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from awsprep.labs.shell import Result, Shell
from awsprep.sim import World, ec2, warm_up_cli
from awsprep.sim.ec2.catalog import public_image_id

NOTES_USER_DATA = """#!/bin/bash
yum update -y
yum install -y httpd
systemctl start httpd
systemctl enable httpd
curl -s http://169.254.169.254/latest/dynamic/instance-identity/document > /var/www/html/index.html
"""


@pytest.fixture(autouse=True)
def offline(no_network: None) -> None:
    """Nothing in the sandbox may open a socket (the `no_network` fixture of tests/conftest.py, for every test)."""


@pytest.fixture
def world() -> World:
    """A seeded world with cloud-init attached (a `Shell` attaches it too)."""
    from awsprep.labs import cloudinit

    w = World(seed=11)
    cloudinit.install(w)
    return w


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    path = tmp_path / "scratch"
    path.mkdir()
    return path


@pytest.fixture
def shell(world: World, scratch: Path) -> Shell:
    return Shell(world, scratch)


@pytest.fixture
def host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A fresh HOME with files worth stealing, a cwd, a scratch folder and a trap `session-manager-plugin`."""
    home, cwd, scratch, bin_dir = (tmp_path / n for n in ("home", "cwd", "scratch", "bin"))
    for d in (home, cwd, scratch, bin_dir):
        d.mkdir()
    (home / ".bashrc").write_text("# the learner's bashrc\n")
    (home / "secret.txt").write_text("TOP-SECRET host file\n")
    (home / ".aws").mkdir()
    plugin = bin_dir / "session-manager-plugin"
    plugin.write_text(f"#!/bin/sh\ntouch {tmp_path / 'PLUGIN-RAN'}\n")
    plugin.chmod(plugin.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.chdir(cwd)
    for folder in (scratch, cwd):  # awscli itself would look in the cwd
        (folder / "t.yaml").write_text("Resources: {}\n")
    warm_up_cli()  # build the driver (imports, models) before tracing: only the commands are traced
    return {"home": home, "cwd": cwd, "scratch": scratch, "tmp": tmp_path}


def ok(shell: Shell, line: str) -> Result:
    """Run a line that must succeed."""
    r = shell.run_line(line)
    assert r.exit_code == 0, (line, r)
    return r


def open_port(world: World, group_id: str, port: int, protocol: str = "tcp") -> None:
    perm: dict[str, Any] = {"IpProtocol": protocol, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    perm.update({"FromPort": -1, "ToPort": -1} if protocol == "icmp" else {"FromPort": port, "ToPort": port})
    world.call("ec2", "AuthorizeSecurityGroupIngress", {"GroupId": group_id, "IpPermissions": [perm]})


def launch(
    world: World,
    user_data: str | None = None,
    key_name: str | None = None,
    ports: tuple[int, ...] = (),
    image: str = "al2023",
    imds_v1: bool = False,
    boot: bool = True,
) -> tuple[str, str]:
    """An instance in a fresh security group with `ports` open to the world: (instance id, group id)."""
    sg = world.call("ec2", "CreateSecurityGroup", {"GroupName": f"g{len(ec2.backend(world).state.security_groups)}",
                                                     "Description": "test"})["GroupId"]  # fmt: skip
    for port in ports:
        open_port(world, sg, port)
    params: dict[str, Any] = {
        "ImageId": public_image_id("us-east-1", image),
        "InstanceType": "t3.micro",
        "MinCount": 1,
        "MaxCount": 1,
        "SecurityGroupIds": [sg],
    }
    if user_data is not None:
        params["UserData"] = base64.b64encode(user_data.encode()).decode()
    if key_name is not None:
        params["KeyName"] = key_name
    if imds_v1:
        params["MetadataOptions"] = {"HttpTokens": "optional"}
    iid: str = world.call("ec2", "RunInstances", params)["Instances"][0]["InstanceId"]
    if boot:
        world.advance(30)
    return iid, sg


def public_ip(world: World, iid: str) -> str:
    ip = ec2.backend(world).public_address(ec2.backend(world).instance(iid))
    assert ip is not None
    return ip


def key_file(shell: Shell, name: str = "lab", mode: str | None = "400") -> str:
    """Create a key pair through the CLI into NAME.pem, chmod'ed as asked."""
    ok(shell, f"aws ec2 create-key-pair --key-name {name} --query KeyMaterial --output text > {name}.pem")
    if mode:
        ok(shell, f"chmod {mode} {name}.pem")
    return f"{name}.pem"
