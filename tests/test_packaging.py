"""The wheel carries every content file, and the installed package finds them from outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_content_shipped import authored_topic_ids

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return next(out.glob("awsprep-*.whl"))


def test_wheel_contains_all_content(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for base in ("content", "decks"):
        for f in (ROOT / base).rglob("*.yaml"):
            assert f"awsprep/_bundled/{f.relative_to(ROOT)}" in names, f
    assert "awsprep/__main__.py" in names


def test_installed_package_runs_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), *deps]),
        "AWSPREP_HOME": str(tmp_path / "home"),
        "PYTHONSAFEPATH": "1",
    }
    code = (
        "import awsprep, awsprep.paths as p, sys; print(p.content_root()); "
        "sys.argv=['awsprep','topics','--json']; from awsprep.__main__ import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    )
    first, _, rest = proc.stdout.partition("\n")
    assert first == str(site / "awsprep" / "_bundled")
    assert len(json.loads(rest)) == len(authored_topic_ids())
