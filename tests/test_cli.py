"""The command line as a learner and a script meet it: help, version, errors, streams and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, copy_shipped_content, first_letters, run_subprocess

HEAVY = ("questionary", "prompt_toolkit", "yaml", "fsrs", "botocore", "awscli", "rich", "pydantic", "typer")


def _commands() -> list[list[str]]:
    from typer.main import get_command

    from awsprep.cli.app import app

    root = get_command(app)
    found: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(root, [])
    return found


def test_version_imports_nothing_heavy() -> None:
    code = (
        "import sys; from awsprep.__main__ import main; main(['--version']); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    version, heavy = out.splitlines()
    assert version.startswith("awsprep ")
    assert heavy == "[]"


def test_help_imports_no_engine() -> None:
    code = (
        "import sys\nfrom awsprep.__main__ import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('questionary', 'prompt_toolkit', 'yaml', 'fsrs', 'botocore', 'awscli', 'pydantic', 'sqlite3')\n"
        "print([m for m in heavy if m in sys.modules], file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("args", [["quiz", "history"], ["study", "--errata"], ["topics"]], ids=" ".join)
def test_a_warm_command_given_no_value_imports_no_pydantic(args: list[str]) -> None:
    """Typer coerces values through pydantic adapters; with nothing to coerce none is built (command_tree), and a
    warm catalog is plain records, so these commands start without pydantic or YAML."""
    subprocess.run([sys.executable, "-m", "awsprep", "topics"], capture_output=True, check=True, cwd=ROOT)
    code = (
        f"import sys\nfrom awsprep.__main__ import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('pydantic', 'yaml', 'questionary') if m in sys.modules], file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_values_given_are_still_coerced_and_checked(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("exam", "--count", "2", "--seed", "3", "--answers", ",", "--json")  # both left unanswered
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 2
    assert cli("quiz", "--count", "abc").exit_code == 2
    assert cli("quiz", "--domain", "x").exit_code == 2


def test_version_through_the_entry_point(cli) -> None:  # type: ignore[no-untyped-def]
    from importlib.metadata import version

    assert cli("--version").stdout == f"awsprep {version('awsprep')}\n"


@pytest.mark.parametrize("path", _commands(), ids=" ".join)
def test_every_command_has_help_with_examples(cli, path: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert "Usage: awsprep" in result.stdout
    assert "Example" in result.stdout, f"`awsprep {' '.join(path)} --help` shows no example"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for path in _commands():
        assert f"awsprep {' '.join(path)}" in readme, f"README does not mention `awsprep {' '.join(path)}`"


def test_unknown_command_suggests_and_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("stdy")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_unknown_option_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", "--cuont", "3")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["quiz"], "--answers"),
        (["cards", "review"], "--ratings"),
    ],
)
def test_interactive_commands_without_a_terminal_name_their_flags(cli, args: list[str], flag: str) -> None:  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert flag in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_no_terminal_in_a_real_subprocess() -> None:
    result = run_subprocess("quiz", env={"AWSPREP_NO_TTY": ""})
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match="unknown topic"):
        cli("--debug", "quiz", "--topic", "nope", "--answers", "A")


def test_quiz_answers_json_is_graded(cli) -> None:  # type: ignore[no-untyped-def]
    first = cli(
        "quiz",
        "--topic",
        "ec2.elastic-ip",
        "--count",
        "3",
        "--seed",
        "4",
        "--answers",
        first_letters("quiz", seed=4, count=3, topics=("ec2.elastic-ip",)),
        "--json",
    )
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    right = ",".join(q["answer"] for q in data["questions"])
    again = cli("quiz", "--topic", "ec2.elastic-ip", "--count", "3", "--seed", "4", "--answers", right, "--json")
    data2 = json.loads(again.stdout)
    assert [q["id"] for q in data2["questions"]] == [q["id"] for q in data["questions"]]
    assert data2["correct"] == data2["total"] == 3
    assert data2["by_topic"] == {"ec2.elastic-ip": {"correct": 3, "total": 3}}


@pytest.mark.parametrize(
    ("answers", "message"),
    [("A,B", "--answers has 2 answers but 3 questions were selected"), ("Z,A,B", "'Z' is not an answer to")],
)
def test_quiz_bad_answers(cli, answers: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("quiz", "--topic", "ec2.elastic-ip", "--count", "3", "--answers", answers)
    assert result.exit_code == 2
    assert message in result.stderr


def test_quiz_count_larger_than_the_bank(cli) -> None:  # type: ignore[no-untyped-def]
    from awsprep.content.catalog import load_catalog

    result = cli("quiz", "--topic", "ec2.elastic-ip", "--count", "9999", "--answers", "A")
    n = sum(1 for topic, _ in load_catalog().questions if topic == "ec2.elastic-ip")
    assert result.exit_code == 2  # this test once asserted nothing at all
    assert result.stderr == f"awsprep: error: only {n} questions match; use --count {n} or fewer\n"
    assert result.stdout == ""
    assert result.exit_code == 2
    assert "questions match; use --count" in result.stderr


def test_quiz_missed_retakes_only_the_misses(cli) -> None:  # type: ignore[no-untyped-def]
    first = json.loads(
        cli(
            "quiz",
            "--topic",
            "ec2.elastic-ip",
            "--count",
            "4",
            "--seed",
            "2",
            "--answers",
            first_letters("quiz", seed=2, count=4, topics=("ec2.elastic-ip",)),
            "--json",
        ).stdout
    )
    wrong = {q["id"] for q in first["questions"] if not q["correct"]}
    assert wrong
    answers = first_letters("quiz", seed=3, count=None, missed={q["id"]: q["correct"] for q in first["questions"]})
    missed = json.loads(cli("quiz", "--missed", "--seed", "3", "--answers", answers, "--json").stdout)
    assert {q["id"] for q in missed["questions"]} == wrong


def test_cards_ratings_review_and_reschedule(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("cards", "review", "--topic", "ec2.elastic-ip", "--ratings", "3,3,1", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["rating"] for r in data["reviewed"]] == [3, 3, 1]
    assert data["reviewed"][0]["next_in"] == "10m"  # Good on a new card: the second learning step
    assert data["reviewed"][2]["next_in"] == "1m"  # Again: back to the first step
    bad = cli("cards", "review", "--ratings", "3,7")
    assert bad.exit_code == 2 and "--ratings takes numbers 1-4" in bad.stderr


def test_study_plain_prints_the_lesson_and_leaves_it_unread(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("study", "ec2.elastic-ip", "--plain")
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert "## Key facts" in result.stdout
    # printed (to a file, a pipe) is not read (issue 16 §2): only the learner at a terminal marks it read
    assert "not marked as read" in result.stderr
    listing = json.loads(cli("study", "--json").stdout)
    assert next(r for r in listing if r["id"] == "ec2.elastic-ip")["status"] == "unread"


def test_study_unknown_topic_suggests(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("study", "ec2.elastic-ipp")
    assert result.exit_code == 2
    assert "did you mean ec2.elastic-ip" in result.stderr


def test_lab_without_a_terminal_names_auto(cli) -> None:  # type: ignore[no-untyped-def]
    listing = cli("lab")
    assert listing.exit_code == 0
    assert "ec2-elastic-ip" in listing.stdout
    result = cli("lab", "ec2-elastic-ip")
    assert result.exit_code == 2
    assert "awsprep lab ec2-elastic-ip --auto" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_closed_stdin_is_not_a_terminal() -> None:
    import subprocess

    code = "import os, sys; os.close(0); sys.stdin = None; from awsprep.__main__ import main; main(['quiz'])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_color_output_has_no_escape_codes() -> None:
    result = run_subprocess("topics", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout


def test_data_dir_option_moves_the_progress(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path / "my-progress"
    result = cli("--data-dir", str(elsewhere), "data", "path")
    assert result.stdout.strip() == str(elsewhere / "progress.sqlite3")


def test_no_color_option_strips_colour_even_when_forced() -> None:
    result = run_subprocess("--no-color", "topics", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    forced = run_subprocess("topics", env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout  # the check above can fail


def test_awsprep_content_points_at_an_authors_copy(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]

    from awsprep.content.catalog import load_catalog
    from awsprep.paths import content_root

    copy = copy_shipped_content(tmp_path)
    topics = copy / "content" / "topics.yaml"
    topics.write_text(topics.read_text().replace("Why cloud, why AWS", "Why the cloud"))
    monkeypatch.setenv("AWSPREP_CONTENT", str(copy))
    assert content_root() == copy
    assert load_catalog().topics[0].title == "Why the cloud"


def test_reflow_joins_wrapped_lines_but_keeps_paragraphs_and_lists() -> None:
    from awsprep.cli.render import reflow

    text = "A sentence wrapped\nover two lines.\n\n- item one\n- item two\n"
    assert reflow(text) == "A sentence wrapped over two lines.\n\n- item one\n- item two"


@pytest.mark.parametrize(
    ("args", "branch"),
    [
        (["exam"], ["exam"]),
        (["--no-color", "--data-dir", "/tmp/x", "quiz", "history"], ["quiz"]),
        (["--data-dir=/tmp/x", "cards", "review"], ["cards"]),
        (["--help"], None),
        ([], None),
        (["exma"], None),  # a typo: the suggestions need every name
        (["--bogus", "exam"], None),  # the parser's to judge
    ],
)
def test_a_command_line_builds_only_its_commands_branch(args: list[str], branch: list[str] | None) -> None:
    from awsprep.cli.command_tree import build

    built = sorted(build(args).commands)
    assert built == (branch or sorted(build().commands))
    assert len(build().commands) > 5
