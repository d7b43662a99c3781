"""Every laptop built-in through `Shell.run_line`: variables, lists, redirection, files, clock, state, bill."""

from __future__ import annotations

from pathlib import Path

from awsprep.labs.shell import Shell
from awsprep.sim import World

from .conftest import launch, ok


def test_echo_variables_and_exit_status(shell: Shell) -> None:
    ok(shell, "NAME=web")
    assert ok(shell, 'echo "hello $NAME" ${NAME}-1').stdout == "hello web web-1\n"
    assert ok(shell, "echo -n a").stdout == "a"
    assert ok(shell, "echo -e 'a\\tb'").stdout == "a\tb\n"
    shell.run_line("false")
    assert ok(shell, "echo $?").stdout == "1\n"
    ok(shell, "export REGION=us-west-2 EMPTY")
    assert "declare -x REGION" in ok(shell, "export").stdout
    ok(shell, "unset REGION")
    assert ok(shell, "echo [$REGION]").stdout == "[]\n"
    assert shell.run_line("export 1x=2").exit_code == 1


def test_lists_short_circuit(shell: Shell) -> None:
    assert ok(shell, "false && echo no || echo yes; echo end").stdout == "yes\nend\n"
    assert shell.run_line("true && false").exit_code == 1


def test_substitution_runs_in_a_subshell(shell: Shell) -> None:
    ok(shell, "X=$(Y=inner; echo out)")
    assert ok(shell, 'echo "$X [$Y]"').stdout == "out []\n"
    assert shell.run_line("X=$(false)").exit_code == 1


def test_unknown_command_is_127(shell: Shell) -> None:
    r = shell.run_line("foo --bar")
    assert (r.exit_code, r.stderr) == (127, "bash: foo: command not found\n")


def test_syntax_error_and_unsupported_are_2(shell: Shell) -> None:
    assert shell.run_line("echo 'open").exit_code == 2
    r = shell.run_line("aws ec2 describe-instances | grep x")
    assert r.exit_code == 2 and "--query" in r.stderr


def test_redirection_to_files(shell: Shell, scratch: Path) -> None:
    ok(shell, "echo one > notes.txt")
    ok(shell, "echo two >> notes.txt")
    assert (scratch / "notes.txt").read_text() == "one\ntwo\n"
    assert ok(shell, "cat notes.txt").stdout == "one\ntwo\n"
    shell.run_line("cat missing.txt 2> err.txt")
    assert (scratch / "err.txt").read_text() == "cat: missing.txt: No such file or directory\n"
    r = shell.run_line("cat missing.txt > all.txt 2>&1")
    assert r.stdout == r.stderr == "" and "No such file" in (scratch / "all.txt").read_text()
    assert ok(shell, "echo gone > /dev/null").stdout == ""
    assert ok(shell, "cat < notes.txt").stdout == "one\ntwo\n"


def test_files_are_created_before_the_command_runs(shell: Shell, scratch: Path) -> None:
    assert shell.run_line("nosuch > made.txt").exit_code == 127
    assert (scratch / "made.txt").read_text() == ""


def test_heredoc_in_a_line(shell: Shell, scratch: Path) -> None:
    from awsprep.labs.shell.base import Heredoc

    ok(shell, "W=world")
    shell.run_line("cat > a.txt <<EOF", [Heredoc("hello $W\n")])
    shell.run_line("cat > b.txt <<'EOF'", [Heredoc("hello $W\n", expand=False)])
    assert (scratch / "a.txt").read_text() == "hello world\n"
    assert (scratch / "b.txt").read_text() == "hello $W\n"


