"""Events: something observable happened in one service; other services and the guest OS react to it.

Who reacts is part of the world, not of the Python process: services declare handlers in their `ServiceSpec`,
and anything else (the labs' cloud-init) subscribes by *name* (`module:function` under `awsprep.`), which the
world keeps in its state. A snapshot, `restore` or `World.load` therefore gives back a world that delivers the
same events to the same handlers. Delivery order is fixed: service handlers in registration order, then named
subscriptions in the order they were made, then transient watchers (`World.watch`, never saved).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(frozen=True)
class SimEvent:
    """Something observable happened (e.g. an instance reached `running`).

    `kind` values from EC2: `instance-state` (detail: previous, current, first_boot) and `instance-reboot`.
    """

    kind: str
    service: str
    region: str
    resource_id: str
    detail: dict[str, Any]


@dataclass
class Subscription:
    """A named handler (`awsprep.labs.cloudinit:on_event`) for some event kinds (empty: every kind)."""

    handler: str
    kinds: list[str] = field(default_factory=list)

    def wants(self, kind: str) -> bool:
        """Whether this subscription receives events of `kind`."""
        return not self.kinds or kind in self.kinds


class UnknownHandler(ValueError):
    """A subscription names a handler this version of awsprep does not have."""


@cache
def resolve(name: str) -> Callable[..., Any]:
    """The function a subscription names. Only awsprep's own modules: a saved world never imports anything else."""
    module, _, attr = name.partition(":")
    if not (module == "awsprep" or module.startswith("awsprep.")) or not attr:
        raise UnknownHandler(f"not an awsprep handler: {name!r}")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        raise UnknownHandler(f"no handler {name!r} in this version of awsprep") from None
    if not callable(fn):
        raise UnknownHandler(f"not a function: {name!r}")
    return fn  # type: ignore[no-any-return]


def handler_name(fn: Callable[..., Any]) -> str:
    """The name under which a module-level function can be subscribed."""
    return f"{fn.__module__}:{fn.__qualname__}"
