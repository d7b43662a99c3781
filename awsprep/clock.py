"""The one place that reads the wall clock. Logic receives times from here as arguments.

`AWSPREP_NOW` (ISO 8601, e.g. 2026-12-01T09:00:00+00:00) pins "now" for reproducible runs and tests.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime


def now() -> datetime:
    pinned = os.environ.get("AWSPREP_NOW")
    if pinned:
        when = datetime.fromisoformat(pinned)
        return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return datetime.now(UTC)


def now_ms() -> int:
    return int(now().timestamp() * 1000)


def utc_offset_minutes() -> int:
    """The local offset from UTC now, stored with each review so day boundaries survive travel."""
    return -time.timezone // 60 if not time.localtime().tm_isdst else -time.altzone // 60


def monotonic() -> float:
    return time.monotonic()
