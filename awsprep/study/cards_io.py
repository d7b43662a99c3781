"""The learner's own cards (the `user` deck), and exporting cards to Anki (.apkg) or CSV.

Own cards come from a CSV (or tab-separated) file with a header row: `front` and `back` are required; `id`,
`note_id`, `topic` (a topic id, so the card joins that topic's statistics and quiz links; default `user`),
`tags` (space-separated), `source` and `reverse` (1 also makes the back-to-front card) are optional. A note's id
comes from `note_id`/`id`, or else from a hash of its front — give ids to keep history through wording edits.
Importing the same id again updates the note and keeps its history. The CSV that `awsprep cards export --format
csv` writes has these columns (plus scheduling columns, ignored on import), so it imports back as it was;
awsprep's own cards in it (deck `awsprep`) are skipped.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from awsprep.content.cards import CardSpec
from awsprep.content.catalog import Catalog
from awsprep.content.records import BasicNote, ClozeNote
from awsprep.controls import strip_controls
from awsprep.errors import UsageError
from awsprep.store import user_notes as note_store
from awsprep.store.records import STATE_NAMES, CardState
from awsprep.store.user_notes import USER_DECK, UserNote
from awsprep.study.review import catalog_cards

__all__ = ["USER_DECK", "UserNote", "export_apkg", "export_csv", "import_csv", "study_specs", "user_notes"]

USER_PREFIX = "u:"
MAX_IMPORT_BYTES = 8 * 1024 * 1024
NOTE_ID = re.compile(r"^[a-z0-9]+([._-][a-z0-9]+)*$")
CSV_COLUMNS = (
    "deck", "id", "note_id", "topic", "front", "back", "reverse", "tags", "source",
    "state", "due", "stability", "difficulty", "reps", "lapses", "suspended",
)  # fmt: skip


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    skipped: int


def user_notes(conn: sqlite3.Connection) -> list[UserNote]:
    return note_store.all_notes(conn)


def user_specs(conn: sqlite3.Connection, topics: set[str] | None = None) -> list[CardSpec]:
    specs = []
    for n in user_notes(conn):
        if topics and n.topic not in topics:
            continue
        specs.append(CardSpec(n.note_id, n.note_id, n.topic, n.front, n.back, n.source))
        if n.reverse:
            specs.append(CardSpec(f"{n.note_id}~r", n.note_id, n.topic, n.back, n.front, n.source))
    return specs


def study_specs(
    conn: sqlite3.Connection, catalog: Catalog, topics: Sequence[str] | None = None, areas: set[str] | None = None
) -> list[CardSpec]:
    """Every card to study: the bundled decks' cards, then the learner's own (own cards have no area)."""
    own = [] if areas else user_specs(conn, set(topics or ()))
    return catalog_cards(catalog, topics, areas) + own


# --- import ---------------------------------------------------------------------------------------------------


def _read_rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    if path.stat().st_size > MAX_IMPORT_BYTES:
        raise UsageError(f"{path}: larger than {MAX_IMPORT_BYTES // 1024 // 1024} MiB; split it")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first and "," not in first) else ","
    try:
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        if "front" not in header or "back" not in header:
            raise UsageError(f"{path}:1: the header row needs `front` and `back` columns (found: {', '.join(header)})")
        reader.fieldnames = header
        # terminal control characters (ESC, OSC 52, ...) could drive the learner's terminal: dropped at the door
        return [{k: strip_controls(v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        raise UsageError(f"{path}: not a valid CSV file ({exc})") from None


def _note_id(row: dict[str, str], where: str) -> tuple[str, bool]:
    """The note id a row belongs to (`u:` prefixed), and whether the row is a derived (reversed) card."""
    card_id = row.get("id", "")
    raw = row.get("note_id") or card_id.split("~", 1)[0]
    if not raw:
        raw = "h" + hashlib.blake2b(row["front"].encode(), digest_size=6).hexdigest()
    raw = raw.removeprefix(USER_PREFIX)
    if not NOTE_ID.match(raw) or len(raw) > 80:
        raise UsageError(f"{where}: id {raw!r} must be lowercase letters, digits and . _ - (at most 80)")
    note_id = USER_PREFIX + raw
    return note_id, bool(card_id) and card_id.removeprefix(USER_PREFIX) != raw


def import_csv(conn: sqlite3.Connection, path: Path, known_topics: Iterable[str], now_ms: int) -> ImportResult:
    """Add or update the learner's own notes from `path`, all or nothing."""
    topics = {*known_topics, USER_DECK}
    notes: dict[str, UserNote] = {}
    skipped = 0
    for line, row in enumerate(_read_rows(path), start=2):
        where = f"{path}:{line}"
        if row.get("deck", USER_DECK) != USER_DECK:
            skipped += 1  # awsprep's own cards in an exported file: they are already in the decks
            continue
        note_id, derived = _note_id(row, where)
        if derived:
            if note_id in notes and row.get("id", "").endswith("~r"):
                n = notes[note_id]
                notes[note_id] = UserNote(n.note_id, n.front, n.back, True, n.topic, n.tags, n.source)
            skipped += 1
            continue
        if not row["front"] or not row["back"]:
            raise UsageError(f"{where}: empty {'front' if not row['front'] else 'back'}")
        topic = row.get("topic") or USER_DECK
        if topic not in topics:
            import difflib

            close = difflib.get_close_matches(topic, topics, n=1)
            raise UsageError(f"{where}: unknown topic {topic!r}", hint=f"did you mean {close[0]}?" if close else None)
        reverse = row.get("reverse", "").lower() in {"1", "true", "yes", "y"}
        tags = " ".join(row.get("tags", "").replace(",", " ").split())
        notes[note_id] = UserNote(note_id, row["front"], row["back"], reverse, topic, tags, row.get("source", ""))
    added, updated = note_store.upsert(conn, notes.values(), now_ms)
    return ImportResult(added, updated, skipped)


