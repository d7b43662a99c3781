"""Nothing a learner types crashes the shell, and it still answers afterwards."""

from __future__ import annotations

import re
import shlex
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awsprep.labs.shell import Result, Shell
from awsprep.sim import World

from .fakes import claimed_world
from .hostaccess import trace

WORDS = st.sampled_from(
    ["echo", "cat", "ls", "chmod", "curl", "ping", "ssh", "wait", "state", "bill", "X=1", "$X", "${X", "$(",
     ")", "'", '"', ">", ">>", "2>&1", "<<", "&&", "||", ";", "|", "&", "#", "\\", "~", "../x", "/etc/passwd",
     "-i", "-m", "400", "5m", "http://1.2.3.4/", "169.254.169.254", "exit", "sudo", "$((1+2))", "${X:-y}"]
)  # fmt: skip
LINES = st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINES, min_size=1, max_size=5))
def test_random_lines_never_escape(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shell = Shell(World(seed=1), Path(tmp))
        for line in lines:
            if line.strip().startswith(("aws", "exit")):
                continue  # the real CLI is slow; exit ends the session (tested elsewhere)
            result = shell.run_line(line)
            assert isinstance(result, Result)
            assert "internal error" not in result.stderr, (line, result)
            shell.exited = False
        assert shell.run_line("echo alive").stdout == "alive\n"


@pytest.mark.parametrize("line", ["<\x00", "cat a\x00b", "echo hi > \x00", "ls \x00", "chmod 400 \x00"])
def test_a_nul_in_a_path_is_a_missing_file_not_a_crash(line: str, tmp_path: Path) -> None:
    result = Shell(World(seed=0), tmp_path).run_line(line)
    assert result.exit_code != 0
    assert "No such file or directory" in result.stderr
    assert "internal error" not in result.stderr


# The AWS CLI's own commands (its customizations and the operations with path arguments), each with the options it
# needs to get past argparse; every P is a random path-ish value, many of them leaving the scratch folder in some
# spelling ({home} and {tmp} are the test's fresh HOME and its parent).
AWS_COMMANDS = [
    "s3 cp P P", "s3 cp --recursive P P", "s3 mv P P", "s3 sync P P", "s3 ls P", "s3 rm P", "s3 mb P",
    "s3 presign P", "s3 website P --index-document P", "cloudformation package --template-file P --s3-bucket b",
    "cloudformation package --template-file P --s3-bucket b --output-template-file P",
    "cloudformation deploy --template-file P --stack-name s", "deploy push --application-name a --s3-location P "
    "--source P", "deploy register --instance-name i --config-file P", "ecs execute-command --cluster c --task t "
    "--command ls --interactive", "ssm start-session --target i-0123456789abcdef0", "configure set region P",
    "configure get region", "configure list", "configure import --csv P", "history list", "history show",
    "lambda invoke --function-name f P", "lambda invoke P --function-name f", "lambda invoke-async "
    "--function-name f --invoke-args P", "lambda create-function --function-name f --runtime python3.12 --role r "
    "--handler h --zip-file P", "iam create-virtual-mfa-device --virtual-mfa-device-name m --outfile P "
    "--bootstrap-method QRCodePNG", "s3api get-object --bucket b --key k P", "s3api put-object --bucket b --key k "
    "--body P", "ec2 get-password-data --instance-id i-0123456789abcdef0 --priv-launch-key P",
    "ec2 run-instances --image-id ami-0123456789abcdef0 --user-data P", "ec2 import-key-pair --key-name k "
    "--public-key-material P", "ec2 describe-vpcs --cli-input-json P", "ec2 wait instance-running "
    "--instance-ids i-0123456789abcdef0", "logs start-live-tail --log-group-identifiers P", "help", "ec2 help",
]  # fmt: skip
AWS_PATHS = ["{home}/secret.txt", "{home}", "{home}/new/dir", "{tmp}", "~", "~/x", "../x", "../home/secret.txt",
             ".", "/dev/null", "out.json", "file://{home}/secret.txt", "fileb://../home/secret.txt", "{home}/.bashrc",
             "file://~/../home/.bashrc", "file://out.json", "s3://b/", "s3://b/k", "$HOME/x"]  # fmt: skip
AWS_EXTRAS = ["--region", "--region=us-east-1", "us-west-2", "--debug", "--output", "json", "--output=text",
              "--profile", "default", "--ca-bundle", "--endpoint-url", "http://192.0.2.1", "--no-paginate",
              "--priv-launch-key={home}/secret.txt", "--outfile={home}/o", "--source={home}", "--recursive",
              "--user-data=file://{home}/secret.txt", "--query", "help"]  # fmt: skip


@st.composite
def aws_argv(draw: st.DrawFn) -> list[str]:
    """Global options, a CLI command with its paths, and a few stray arguments, in awscli's own words."""
    words = [draw(st.sampled_from(AWS_PATHS)) if w == "P" else w for w in draw(st.sampled_from(AWS_COMMANDS)).split()]
    before = draw(st.lists(st.sampled_from(AWS_EXTRAS[:9]), max_size=2))
    after = draw(st.lists(st.sampled_from(AWS_EXTRAS + AWS_PATHS), max_size=3))
    return [*before, *words, *after]


PYTHON_ERROR = re.compile(r"^(Traceback|[A-Z]\w*(Error|Exception): )", re.M)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=aws_argv(), claimed=st.booleans())
# One known way out per kind of path, always tried (the random ones find them only by chance).
@example(argv=["ec2", "run-instances", "--image-id", "ami-1", "--user-data=file://../home/secret.txt"], claimed=False)
@example(argv=["--region=us-east-1", "ec2", "get-password-data", "--priv-launch-key={home}/secret.txt",
               "--instance-id", "i-0123456789abcdef0"], claimed=True)  # fmt: skip
@example(argv=["lambda", "invoke", "{home}/o", "--function-name", "f"], claimed=True)
@example(argv=["--output", "json", "cloudformation", "package", "--template-file", "{home}/secret.txt",
               "--s3-bucket", "b"], claimed=True)  # fmt: skip
@example(argv=["s3", "cp", "--recursive", "{home}", "s3://b/"], claimed=False)
def test_random_aws_cli_commands_stay_in_the_scratch_folder(
    host: dict[str, Path], argv: list[str], claimed: bool
) -> None:
    paths = {k: str(v) for k, v in host.items()}
    args = [a.format(**paths) for a in argv]
    world = claimed_world() if claimed else World(seed=1)
    before = {p: p.read_bytes() if p.is_file() else None for p in host["tmp"].rglob("*") if "scratch" not in p.parts}
    shell = Shell(world, host["scratch"])  # the learner's way in: the shell's own parsing and `aws` command
    with trace(host["scratch"]) as seen:
        r = shell.run_line("aws " + shlex.join(args))
    assert seen.outside() == [], args
    after = {p: p.read_bytes() if p.is_file() else None for p in host["tmp"].rglob("*") if "scratch" not in p.parts}
    assert after == before, args
    assert not PYTHON_ERROR.search(r.stderr + r.stdout) and "internal error" not in r.stderr, (args, r.stderr)
    assert r.exit_code in (0, 2, 252, 253, 254, 255), (args, r)
