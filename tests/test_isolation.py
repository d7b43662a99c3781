"""The guard that keeps tests off the learner's own files catches what the old tests did."""

from __future__ import annotations

import shutil
from pathlib import Path

import isolation
import pytest

HERE = Path(__file__).parent


def test_the_old_import_time_catalog_load_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # test_decks.py and test_lessons.py called load_catalog() at import, before any fixture set AWSPREP_HOME:
    # the catalog cache went to the learner's cache folder (here a fake one, watched like the real one)
    fake_home = tmp_path / "learner"
    cache = fake_home / ".cache" / "awsprep"
    guard = isolation.Guard([str(fake_home)], [str(cache)], allowed=[])
    monkeypatch.delenv("AWSPREP_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(fake_home / ".cache"))
    from awsprep.content.catalog import load_catalog

    with isolation.watching(guard):
        load_catalog()
    assert any(v.startswith("open (write) ") and f"{cache}/catalog-" in v for v in guard.violations), guard.violations
    assert any(v == f"os.mkdir (write) {cache}" for v in guard.violations), guard.violations


def test_reads_of_private_places_and_writes_anywhere_in_home_are_caught(tmp_path: Path) -> None:
    home, private, scratch = tmp_path / "learner", tmp_path / "learner" / "data", tmp_path / "learner" / "tmp"
    for p in (home, private, scratch):
        p.mkdir(parents=True, exist_ok=True)
    (home / "notes.txt").write_text("mine")
    (private / "progress.sqlite3").write_text("")
    guard = isolation.Guard([str(home)], [str(private)], allowed=[str(scratch)])
    import sqlite3

    with isolation.watching(guard):
        (home / "notes.txt").read_text()  # reading elsewhere in the home is allowed (Python reads its packages)
        (scratch / "ok.txt").write_text("fine")
        (private / "progress.sqlite3").read_bytes()
        sqlite3.connect(private / "other.sqlite3").close()
        (home / "new.txt").write_text("no")
        (home / "notes.txt").unlink()
    assert guard.violations == [
        f"open {private / 'progress.sqlite3'}",
        f"sqlite3.connect (write) {private / 'other.sqlite3'}",
        f"open (write) {home / 'new.txt'}",
        f"os.remove (write) {home / 'notes.txt'}",
    ]


def _session(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, fake_home: Path, test_file: str
) -> pytest.RunResult:
    """A pytest run of one test file under this suite's conftest, with `fake_home` as the learner's home."""
    tests = pytester.path / "tests"
    tests.mkdir()
    shutil.copy(HERE / "conftest.py", tests / "conftest.py")
    shutil.copy(HERE / "isolation.py", tests / "isolation.py")
    (tests / "test_it.py").write_text(test_file)
    (pytester.path / "tmp").mkdir()
    monkeypatch.setenv("HOME", str(fake_home))  # the child pytest inherits these
    monkeypatch.setenv("TMPDIR", str(pytester.path / "tmp"))  # so the fake home is not inside a temp dir
    for var in ("AWSPREP_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    return pytester.runpytest_subprocess(str(tests), "-p", "no:cacheprovider", "-p", "no:randomly")


def test_a_test_that_writes_into_the_home_fails(pytester, monkeypatch, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    fake_home = tmp_path_factory.mktemp("learner")
    result = _session(
        pytester,
        monkeypatch,
        fake_home,
        "from pathlib import Path\nimport conftest\n\n"
        "def test_writes_home():\n    (Path(conftest.REAL_HOME[0]) / 'oops.txt').write_text('x')\n\n"
        "def test_stays_in_tmp(tmp_path):\n    (tmp_path / 'fine.txt').write_text('x')\n",
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*touched the learner's own files*", f"*open (write) {fake_home}/oops.txt*"])


def test_the_old_module_level_load_fails_the_collection(pytester, monkeypatch, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    fake_home = tmp_path_factory.mktemp("learner")
    old_test_decks = (
        "import os\nimport conftest\n"
        "# the environment as it was before the redirect: no AWSPREP_HOME, the learner's own cache folder\n"
        "os.environ.pop('AWSPREP_HOME')\nos.environ['XDG_CACHE_HOME'] = conftest.REAL_HOME[0] + '/.cache'\n"
        "from awsprep.content.catalog import load_catalog\n\nCATALOG = load_catalog()\n\n"
        "def test_decks():\n    assert CATALOG.decks\n"
    )
    result = _session(pytester, monkeypatch, fake_home, old_test_decks)
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*collecting the tests touched the learner's own files*"])
    assert f"{fake_home}/.cache/awsprep" in result.stderr.str()


def test_the_no_network_guard_catches_a_real_client(no_network: None) -> None:
    # the guard the simulator and sandbox tests rely on: a connection, raw or through an HTTP client, fails the
    # test at once instead of timing out or passing
    import socket

    with pytest.raises(AssertionError, match="a network connection was attempted"):
        socket.create_connection(("192.0.2.10", 443), timeout=1)
    import urllib.request

    with pytest.raises(AssertionError, match="a network connection was attempted"):
        urllib.request.urlopen("http://192.0.2.10/", timeout=1)  # a documentation address
