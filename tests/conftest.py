"""Shared fixtures: an isolated data directory per test, and a way to run the real entry point in-process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import isolation
import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["pytester"]

# Before anything else runs (module-level code of test files included): note the learner's real places, point
# HOME, XDG_* and AWSPREP_HOME into a session temp folder, and watch for any access to the real places.
REAL_HOME, REAL_PRIVATE = isolation.real_places()
GUARD = isolation.Guard(REAL_HOME, REAL_PRIVATE, isolation.allowed_places(ROOT))
SESSION_DIR = Path(tempfile.mkdtemp(prefix="awsprep-tests-"))
isolation.redirect(SESSION_DIR)
_WATCH = isolation.watching(GUARD)
_WATCH.__enter__()


def pytest_collection_finish(session: pytest.Session) -> None:
    touched = GUARD.new()
    if touched:
        raise pytest.UsageError(
            "collecting the tests touched the learner's own files (load content inside a test or fixture):\n  "
            + "\n  ".join(touched[:20])
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(SESSION_DIR, ignore_errors=True)


# A runner started in the background by a non-interactive shell (`cmd &`, nohup, some CI agents) hands its
# children SIGINT ignored, and Python then keeps it ignored: the Ctrl-C tests would test nothing, and the pty tests'
# children would never see Ctrl-C. Give the test process what a learner's shell gives awsprep; a Python-level
# handler is reset to the default in every child at exec.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# CI must be reproducible: there hypothesis replays the same examples every run; a developer's runs keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own AWSPREP_HOME (progress database and cache), and no terminal."""
    path = tmp_path / "home"
    monkeypatch.setenv("AWSPREP_HOME", str(path))
    monkeypatch.setenv("AWSPREP_NO_TTY", "1")
    monkeypatch.delenv("AWSPREP_NOW", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    _clear_caches()
    yield path
    _clear_caches()
    touched = GUARD.new()  # this test, and any module fixture set up for it before this fixture
    if touched:
        pytest.fail("the test touched the learner's own files, outside temp dirs:\n  " + "\n  ".join(touched[:20]))


def _clear_caches() -> None:
    from awsprep.cli import render, session

    if session.open_store.cache_info().currsize:
        session.open_store().close()
    session.open_store.cache_clear()
    session.open_catalog.cache_clear()
    render.out.cache_clear()
    render.err.cache_clear()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test (the simulator must stay in-process)."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `awsprep ARGS` through the real entry point (error boundary included), in-process."""
    from awsprep.__main__ import main

    def run(*args: str) -> Result:
        _clear_caches()
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_subprocess(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> Result:
    """Run `python -m awsprep ARGS` in a fresh interpreter (no stdin)."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "awsprep", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def spawn_awsprep(
    home: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 30,
    dimensions: tuple[int, int] = (50, 120),
    colour: bool = False,
):  # type: ignore[no-untyped-def]
    """`python -m awsprep ARGS` in a real pseudo-terminal (pexpect), as a learner would run it.

    No cursor-position requests (they would make each prompt wait ~1 s), no pager, the test's own AWSPREP_HOME,
    and the in-process tests' "no terminal" switch removed. No colour, unless `colour`: then a 256-colour
    terminal with NO_COLOR unset and FORCE_COLOR=1, as most learners have.
    """
    import pexpect

    # COLUMNS and LINES (the in-process tests set COLUMNS=100) would override the pseudo-terminal's own size
    dropped = ("AWSPREP_NO_TTY", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")
    child_env = {k: v for k, v in os.environ.items() if k not in dropped}
    child_env.update({"AWSPREP_HOME": str(home), "PROMPT_TOOLKIT_NO_CPR": "1", "PAGER": "cat"})
    if colour:
        child_env.update({"TERM": "xterm-256color", "FORCE_COLOR": "1"})
    else:
        child_env.update({"TERM": "xterm", "NO_COLOR": "1"})
    child_env.update(env or {})
    return pexpect.spawn(
        sys.executable,
        ["-m", "awsprep", *args],
        env=child_env,
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=timeout,
        dimensions=dimensions,
    )


def first_letters(
    command: str, *, seed: int, count: int | None, topics: tuple[str, ...] = (), missed: dict[str, bool] | None = None
) -> str:
    """`--answers` for that draw giving each question the first N letters, N being the count it asks for.

    (An answer with the wrong count is refused, so a test that does not care about the answers needs this.)
    """
    import random

    from awsprep.content.catalog import load_catalog
    from awsprep.study.exam import draw_exam
    from awsprep.study.quiz import Filters, draw_quiz

    catalog = load_catalog()
    if command == "exam":
        shown = draw_exam(catalog.questions, catalog.blueprint, count or 65, random.Random(seed)).presented
    else:
        filters = Filters(topics, missed=missed is not None)
        shown = draw_quiz(catalog, filters, missed or {}, count, random.Random(seed))
    return ",".join("ABCDEF"[: len(p.question.correct)] for p in shown)


def shown(path: Path) -> str:
    """A path as awsprep names it in a message: relative to the working folder when under it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_bank(root: Path, files: dict[str, list[Any]]) -> Path:
    """A content tree at `root`: the exam_bank fixture's topics and blueprint, and one question file per topic
    written from models (so lint tests built from code still run on real files, with real places)."""
    import shutil

    import yaml

    base = ROOT / "tests" / "fixtures" / "exam_bank" / "content"
    (root / "content" / "questions").mkdir(parents=True)
    shutil.copy(base / "topics.yaml", root / "content" / "topics.yaml")
    shutil.copytree(base / "exam", root / "content" / "exam")

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # content files refuse anchors; a date object shared by two questions would get one

    for topic, questions in files.items():
        data = {"topic": topic, "questions": [q.model_dump(exclude_none=True) for q in questions]}
        text = yaml.dump(data, Dumper=NoAliases, sort_keys=False)
        (root / "content" / "questions" / f"{topic}.yaml").write_text(text)
    return root


def copy_shipped_content(tmp_path: Path) -> Path:
    """A writable copy of the shipped `content/` and `decks/` under tmp_path/copy, for tests that edit content."""
    from awsprep.paths import content_root

    root = tmp_path / "copy"
    for part in ("content", "decks"):
        shutil.copytree(content_root() / part, root / part)
    return root


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    return copy_shipped_content(tmp_path)
