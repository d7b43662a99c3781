"""`AwsError`: an error carrying a real AWS code and message, raised by every simulated service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awsprep.errors import AwsprepError


class AwsError(AwsprepError):
    """A service error as AWS would return it: `code`, `message` and the HTTP status of the reply.

    The front ends turn it into botocore's `ClientError`, so the CLI prints
    `An error occurred (Code) when calling the X operation: message`.
    """

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields: dict[str, Any] = {}  # extra members of the error response (Lambda's throttle `Reason`)


class ErrorTable:
    """One table of error codes and message templates per service, so wording is fixed in one place.

    Keys are short names (several keys may share one AWS code, e.g. the three `IncorrectInstanceState`
    messages); values are `(code, template, status)` with `str.format` fields.

    Each service's `errors.py` is such a table. A duplicate scan pairs them line for line because they share a
    shape (key, code, message, status); what they share is the layout of data, not logic, so they stay per
    service: each holds its own service's wording.
    """

    def __init__(self, entries: Mapping[str, tuple[str, str, int]]) -> None:
        self._entries = dict(entries)

    def __call__(self, key: str, **fields: object) -> AwsError:
        code, template, status = self._entries[key]
        return AwsError(code, template.format(**fields), status)

    def keys(self) -> list[str]:
        """Every key of the table (tests walk them)."""
        return list(self._entries)

    def code(self, key: str) -> str:
        """The AWS error code behind `key`."""
        return self._entries[key][0]
