#!/usr/bin/env python3
"""The sandbox shell's parser on long lines: the time to expand a line must grow linearly with its length
(issue 15: a 1M-character line took 13 s, shlex growing each token one character at a time). Reported as the
ratio of the time for a line four times longer; linear is about 4, quadratic about 16."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchlib import Targets, paired

from awsprep.labs.shell.parse import expand, split_list

TARGETS = Targets()


def parse(n: int) -> None:
    line = "echo " + "a" * n
    for part, _ in split_list(line):
        expand(part, {}.get, lambda s: "")


def main() -> int:
    n = 100_000
    long, short = paired(lambda: parse(4 * n), lambda: parse(n), runs=3)
    TARGETS.ratio("shell parse: 400k-char line vs 100k (linear ≈ 4)", long, short, 6.0)
    return TARGETS.summary()


if __name__ == "__main__":
    sys.exit(main())
