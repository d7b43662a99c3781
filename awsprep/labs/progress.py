"""Labs and the progress store: the list with each lab's progress, opening (resuming) a run, saving it."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from awsprep.content.schema_labs import Lab
from awsprep.labs.runner import LAB_FORMAT, LabRun, OldFormat
from awsprep.store.labs import all_progress, clear_progress, load_progress, save_progress


@dataclass(frozen=True)
class LabStatus:
    """One line of `awsprep lab list`."""

    id: str
    title: str
    topics: list[str]
    minutes: int
    steps: int
    step: int  # steps done in the saved run (0 when not started)
    completed: bool  # finished at least once
    status: str

    def to_dict(self) -> dict[str, object]:
        """The `--json` shape."""
        return {
            "id": self.id,
            "title": self.title,
            "topics": self.topics,
            "minutes": self.minutes,
            "steps": self.steps,
            "step": self.step,
            "completed": self.completed,
            "status": self.status,
        }


def statuses(labs: list[Lab], conn: sqlite3.Connection) -> list[LabStatus]:
    """Every lab with the learner's progress."""
    saved = all_progress(conn)
    rows = []
    for lab in labs:
        p = saved.get(lab.id)
        step = min(p.step, len(lab.steps)) if p and p.format == LAB_FORMAT else 0
        completed = bool(p and p.completed_ms is not None)
        if p is not None and p.format != LAB_FORMAT:
            status = "saved by an older version (restarts)"
        elif 0 < step < len(lab.steps):
            status = f"in progress: step {step + 1} of {len(lab.steps)}"
        elif completed:
            status = "completed"
        else:
            status = "not started"
        rows.append(
            LabStatus(lab.id, lab.title, list(lab.topics), lab.minutes, len(lab.steps), step, completed, status)
        )
    return rows


def scratch_dir(data_dir: Path, lab_id: str) -> Path:
    """The lab's own scratch folder (key files live here between sessions)."""
    return data_dir / "labs" / lab_id


@dataclass(frozen=True)
class Opened:
    """A run ready to go, and what to tell the learner about how it started."""

    run: LabRun
    resumed: bool
    message: str | None = None


def open_run(lab: Lab, conn: sqlite3.Connection, folder: Path) -> Opened:
    """Resume the saved run, or start a fresh one (saying why when a save could not be used)."""
    saved = load_progress(conn, lab.id)
    if saved is not None and saved.state and saved.step < len(lab.steps):
        if saved.format != LAB_FORMAT:
            reason = f"it was saved by an older version of awsprep (lab format {saved.format}, now {LAB_FORMAT})"
        else:
            try:
                return Opened(LabRun.resume(lab, folder, saved.step, saved.state), True)
            except OldFormat as exc:
                reason = str(exc)
        clear_progress(conn, lab.id)
        _wipe(folder)
        return Opened(LabRun.start(lab, folder), False, f"Your saved progress in {lab.id} cannot be resumed: {reason}. "
                      "Starting again from step 1.")  # fmt: skip
    _wipe(folder)
    return Opened(LabRun.start(lab, folder), False)


def _wipe(folder: Path) -> None:
    """A fresh run starts with an empty scratch folder (old key files would not match the new account)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def save_run(conn: sqlite3.Connection, run: LabRun, now_ms: int) -> None:
    """Save where the learner is; a finished lab is recorded as completed and restarts next time."""
    if run.finished:
        save_progress(conn, run.lab.id, LAB_FORMAT, len(run.lab.steps), {}, now_ms, completed=True)
    else:
        save_progress(conn, run.lab.id, LAB_FORMAT, run.index, run.state(), now_ms)


def restart(conn: sqlite3.Connection, run: LabRun) -> None:
    """Forget the saved position (the run itself was reset by `LabRun.restart`)."""
    clear_progress(conn, run.lab.id)
