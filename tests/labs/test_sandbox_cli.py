"""`awsprep sandbox` through the real entry point: --script (text and --json), no terminal, and a real pty."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

SCRIPT = """\
# a web server, then the port-80 lesson
cat > bootstrap.sh <<'END'
#!/bin/bash
yum install -y httpd
systemctl enable --now httpd
echo "<h1>$(hostname -f)</h1>" > /var/www/html/index.html
END
SG=$(aws ec2 create-security-group --group-name web --description web --query GroupId --output text)
IID=$(aws ec2 run-instances --image-id ami-050e4422729c32c38 --instance-type t3.micro \\
   --security-group-ids $SG --user-data file://bootstrap.sh \\
   --query 'Instances[0].InstanceId' --output text)
wait 1m
IP=$(aws ec2 describe-instances --instance-ids $IID \
   --query 'Reservations[0].Instances[0].PublicIpAddress' --output text)
curl -m 5 http://$IP/
aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 80 --cidr 0.0.0.0/0 --query Return
curl -s http://$IP/
nosuchcommand
"""


def test_script_json_reports_every_command(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "web.sh"
    path.write_text(SCRIPT)
    result = cli("sandbox", "--script", str(path), "--json", "--seed", "3")
    assert result.exit_code == 127  # as `bash FILE`: the last command's status (nosuchcommand)
    steps = json.loads(result.stdout)
    assert all(set(s) == {"command", "exit_code", "stdout", "stderr"} for s in steps)
    assert [s["exit_code"] for s in steps] == [0, 0, 0, 0, 0, 28, 0, 0, 127]
    assert steps[2]["command"].startswith("IID=$(aws ec2 run-instances") and "\\" not in steps[2]["command"]
    assert "Connection timed out" in steps[5]["stderr"]
    assert steps[7]["stdout"].startswith("<h1>ip-172-31-")
    assert steps[8]["stderr"] == "bash: nosuchcommand: command not found\n"


def test_script_transcript_and_seed_is_deterministic(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "s.sh"
    path.write_text("aws ec2 create-key-pair --key-name k --query KeyPairId --output text\nfalse\n")
    first = cli("sandbox", "--script", str(path), "--seed", "5")
    again = cli("sandbox", "--script", str(path), "--seed", "5")
    assert first.exit_code == 1 and first.stdout == again.stdout  # the last command, `false`, failed
    assert first.stdout.startswith("$ aws ec2 create-key-pair") and "[exit 1]" in first.stdout


@pytest.mark.parametrize(
    ("text", "flags", "status", "ran"),
    [
        ("false\necho ok\n", [], 0, ["false", "echo ok"]),  # a failure in the middle does not fail the script
        ("echo ok\nnosuch\n", [], 127, ["echo ok", "nosuch"]),
        ("echo ok\nexit 3\necho never\n", [], 3, ["echo ok", "exit 3"]),
        ("", [], 0, []),
        ("true\nfalse\necho never\n", ["--stop-on-error"], 1, ["true", "false"]),
        ("true\nnosuch\necho never\n", ["-e"], 127, ["true", "nosuch"]),
        ("true\necho ok\n", ["-e"], 0, ["true", "echo ok"]),
    ],
)
def test_script_exits_as_bash_does(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, text: str, flags: list[str], status: int, ran: list[str]
) -> None:
    path = tmp_path / "s.sh"
    path.write_text(text)
    result = cli("sandbox", "--script", str(path), "--json", *flags)
    assert result.exit_code == status
    assert [s["command"] for s in json.loads(result.stdout)] == ran


def test_unreadable_script_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("sandbox", "--script", str(tmp_path / "missing.sh"))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_prompt_without_a_terminal_says_use_script(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("sandbox")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--script FILE" in result.stderr


@pytest.mark.pty
def test_interactive_session_in_a_pseudo_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k != "AWSPREP_NO_TTY"}
    env.update({"PROMPT_TOOLKIT_NO_CPR": "1", "AWSPREP_HOME": str(tmp_path / "home"), "TERM": "xterm"})
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "boot.sh").write_text(
        "#!/bin/bash\nyum install -y httpd\nsystemctl start httpd\n"
        "echo '<h1>pty page</h1>' > /var/www/html/index.html\n"
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "awsprep", "sandbox", "--seed", "4", "--scratch", str(scratch)],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 250),
    )
    prompt = r"learner@laptop:~/sandbox\$"  # prompt_toolkit draws the trailing space as a cursor move
    child.expect(r"files live in .*scratch\s+\(kept when you leave\)")

    def run(line: str, expect: str) -> None:
        child.expect(prompt)
        child.sendline(line)
        child.expect(expect)

    try:
        run("SG=$(aws ec2 create-security-group --group-name w --description w --query GroupId --output text)", "\n")
        run(
            "IID=$(aws ec2 run-instances --image-id ami-050e4422729c32c38 --instance-type t3.micro "
            "--security-group-ids $SG --user-data file://boot.sh --query 'Instances[0].InstanceId' --output text)",
            "\n",
        )
        run("wait 1m", "pending -> running")
        run(
            "IP=$(aws ec2 describe-instances --instance-ids $IID "
            "--query 'Reservations[0].Instances[0].PublicIpAddress' --output text)",
            "\n",
        )
        run("curl -m 5 http://$IP/", "Connection timed out after 5002 milliseconds")
        run("aws ec2 authorize-security-group-ingress --group-id $SG --protocol tcp --port 80 --cidr 0.0.0.0/0", "\n")
        run("curl http://$IP/", "<h1>pty page</h1>")
        child.expect(prompt)
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


@pytest.mark.pty
def test_banner_says_the_default_scratch_folder_is_deleted(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k != "AWSPREP_NO_TTY"}
    env.update({"PROMPT_TOOLKIT_NO_CPR": "1", "AWSPREP_HOME": str(tmp_path / "home"), "TERM": "xterm"})
    child = pexpect.spawn(
        sys.executable, ["-m", "awsprep", "sandbox"], env=env, encoding="utf-8", timeout=60, dimensions=(24, 80)
    )
    try:
        child.expect(r"files live in (\S+)\s+\(a temporary folder, deleted when you leave; --scratch DIR keeps files\)")
        folder = Path(child.match.group(1))
        assert folder.is_dir()
        child.expect(r"learner@laptop:~/sandbox\$")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0 and not folder.exists()  # the banner told the truth
