"""`for NAME in WORDS; do COMMANDS; done` on one line, and `seq`: the loop AWS tutorials use to send a few
requests to a load balancer (`for i in $(seq 10); do curl -s URL; done`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.labs.shell.base import Result

_FOR = re.compile(r"^\s*for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.*?)\s*;\s*do\s+(.*?)\s*;?\s*done\s*$", re.DOTALL)
MAX_ITERATIONS = 1000  # a loop in the sandbox stays small


@dataclass(frozen=True)
class ForLoop:
    """The parts of a one-line for loop."""

    name: str
    words: str  # still to be expanded (`$(seq 10)`, `a b c`)
    body: str


def parse_for(line: str) -> ForLoop | None:
    """A one-line for loop, or None when the line is something else."""
    m = _FOR.match(line)
    if m is None:
        return None
    return ForLoop(m.group(1), m.group(2), m.group(3))


def seq(args: list[str], stdin: str | None) -> Result:
    """`seq LAST`, `seq FIRST LAST`, `seq FIRST STEP LAST` (integers)."""
    from awsprep.labs.shell.base import Result  # base imports this module

    try:
        numbers = [int(a) for a in args]
    except ValueError:
        bad = next(a for a in args if not a.lstrip("-").isdigit())
        return Result(1, "", f"seq: invalid floating point argument: '{bad}'\nTry 'seq --help' for more information.\n")
    if not 1 <= len(numbers) <= 3:
        return Result(1, "", "seq: missing operand\nTry 'seq --help' for more information.\n")
    if len(numbers) == 1:
        first, step, last = 1, 1, numbers[0]
    elif len(numbers) == 2:
        first, step, last = numbers[0], 1, numbers[1]
    else:
        first, step, last = numbers
    if step == 0:
        return Result(1, "", "seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.\n")
    values = list(range(first, last + (1 if step > 0 else -1), step))[: MAX_ITERATIONS * 10]
    return Result(0, "".join(f"{v}\n" for v in values))
