"""Terminal control sequences never reach the terminal: stripped at import, escaped at render, refused in content;
and `cards export` writes card text byte for byte, to a file or a pipe alike."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import pytest

from awsprep.content.yamlsafe import YamlProblem, parse_file
from awsprep.store.db import connect
from awsprep.store.user_notes import UserNote, upsert
from conftest import ROOT

RETITLE, CLEAR, CLIPBOARD, CSI8 = "\x1b]0;pwned\x07", "\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\x9b31m"
HOSTILE = f"What {RETITLE}is{CLEAR} an{CLIPBOARD} AMI{CSI8}?"
RAW = ("\x1b", "\x07", "\x9b")


def _rows(text: str) -> list[dict[str, str]]:
    return [r for r in csv.DictReader(io.StringIO(text)) if r["deck"] == "user"]


def _legacy_note(home: Path) -> None:
    """A note stored before import stripped controls (an older awsprep), written straight to the store."""
    conn = connect(home / "progress.sqlite3")
    notes = [
        UserNote("u:old", HOSTILE, f"back{CLEAR}", source=f"src{RETITLE}"),
        UserNote("u:cloze", "Store? [s3]", "b"),
    ]
    upsert(conn, notes, 0)
    conn.close()


def test_import_strips_control_characters(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "deck.csv"
    with deck.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["id", "front", "back", "source"], ["ami", HOSTILE, f"{CLEAR}An image", RETITLE]])
    assert cli("cards", "import", str(deck)).exit_code == 0
    [row] = _rows(cli("cards", "export", "--format", "csv", "--topic", "user").stdout)
    assert row["front"] == "What ]0;pwnedis[2J an]52;c;ZXZpbA== AMI31m?"
    assert row["back"] == "[2JAn image" and row["source"] == "]0;pwned"


def test_browse_shows_controls_escaped(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    _legacy_note(home)
    r = cli("cards", "browse", "--topic", "user")
    assert r.exit_code == 0
    assert not any(c in r.stdout for c in RAW) and "\\x1b]0;pwned\\x07is\\x1b[2J" in r.stdout
    assert "Store? [s3]" in r.stdout  # text, not rich markup (which swallowed a cloze answer like [s3])


def test_json_output_holds_no_raw_control_character(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    _legacy_note(home)
    r = cli("cards", "browse", "--topic", "user", "--json")
    assert r.exit_code == 0 and not any(c in r.stdout for c in RAW)
    assert {row["front"] for row in json.loads(r.stdout)} >= {HOSTILE}  # the same data, escaped as JSON


@pytest.mark.pty
def test_a_review_shows_controls_escaped(home: Path) -> None:
    import pexpect

    from conftest import spawn_awsprep

    _legacy_note(home)
    child = spawn_awsprep(home, "cards", "review", "--topic", "user")
    child.logfile_read = seen = io.StringIO()
    child.expect("show answer")
    child.send(" ")
    child.expect("Again")
    child.send("3")
    index = child.expect(["show answer", "Session: 1 reviewed"])  # a learning card may come back at once
    if index == 0:
        child.send("q")
        child.expect("Session: 1 reviewed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = seen.getvalue()
    assert "\x1b]0;" not in shown and "\x1b]52;" not in shown and "\x9b" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned\\x07is" in shown and "back\\x1b[2J" in shown and "src\\x1b]0;pwned" in shown


def test_content_with_an_escaped_control_character_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deck.yaml"
    path.write_text('topic: ec2.ami\nnotes:\n  - id: a\n    front: "What\\e]0;pwned\\a"\n', encoding="utf-8")
    with pytest.raises(YamlProblem) as err:
        parse_file(path)
    assert str(err.value) == f"{path}:4:12: control character U+001B is not allowed in content text"
    path.write_text('topic: ec2.ami\nnotes:\n  - id: a\n    front: "tab\\tand\\nnewline"\n', encoding="utf-8")
    assert parse_file(path).data["notes"][0]["front"] == "tab\tand\nnewline"


def test_export_to_a_pipe_is_byte_for_byte_what_the_file_gets(cli, home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _legacy_note(home)
    out = tmp_path / "cards.csv"
    assert cli("cards", "export", "--format", "csv", "--topic", "user", "-o", str(out)).exit_code == 0
    env = {**os.environ, "AWSPREP_HOME": str(home)}
    import subprocess

    piped = subprocess.run(
        [sys.executable, "-m", "awsprep", "cards", "export", "--format", "csv", "--topic", "user"],
        capture_output=True, env=env, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    assert piped == out.read_bytes() and HOSTILE.encode() in piped


def test_an_exported_deck_imports_and_exports_back_byte_for_byte(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    deck = tmp_path / "deck.csv"
    rows = [["id", "front", "back", "tags", "source", "reverse"],
            ["q1", 'A "quoted", comma', "line one\nline two", "t1 t2", "https://docs.aws.amazon.com/x", "1"],
            ["q2", "[s3] and [bold]markup[/bold] stay text", "tab\there, ünïcödé, 🙂", "", "", "0"]]  # fmt: skip
    with deck.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    assert cli("cards", "import", str(deck)).exit_code == 0
    first = cli("cards", "export", "--format", "csv", "--topic", "user").stdout
    exported = tmp_path / "exported.csv"
    exported.write_text(first, encoding="utf-8")
    monkeypatch.setenv("AWSPREP_HOME", str(tmp_path / "fresh"))
    assert cli("cards", "import", str(exported)).exit_code == 0
    assert cli("cards", "export", "--format", "csv", "--topic", "user").stdout == first
    fronts = [r["front"] for r in _rows(first)]
    assert 'A "quoted", comma' in fronts and "[s3] and [bold]markup[/bold] stay text" in fronts
