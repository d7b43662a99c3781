"""Whether a queue's access policy lets another service send to it (SNS topics deliver only when it does,
as on AWS: without a statement allowing `sqs:SendMessage` for the topic, its messages are not delivered).

A small evaluator for the statements such policies use: Allow (an explicit Deny wins), principal `*`,
`{"AWS": "*"}`, the account or `{"Service": "sns.amazonaws.com"}`, action `sqs:SendMessage`/`sqs:*`/`*`,
the queue's ARN (wildcards allowed), and `aws:SourceArn`/`aws:SourceAccount` conditions under
ArnEquals/ArnLike/StringEquals/StringLike. Any other condition makes the statement not apply.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

CONDITIONS = {"arnequals", "arnlike", "stringequals", "stringlike"}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _principal_ok(principal: Any, service: str, account: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    aws = [str(p) for p in _listed(principal.get("AWS", []))]
    if "*" in aws or account in aws or f"arn:aws:iam::{account}:root" in aws:
        return True
    return service in [str(s) for s in _listed(principal.get("Service", []))]


def _conditions_ok(conditions: Any, source_arn: str, account: str) -> bool:
    if not conditions:
        return True
    if not isinstance(conditions, dict):
        return False
    for op, tests in conditions.items():
        if op.lower() not in CONDITIONS or not isinstance(tests, dict):
            return False
        for key, wanted in tests.items():
            actual = {"aws:sourcearn": source_arn, "aws:sourceaccount": account, "aws:sourceowner": account}.get(
                key.lower()
            )
            if actual is None:
                return False
            patterns = [str(w) for w in _listed(wanted)]
            like = op.lower().endswith("like")
            if not any(fnmatch.fnmatchcase(actual, p) if like else actual == p for p in patterns):
                return False
    return True


def allows(policy_text: str, queue_arn: str, service: str, source_arn: str, account: str) -> bool:
    """Whether `service` (sns.amazonaws.com) acting for `source_arn` may SendMessage to the queue."""
    if not policy_text:
        return False
    try:
        statements = _listed(json.loads(policy_text).get("Statement", []))
    except (ValueError, AttributeError):
        return False
    allowed = False
    for st in statements:
        if not isinstance(st, dict):
            continue
        actions = [str(a).lower() for a in _listed(st.get("Action", []))]
        if not any(a in ("sqs:sendmessage", "sqs:*", "*") for a in actions):
            continue
        resources = [str(r) for r in _listed(st.get("Resource", "*"))]
        if not any(fnmatch.fnmatchcase(queue_arn, r) for r in resources):
            continue
        if not _principal_ok(st.get("Principal"), service, account):
            continue
        if not _conditions_ok(st.get("Condition"), source_arn, account):
            continue
        if st.get("Effect") == "Deny":
            return False
        if st.get("Effect") == "Allow":
            allowed = True
    return allowed
