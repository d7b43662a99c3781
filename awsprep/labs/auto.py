"""`awsprep lab NAME --auto`: run a lab's reference solution and every check, step by step.

With `precheck`, each step's checks are also run *before* its commands: on a correct lab they must fail there
(a step whose checks already pass without doing it checks nothing). The tests use this to prove every step's
checks depend on the step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from awsprep.content.schema_labs import Lab
from awsprep.labs.checks import CheckReport
from awsprep.labs.runner import LabRun
from awsprep.labs.shell import Result


@dataclass(frozen=True)
class AutoStep:
    """One step of an automatic run: the commands with their results, and the verdict of its checks."""

    index: int
    title: str
    ran: tuple[tuple[str, Result], ...]
    report: CheckReport
    before: CheckReport | None = None  # the checks before the step's commands ran (precheck only)
    checkpoint: tuple[str, ...] = ()  # the question ids asked after the step (when its checks passed)


@dataclass(frozen=True)
class AutoReport:
    """A whole automatic run; it passes when every step ran and every check passed."""

    lab_id: str
    total: int
    steps: tuple[AutoStep, ...]

    @property
    def passed(self) -> bool:
        """Every step's checks passed."""
        return len(self.steps) == self.total and all(s.report.passed for s in self.steps)


def run_auto(
    lab: Lab,
    scratch_dir: Path,
    *,
    precheck: bool = False,
    skip: int | None = None,
    on_step: Callable[[AutoStep], None] | None = None,
) -> AutoReport:
    """Run the reference solution; stop at the first step whose checks fail.

    `skip`: leave out that step's commands (its checks then run on the state the previous step left).
    """
    run = LabRun.start(lab, scratch_dir)
    steps: list[AutoStep] = []
    while run.current is not None:
        step, index = run.current, run.index
        before = run.evaluate()[0] if precheck else None
        title = run.text(step.title)
        ran: list[tuple[str, Result]] = []
        if index != skip:
            for cmd in run.step_commands(step):
                turn = run.command(cmd, check=False)
                assert turn.result is not None
                ran.append((cmd, turn.result))
        turn = run.check()
        assert turn.report is not None
        asked = turn.completed.checkpoint if turn.completed is not None else ()
        done = AutoStep(index, title, tuple(ran), turn.report, before, asked)
        steps.append(done)
        if on_step is not None:
            on_step(done)
        if turn.completed is None:  # the checks did not pass: stop here
            break
    return AutoReport(lab.id, len(lab.steps), tuple(steps))
