"""Listener rules and actions: validation with AWS's errors and quotas, priorities (spec §1.2, §4)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from awsprep.sim.elbv2 import catalog
from awsprep.sim.elbv2.errors import ELB_ERRORS as E
from awsprep.sim.elbv2.models import forward_targets
from awsprep.sim.elbv2.state import Listener, LoadBalancer, Rule

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

CONDITION_CONFIG = {
    "host-header": "HostHeaderConfig",
    "path-pattern": "PathPatternConfig",
    "http-header": "HttpHeaderConfig",
    "http-request-method": "HttpRequestMethodConfig",
    "query-string": "QueryStringConfig",
    "source-ip": "SourceIpConfig",
}
_ONCE = ("host-header", "http-request-method", "path-pattern", "source-ip")
_TERMINAL = ("forward", "redirect", "fixed-response")
FIXED_TYPES = ("text/plain", "text/css", "text/html", "application/javascript", "application/json")


def _values(cond: dict[str, Any]) -> list[Any]:
    field = cond.get("Field", "")
    config = cond.get(CONDITION_CONFIG.get(field, ""), {})
    return list(config.get("Values") or cond.get("Values") or [])


def check_conditions(conditions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate a rule's conditions and return them in the form AWS echoes (Values and the *Config block)."""
    out: list[dict[str, Any]] = []
    seen: list[str] = []
    evaluations = 0
    wildcards = 0
    for cond in conditions:
        field = cond.get("Field")
        if field not in CONDITION_CONFIG:
            raise E("Validation", message=f"Condition field '{field}' must be one of [{', '.join(CONDITION_CONFIG)}]")
        if field in _ONCE and field in seen:
            raise E("Validation", message=f"A rule can only have one '{field}' condition")
        seen.append(field)
        values = _values(cond)
        if not values:
            raise E("Validation", message=f"A '{field}' condition must have at least one value")
        evaluations += len(values)
        texts = [v.get("Value", "") + (v.get("Key") or "") if isinstance(v, dict) else str(v) for v in values]
        if field not in {"source-ip", "http-request-method"}:
            wildcards += sum(t.count("*") + t.count("?") for t in texts)
        if field == "source-ip" and "255.255.255.255/32" in texts:
            raise E("Validation", message="The source IP '255.255.255.255/32' is not allowed")
        if field == "host-header":
            for t in texts:
                if "." not in t and "*" not in t:
                    raise E("Validation", message=f"The host header value '{t}' must contain at least one '.'")
        entry: dict[str, Any] = {"Field": field}
        config_key = CONDITION_CONFIG[field]
        if field == "http-header":
            name = cond.get("HttpHeaderConfig", {}).get("HttpHeaderName")
            if not name:
                raise E("Validation", message="An 'http-header' condition must have a header name")
            entry[config_key] = {"HttpHeaderName": name, "Values": values}
        elif field == "query-string":
            entry[config_key] = {"Values": [dict(v) for v in values]}
        else:
            if field in ("host-header", "path-pattern"):
                entry["Values"] = list(values)
            entry[config_key] = {"Values": list(values)}
        out.append(entry)
    if evaluations > catalog.MAX_CONDITION_VALUES:
        raise E("TooManyConditionValues", limit=catalog.MAX_CONDITION_VALUES)
    if wildcards > catalog.MAX_WILDCARDS:
        raise E("TooManyWildcards")
    return out


