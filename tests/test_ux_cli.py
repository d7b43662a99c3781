"""What a learner sees at the command line (issue 16 §2): ordering, narrow terminals, help, small messages."""

from __future__ import annotations

import itertools
import json

import pytest

from awsprep.content.catalog import load_catalog
from conftest import first_letters, run_subprocess


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


def test_after_a_quiz_the_next_step_and_misconceptions_in_words(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("quiz", "--topic", "ec2.elastic-ip", "--count", "3", "--seed", "4", "--answers", "BC,B,B")
    assert r.exit_code == 0, r.stderr
    tail = r.stdout.split("Misconceptions to revisit:")[1]
    assert "EIP" in tail and "-" not in tail.split("Next:")[0].replace("--", "")  # words, not slugs
    assert "awsprep study ec2.elastic-ip" in tail
    assert "awsprep quiz --missed --topic ec2.elastic-ip" in tail
    # the retake command it names works, and retakes only what was missed
    history = json.loads(cli("quiz", "history", "--json").stdout)
    assert history["attempts"][-1]["correct"] == 1
    last = {q["id"]: q["correct"] for q in json.loads(_again_json(cli))["questions"]}
    answers = first_letters("quiz", seed=1, count=None, topics=("ec2.elastic-ip",), missed=last)
    retake = cli("quiz", "--missed", "--topic", "ec2.elastic-ip", "--seed", "1", "--json", "--answers", answers)
    assert retake.exit_code == 0, retake.stderr
    assert json.loads(retake.stdout)["total"] == sum(1 for ok in last.values() if not ok)


def _again_json(cli) -> str:  # type: ignore[no-untyped-def]
    """The same quiz once more as JSON (same seed, same answers): which of its questions were missed."""
    r = cli("quiz", "--topic", "ec2.elastic-ip", "--count", "3", "--seed", "4", "--answers", "BC,B,B", "--json")
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_readable_misconceptions() -> None:
    from awsprep.study.quiz_next import readable

    assert readable("alb-supports-udp") == "ALB supports UDP"
    assert readable("ami-is-global") == "AMI is global"


def test_quiz_missed_with_nothing_missed_is_good_news(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("quiz", "--missed")
    assert r.exit_code == 0
    assert "Nothing to retake" in r.stderr


def test_an_unknown_topic_suggests_the_closest_not_all_ids(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("quiz", "--topic", "ec2.elastic", "--answers", "A")
    assert r.exit_code == 2
    assert "did you mean ec2.elastic-ip" in r.stderr and "`awsprep topics`" in r.stderr
    far = cli("quiz", "--topic", "bogus", "--answers", "A")
    assert far.exit_code == 2 and "cloud.benefits" not in far.stderr and "`awsprep topics`" in far.stderr


def test_a_bad_setting_hint_reads_once(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("config", "set", "exam-date", "soon")
    assert r.exit_code == 2 and "the the" not in r.stderr and "exam-date: the exam day" in r.stderr


def test_a_lesson_printed_to_a_file_or_without_a_terminal_is_not_marked_read(cli, home) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    assert cli("study", "ec2.elastic-ip", "--plain").exit_code == 0
    assert cli("study", "--next").exit_code == 0
    db = sqlite3.connect(home / "progress.sqlite3")
    assert db.execute("SELECT count(*) FROM lesson_reads").fetchone()[0] == 0
    assert json.loads(cli("--json").stdout)["next_topic"] == "cloud.benefits"


def test_without_colour_lesson_headings_stand_out(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from awsprep.cli import render
    from awsprep.cli.lesson_view import lesson_renderables
    from awsprep.study.lessons import to_markdown

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    render.out.cache_clear()
    lesson = load_catalog().lesson_by_topic["ec2.elastic-ip"]
    render.page(lesson_renderables(lesson, to_markdown(lesson, labs=[], questions=0, cards=0)))
    render.out.cache_clear()
    lines = capsys.readouterr().out.splitlines()
    heading = lesson.sections[0].heading
    at = next(i for i, line in enumerate(lines) if line.strip() == heading)
    assert set(lines[at + 1].strip()) == {"─"}
    assert "\x1b[" not in "\n".join(lines)


def test_the_cards_left_count_goes_down_and_learning_cards_are_counted(cli) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from awsprep.cli.session import open_catalog, open_store, scheduler_for
    from awsprep.study.cards_io import study_specs
    from awsprep.study.review import ReviewSession, build_queue, sync_cards
    from awsprep.study.scheduler import Rating

    conn = open_store()
    specs = study_specs(conn, open_catalog(), ["ec2.elastic-ip"])
    sync_cards(conn, specs)
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    scheduler = scheduler_for(conn)
    session = ReviewSession(conn, scheduler, build_queue(conn, specs, now, 0, curve=scheduler.forgetting_curve), 0)
    start = session.remaining()
    assert start["new"] > 1 and start["learning"] == 0
    session.answer(Rating.AGAIN, now)  # the card comes back in this sitting, as learning
    after = session.remaining()
    assert after["new"] == start["new"] - 1 and after["learning"] == 1
    session.answer(Rating.GOOD, now)
    assert session.remaining()["new"] == start["new"] - 2


@pytest.mark.parametrize("width", [120, 80, 60])
def test_cards_browse_neither_crops_a_front_nor_cuts_an_id(width: int) -> None:
    r = run_subprocess("cards", "browse", "--topic", "ec2.elastic-ip", "--limit", "5", env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    rows = json.loads(run_subprocess("cards", "browse", "--topic", "ec2.elastic-ip", "--limit", "5", "--json").stdout)
    words = r.stdout.split()
    for row in rows:
        assert row["card_id"] in words
        assert " ".join(row["front"].split()) in " ".join(words), f"front cropped at {width}: {row['front']!r}"
    assert max(len(line.rstrip()) for line in r.stdout.splitlines()) <= width


def test_attempts_are_numbered_per_kind(cli) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        assert cli("quiz", "--topic", "cloud.benefits", "--count", "1", "--seed", "1", "--answers", "A").exit_code == 0
    answers = first_letters("exam", seed=1, count=2)
    assert cli("exam", "--count", "2", "--seed", "1", "--answers", answers).exit_code == 0
    found = json.loads(cli("quiz", "history", "--json").stdout)["attempts"]
    exam = next(a for a in found if a["kind"] == "exam")
    assert exam["id"] == 3 and exam["number"] == 1
    table = cli("quiz", "history").stdout
    assert any(line.split()[1:2] == ["1"] and "exam" in line for line in table.splitlines() if "│" in line)
