"""GetMetricData's metric math, the basic part: arithmetic over other queries' ids and numbers
(`m1 + m2`, `(m1 / m2) * 100`, `m1 / 60`). Functions (SUM(METRICS()), FILL, RATE, …) are not simulated and
say so. Time series combine timestamp by timestamp, as CloudWatch's do; a timestamp missing from one operand
is left out, and division by zero gives no value there."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable

from awsprep.sim.cloudwatch.errors import CW_ERRORS as E

Series = dict[float, float]
Value = Series | float
_OPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate_expression(text: str, series: dict[str, Series]) -> Series:
    """The time series an expression gives."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise E("ValidationError", message=f"Syntax error in the metric math expression: {text}") from None
    value = _eval(tree.body, series, text)
    if isinstance(value, dict):
        return value
    raise E("ValidationError", message=f"The metric math expression {text} must return a time series.")


def _eval(node: ast.expr, series: dict[str, Series], text: str) -> Value:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in series:
            raise E("ValidationError", message=f"Unknown metric id {node.id} in the expression {text}.")
        return series[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _eval(node.operand, series, text)
        return {t: -v for t, v in inner.items()} if isinstance(inner, dict) else -inner
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _combine(_OPS[type(node.op)], _eval(node.left, series, text), _eval(node.right, series, text))
    raise E(
        "ValidationError",
        message=f"awsprep simulates arithmetic metric math only (ids, numbers, + - * /), not: {text}",
    )


def _apply(fn: Callable[[float, float], float], a: float, b: float) -> float | None:
    try:
        return fn(a, b)
    except ZeroDivisionError:
        return None


def _combine(fn: Callable[[float, float], float], left: Value, right: Value) -> Value:
    if isinstance(left, dict) and isinstance(right, dict):
        pairs = {t: _apply(fn, left[t], right[t]) for t in left if t in right}
    elif isinstance(left, dict):
        pairs = {t: _apply(fn, v, float(right)) for t, v in left.items()}  # type: ignore[arg-type]
    elif isinstance(right, dict):
        pairs = {t: _apply(fn, float(left), v) for t, v in right.items()}
    else:
        return fn(left, right)
    return {t: v for t, v in pairs.items() if v is not None}