def check_actions(
    b: ElbBackend, lb: LoadBalancer, protocol: str, actions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Validate actions (one terminal action, last by Order) and fill in AWS's defaults."""
    if not actions:
        raise E("Validation", message="At least one action must be specified")
    out = [copy.deepcopy(a) for a in actions]
    for i, action in enumerate(out):
        action.setdefault("Order", i + 1)
    out.sort(key=lambda a: a["Order"])
    terminal = [a for a in out if a.get("Type") in _TERMINAL]
    if len(terminal) != 1 or out[-1] is not terminal[0]:
        raise E("InvalidLoadBalancerAction", message="Exactly one terminal action must be specified, and last")
    if len(out) > 2:
        raise E("TooManyActions")
    for action in out:
        kind = action.get("Type")
        if kind in ("authenticate-oidc", "authenticate-cognito") and protocol != "HTTPS":
            raise E("InvalidLoadBalancerAction", message="Authenticate actions are supported only on HTTPS listeners")
        if kind == "forward":
            _check_forward(b, lb, protocol, action)
        elif kind == "redirect":
            _check_redirect(lb, action)
        elif kind == "fixed-response":
            _check_fixed(lb, action)
    return out


def _check_forward(b: ElbBackend, lb: LoadBalancer, protocol: str, action: dict[str, Any]) -> None:
    config = action.get("ForwardConfig")
    if config is not None:
        groups = config.get("TargetGroups") or []
        if len(groups) > catalog.MAX_TGS_PER_FORWARD:
            raise E("TooManyTargetGroups.Forward")
        for g in groups:
            g.setdefault("Weight", 1)
            if not 0 <= int(g["Weight"]) <= 999:
                raise E("Validation", message="Target group weight must be between 0 and 999")
        stick = config.setdefault("TargetGroupStickinessConfig", {"Enabled": False})
        if stick.get("Enabled") and not 1 <= int(stick.get("DurationSeconds") or 0) <= 604800:
            raise E("Validation", message="Stickiness duration must be between 1 and 604800 seconds")
        if action.get("TargetGroupArn") and len(groups) > 1:
            raise E(
                "InvalidLoadBalancerAction",
                message="You cannot specify both a target group ARN and a forward config with several target groups",
            )
        if len(groups) == 1 and not action.get("TargetGroupArn"):
            action["TargetGroupArn"] = groups[0]["TargetGroupArn"]
    elif action.get("TargetGroupArn"):
        action["ForwardConfig"] = {
            "TargetGroups": [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}],
            "TargetGroupStickinessConfig": {"Enabled": False},
        }
    else:
        raise E("Validation", message="A target group ARN must be specified for a forward action")
    for arn in forward_targets([action]):
        tg = b.target_group(arn)
        l7 = protocol in catalog.LAYER7
        if tg.target_type != "lambda" and (tg.protocol in catalog.LAYER7) != l7:
            raise E("IncompatibleProtocols", arn=arn, protocol=protocol)
        if lb.lb_type == "network" and tg.target_type == "lambda":
            raise E("IncompatibleProtocols", arn=arn, protocol=protocol)
        others = [a for a in b.lb_arns_of(arn) if a != lb.arn]
        if others:
            raise E("TargetGroupAssociationLimit", arn=arn)


def _check_redirect(lb: LoadBalancer, action: dict[str, Any]) -> None:
    if lb.lb_type != "application":
        raise E(
            "InvalidLoadBalancerAction", message="Redirect actions are supported only by Application Load Balancers"
        )
    config = action.get("RedirectConfig") or {}
    if config.get("StatusCode") not in ("HTTP_301", "HTTP_302"):
        raise E("Validation", message="The redirect status code must be 'HTTP_301' or 'HTTP_302'")
    for key, default in (
        ("Protocol", "#{protocol}"),
        ("Port", "#{port}"),
        ("Host", "#{host}"),
        ("Path", "/#{path}"),
        ("Query", "#{query}"),
    ):
        config.setdefault(key, default)
    if (config["Protocol"], config["Port"], config["Host"], config["Path"]) == (
        "#{protocol}",
        "#{port}",
        "#{host}",
        "/#{path}",
    ):
        raise E(
            "InvalidLoadBalancerAction",
            message="The redirect must change at least one of protocol, port, host or path, or it would loop",
        )
    action["RedirectConfig"] = config


def _check_fixed(lb: LoadBalancer, action: dict[str, Any]) -> None:
    if lb.lb_type != "application":
        raise E(
            "InvalidLoadBalancerAction",
            message="Fixed-response actions are supported only by Application Load Balancers",
        )
    config = action.get("FixedResponseConfig") or {}
    code = str(config.get("StatusCode", ""))
    if not (len(code) == 3 and code[0] in "245" and code.isdigit()):
        raise E("Validation", message=f"The fixed-response status code '{code}' must be 2XX, 4XX or 5XX")
    if config.get("ContentType") and config["ContentType"] not in FIXED_TYPES:
        raise E("Validation", message=f"Content type '{config['ContentType']}' is not valid")
    if len(config.get("MessageBody") or "") > 1024:
        raise E("Validation", message="The fixed-response message body cannot be longer than 1024 characters")
    action["FixedResponseConfig"] = config