# --- export ---------------------------------------------------------------------------------------------------


def export_csv(specs: list[CardSpec], states: dict[str, CardState], tags_of: dict[str, str]) -> str:
    """One row per card, with its scheduling state; `tags_of` maps note id -> tags."""
    reversed_notes = {s.note_id for s in specs if s.id.endswith("~r")}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in specs:
        st = states.get(s.id) or CardState(s.id, s.note_id, s.topic)
        deck = USER_DECK if s.id.startswith(USER_PREFIX) else "awsprep"
        due = "" if st.due_ms is None else str(st.due_ms)
        writer.writerow([
            deck, s.id, s.note_id, s.topic, s.front, s.back, int(s.note_id in reversed_notes),
            " ".join(sorted({*tags_of.get(s.note_id, "").split(), *st.tags.split()})), s.source,
            STATE_NAMES[st.state], due, _num(st.stability), _num(st.difficulty), st.reps, st.lapses, int(st.suspended),
        ])  # fmt: skip
    return buf.getvalue()


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def _stable_int(text: str, bits: int = 40) -> int:
    # Anki ids are 64-bit; keep them positive and clear of genanki's small built-in model ids
    return (1 << bits) + int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")


def _field(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _link(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""


def _anki_tags(*groups: Iterable[str]) -> list[str]:
    return sorted({t.replace(" ", "_") for g in groups for t in g if t})


def export_apkg(path: Path, catalog: Catalog, own: list[UserNote], topics: set[str] | None, timestamp: float) -> int:
    """Write an Anki package: one subdeck per topic, Basic / Basic+reversed / Cloze note types with a Source
    field, note guids from the stable note ids (re-importing updates notes in Anki instead of duplicating them).
    Returns the number of notes. Review history does not travel: .apkg written by genanki carries none."""
    import genanki

    css = ".card { font-family: sans-serif; font-size: 20px; text-align: left; }"
    answer = '{{FrontSide}}<hr id="answer">{{Back}}<div class="source">{{Source}}</div>'
    basic_fields = [{"name": "Front"}, {"name": "Back"}, {"name": "Source"}]
    forward = {"name": "Card 1", "qfmt": "{{Front}}", "afmt": answer}
    backward = {
        "name": "Card 2",
        "qfmt": "{{Back}}",
        "afmt": '{{FrontSide}}<hr id="answer">{{Front}}<div class="source">{{Source}}</div>',
    }
    basic = genanki.Model(_stable_int("awsprep-basic"), "awsprep Basic", basic_fields, [forward], css=css)
    both = genanki.Model(
        _stable_int("awsprep-reversed"), "awsprep Basic+reversed", basic_fields, [forward, backward], css=css
    )
    cloze = genanki.Model(
        _stable_int("awsprep-cloze"),
        "awsprep Cloze",
        [{"name": "Text"}, {"name": "Extra"}, {"name": "Source"}],
        [{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Extra}}<br>{{Source}}"}],
        css=css,
        model_type=genanki.Model.CLOZE,
    )
    decks: dict[str, genanki.Deck] = {}

    def deck(name: str) -> genanki.Deck:
        if name not in decks:
            decks[name] = genanki.Deck(_stable_int(f"deck:{name}"), f"AWS DVA-C02::{name}")
        return decks[name]

    count = 0
    for d in catalog.decks:
        if topics and d.topic not in topics:
            continue
        for note in d.notes:
            tags = _anki_tags(["awsprep", d.topic], note.tags)
            guid = genanki.guid_for("awsprep", note.id)
            if isinstance(note, ClozeNote):
                fields = [_field(note.text), _field(note.extra), _link(note.source)]
                deck(d.topic).add_note(genanki.Note(cloze, fields, tags=tags, guid=guid))
            else:
                assert isinstance(note, BasicNote)
                model = both if note.reverse else basic
                fields = [_field(note.front), _field(note.back), _link(note.source)]
                deck(d.topic).add_note(genanki.Note(model, fields, tags=tags, guid=guid))
            count += 1
    for n in own:
        if topics and n.topic not in topics:
            continue
        fields = [_field(n.front), _field(n.back), _link(n.source)]
        tags = _anki_tags(["awsprep", USER_DECK], n.tags.split())
        deck(USER_DECK).add_note(
            genanki.Note(both if n.reverse else basic, fields, tags=tags, guid=genanki.guid_for("awsprep", n.note_id))
        )
        count += 1
    if not decks:
        raise UsageError("nothing to export: no cards match")
    genanki.Package(list(decks.values())).write_to_file(str(path), timestamp=timestamp)
    return count
