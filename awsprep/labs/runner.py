"""A running lab: the sandbox shell, the current step, its checks, captured values and hints.

`LabRun.handle(line)` takes whatever the learner typed (a lab command such as `hint`, or a shell line) and returns
a `Turn`, a frozen value the CLI renders. After every shell line the step's checks run quietly; when they all pass,
the values the step captures are taken and the step is complete. No terminal and no store in here:
`state()`/`LabRun.resume()` give the JSON the store keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsprep.content.schema_labs import Lab, LabFileSetup, LabSetup, LabStep, checkpoint_id
from awsprep.labs.checks import CheckLine, CheckReport, Context, capture, evaluate, fill
from awsprep.labs.shell import Result, Shell
from awsprep.labs.shell.laptop import HELP
from awsprep.sim import World, ec2

LAB_FORMAT = 1  # bump when `state()` changes shape: older saves then restart with a message
SEED = 7
LAB_COMMANDS = {
    "hint": "a hint for this step (again for the next one)",
    "show": "show this step's command(s)",
    "check": "check this step now and say what is missing",
    "skip": "run this step's commands for you and move on",
    "restart": "start the lab again from step 1 with a fresh account",
    "quit": "save and leave (resume with the same command)",
    "lab": "show this step's instructions again",
}
# Shell commands that only tidy or inspect the terminal: they are no try at the step, so they are not recorded
# (an output check looks at the step's last command) and never earn a "that did not work" nudge.
HOUSEKEEPING = frozenset({"clear", "history", "pwd"})


def _meant(word: str) -> str | None:
    """The lab command or housekeeping command `word` is a typo of, if it is close to one."""
    from difflib import get_close_matches

    names = [*LAB_COMMANDS, *sorted(HOUSEKEEPING), "help", "exit"]
    found = get_close_matches(word, names, n=1, cutoff=0.75)
    return found[0] if found else None


class OldFormat(Exception):
    """Saved progress this version cannot resume (another format, a changed lab, a world it cannot load)."""


@dataclass(frozen=True)
class Completed:
    """A step that has just been completed (or skipped)."""

    index: int
    title: str
    explanation: str
    captured: dict[str, str]
    skipped: bool
    checkpoint: tuple[str, ...]
    finished: bool


@dataclass(frozen=True)
class Turn:
    """What one typed line did. `kind`: command, hint, show, check, skip, restart, help, lab, quit, empty."""

    kind: str
    text: str = ""
    result: Result | None = None
    report: CheckReport | None = None
    completed: Completed | None = None
    nudge: str | None = None
    ran: tuple[tuple[str, Result], ...] = ()  # what `skip` ran for the learner


@dataclass
class StepProgress:
    """What happened in the current step so far."""

    lines: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    hints: int = 0


def apply_setup(world: World, setup: list[LabSetup], scratch_dir: Path) -> dict[str, str]:
    """Prepare what the lab needs before step 1; returns the values it captures."""
    values: dict[str, str] = {}
    b = ec2.backend(world)
    for item in setup:
        if isinstance(item, LabFileSetup):
            scratch_dir.mkdir(parents=True, exist_ok=True)
            (scratch_dir / item.path).write_text(item.content, encoding="utf-8")
            continue
        vpc = b.create_vpc(item.cidr, tags={"Name": item.name})
        ec2.open_to_internet(world, b.region, vpc.vpc_id)  # a public VPC: gateway and 0.0.0.0/0 route
        subnet = b.create_subnet(vpc.vpc_id, item.subnet_cidr)
        subnet.map_public_ip = True
        subnet.tags["Name"] = f"{item.name}-public"
        values[item.vpc_capture] = vpc.vpc_id
        values[item.subnet_capture] = subnet.subnet_id
    return values


class LabRun:
    """One learner's run through one lab."""

    def __init__(self, lab: Lab, world: World, scratch_dir: Path, values: dict[str, str], step: int = 0) -> None:
        self.lab = lab
        self.world = world
        self.scratch_dir = scratch_dir
        self.shell = Shell(world, scratch_dir)
        self.values = values
        self.index = step
        self.progress = StepProgress()
        self.skipped: list[str] = []

    # ----- starting, saving, resuming ---------------------------------------------------------------------
    @classmethod
    def start(cls, lab: Lab, scratch_dir: Path, seed: int = SEED) -> LabRun:
        """A fresh account (same seed every time, so ids in a lab's text stay stable) and step 1."""
        world = World(seed=seed)
        return cls(lab, world, scratch_dir, apply_setup(world, lab.setup, scratch_dir))

    def state(self) -> dict[str, Any]:
        """Everything needed to resume, as JSON-ready data."""
        return {
            "world": self.world.snapshot(),
            "values": dict(self.values),
            "vars": dict(self.shell.vars),
            "step_id": self.current.id if self.current else None,
            "hints": self.progress.hints,
            "skipped": list(self.skipped),
        }

    @classmethod
    def resume(cls, lab: Lab, scratch_dir: Path, step: int, state: dict[str, Any]) -> LabRun:
        """Continue where `state()` left off; `OldFormat` when it does not fit this lab or this version."""
        try:
            world = World()
            world.restore(state["world"])
            run = cls(lab, world, scratch_dir, {str(k): str(v) for k, v in state["values"].items()}, step)
            expected = lab.steps[step].id if step < len(lab.steps) else None
            if state.get("step_id") != expected:
                raise OldFormat("the lab's steps changed since you saved it")
            run.shell.vars.update({str(k): str(v) for k, v in state.get("vars", {}).items()})
            run.progress.hints = int(state.get("hints", 0))
            run.skipped = [str(s) for s in state.get("skipped", [])]
        except OldFormat:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise OldFormat(f"the saved state cannot be read ({type(exc).__name__})") from None
        return run

    # ----- where we are -------------------------------------------------------------------------------------------
    @property
    def current(self) -> LabStep | None:
        """The step in progress (None when the lab is finished)."""
        return self.lab.steps[self.index] if self.index < len(self.lab.steps) else None

    @property
    def finished(self) -> bool:
        """Every step is done."""
        return self.index >= len(self.lab.steps)

    @property
    def prompt(self) -> str:
        """The shell's prompt (the laptop's, or the instance's after `ssh`)."""
        return self.shell.prompt

    def text(self, template: str) -> str:
        """Lab text with the captured values filled in."""
        return fill(template, self.values)

    def step_commands(self, step: LabStep | None = None) -> list[str]:
        """A step's reference commands, with captured values filled in."""
        step = step or self.current
        return [self.text(c) for c in step.commands] if step else []

    # ----- what the learner typed ---------------------------------------------------------------------------------
    def handle(self, line: str) -> Turn:
        """Run a lab command or a shell line."""
        word = line.strip()
        if not word:
            return Turn("empty")
        in_instance = self.shell.session is not None
        if word == "restart":
            return self.restart()
        step_commands: dict[str, Callable[[], Turn]] = {
            "hint": self.hint,
            "show": self.show,
            "check": self.check,
            "skip": self.skip,
            "lab": self.instructions,
        }
        if word in step_commands and not self.finished:
            return step_commands[word]()
        if word == "quit" or (word == "exit" and not in_instance):
            return Turn("quit")
        if word in ("help", "?"):
            rows = "".join(f"  {name:<8} {what}\n" for name, what in LAB_COMMANDS.items())
            return Turn("help", "Lab commands:\n" + rows + "\n" + HELP)
        return self.command(line)

    def command(self, line: str, check: bool = True) -> Turn:
        """Run a shell line, then the step's checks; a failed command earns a nudge toward the step's goal."""
        result = self.shell.run_line(line)
        step = self.current
        if step is None:
            return Turn("command", result=result)
        word = line.split(maxsplit=1)[0] if line.strip() else ""
        if word in HOUSEKEEPING:
            return Turn("command", result=result)
        if result.exit_code == 127 and (meant := _meant(word)) is not None:
            # A typo of `hint` or `clear` is no failed attempt at the step: say what was meant instead of nudging.
            return Turn("command", result=result, nudge=f"Did you mean `{meant}`?")
        self.progress.lines.append(line)
        self.progress.results.append(result)
        if not check:
            return Turn("command", result=result)
        report, captured = self._evaluate(step)
        if report.passed:
            done = self._complete(step, captured, skipped=False)
            return Turn("command", result=result, report=report, completed=done)
        nudge = None
        if result.exit_code != 0:
            nudge = (
                self.text(step.nudge)
                if step.nudge
                else (
                    f"That did not work. This step's goal: {self.text(step.title)}. "
                    "Type `hint` for a hint or `show` for the command."
                )
            )
        return Turn("command", result=result, report=report, nudge=nudge)

    def check(self) -> Turn:
        """Check the step now and report each check."""
        step = self.current
        assert step is not None
        report, captured = self._evaluate(step)
        done = self._complete(step, captured, skipped=False) if report.passed else None
        return Turn("check", report=report, completed=done)

    def instructions(self) -> Turn:
        """The current step's instructions again."""
        step = self.current
        assert step is not None
        return Turn("lab", f"{self.text(step.title)}\n{self.text(step.instruction)}")

    def hint(self) -> Turn:
        """The next hint; after the last one, point at `show`."""
        step = self.current
        assert step is not None
        if self.progress.hints < len(step.hints):
            text = self.text(step.hints[self.progress.hints])
            self.progress.hints += 1
            return Turn("hint", f"Hint {self.progress.hints} of {len(step.hints)}: {text}")
        return Turn("hint", "No more hints for this step. Type `show` to see the command(s).")

    def show(self) -> Turn:
        """The step's reference command(s)."""
        return Turn("show", "\n".join(self.step_commands()))

    def skip(self) -> Turn:
        """Run the step's reference commands for the learner, so later steps still have what they need."""
        step = self.current
        assert step is not None
        ran = []
        for cmd in self.step_commands(step):
            result = self.shell.run_line(cmd)
            self.progress.lines.append(cmd)
            self.progress.results.append(result)
            ran.append((cmd, result))
        report, captured = self._evaluate(step)
        done = self._complete(step, captured, skipped=True) if report.passed else None
        return Turn("skip", ran=tuple(ran), report=report, completed=done)

    def restart(self) -> Turn:
        """A fresh account and step 1 (files in the scratch folder stay, like on a real laptop)."""
        self.shell.reset([], None)
        self.shell.vars.clear()
        self.values = apply_setup(self.world, self.lab.setup, self.scratch_dir)
        self.index = 0
        self.progress = StepProgress()
        self.skipped = []
        return Turn("restart", "A fresh simulated account; back to step 1.")

    # ----- inside ------------------------------------------------------------------------------------------------
    def context(self, captured: dict[str, str] | None = None) -> Context:
        """What the checks of the current step see (with the values it has captured so far)."""
        values = {**self.values, **(captured or {})}
        return Context(self.world, values, tuple(self.progress.results), tuple(self.progress.lines))

    def evaluate(self) -> tuple[CheckReport, dict[str, str]]:
        """The current step's captures (a missing one fails), then its checks, which may use them."""
        step = self.current
        assert step is not None
        captured: dict[str, str] = {}
        missing: list[CheckLine] = []
        for name, spec in step.capture.items():
            value = capture(spec, self.context(captured), self.shell.vars)
            if value is None:
                source = f"${spec.var}" if spec.var else ("the output" if spec.pattern else spec.field)
                missing.append(CheckLine(f"{{{name}}} can be read from {source}", False, "it is not there yet"))
            else:
                captured[name] = value
        report = evaluate(step.check, self.context(captured))
        return CheckReport(tuple(missing) + report.lines), captured

    def _evaluate(self, step: LabStep) -> tuple[CheckReport, dict[str, str]]:
        assert step is self.current
        return self.evaluate()

    def _complete(self, step: LabStep, captured: dict[str, str], skipped: bool) -> Completed:
        """Keep the captures and move to the next step."""
        self.values.update(captured)
        if skipped:
            self.skipped.append(step.id)
        done = Completed(
            self.index,
            self.text(step.title),
            self.text(step.explanation),
            captured,
            skipped,
            tuple(checkpoint_id(entry) for entry in step.checkpoint),
            self.index + 1 >= len(self.lab.steps),
        )
        self.index += 1
        self.progress = StepProgress()
        return done
