"""Export to .apkg and CSV and import of the learner's own cards, checked by reading the written files back."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

NOW = "2026-03-02T09:00:00+00:00"
OWN = (
    "id,front,back,topic,tags,reverse,source\n"
    'sqs-vis,"Default SQS visibility timeout?",30 seconds,user,sqs limits,1,https://docs.aws.amazon.com/sqs\n'
    "eip-quota,Default Elastic IP quota per Region?,5,ec2.elastic-ip,,0,\n"
    ',"A card without an id, with a comma",its back,,,,\n'
)


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWSPREP_NOW", NOW)


def _line(text: str) -> str:
    return " ".join(text.split())


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_import_then_csv_export_round_trips(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "own.csv"
    source.write_text(OWN, encoding="utf-8")
    result = cli("cards", "import", str(source))
    assert result.exit_code == 0, result.stderr
    assert "3 added, 0 updated" in _line(result.stderr)
    first = tmp_path / "first.csv"
    assert cli("cards", "export", "--format", "csv", "--topic", "user", "-o", str(first)).exit_code == 0
    rows = _rows(first.read_text(encoding="utf-8"))
    assert [(r["id"], r["deck"], r["reverse"]) for r in rows] == [
        ("u:sqs-vis", "user", "1"),
        ("u:sqs-vis~r", "user", "1"),
        (rows[2]["id"], "user", "0"),
    ]
    assert rows[1]["front"] == "30 seconds" and rows[0]["tags"] == "limits sqs"
    assert rows[2]["front"] == "A card without an id, with a comma" and rows[2]["id"].startswith("u:h")

    # the exported file imports into a fresh home as the same cards
    monkeypatch.setenv("AWSPREP_HOME", str(tmp_path / "other"))
    assert cli("cards", "import", str(first)).exit_code == 0
    second = cli("cards", "export", "--format", "csv", "--topic", "user")
    assert [r | {"due": ""} for r in _rows(second.stdout)] == [r | {"due": ""} for r in rows]

    # own cards join review like the others, and an edited note keeps its history
    assert cli("cards", "review", "--topic", "user", "--ratings", "3").exit_code == 0
    source.write_text(OWN.replace("30 seconds", "30 seconds (0 s to 12 h)"), encoding="utf-8")
    # (eip-quota was not in the `--topic user` export, so here it is new)
    assert "1 added, 2 updated" in _line(cli("cards", "import", str(source)).stderr)
    again = _rows(cli("cards", "export", "--format", "csv", "--topic", "user").stdout)
    assert again[0]["back"] == "30 seconds (0 s to 12 h)" and again[0]["state"] == "learning"


def test_the_ec2_elastic_ip_cards_export_includes_own_cards_of_that_topic(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "own.csv"
    source.write_text(OWN, encoding="utf-8")
    cli("cards", "import", str(source))
    rows = _rows(cli("cards", "export", "--format", "csv", "--topic", "ec2.elastic-ip").stdout)
    assert rows[-1]["id"] == "u:eip-quota" and {r["deck"] for r in rows[:-1]} == {"awsprep"}
    # re-importing a full export skips awsprep's own cards instead of copying them into the user deck
    full = tmp_path / "full.csv"
    full.write_text(cli("cards", "export", "--format", "csv").stdout, encoding="utf-8")
    result = cli("cards", "import", str(full))
    assert result.exit_code == 0 and "0 added, 3 updated" in _line(result.stderr)


def test_apkg_export_reads_back_as_an_anki_collection(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "own.csv"
    source.write_text(OWN, encoding="utf-8")
    cli("cards", "import", str(source))
    target = tmp_path / "deck.apkg"
    result = cli(
        "cards", "export", "--format", "apkg", "--topic", "ec2.elastic-ip", "--topic", "user", "-o", str(target)
    )
    assert result.exit_code == 0, result.stderr
    expected_cards = cli("cards", "export", "--format", "csv", "--topic", "ec2.elastic-ip", "--topic", "user").stdout
    n_cards = len(_rows(expected_cards))
    with zipfile.ZipFile(target) as z:
        assert "collection.anki2" in z.namelist()
        (tmp_path / "col.anki2").write_bytes(z.read("collection.anki2"))
    col = sqlite3.connect(tmp_path / "col.anki2")
    notes = col.execute("SELECT guid, flds, tags FROM notes").fetchall()
    assert f"wrote {len(notes)} notes" in _line(result.stderr)
    assert col.execute("SELECT count(*) FROM cards").fetchone()[0] == n_cards  # reverse and cloze siblings too
    fields = [n[1].split("\x1f") for n in notes]
    assert any("{{c1::" in f[0] for f in fields)  # cloze notes stay cloze notes
    assert any(f[0] == "Default SQS visibility timeout?" and f[1] == "30 seconds" for f in fields)
    assert all("awsprep" in n[2].split() for n in notes)
    decks = col.execute("SELECT decks FROM col").fetchone()[0]
    assert "AWS DVA-C02::ec2.elastic-ip" in decks and "AWS DVA-C02::user" in decks
    # stable guids: a second export updates the same notes in Anki rather than duplicating them
    cli("cards", "export", "--format", "apkg", "--topic", "ec2.elastic-ip", "-o", str(tmp_path / "again.apkg"))
    with zipfile.ZipFile(tmp_path / "again.apkg") as z:
        (tmp_path / "again.anki2").write_bytes(z.read("collection.anki2"))
    guids = {g for (g,) in sqlite3.connect(tmp_path / "again.anki2").execute("SELECT guid FROM notes")}
    assert guids <= {n[0] for n in notes}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("question,answer\nq,a\n", "own.csv:1: the header row needs `front` and `back`"),
        ("front,back\nq,\n", "own.csv:2: empty back"),
        ("front,back,topic\nq,a,lambda.layer\n", "own.csv:2: unknown topic 'lambda.layer'"),
        ("id,front,back\nBad Id!,q,a\n", "own.csv:2: id 'Bad Id!' must be lowercase"),
    ],
)
def test_a_bad_import_file_is_one_line_and_changes_nothing(cli, tmp_path: Path, content: str, message: str) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "own.csv"
    source.write_text("front,back\nkept,yes\n", encoding="utf-8")
    cli("cards", "import", str(source))
    source.write_text(content, encoding="utf-8")
    result = cli("cards", "import", str(source))
    assert result.exit_code == 2
    assert message in _line(result.stderr) and "Traceback" not in result.stderr
    rows = _rows(cli("cards", "export", "--format", "csv", "--topic", "user").stdout)
    assert [r["front"] for r in rows] == ["kept"]


def test_export_rejects_an_unknown_format(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("cards", "export", "--format", "pdf")
    assert result.exit_code == 2 and "--format must be apkg or csv" in result.stderr
