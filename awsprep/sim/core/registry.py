"""The process-wide list of services a `World()` gets by default, and the ones that are planned but not built.

`awsprep/sim/services.py` fills it (the one place that names the built services); the core only reads it.
This is the single answer to "what does awsprep simulate?" for the world, the CLI front end and its help.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.service import ServiceSpec

H = TypeVar("H")

_DEFAULT: dict[str, ServiceSpec] = {}
_PLANNED: dict[str, str] = {}  # botocore name -> the service's name for people


def register(spec: ServiceSpec) -> None:
    """Make `spec` part of every `World()` built without an explicit service list."""
    _DEFAULT[spec.name] = spec
    _PLANNED.pop(spec.name, None)


def plan(name: str, title: str) -> None:
    """Name a service that is coming but not built yet (its calls say so, honestly)."""
    if name not in _DEFAULT:
        _PLANNED[name] = title


def default_specs() -> list[ServiceSpec]:
    """The registered services, in registration order."""
    return list(_DEFAULT.values())


def simulated() -> frozenset[str]:
    """botocore names of the services awsprep simulates."""
    return frozenset(_DEFAULT)


def planned() -> dict[str, str]:
    """Services that are planned but not simulated yet."""
    return dict(_PLANNED)


def not_simulated_message(service: str, operation: str | None = None) -> str:
    """The one honest line for a service (or an operation) awsprep does not simulate."""
    what = f"{service} {operation}" if operation else service
    if service in _PLANNED:
        return f"awsprep does not simulate {what} yet: {_PLANNED[service]} ({service}) is planned."
    if service in _DEFAULT and operation:
        return f"awsprep does not simulate {what}: the {service} simulator has no {operation} operation."
    return f"awsprep does not simulate {what}."


def handler_for(service: str, operations: Mapping[str, H], operation: str) -> H:
    """A backend's handler of `operation`: every service dispatches through here, so an operation it lacks is the
    same honest `UnsupportedOperation` line everywhere."""
    handler = operations.get(operation)
    if handler is None:
        raise AwsError("UnsupportedOperation", not_simulated_message(service, operation))
    return handler