def test_ls_chmod_rm_touch(shell: Shell, scratch: Path) -> None:
    ok(shell, "touch b.txt")
    ok(shell, "echo x > a.txt")
    assert ok(shell, "ls").stdout == "a.txt\nb.txt\n"
    ok(shell, "chmod 400 a.txt")
    assert ok(shell, "ls -l a.txt").stdout.startswith("-r-------- 1 learner learner")
    r = shell.run_line("echo y > a.txt")
    assert r.exit_code == 1 and "a.txt: Permission denied" in r.stderr
    ok(shell, "chmod u+w a.txt")
    ok(shell, "rm a.txt b.txt")
    assert ok(shell, "ls").stdout == ""
    assert shell.run_line("rm nope").exit_code == 1
    ok(shell, "rm -f nope")
    assert shell.run_line("chmod abc x").exit_code == 1
    assert shell.run_line("chmod 400").exit_code == 1
    assert shell.run_line("ls nope").exit_code == 2


def test_wait_reports_state_changes(shell: Shell, world: World) -> None:
    launch(world, boot=False)
    r = ok(shell, "wait 30s")
    assert "Clock moved 30s" in r.stdout and "pending -> running" in r.stdout
    assert ok(shell, "wait").stdout == ""
    assert shell.run_line("advance").exit_code == 2
    assert shell.run_line("advance soon").exit_code == 2
    before = world.now
    ok(shell, "sleep 90")
    ok(shell, "advance 1h30m")
    assert world.now - before == 90 + 5400


def test_state_bill_reset_help_history(shell: Shell, world: World) -> None:
    iid, _ = launch(world)
    ok(shell, "advance 1h")
    state = ok(shell, "state").stdout
    assert iid in state and "running" in state and "Security groups" in state
    bill = ok(shell, "bill").stdout
    assert iid in bill and "public-ipv4" in bill and "Total so far: $" in bill
    assert "reset" in ok(shell, "help").stdout
    ok(shell, "reset")
    assert iid not in ok(shell, "state").stdout
    assert "    1  advance 1h" in ok(shell, "history").stdout
    assert [e.command for e in shell.history][:2] == ["advance 1h", "state"]


def test_exit_ends_the_shell(shell: Shell) -> None:
    r = shell.run_line("exit 3")
    assert r.exit_code == 3 and shell.exited
    assert shell.run_line("exit x").exit_code == 2


def test_env_and_printenv(shell: Shell) -> None:
    ok(shell, "A=1")
    assert "A=1" in ok(shell, "env").stdout
    assert ok(shell, "printenv A").stdout == "1\n"
    assert shell.run_line("printenv NOPE").exit_code == 1


def test_prompt_is_the_laptop(shell: Shell) -> None:
    assert shell.prompt == "learner@laptop:~/sandbox$ "


def test_bill_fits_80_columns(shell: Shell, world: World) -> None:
    ok(shell, "aws ec2 run-instances --image-id ami-050e4422729c32c38 --instance-type t3.micro --count 2")
    ok(shell, "aws ec2 allocate-address")
    ok(shell, "wait 3h")
    bill = ok(shell, "bill").stdout
    assert "eipalloc-" in bill and "instance t3.micro" in bill and "Rates: " in bill and "$0.0104/hour" in bill
    assert max(len(line) for line in bill.splitlines()) <= 80, bill


def test_a_table_too_wide_for_80_columns_becomes_records() -> None:
    from awsprep.labs.shell import Table, render

    arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/my-load-balancer/50dc6c495c0c9188"
    text = render(Table("Load balancers", ("Name", "ARN", "State"), (("web", arn, "active"),)))
    assert all(len(line) <= 80 or line.strip() == arn for line in text.splitlines())  # an ARN stays whole
    assert f"  {arn}" in text.splitlines()
    assert text.splitlines()[:2] == ["Load balancers", "web"] and "State: active" in text
    narrow = render(Table("T", ("A", "B"), (("x", "y"),)))
    assert narrow == "T\nA  B\nx  y\n"


def test_clear_clears_the_screen(shell: Shell) -> None:
    assert ok(shell, "clear").stdout == "\x1b[H\x1b[2J"