def _check_priority(priority: Any) -> int:
    return int(priority)  # 1-50000: the model's range, checked in constraints.py


def create_rule(b: ElbBackend, params: dict[str, Any]) -> Rule:
    """CreateRule: a priority free on the listener, ≤ 100 rules per load balancer."""
    listener = b.listener(params["ListenerArn"])
    lb = b.load_balancer(listener.lb_arn)
    if lb.lb_type != "application":
        raise E("Validation", message="Rules are supported only by Application Load Balancers")
    priority = _check_priority(params["Priority"])
    if any(r.priority == priority for r in listener.rules):
        raise E("PriorityInUse", priority=priority)
    conditions = check_conditions(params.get("Conditions") or [])
    actions = check_actions(b, lb, listener.protocol, params.get("Actions") or [])
    count = sum(len(li.rules) - 1 for li in b.listeners_of(lb.arn))
    if count >= catalog.MAX_RULES_PER_LB:
        raise E("TooManyRules")
    kind = "app"
    lid = listener.arn.rsplit("/", 1)[1]
    rule = Rule(
        b.arn(f"listener-rule/{kind}/{lb.name}/{lb.lb_id}/{lid}/{b.new_hex()}"),
        priority,
        conditions,
        actions,
        tags={t["Key"]: t.get("Value", "") for t in params.get("Tags") or []},
    )
    listener.rules.append(rule)
    _sort(listener)
    b.state.rule_index[rule.arn] = listener.arn
    from awsprep.sim.elbv2.health import refresh_usage

    refresh_usage(b)
    return rule


def _sort(listener: Listener) -> None:
    listener.rules_version += 1  # the data plane's compiled rules are rebuilt
    listener.rules.sort(key=lambda r: (r.priority == 0, r.priority))


def modify_rule(b: ElbBackend, params: dict[str, Any]) -> Rule:
    """ModifyRule: conditions and actions (the default rule's conditions cannot change)."""
    listener, rule = b.rule(params["RuleArn"])
    lb = b.load_balancer(listener.lb_arn)
    if params.get("Conditions") is not None:
        if rule.is_default:
            raise E("OperationNotPermitted.DefaultRule", arn=rule.arn)
        rule.conditions = check_conditions(params["Conditions"])
        listener.rules_version += 1
    if params.get("Actions"):
        rule.actions = check_actions(b, lb, listener.protocol, params["Actions"])
    from awsprep.sim.elbv2.health import refresh_usage

    refresh_usage(b)
    return rule


def delete_rule(b: ElbBackend, arn: str) -> None:
    """DeleteRule (the default rule goes only with its listener)."""
    listener, rule = b.rule(arn)
    if rule.is_default:
        raise E("OperationNotPermitted.DefaultRule", arn=arn)
    listener.rules.remove(rule)
    listener.rules_version += 1
    b.state.rule_index.pop(arn, None)
    from awsprep.sim.elbv2.health import refresh_usage

    refresh_usage(b)


def set_rule_priorities(b: ElbBackend, pairs: list[dict[str, Any]]) -> list[Rule]:
    """SetRulePriorities: all or nothing; a priority in use by a rule not being moved is PriorityInUse."""
    found = [(b.rule(p["RuleArn"]), _check_priority(p["Priority"])) for p in pairs]
    for (_listener, rule), _ in found:
        if rule.is_default:
            raise E("OperationNotPermitted.DefaultRule", arn=rule.arn)
    moving = {rule.arn for (_, rule), _ in found}
    for (listener, _rule), priority in found:
        clash = [r for r in listener.rules if r.priority == priority and r.arn not in moving]
        if clash:
            raise E("PriorityInUse", priority=priority)
    wanted = [priority for _, priority in found]
    if len(set(wanted)) != len(wanted):
        raise E("PriorityInUse", priority=next(p for p in wanted if wanted.count(p) > 1))
    for (listener, rule), priority in found:
        rule.priority = priority
        _sort(listener)
    return [rule for (_, rule), _ in found]
