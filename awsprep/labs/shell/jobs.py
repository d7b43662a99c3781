"""Background jobs of the laptop shell: `curl URL &` sends its request now and completes on the simulated clock.

Everything else a learner types finishes at once, so a line ending in `&` runs in the foreground (bash's
`[1] PID` line is still shown). A single `curl` is the exception, because a request that is still on its way
is what the lessons are about: deregister its target, or stop its instance, and watch the load balancer cut
it (a 502) or let it finish while the target drains. As in bash, a job's output appears once it has
arrived, followed at the next prompt by `[1]+  Done  …`; a bare `wait` moves the clock until every job is
complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from awsprep.labs.shell.base import Result
from awsprep.labs.shell.curlcmd import Pending
from awsprep.labs.shell.parse import ParseError, Unsupported, split_list

FIRST_PID = 4243  # bash's `[1] 4243`: any number will do, it only has to grow


@dataclass
class Job:
    """One background job: its number (`%1`), its command line and what it is waiting for."""

    number: int
    text: str
    pending: Pending


@dataclass
class Jobs:
    """The laptop's job table."""

    table: list[Job] = field(default_factory=list)
    collecting: list[Pending] | None = None  # set while a background `curl` runs: it appends its Pending here
    last_pid: int = FIRST_PID - 1

    def start(self, text: str, run: Callable[[str], Result]) -> Result | None:
        """Run `text` (the part before `&`) as a background job when it is one `curl`; None otherwise."""
        try:
            parts = split_list(text)
        except (ParseError, Unsupported):
            return None
        if len(parts) != 1 or parts[0][0].split(maxsplit=1)[:1] != ["curl"]:
            return None
        self.collecting = []
        try:
            result = run(text)
        finally:
            pending, self.collecting = self.collecting, None
        self.last_pid += 1
        if not pending:  # curl refused its arguments: it is over already
            return Result(result.exit_code, f"[1] {self.last_pid}\n" + result.stdout, result.stderr)
        number = 1 + max((job.number for job in self.table), default=0)
        self.table.append(Job(number, text.strip(), pending[0]))
        return Result(0, f"[{number}] {self.last_pid}\n" + result.stdout, result.stderr)

    def reap(self, now: float, result: Result) -> Result:
        """`result` followed by the output of every job complete at `now`, and bash's Done/Exit lines."""
        out, err = [result.stdout], [result.stderr]
        for job in list(self.table):
            done = job.pending.finish(now)
            if done is None:
                continue
            self.table.remove(job)
            out.append(done.stdout)
            err.append(done.stderr)
            word = "Done" if done.exit_code == 0 else f"Exit {done.exit_code}"
            out.append(f"[{job.number}]+  {word:<24}{job.text}\n")
        if len(out) == 1:
            return result
        return Result(result.exit_code, "".join(out), "".join(err), result.notes)

    def latest_end(self) -> float | None:
        """When the last job completes if nothing cuts it (what a bare `wait` waits for)."""
        return max((job.pending.ends for job in self.table), default=None)
