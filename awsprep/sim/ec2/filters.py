"""`--filters Name=…,Values=…` for Describe* calls: one extractor table per resource type, wildcards allowed."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from awsprep.sim.ec2.errors import EC2_ERRORS as E

T = TypeVar("T")
Extractor = Callable[[Any], Iterable[str | None]]


def apply(items: Iterable[T], filters: list[dict[str, Any]] | None, table: Mapping[str, Extractor]) -> list[T]:
    """Keep items matching every filter (values OR'ed, filters AND'ed), as EC2 does.

    `tag:Key`, `tag-key` and `tag-value` work for every resource with a `tags` dict. An unknown filter
    name is the same InvalidParameterValue AWS returns.
    """
    checks: list[tuple[Extractor, list[str]]] = []
    for f in filters or []:
        name, values = f.get("Name", ""), [str(v) for v in f.get("Values", [])]
        if name.startswith("tag:"):
            key = name[4:]
            checks.append((_tag_value(key), values))
        elif name == "tag-key":
            checks.append((lambda o: list(o.tags), values))
        elif name == "tag-value":
            checks.append((lambda o: list(o.tags.values()), values))
        elif name in table:
            checks.append((table[name], values))
        else:
            raise E("InvalidParameterValue.Filter", name=name)
    if not checks:
        return list(items)
    return [item for item in items if all(_matches(extract(item), values) for extract, values in checks)]


def _tag_value(key: str) -> Extractor:
    return lambda o: [o.tags.get(key)]


def _matches(found: Iterable[str | None], patterns: list[str]) -> bool:
    candidates = [str(v).lower() if isinstance(v, bool) else str(v) for v in found if v is not None]
    return any(fnmatch.fnmatchcase(c, p) for c in candidates for p in patterns)
