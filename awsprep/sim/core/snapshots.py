"""Snapshot format versions and the migrations between them.

Version 1 (before the service-neutral core) kept denied actions as one list for the learner; version 2 keeps
them per principal, adds named event subscriptions, recurring timers and the metric store. A snapshot older than
version 1 or newer than this one is refused with one line, never a traceback.
"""

from __future__ import annotations

from typing import Any

from awsprep.errors import AwsprepError

SNAPSHOT_VERSION = 2


class SnapshotError(AwsprepError, ValueError):
    """A saved world this version cannot load (older or newer format, or damaged)."""


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise SnapshotError("the saved world cannot be read (no meta)")
    denied = meta.pop("denied_actions", [])
    meta["denied"] = {"user/learner": list(denied)} if denied else {}
    meta.setdefault("subscriptions", [])
    data.setdefault("metrics", {"series": {}})
    data["version"] = 2
    return data


_MIGRATIONS = {1: _v1_to_v2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a snapshot to the current version (in place), or raise `SnapshotError`."""
    if not isinstance(data, dict):
        raise SnapshotError("the saved world is not a snapshot")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise SnapshotError("the saved lab was made by an older version of awsprep and cannot be loaded")
    if version > SNAPSHOT_VERSION:
        raise SnapshotError("the saved lab was made by a newer version of awsprep; upgrade awsprep to load it")
    while version < SNAPSHOT_VERSION:
        data = _MIGRATIONS[version](data)
        version = data["version"]
    return data
