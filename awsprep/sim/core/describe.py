"""What every Describe/List operation shares: filters (`Name`/`Values`, wildcards, tags) and server-side
pagination (`MaxResults`/`NextToken`, within each operation's bounds). The CLI's `--max-items`/`--page-size`
work through botocore's paginators on top of these tokens, so a service gets them by paging here.

Services pass their own errors in (`Paging`), so each keeps AWS's wording for its API.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from awsprep.sim.core.errors import AwsError

T = TypeVar("T")
Extractor = Callable[[Any], Iterable[str | None]]


def filter_items(
    items: Iterable[T],
    filters: list[dict[str, Any]] | None,
    table: Mapping[str, Extractor],
    unknown: Callable[[str], AwsError],
) -> list[T]:
    """Keep items matching every filter (values OR'ed, filters AND'ed; `*` and `?` wildcards).

    `tag:Key`, `tag-key` and `tag-value` work for every item with a `tags` dict; any other name must be in
    `table`, else `unknown(name)` is raised.
    """
    checks: list[tuple[Extractor, list[str]]] = []
    for f in filters or []:
        name, values = f.get("Name", ""), [str(v) for v in f.get("Values", [])]
        if name.startswith("tag:"):
            checks.append((_tag_value(name[4:]), values))
        elif name == "tag-key":
            checks.append((lambda o: list(o.tags), values))
        elif name == "tag-value":
            checks.append((lambda o: list(o.tags.values()), values))
        elif name in table:
            checks.append((table[name], values))
        else:
            raise unknown(name)
    if not checks:
        return list(items)
    return [item for item in items if all(_matches(extract(item), values) for extract, values in checks)]


def _tag_value(key: str) -> Extractor:
    return lambda o: [o.tags.get(key)]


def _matches(found: Iterable[str | None], patterns: list[str]) -> bool:
    candidates = [str(v).lower() if isinstance(v, bool) else str(v) for v in found if v is not None]
    return any(fnmatch.fnmatchcase(c, p) for c in candidates for p in patterns)


@dataclass(frozen=True)
class Paging:
    """One operation's page bounds and the errors its service raises for bad paging parameters."""

    minimum: int
    maximum: int
    bad_max: Callable[[int, int, int], AwsError]  # (value, minimum, maximum)
    bad_token: Callable[[str], AwsError]


def encode_token(offset: int, salt: str = "") -> str:
    """An opaque NextToken for a position in a listing."""
    return base64.urlsafe_b64encode(f"awsprep:{salt}:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str, salt: str = "") -> int | None:
    """The position a token from `encode_token` stands for (None when it is not one of ours)."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, offset = text.rpartition(":")
    if prefix != f"awsprep:{salt}" or not offset.isdigit():
        return None
    return int(offset)


def paginate(
    items: Sequence[T], max_results: Any, next_token: Any, paging: Paging, salt: str = ""
) -> tuple[list[T], str | None]:
    """One page of `items` and the token of the next (None on the last page). Without `MaxResults`, everything
    from the token on (one page), as the services do."""
    start = 0
    if next_token:
        found = decode_token(str(next_token), salt)
        if found is None or found > len(items):
            raise paging.bad_token(str(next_token))
        start = found
    if max_results is None:
        return list(items[start:]), None
    size = int(max_results)
    if not paging.minimum <= size <= paging.maximum:
        raise paging.bad_max(size, paging.minimum, paging.maximum)
    end = start + size
    return list(items[start:end]), (encode_token(end, salt) if end < len(items) else None)
