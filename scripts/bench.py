#!/usr/bin/env python3
"""awsprep's speed targets, each measured as a ratio against a baseline taken in the same run.

Absolute times vary with the machine and its load; the ratios are what the targets are about. Run:

    python scripts/bench.py            # all sections
    python scripts/bench.py startup    # one section (startup, catalog, study, ...)

Exit status 1 if any target is missed. Other scripts named `scripts/bench_*.py` are run at the end and their
output is passed through (the simulator's figures live in bench_sim.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchlib import Targets, paired

ROOT = Path(__file__).resolve().parent.parent
TARGETS = Targets()


def run_python(*args: str, env: dict[str, str] | None = None) -> Callable[[], object]:
    full = {**os.environ, **(env or {})}

    def go() -> object:
        return subprocess.run([sys.executable, *args], check=True, capture_output=True, env=full, cwd=ROOT)

    return go


def bench_startup() -> None:
    print("# start-up (subprocesses; baseline: python -c 'import typer')")
    env = {"AWSPREP_HOME": tempfile.mkdtemp()}
    typer = run_python("-c", "import typer")
    version, baseline = paired(run_python("-m", "awsprep", "--version", env=env), typer, 9)
    TARGETS.ratio("awsprep --version", version, baseline, 1.5)
    helptext, baseline = paired(run_python("-m", "awsprep", "--help", env=env), typer, 9)
    TARGETS.ratio("awsprep --help", helptext, baseline, 3.0)


def bench_catalog() -> None:
    print("# catalog (baselines: json.loads of the catalog as JSON; CSafeLoader parse of the same YAML files)")
    os.environ["AWSPREP_HOME"] = tempfile.mkdtemp()
    import yaml

    from awsprep.content.catalog import content_files, load_catalog
    from awsprep.paths import content_root

    raw = load_catalog().to_json().encode()  # (and writes the cache)

    def warm_all() -> None:  # a cache hit, every section but the labs decoded into records
        catalog = load_catalog()
        catalog.topics, catalog.blueprint, catalog.lessons, catalog.question_files, catalog.decks  # noqa: B018

    warm, baseline_warm = paired(warm_all, lambda: json.loads(raw), 15)
    TARGETS.ratio("warm catalog load (cache hit, all sections)", warm, baseline_warm, 3.0)

    files = content_files(content_root())
    texts = [f.read_text(encoding="utf-8") for f in files]

    def parse_only() -> None:
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)

    cold, baseline_cold = paired(lambda: load_catalog(use_cache=False), parse_only, 7)
    TARGETS.ratio(f"cold load + validation of {len(files)} files", cold, baseline_cold, 2.0)

    # 25,000 unknown keys: locating every error by a scan of its mapping was quadratic (10 s); now one pass
    from awsprep.content.catalog import validate_paths

    flood = Path(tempfile.mkdtemp()) / "ec2.launch.yaml"
    flood.write_text("topic: ec2.launch\nnotes: []\n" + "".join(f"k{i}: 1\n" for i in range(25_000)))
    flood_text = flood.read_text()
    checked, baseline_flood = paired(
        lambda: validate_paths([flood]), lambda: yaml.load(flood_text, Loader=yaml.CSafeLoader), 5
    )
    TARGETS.ratio("validate a file with 25,000 unknown keys", checked, baseline_flood, 8.0)


SECTIONS: dict[str, Callable[[], None]] = {"startup": bench_startup, "catalog": bench_catalog}


def run_others() -> None:
    for script in sorted((ROOT / "scripts").glob("bench_*.py")):
        print(f"# {script.name}")
        proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, check=False)
        (TARGETS.missed if proc.returncode else TARGETS.met).append(script.name)


def main(argv: list[str]) -> int:
    chosen = argv or [*SECTIONS, "others"]
    for name in chosen:
        if name == "others":
            run_others()
        elif name in SECTIONS:
            SECTIONS[name]()
        else:
            print(f"unknown section {name!r}; choose from {', '.join([*SECTIONS, 'others'])}", file=sys.stderr)
            return 2
    print()
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
