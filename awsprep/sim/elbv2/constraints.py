"""The limits the ELBv2 API model declares on parameters (botocore's `min`/`max`), checked as the service does.

botocore checks only minimums on the client (spec §0), so `--health-check-interval-seconds 301` or
`--priority 50001` reach the service, which answers with its framework's message:
`1 validation error detected: Value '301' at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member
must have value less than or equal to 300` (recorded from AWS for CreateTargetGroup, e.g. cfn-lint PR #807).
Member names are lower camel case; list members are named `rulePriorities.1.member.priority` as other query
services name them [INF for the nested form]. The table is the model's (botocore 1.44 elbv2 service-2.json),
written out here because the simulator never imports botocore.
"""

from __future__ import annotations

from typing import Any

from awsprep.sim.elbv2.errors import ELB_ERRORS as E

# (path, kind, low, high): a path is dotted member names; `[]` marks a list whose items are checked.
Limit = tuple[str, str, int, int]

_HEALTH: tuple[Limit, ...] = (
    ("HealthCheckIntervalSeconds", "value", 5, 300),
    ("HealthCheckTimeoutSeconds", "value", 2, 120),
    ("HealthyThresholdCount", "value", 2, 10),
    ("UnhealthyThresholdCount", "value", 2, 10),
    ("HealthCheckPath", "length", 1, 1024),
)


def _actions(member: str) -> tuple[Limit, ...]:
    return (
        (f"{member}[].Order", "value", 1, 50000),
        (f"{member}[].RedirectConfig.Host", "length", 1, 128),
        (f"{member}[].RedirectConfig.Path", "length", 1, 128),
        (f"{member}[].RedirectConfig.Query", "length", 0, 128),
        (f"{member}[].FixedResponseConfig.MessageBody", "length", 0, 1024),
        (f"{member}[].FixedResponseConfig.ContentType", "length", 0, 32),
    )


_PAGE: tuple[Limit, ...] = (("PageSize", "value", 1, 400),)
_TARGETS: tuple[Limit, ...] = (("Targets[].Port", "value", 1, 65535),)

LIMITS: dict[str, tuple[Limit, ...]] = {
    "CreateTargetGroup": (("Port", "value", 1, 65535), *_HEALTH),
    "ModifyTargetGroup": _HEALTH,
    "CreateRule": (("Priority", "value", 1, 50000), *_actions("Actions")),
    "ModifyRule": _actions("Actions"),
    "SetRulePriorities": (("RulePriorities[].Priority", "value", 1, 50000),),
    "CreateListener": (("Port", "value", 1, 65535), *_actions("DefaultActions")),
    "ModifyListener": (("Port", "value", 1, 65535), *_actions("DefaultActions")),
    "RegisterTargets": _TARGETS,
    "DeregisterTargets": _TARGETS,
    "DescribeTargetHealth": _TARGETS,
    "DescribeLoadBalancers": _PAGE,
    "DescribeTargetGroups": _PAGE,
    "DescribeListeners": _PAGE,
    "DescribeRules": _PAGE,
}


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _values(params: Any, parts: list[str], where: str) -> list[tuple[str, Any]]:
    """Every (wire name, value) the path reaches in `params`."""
    if not parts:
        return [(where, params)]
    if not isinstance(params, dict):
        return []
    head, rest = parts[0], parts[1:]
    is_list = head.endswith("[]")
    key = head[:-2] if is_list else head
    if params.get(key) is None:
        return []
    name = f"{where}.{_camel(key)}" if where else _camel(key)
    if not is_list:
        return _values(params[key], rest, name)
    found: list[tuple[str, Any]] = []
    for i, item in enumerate(params[key] if isinstance(params[key], list) else [], start=1):
        found += _values(item, rest, f"{name}.{i}.member")
    return found


def _violation(kind: str, value: Any, low: int, high: int) -> str | None:
    if kind == "length":
        size = len(str(value))
        if size < low:
            return f"Member must have length greater than or equal to {low}"
        return f"Member must have length less than or equal to {high}" if size > high else None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None  # a type botocore would have refused; the operation's own checks report it
    if number < low:
        return f"Member must have value greater than or equal to {low}"
    return f"Member must have value less than or equal to {high}" if number > high else None


# The Classic Load Balancer API (`aws elb`, botocore's elb model) checks its health check the same way.
CLASSIC_LIMITS: dict[str, tuple[Limit, ...]] = {
    "ConfigureHealthCheck": (
        ("HealthCheck.Interval", "value", 5, 300),
        ("HealthCheck.Timeout", "value", 2, 60),
        ("HealthCheck.UnhealthyThreshold", "value", 2, 10),
        ("HealthCheck.HealthyThreshold", "value", 2, 10),
    ),
}


def check(operation: str, params: dict[str, Any], limits: dict[str, tuple[Limit, ...]] | None = None) -> None:
    """Raise the service's ValidationError when a parameter breaks a limit of the model (ELBv2's by default)."""
    problems: list[str] = []
    for path, kind, low, high in (LIMITS if limits is None else limits).get(operation, ()):
        for name, value in _values(params, path.split("."), ""):
            broken = _violation(kind, value, low, high)
            if broken is not None:
                problems.append(f"Value '{value}' at '{name}' failed to satisfy constraint: {broken}")
    if problems:
        count = len(problems)
        noun = "validation error" if count == 1 else "validation errors"
        raise E("Validation", message=f"{count} {noun} detected: " + "; ".join(problems))
