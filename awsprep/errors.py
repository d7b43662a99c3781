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
        count = sum(getattr(p, "count", 1) for p in problems)  # a capped list's last line counts the rest
        super().__init__(f"{count:,} content problem{'s' if count != 1 else ''} found")


class StoreError(AwsprepError):
    """The progress database cannot be used as it is (locked, corrupt, too new, unwritable)."""
