"""Which resource and usage kinds lab checks may name. The simulator's services define them (each registers its
own), but content must not import the simulator, so the labs layer tells this module once (`labs.kinds.install`)
and the cross-file check uses it when set. Unset, only the spelling is checked (the schema's pattern)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabKinds:
    """Resource kinds (`instance`, `target_group`, …) and bill usage kinds (`instance`, `ebs`, …)."""

    resources: frozenset[str]
    usages: frozenset[str]


_KNOWN: list[LabKinds] = []


def set_known(kinds: LabKinds) -> None:
    """Use `kinds` for every later validation."""
    _KNOWN[:] = [kinds]


def known() -> LabKinds | None:
    """The kinds set by the labs layer, if any."""
    return _KNOWN[0] if _KNOWN else None
