"""What a learner sees at the command line (issue 16 §2): ordering, narrow terminals, help, small messages."""

from __future__ import annotations

import itertools
import json

import pytest

from awsprep.content.catalog import load_catalog
from conftest import run_subprocess


def test_new_cards_come_in_the_topic_maps_order(cli) -> None:  # type: ignore[no-untyped-def]
    catalog = load_catalog()
    with_cards = [t.id for t in catalog.topics if catalog.cards_count(t.id)]
    r = cli("cards", "review", "--ratings", "3", "--json")
    assert r.exit_code == 0, r.stderr
    first = json.loads(r.stdout)["reviewed"][0]["card"]
    assert first.startswith(with_cards[0].replace(".", "-")), (first, with_cards[0])


def test_new_cards_follow_the_learners_chosen_topics(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("cards", "review", "--topic", "lambda.layers", "--topic", "ec2.elastic-ip", "--ratings", "3", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["reviewed"][0]["card"].startswith("lambda-layers")


@pytest.mark.parametrize("width", [200, 80, 60, 30])
def test_topics_keeps_every_id_whole_at_any_width(width: int) -> None:
    ids = [t.id for t in load_catalog().topics]
    r = run_subprocess("topics", env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    words = {w for line in lines for w in line.replace("│", " ").split()}
    missing = [i for i in ids if i not in words]
    assert not missing, f"ids cut or wrapped at {width} columns: {missing[:5]}"


def _urls_whole(text: str, urls: set[str]) -> list[str]:
    words = {w.strip("()[],") for line in text.splitlines() for w in line.split()}
    return sorted(u for u in urls if u not in words)


def test_errata_at_80_columns_never_breaks_a_url() -> None:
    from awsprep.study.lessons import errata

    urls = {e.source for e in errata(load_catalog())}
    r = run_subprocess("study", "--errata", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert urls and not _urls_whole(r.stdout, urls)
    assert "[wrong]" in r.stdout or "[outdated]" in r.stdout  # the verdict is shown, not eaten as markup


def test_a_lesson_on_screen_at_80_columns_never_breaks_a_url(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from awsprep.cli import render
    from awsprep.cli.lesson_view import lesson_renderables
    from awsprep.study.lessons import to_markdown

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    render.out.cache_clear()
    lesson = load_catalog().lesson_by_topic["ec2.elastic-ip"]
    urls = {r.url for r in lesson.references} | {f.source for f in lesson.key_facts}
    urls |= {c.source for c in lesson.corrections}
    render.page(lesson_renderables(lesson, to_markdown(lesson, labs=[], questions=0, cards=0)))
    render.out.cache_clear()
    assert not _urls_whole(capsys.readouterr().out, urls)


def test_wrapped_options_and_explanations_continue_under_their_text() -> None:
    r = run_subprocess(
        "quiz", "--topic", "ec2.elastic-ip", "--seed", "3", "--count", "2", "--answers", "A,AD",
        env={"COLUMNS": "80", "NO_COLOR": "1"},
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    continued = 0
    for before, line in itertools.pairwise(lines):
        starts_option = before.startswith("  ") and before[2:3].isalpha() and before[3:5] == ". "
        starts_feedback = before[1:2].isalpha() and before[2:5] in (" ✔ ", " ✘ ")
        is_new_item = line.startswith(
            ("  A", "  B", "  C", "  D", "  E", "»", " A", " B", " C", " D", " E", "   see", "Correct", "Incorrect")
        )
        if (starts_option or starts_feedback or before.startswith("     ")) and line.strip() and not is_new_item:
            continued += 1
            assert line.startswith("     "), f"continuation at column {len(line) - len(line.lstrip())}: {line!r}"
    assert continued, "nothing wrapped at 80 columns: the test shows nothing"
    assert all(len(line) <= 80 for line in lines if "http" not in line)


def test_help_names_what_to_type_lists_the_learners_commands_first_and_cuts_nothing() -> None:
    r = run_subprocess("--help", env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert "<str>" not in r.stdout and "--data-dir DIR" in r.stdout
    listing = r.stdout.split("Commands:")[1]
    assert "..." not in listing
    commands = [line.split()[0] for line in listing.splitlines() if line[:2] == "  " and line[2:3].isalpha()]
    assert commands[:6] == ["study", "quiz", "exam", "cards", "lab", "sandbox"], commands
    assert commands.index("validate") > commands.index("sandbox")
    quiz = run_subprocess("quiz", "--help", env={"COLUMNS": "80"})
    assert "--topic TOPIC" in quiz.stdout and "--count N" in quiz.stdout and "<" not in quiz.stdout


def test_global_options_work_after_a_subcommand(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = cli("topics", "--json", "--no-color", "--data-dir", str(tmp_path / "elsewhere"))
    assert r.exit_code == 0, r.stderr
    r = cli("cards", "review", "--ratings", "3", "--data-dir", str(tmp_path / "elsewhere"))
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "elsewhere" / "progress.sqlite3").exists()


def test_a_bad_number_is_our_one_line_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("quiz", "--count", "abc")
    assert r.exit_code == 2
    assert r.stderr.splitlines()[0] == "awsprep: error: --count takes a whole number, e.g. --count 10"
    assert "Input should be" not in r.stderr and "Traceback" not in r.stderr


def test_awsprep_alone_is_a_home_screen_that_names_the_next_command(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli()
    assert r.exit_code == 0, r.stderr
    assert "next: awsprep study cloud.benefits" in r.stdout
    assert "0 due" in r.stdout and "exam day" in r.stdout
    data = json.loads(cli("--json").stdout)
    assert data["next_command"] == "awsprep study cloud.benefits" and data["lessons_read"] == 0
    cli("study", "cloud.benefits", "--plain", "--no-checkpoint")
    cli("quiz", "--topic", "cloud.benefits", "--count", "1", "--seed", "1", "--answers", "A")
    data = json.loads(cli("--json").stdout)
    assert data["last_scores"] and data["last_scores"][-1]["kind"] == "quiz"


def test_the_home_screen_survives_an_unusable_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    r = run_subprocess(env={"AWSPREP_HOME": str(blocker)})
    assert r.exit_code == 0, r.stderr
    assert "progress unavailable" in r.stdout and "next: awsprep data path" in r.stdout
