"""Subscription filter policies (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html):
exact strings and numbers, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`, `numeric` ranges and
`exists`, on message attributes (the default scope) or on the keys of a JSON message body.

Every key of the policy must match (AND); any value in a key's list may match (OR). `$or` is not supported.
"""

from __future__ import annotations

import json
from typing import Any

from awsprep.sim.sns.errors import SNS_ERRORS as E

OPERATORS = {"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists"}
NUMERIC = {"=", "<", "<=", ">", ">="}


def _bad(reason: str) -> Exception:
    return E("InvalidParameter", what=f"FilterPolicy: {reason}")


def check_policy(text: str) -> dict[str, Any]:
    """A policy parsed and checked (InvalidParameter otherwise)."""
    try:
        policy = json.loads(text)
    except ValueError:
        raise _bad("failed to parse JSON.") from None
    if not isinstance(policy, dict) or not policy:
        raise _bad("Filter policy must be a non-empty JSON object")
    _check_node(policy)
    return policy


def _check_node(node: dict[str, Any]) -> None:
    for key, rules in node.items():
        if key == "$or":
            raise _bad("$or is not supported by the simulator")
        if isinstance(rules, dict):
            _check_node(rules)
            continue
        if not isinstance(rules, list) or not rules:
            raise _bad(f'"{key}" must be an object or an array')
        for rule in rules:
            if isinstance(rule, dict):
                if len(rule) != 1 or next(iter(rule)) not in OPERATORS:
                    raise _bad(f"Unrecognized match type {next(iter(rule), '')}")
                op, arg = next(iter(rule.items()))
                if op == "numeric" and not _numeric_ok(arg):
                    raise _bad("Value of numeric must be an array of operator and number pairs")
            elif not isinstance(rule, str | int | float | bool) and rule is not None:
                raise _bad(f"Match value must be String, number, true, false, or null: {rule!r}")


def _numeric_ok(arg: Any) -> bool:
    if not isinstance(arg, list) or len(arg) not in (2, 4):
        return False
    return all(
        arg[i] in NUMERIC and isinstance(arg[i + 1], int | float) and not isinstance(arg[i + 1], bool)
        for i in range(0, len(arg), 2)
    )


def _rule_matches(rule: Any, values: list[Any]) -> bool:
    """Whether one rule matches any of the values (an absent attribute is `values == []`)."""
    if isinstance(rule, dict):
        op, arg = next(iter(rule.items()))
        if op == "exists":
            return bool(values) == bool(arg)
        if not values:
            return False
        return any(_operator(op, arg, v) for v in values)
    return any(_equal(rule, v) for v in values)


def _equal(rule: Any, value: Any) -> bool:
    if isinstance(rule, int | float) and not isinstance(rule, bool):
        try:
            return float(value) == float(rule)
        except (TypeError, ValueError):
            return False
    return bool(rule == value)


def _operator(op: str, arg: Any, value: Any) -> bool:
    text = value if isinstance(value, str) else json.dumps(value)
    if op == "prefix":
        return text.startswith(str(arg))
    if op == "suffix":
        return text.endswith(str(arg))
    if op == "equals-ignore-case":
        return text.lower() == str(arg).lower()
    if op == "anything-but":
        if isinstance(arg, dict):
            return not _operator(next(iter(arg)), next(iter(arg.values())), value)
        excluded = arg if isinstance(arg, list) else [arg]
        return not any(_equal(x, value) for x in excluded)
    if op == "numeric":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return False
        checks: dict[str, Any] = {
            "=": number.__eq__,
            "<": number.__lt__,
            "<=": number.__le__,
            ">": number.__gt__,
            ">=": number.__ge__,
        }
        return all(bool(checks[arg[i]](float(arg[i + 1]))) for i in range(0, len(arg), 2))
    return False


def attribute_values(attributes: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    """Message attributes (API form) as the values a policy compares: a String.Array is its elements."""
    out: dict[str, list[Any]] = {}
    for name, attr in attributes.items():
        data_type = str(attr.get("DataType", "String"))
        value = attr.get("StringValue")
        if data_type == "String.Array":
            try:
                parsed = json.loads(str(value))
                out[name] = parsed if isinstance(parsed, list) else [parsed]
            except ValueError:
                out[name] = []
        elif data_type.startswith("Binary"):
            continue  # filter policies ignore binary attributes
        else:
            out[name] = [value]
    return out


def matches_attributes(policy: dict[str, Any], attributes: dict[str, dict[str, Any]]) -> bool:
    """Whether a message with these attributes passes the policy (MessageAttributes scope)."""
    values = attribute_values(attributes)
    return all(
        any(_rule_matches(r, values.get(key, [])) for r in rules)
        for key, rules in policy.items()
        if isinstance(rules, list)
    )


def matches_body(policy: dict[str, Any], body: Any) -> bool:
    """Whether a JSON message body passes the policy (MessageBody scope, keys nested as in the body)."""
    if not isinstance(body, dict):
        return False
    for key, rules in policy.items():
        present = key in body
        if isinstance(rules, dict):
            if not present or not matches_body(rules, body[key]):
                return False
            continue
        value = body.get(key)
        values = [] if not present else value if isinstance(value, list) else [value]
        if not any(_rule_matches(r, values) for r in rules):
            return False
    return True
