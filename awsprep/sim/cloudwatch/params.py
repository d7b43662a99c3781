"""Parsing and checking CloudWatch parameters the way the service does (botocore checks only types and
required members; ranges and enums come back from the service as InvalidParameterValue)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from awsprep.sim.cloudwatch.errors import CW_ERRORS as E

UNITS = (
    *("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes"),
    *("Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second"),
    *("Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second"),
    *("Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"),
)
MAX_DIMENSIONS = 30


def seconds(value: Any, name: str) -> float:
    """A timestamp parameter (datetime from botocore, ISO text or epoch seconds) as simulated seconds."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=value.tzinfo or dt.UTC).timestamp()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise E("InvalidParameterValue", message=f"The parameter {name} must be a timestamp.") from None
    return parsed.replace(tzinfo=parsed.tzinfo or dt.UTC).timestamp()


def dimensions(raw: Any, where: str) -> dict[str, str]:
    """`[{Name, Value}]` as a dict; duplicates and more than 30 are refused."""
    items = list(raw or [])
    if len(items) > MAX_DIMENSIONS:
        raise E(
            "InvalidParameterValue",
            message=f"The collection {where} must not have a size greater than {MAX_DIMENSIONS}.",
        )
    out: dict[str, str] = {}
    for i, d in enumerate(items, 1):
        name, value = str(d.get("Name", "")), d.get("Value")
        if not name:
            raise E("InvalidParameterValue", message=f"The parameter {where}.member.{i}.Name is required.")
        if value is None or value == "":
            raise E("InvalidParameterValue", message=f"The parameter {where}.member.{i}.Value is required.")
        if name in out:
            raise E(
                "InvalidParameterValue",
                message=f"No Metric may specify the same dimension twice. The conflicting dimension is: {name}",
            )
        out[name] = str(value)
    return out


def dims_list(dims: dict[str, str]) -> list[dict[str, str]]:
    """A dimension dict back in the API's form."""
    return [{"Name": k, "Value": v} for k, v in dims.items()]


def unit(value: Any, where: str) -> str | None:
    """A StandardUnit (None when not given)."""
    if value is None:
        return None
    if value not in UNITS:
        raise E("InvalidParameterValue", message=f"The parameter {where} must be a value in the set {list(UNITS)}.")
    return str(value)


def number(value: Any, where: str) -> float:
    """A finite double."""
    out = float(value)
    if math.isnan(out) or math.isinf(out):
        raise E("InvalidParameterValue", message=f"The value {value} for parameter {where} is invalid.")
    return out


def query_period(period: Any, high_res: bool = True) -> int:
    """GetMetricStatistics/GetMetricData Period: 1, 5, 10, 30 (high resolution) or a multiple of 60."""
    p = int(period)
    if p in (1, 5, 10, 30) and high_res:
        return p
    if p < 60 or p % 60:
        raise E("InvalidParameterValue", message="The parameter Period must be a multiple of 60.")
    return p


def alarm_period(period: Any) -> int:
    """PutMetricAlarm Period: 10, 20, 30 or any multiple of 60 (API_PutMetricAlarm.html)."""
    if period is None:
        raise E("ValidationError", message="Period must not be null")
    p = int(period)
    if p in (10, 20, 30) or (p >= 60 and p % 60 == 0):
        return p
    raise E(
        "ValidationError",
        message=f"Invalid value {p} for parameter Period: the period must be 10, 20, 30 or a multiple of 60.",
    )
