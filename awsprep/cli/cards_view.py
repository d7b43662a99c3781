"""How flashcards look in the terminal: the review loop, statistics (heatmap, forecast) and the card browser.

The heatmap and forecast draw intensity with glyphs (· ░ ▒ ▓ █, ▁…█) and only add colour on top, so they read
the same under NO_COLOR, TERM=dumb or in a pipe.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from awsprep.study.cards_stats import BrowseRow, CardStats
    from awsprep.study.review import QueueItem, ReviewSession

SHADES = "·░▒▓█"
SHADE_STYLES = ("dim", "green", "green", "bold green", "bold bright_green")
SPARKS = "▁▂▃▄▅▆▇█"
FRONT_MIN = 30  # narrower than this a card's front reads a word a line: the browser switches to two lines a card


def _undo(session: ReviewSession, console: Console) -> None:
    from awsprep.store.cards import StaleCard

    try:
        done = session.undo()
    except StaleCard as exc:
        console.print(str(exc), style="yellow", markup=False)
        return
    console.print("undone" if done else "nothing to undo", style="dim")


def interactive(session: ReviewSession) -> None:
    """Front, reveal, rate; every answer is committed when given. Ctrl-C keeps them all and exits 130."""
    from rich.panel import Panel

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.render import err, shown
    from awsprep.study.scheduler import Rating

    console = err()
    cram = session.source == "cram"
    if session.current() is None:
        console.print("Nothing is due now. Come back later, or study a topic with `awsprep study`.")
        return
    front_keys: dict[str, str] = {" ": "show", "enter": "show", "u": "undo", "q": "quit"}
    if not cram:
        front_keys.update({"b": "bury", "s": "suspend"})
    front_help = "space: show answer · u: undo · q: quit" + ("" if cram else " · b: bury · s: suspend")
    try:
        while (item := session.current()) is not None:
            left = " · ".join(f"{n} {kind}" for kind, n in session.remaining().items())
            console.print(
                f"\n{left}  ({len(session.answered)} done) · {item.spec.topic} · {item.reason}",
                style="dim",
                markup=False,
                highlight=False,
            )
            console.print(Panel(shown(item.spec.front), title="question", expand=False))
            action = prompts.key(front_help, front_keys)
            if action == "quit":
                break
            if action == "undo":
                _undo(session, console)
                continue
            if action in ("bury", "suspend"):
                if action == "bury":
                    session.bury(clock.now())
                else:
                    session.suspend()
                done = "buried until tomorrow" if action == "bury" else "suspended"
                console.print(f"{item.spec.id}: {done}", markup=False)
                continue
            if not _answer_side(session, item, console):
                break
    except KeyboardInterrupt:
        console.print(f"\nInterrupted: {len(session.answered)} answer(s) saved.")
        raise
    counts = ", ".join(f"{r.name.capitalize()} {session.counts[r]}" for r in Rating)
    console.print(f"\nSession: {len(session.answered)} reviewed — {counts}", markup=False)


def _answer_side(session: ReviewSession, item: QueueItem, console: Console) -> bool:
    """Reveal the back and take a rating (or undo); False when the learner quits."""
    from rich.panel import Panel

    from awsprep import clock
    from awsprep.cli import prompts
    from awsprep.cli.render import print_unwrapped, shown
    from awsprep.store.cards import StaleCard
    from awsprep.study.scheduler import Rating, describe_interval

    console.print(Panel(shown(item.spec.back), title="answer", expand=False))
    print_unwrapped(console, f"source: {item.spec.source}", style="dim")  # controls escaped there too
    if session.source == "cram":
        labels = "  ".join(f"{int(r)} {r.name.capitalize()}" for r in Rating) + "  (cram: not scheduled)"
    else:
        preview = session.scheduler.preview(item.state, clock.now())
        labels = "  ".join(f"{int(r)} {r.name.capitalize()} ({describe_interval(preview[r])})" for r in Rating)
    keys: dict[str, Rating | str] = {str(int(r)): r for r in Rating}
    keys.update({"u": "undo", "q": "quit"})
    started = clock.monotonic()
    choice = prompts.key(labels, keys)
    if choice == "quit":
        return False
    if choice == "undo":
        _undo(session, console)
        return True
    assert isinstance(choice, Rating)
    try:
        session.answer(choice, clock.now(), int((clock.monotonic() - started) * 1000))
    except StaleCard as exc:
        console.print(str(exc), style="yellow", markup=False)
        return True
    if session.leeches and session.leeches[-1] == item.spec.id:
        console.print(f"{item.spec.id} is a leech (tagged; see `awsprep cards browse --leeches`)", markup=False)
    return True


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f} %"


def heatmap_lines(heatmap: dict[str, int], today: date) -> list[list[tuple[str, str]]]:
    """A year of reviews as 7 weekday rows × 53 week columns of (glyph, style); the first row is month labels."""
    first = today - timedelta(days=364)
    first -= timedelta(days=first.weekday())  # start on a Monday so columns are weeks
    weeks = (today - first).days // 7 + 1
    peak = max(heatmap.values(), default=0)
    rows: list[list[tuple[str, str]]] = [[("    ", "")] for _ in range(8)]
    for label, row in (("Mon ", 1), ("Wed ", 3), ("Fri ", 5)):
        rows[row][0] = (label, "dim")
    months = [" "] * weeks
    for w in range(weeks):
        for d in range(7):
            day = first + timedelta(days=7 * w + d)
            if day > today:
                rows[d + 1].append((" ", ""))
                continue
            if day.day <= 7 and d == 0 and w + 3 <= weeks:
                months[w : w + 3] = list(day.strftime("%b"))
            n = heatmap.get(day.isoformat(), 0)
            level = 0 if n == 0 else 1 + min(3, (4 * n - 1) // max(1, peak))
            rows[d + 1].append((SHADES[level], SHADE_STYLES[level]))
    rows[0].extend((ch, "dim") for ch in months)
    return rows


def sparkline(values: list[int]) -> str:
    peak = max(values, default=0)
    return "".join(" " if v == 0 else SPARKS[min(7, (8 * v - 1) // max(1, peak))] for v in values)


def render_stats(s: CardStats, now: datetime, utc_offset_min: int) -> None:
    from rich.text import Text

    from awsprep.cli.render import out
    from awsprep.study.cards_stats import study_day
    from awsprep.study.scheduler import to_ms

    console = out()
    lines = [
        ("due today", f"{s.due_today} due · {s.new_today} new · {s.reviews_today} answered so far"),
        ("cards", " · ".join(f"{n} {name}" for name, n in s.by_state.items()) + f" (total {s.total})"),
        ("set aside", f"{s.suspended} suspended · {s.buried} buried · {len(s.leeches)} leeches"),
    ]
    for label, share in s.true_retention.items():
        lines.append((f"true retention {label}", f"{_pct(share)} of {s.retention_reviews[label]} review answers"))
    if s.exam is not None:
        e = s.exam
        lines.append(("exam day", f"{e.date}, in {e.days_left} days"))
        lines.append(("predicted recall", f"{_pct(e.recall_studied)} of studied cards, {_pct(e.recall_all)} of all"))
        lines.append(("", f"{e.below_target} studied cards below {e.target:.0%}, {e.unseen} not seen yet"))
    for label, text in lines:
        console.print(Text.assemble((f"{label:<20}", "bold"), text))
    week, month = sum(s.forecast[:7]), sum(s.forecast)
    console.print(f"\nnext 30 days  {sparkline(s.forecast)}  ({week} in 7 days, {month} in 30)")
    console.print(" ".join(f"{(now + timedelta(days=i)).strftime('%a')} {n}" for i, n in enumerate(s.forecast[:7])))
    console.print(f"\nreviews, last 365 days ({sum(s.heatmap.values())}; legend: · none ░ ▒ ▓ █ most)")
    for row in heatmap_lines(s.heatmap, study_day(to_ms(now), utc_offset_min)):
        console.print(Text.assemble(*row))
    if s.leeches:
        shown = ", ".join(s.leeches[:10]) + (" …" if len(s.leeches) > 10 else "")
        console.print(f"\nleeches: {shown}", markup=False)


def render_browse(rows: list[BrowseRow], limit: int) -> None:
    from rich.table import Table

    from awsprep.cli.render import out, print_unwrapped, shown
    from awsprep.study.scheduler import to_dt

    # the id is what --suspend takes, so it is never cut; the front wraps in whatever width is left, and when
    # too little is left for a readable front the card goes on two lines: id and state, then the front below
    listed = rows[:limit]
    console = out()
    cells = [
        (r.card_id, r.state, "" if r.due_ms is None else to_dt(r.due_ms).strftime("%Y-%m-%d"), str(r.lapses),
         " ".join(f for f, on in (("suspended", r.suspended), ("leech", r.leech)) if on), r.front)
        for r in listed
    ]  # fmt: skip
    heads = ("card", "state", "due", "lapses", "flags")
    fixed = sum(max([len(h), *(len(c[i]) for c in cells)]) + 2 for i, h in enumerate(heads))
    if console.width >= fixed + FRONT_MIN:
        # pad_edge=False: with an edge pad rich wraps the last column one cell too wide and then crops it
        table = Table(header_style="bold", box=None, padding=(0, 1), pad_edge=False)
        for h in heads:
            table.add_column(h, no_wrap=True, justify="right" if h == "lapses" else "left")
        table.add_column("front", ratio=1, min_width=FRONT_MIN)
        for c in cells:
            table.add_row(shown(c[0]), *c[1:5], shown(c[5]))  # controls escaped: no text can drive the terminal
        console.print(table)
    else:
        for card_id, state, due, lapses, flags, front in cells:
            head = "  ".join(x for x in (card_id, state, due, f"{lapses} lapses", flags) if x)
            print_unwrapped(console, head)
            body = Table.grid(padding=(0, 0, 0, 2), pad_edge=True)
            body.add_column()
            body.add_row(shown(front))
            console.print(body)
    more = f" (showing {limit}; narrow with --search or raise --limit)" if len(rows) > limit else ""
    out().print(f"{len(rows)} card(s){more}", markup=False)


def pick_and_toggle(conn: sqlite3.Connection, rows: list[BrowseRow]) -> None:
    """Interactive: mark cards to flip between suspended and active."""
    from awsprep.cli import prompts
    from awsprep.cli.render import message
    from awsprep.controls import escape_controls
    from awsprep.store.cards import set_flags

    if not prompts.confirm("Suspend or unsuspend any of these?", default=False):
        return
    choices = [
        (escape_controls(f"{'[suspended] ' if r.suspended else ''}{r.card_id}: {r.front[:60]}"), r) for r in rows
    ]
    picked = prompts.checkbox("Toggle suspension of", choices)
    on = [r.card_id for r in picked if not r.suspended]
    off = [r.card_id for r in picked if r.suspended]
    if on:
        set_flags(conn, on, suspended=True)
    if off:
        set_flags(conn, off, suspended=False)
    message(f"suspended {len(on)}, unsuspended {len(off)}")
