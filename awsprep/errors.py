"""The one exception family. The CLI catches `AwsprepError` in one place and prints a single line."""

from __future__ import annotations

from collections.abc import Sequence


class AwsprepError(Exception):
    """A problem the learner can act on. `exit_code` follows the CLI conventions (1 failure, 2 usage)."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class UsageError(AwsprepError):
    exit_code = 2


class ContentError(AwsprepError):
    """Content did not validate; `problems` holds every `path:line:col: field: message` line."""

    def __init__(self, problems: Sequence[object]) -> None:
        self.problems = [str(p) for p in problems]
        count = sum(_stands_for(p) for p in problems)
        super().__init__(f"{count:,} content problem{'s' if count != 1 else ''} found")


def _stands_for(problem: object) -> int:
    """How many problems one line stands for: a capped list's last line ("… and 24,990 more") counts the rest."""
    count = getattr(problem, "count", 1)
    return count if isinstance(count, int) else 1  # str.count is a method, not a count


class StoreError(AwsprepError):
    """The progress database cannot be used as it is (locked, corrupt, too new, unwritable)."""
