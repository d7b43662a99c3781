"""Dataclass trees to JSON-ready dicts and back, driven by type hints, for `World.snapshot()`/`restore()`.

Supported field types: str, int, float, bool, None, `X | None`, `list[X]`, `dict[str, X]`, nested
dataclasses, and enums. State classes use nothing else, which keeps snapshots portable JSON.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

T = TypeVar("T")

JsonValue = Any  # JSON-ready data: dict/list/str/int/float/bool/None


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def dump(obj: object) -> JsonValue:
    """Convert a state object (dataclass, list, dict, scalar) to JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: dump(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list):
        return [dump(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): dump(v) for k, v in obj.items()}
    if isinstance(obj, enum.Enum):
        return obj.value
    return obj


def load(tp: Any, data: JsonValue) -> Any:
    """Rebuild an object of type `tp` from `dump`'s output; raises `TypeError` on a shape mismatch."""
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        if data is None:
            return None
        inner = [a for a in get_args(tp) if a is not type(None)]
        return load(inner[0], data)
    if origin is list:
        (item,) = get_args(tp)
        if not isinstance(data, list):
            raise TypeError(f"expected a list, got {type(data).__name__}")
        return [load(item, v) for v in data]
    if origin is dict:
        _, value = get_args(tp)
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, got {type(data).__name__}")
        return {k: load(value, v) for k, v in data.items()}
    if tp is Any or tp is object:
        return data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {tp.__name__}")
        hints = _hints(tp)
        kwargs = {f.name: load(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data}
        return tp(**kwargs)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(data)
    if tp is float and isinstance(data, int):
        return float(data)
    if isinstance(tp, type) and not isinstance(data, tp):
        raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
    return data
