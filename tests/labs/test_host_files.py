"""The real AWS CLI in the sandbox never reads, writes, lists, creates or runs anything outside the scratch folder.

Each case of issue 15 §1 runs through the shell under a fresh HOME and cwd, traced with an audit hook. Each runs
twice: against the default world (EC2 only) and against a world that claims to simulate every service these
commands belong to, so the refusal of the CLI's own file-touching commands is tested, not only "unknown service".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from awsprep.labs.shell import Shell
from awsprep.sim import World

from .fakes import PAYLOAD, claimed_world
from .hostaccess import trace

CASES = [
    "aws cloudformation package --template-file t.yaml --s3-bucket b --output-template-file {home}/.bashrc",
    "aws cloudformation package --template-file {home}/secret.txt --s3-bucket b",
    "aws cloudformation deploy --template-file {home}/secret.txt --stack-name s",
    "aws s3 sync s3://b/ {home}/newdir",
    "aws s3 cp {home}/secret.txt s3://b/k",
    "aws s3 cp --recursive {home} s3://b/",
    "aws s3 mb s3://b",
    "aws deploy push --application-name a --s3-location s3://b/k.zip --source {home}",
    "aws deploy push --application-name a --s3-location s3://b/k.zip --source {tmp}",
    "aws ecs execute-command --cluster c --task t --container x --command ls --interactive",
    "aws ssm start-session --target i-0123456789abcdef0",
    "aws --region us-east-1 configure set region eu-west-1",
    "aws --region=us-east-1 configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
    "aws --output json history list",
    "aws ec2 get-password-data --instance-id i-0123456789abcdef0 --priv-launch-key {home}/secret.txt",
    "aws ec2 get-password-data --priv-launch-key={home}/secret.txt --instance-id i-0123456789abcdef0",
    "aws lambda invoke --function-name f {home}/out.json --log-type Tail",
    "aws lambda invoke {home}/out.json --function-name f",
    "aws lambda invoke --function-name f ../home/out.json",
    "aws lambda invoke-async --function-name f --invoke-args {home}/secret.txt",
    "aws iam create-virtual-mfa-device --virtual-mfa-device-name m --outfile {home}/m --bootstrap-method QRCodePNG",
    "aws s3api get-object --bucket b --key k {home}/obj",
    "aws ec2 run-instances --image-id ami-0123456789abcdef0 --user-data file://{home}/secret.txt",
    "aws ec2 run-instances --image-id ami-0123456789abcdef0 --user-data=file://../home/secret.txt",
    "aws ec2 import-key-pair --key-name k --public-key-material fileb://~/../home/secret.txt",
    "aws ec2 describe-vpcs --cli-input-json file://{home}/secret.txt",
    "aws logs start-live-tail --log-group-identifiers g",
    "aws --debug ec2 describe-vpcs",
    "aws --ca-bundle {home}/secret.txt ec2 describe-vpcs",
]


def _tree(root: Path) -> dict[str, bytes | None]:
    return {str(p): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("make_world", [lambda: World(seed=1), claimed_world], ids=["ec2-only", "claimed"])
@pytest.mark.parametrize("template", CASES)
def test_no_host_file_is_touched(host: dict[str, Path], make_world: Any, template: str) -> None:
    shell = Shell(make_world(), host["scratch"])
    line = template.format(**{k: str(v) for k, v in host.items()})
    before = _tree(host["tmp"])
    with trace(host["scratch"]) as seen:
        r = shell.run_line(line)
    assert seen.outside() == [], line
    assert _tree(host["tmp"]) == before, "a host file was created or changed"
    assert r.exit_code == 255, (line, r)
    assert "TOP-SECRET" not in r.stdout + r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    for leak in (str(host["tmp"]), sys.executable, sys.argv[0]):  # no host path the learner did not type
        assert leak in line or leak not in r.stdout + r.stderr


def test_refusals_say_what_is_not_simulated(host: dict[str, Path]) -> None:
    shell = Shell(claimed_world(), host["scratch"])
    r = shell.run_line("aws --region us-east-1 cloudformation package --template-file t.yaml --s3-bucket b")
    assert r.stderr.startswith("awsprep does not simulate cloudformation package: it is an AWS CLI command that")
    r = Shell(World(seed=1), host["scratch"]).run_line("aws --region=eu-west-1 s3 sync s3://b/ x")
    assert r.stderr == "awsprep does not simulate s3 sync.\n"
    r = shell.run_line("aws --debug ec2 describe-vpcs")
    assert r.stderr.startswith("awsprep does not simulate aws --debug: its log would describe the host computer")
    r = shell.run_line("aws --output=text configure list")
    assert r.exit_code == 255 and r.stderr.startswith("aws configure: not available")


def test_paths_inside_the_scratch_folder_work_in_every_form(host: dict[str, Path]) -> None:
    shell = Shell(claimed_world(real_ec2=True), host["scratch"])
    scratch = host["scratch"]
    with trace(scratch) as seen:
        assert shell.run_line("aws lambda invoke --function-name f out.json --log-type Tail").exit_code == 0
        assert shell.run_line("aws lambda invoke --function-name=f ~/sub.json").exit_code == 0
        assert shell.run_line("aws lambda invoke --function-name f /dev/null").exit_code == 0
        shell.run_line("echo -n 'from a file' > desc.txt")
        r = shell.run_line("aws ec2 create-security-group --group-name g --description=file://desc.txt")
        assert r.exit_code == 0, r
        assert shell.run_line("aws ec2 run-instances help").exit_code == 0  # docutils reads no config file
    assert seen.outside() == []
    assert (scratch / "out.json").read_bytes() == PAYLOAD and (scratch / "sub.json").read_bytes() == PAYLOAD
    r = shell.run_line("aws ec2 describe-security-groups --group-names g --query SecurityGroups[0].Description")
    assert r.stdout.strip() == '"from a file"'


def test_the_instance_cli_opens_no_local_file(host: dict[str, Path]) -> None:
    from awsprep.sim import run_cli

    with trace(host["scratch"]) as seen:
        r = run_cli(World(seed=1), ["ec2", "run-instances", "--user-data", f"file://{host['home']}/secret.txt"])
    assert seen.outside() == [] and r.exit_code == 255 and "Permission denied" in r.stderr


def test_a_symlink_out_of_the_scratch_folder_is_refused(host: dict[str, Path]) -> None:
    os.symlink(host["home"] / "secret.txt", host["scratch"] / "link.txt")
    shell = Shell(World(seed=1), host["scratch"])
    with trace(host["scratch"]) as seen:
        r = shell.run_line("aws ec2 create-security-group --group-name g --description file://link.txt")
    assert r.exit_code == 255 and "outside the sandbox folder" in r.stderr
    assert [e for e in seen.outside() if "secret" in e] == []


def test_a_file_uri_inside_a_shorthand_value_stays_text(host: dict[str, Path]) -> None:
    """awscli v1 does not load files named inside shorthand values; were it to, they would be confined too."""
    shell = Shell(World(seed=1), host["scratch"])
    sg = shell.run_line("aws ec2 create-security-group --group-name g --description d --query GroupId --output text")
    value = f"file://{host['home']}/secret.txt"
    with trace(host["scratch"]) as seen:
        r = shell.run_line(f"aws ec2 create-tags --resources {sg.stdout.strip()} --tags Key=a,Value={value}")
    assert r.exit_code == 0 and seen.outside() == []
    r = shell.run_line("aws ec2 describe-tags --query Tags[0].Value --output text")
    assert r.stdout.strip() == value


# The sandbox's own file commands (issue 14 §6): every path through the scratch folder's confinement.
FILE_CASES = [
    "cp {home}/secret.txt stolen.txt",
    "cp -r {home} stolen",
    "cp t.yaml {home}/planted.txt",
    "cp t.yaml ../home/planted.txt",
    "mv {home}/secret.txt here.txt",
    "mv t.yaml {home}/.bashrc",
    "mkdir -p {home}/newdir",
    "mkdir ../home/newdir",
    "rm -rf {home}",
    "rm -f ../home/secret.txt",
    "rm -r ~/..",
    "zip out.zip {home}/secret.txt",
    "zip -r out.zip {home}",
    "zip {home}/out.zip t.yaml",
    "zip -r out.zip link-dir",
    "zip -r out.zip link.txt",
    "unzip -l {home}/secret.txt",
    "unzip -d {home} ok.zip",
    "unzip evil.zip",
    "cat link.txt",
    "cp link.txt copied.txt",
    "edit {home}/.bashrc",
    "edit ../home/.bashrc",
    "cat > {home}/planted.txt <<'EOF'\nplanted\nEOF",
]


@pytest.mark.parametrize("template", FILE_CASES)
def test_file_commands_touch_no_host_file(host: dict[str, Path], template: str) -> None:
    import io
    import zipfile

    scratch = host["scratch"]
    os.symlink(host["home"] / "secret.txt", scratch / "link.txt")
    os.symlink(host["home"], scratch / "link-dir")
    for name, member in (("ok.zip", "fine.txt"), ("evil.zip", "../home/planted.txt")):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(member, "x\n")
        (scratch / name).write_bytes(buf.getvalue())
    shell = Shell(World(seed=1), scratch)
    editors: list[list[str]] = []
    shell.run_editor = lambda argv: editors.append(argv) or 0  # type: ignore[func-returns-value]
    shell.host_editor = "vi"
    line = template.format(**{k: str(v) for k, v in host.items()})
    before = _tree(host["tmp"] / "home")
    with trace(scratch) as seen:
        r = shell.run_line(line)
    assert seen.outside() == [], line
    assert _tree(host["tmp"] / "home") == before, "a host file was created or changed"
    assert "TOP-SECRET" not in r.stdout + r.stderr
    assert editors == [], "an editor ran on a file outside the scratch folder"
    assert "Traceback" not in r.stderr
    for archive in scratch.glob("*.zip"):
        assert b"TOP-SECRET" not in archive.read_bytes()
