"""`--filters Name=…,Values=…` for Describe* calls (one extractor table per resource type, wildcards allowed)
and server-side pagination, both through `core.describe` with EC2's own error wording.

The Describe* handlers (responses_*.py) look alike: pick items by id or take all, then `apply` a table of
extractors. They are not folded into one generic handler on purpose: the shared part is already here and in
`core.describe` (one call each), while what differs — which id lists an operation takes (and whether a second
list such as PublicIps or GroupNames replaces the first), the not-found error of each id, the extractor table
and the response key — is most of each handler, and one generic handler would take all of it as parameters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from awsprep.sim.core import describe
from awsprep.sim.core.describe import Extractor, Paging
from awsprep.sim.ec2.errors import EC2_ERRORS as E

T = TypeVar("T")

__all__ = ["Extractor", "apply", "paging"]


def apply(items: Iterable[T], filters: list[dict[str, Any]] | None, table: Mapping[str, Extractor]) -> list[T]:
    """Keep items matching every filter, as EC2 does; an unknown filter name is AWS's InvalidParameterValue."""
    return describe.filter_items(items, filters, table, lambda name: E("InvalidParameterValue.Filter", name=name))


def paging(minimum: int, maximum: int) -> Paging:
    """EC2's MaxResults bounds for one operation, with EC2's errors."""
    return Paging(
        minimum,
        maximum,
        lambda value, lo, hi: E("Paging.MaxResults", value=value, lo=lo, hi=hi),
        lambda token: E("Paging.Token", token=token),
    )
