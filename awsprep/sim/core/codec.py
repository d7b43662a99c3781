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


_SCALARS = (str, int, float, bool, type(None))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def dump(obj: object) -> JsonValue:
    """Convert a state object (dataclass, list, dict, scalar) to JSON-ready data."""
    if isinstance(obj, _SCALARS) and not isinstance(obj, enum.Enum):  # most values: no further checks
        return obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {name: dump(getattr(obj, name)) for name in _field_names(type(obj))}
    if isinstance(obj, list):
        return [dump(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): dump(v) for k, v in obj.items()}
    if isinstance(obj, enum.Enum):
        return obj.value
    return obj


def load(tp: Any, data: JsonValue) -> Any:
    """Rebuild an object of type `tp` from `dump`'s output; raises `TypeError` on a shape mismatch."""
    return _loader(tp)(data)


@cache
def _loader(tp: Any) -> Any:
    """A loader for one type, worked out once from its hints (a snapshot of 1,000 instances asks the same
    questions of every instance; reading the hints per value made restore slower than the old format's)."""
    origin = get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        inner_load = _lazy(next(a for a in get_args(tp) if a is not type(None)))
        return lambda data: None if data is None else inner_load()(data)
    if origin is list:
        (item,) = get_args(tp)
        item_load = _lazy(item)

        def load_list(data: JsonValue) -> Any:
            if not isinstance(data, list):
                raise TypeError(f"expected a list, got {type(data).__name__}")
            one = item_load()
            return [one(v) for v in data]

        return load_list
    if origin is dict:
        _, value = get_args(tp)
        value_load = _lazy(value)

        def load_dict(data: JsonValue) -> Any:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object, got {type(data).__name__}")
            one = value_load()
            return {k: one(v) for k, v in data.items()}

        return load_dict
    if tp is Any or tp is object:
        return lambda data: data
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        cls: Any = tp
        hints = _hints(cls)
        fields = [(name, _lazy(hints[name])) for name in _field_names(cls)]

        def load_dataclass(data: JsonValue) -> Any:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object for {cls.__name__}")
            return cls(**{name: get()(data[name]) for name, get in fields if name in data})

        return load_dataclass
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if tp is float:
        return lambda data: float(data) if isinstance(data, int) else _check(float, data)
    if isinstance(tp, type):
        return lambda data: _check(tp, data)
    return lambda data: data


def _check(tp: type, data: JsonValue) -> Any:
    if not isinstance(data, tp):
        raise TypeError(f"expected {tp.__name__}, got {type(data).__name__}")
    return data


def _lazy(tp: Any) -> Any:
    """The loader of `tp`, looked up on first use (a dataclass may refer to itself)."""
    found: list[Any] = []

    def get() -> Any:
        if not found:
            found.append(_loader(tp))
        return found[0]

    return get
