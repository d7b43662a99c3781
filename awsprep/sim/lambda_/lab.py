"""Fields lab checks can read on a `function` resource (by name)."""

from __future__ import annotations

from typing import Any


def _envs(world: Any, region: str, fn: Any) -> int:
    from awsprep.sim.lambda_.fleet import fleet

    return len(fleet(world).of_function(region, fn.name))


FIELDS: dict[str, Any] = {
    "state": lambda w, r, fn: fn.latest.state if w.now < fn.latest.ready_at else "Active",
    "version_count": lambda w, r, fn: len(fn.versions),
    "alias_count": lambda w, r, fn: len(fn.aliases),
    "reserved_concurrency": lambda w, r, fn: fn.reserved,
    "memory": lambda w, r, fn: fn.latest.memory,
    "timeout": lambda w, r, fn: fn.latest.timeout,
    "layer_count": lambda w, r, fn: len(fn.latest.layers),
    "environment_count": _envs,
}
