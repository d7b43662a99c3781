"""ELBv2 API operations: botocore parameters in, backend call, response dict out (`OPERATIONS`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.elbv2 import balancers, render, rules, targets
from awsprep.sim.elbv2.errors import ELB_ERRORS as E
from awsprep.sim.elbv2.state import Target

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

Handler = Callable[["ElbBackend", dict[str, Any]], dict[str, Any]]


def _page(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    """Marker/PageSize pagination (PageSize 1-400); the marker is the index of the next item."""
    size = params.get("PageSize")  # 1-400, checked in constraints.py
    marker = params.get("Marker")
    start = 0
    if marker:
        if not str(marker).isdigit() or int(marker) > len(items):
            raise E("Validation", message="The marker is not valid")
        start = int(marker)
    end = len(items) if size is None else start + int(size)
    out: dict[str, Any] = {key: items[start:end]}
    if end < len(items):
        out["NextMarker"] = str(end)
    return out


def _describe_lbs(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    lbs = list(b.state.load_balancers.values())
    if p.get("LoadBalancerArns"):
        lbs = [b.load_balancer(a) for a in p["LoadBalancerArns"]]
    elif p.get("Names"):
        missing = [n for n in p["Names"] if not any(lb.name == n for lb in lbs)]
        if missing:
            raise E("LoadBalancerNotFound.Names", names=", ".join(missing))
        lbs = [lb for n in p["Names"] for lb in lbs if lb.name == n]
    return _page([render.load_balancer(b, lb) for lb in lbs], p, "LoadBalancers")


def _describe_tgs(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    tgs = list(b.state.target_groups.values())
    if p.get("LoadBalancerArn"):
        b.load_balancer(p["LoadBalancerArn"])
        tgs = [tg for tg in tgs if p["LoadBalancerArn"] in b.lb_arns_of(tg.arn)]
    if p.get("TargetGroupArns"):
        tgs = [b.target_group(a) for a in p["TargetGroupArns"]]
    elif p.get("Names"):
        missing = [n for n in p["Names"] if not any(tg.name == n for tg in tgs)]
        if missing:
            raise E("TargetGroupNotFound.Names", names=", ".join(missing))
        tgs = [tg for n in p["Names"] for tg in tgs if tg.name == n]
    return _page([render.target_group(b, tg) for tg in tgs], p, "TargetGroups")


def _describe_listeners(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("ListenerArns"):
        found = [b.listener(a) for a in p["ListenerArns"]]
    elif p.get("LoadBalancerArn"):
        found = b.listeners_of(b.load_balancer(p["LoadBalancerArn"]).arn)
    else:
        raise E("Validation", message="You must specify either listener ARNs or a load balancer ARN")
    return _page([render.listener(li) for li in found], p, "Listeners")


def _describe_rules(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    if p.get("RuleArns"):
        found = [b.rule(a)[1] for a in p["RuleArns"]]
    elif p.get("ListenerArn"):
        found = list(b.listener(p["ListenerArn"]).rules)
    else:
        raise E("Validation", message="You must specify either listener or rule ARNs")
    return _page([render.rule(r) for r in found], p, "Rules")


def _target_health(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    tg = b.target_group(p["TargetGroupArn"])
    if not p.get("Targets"):
        return {"TargetHealthDescriptions": [render.target_health(tg, t) for t in tg.targets.values()]}
    out = []
    for want in p["Targets"]:
        port = int(want["Port"]) if want.get("Port") is not None else tg.port
        key = f"{want['Id']}:{port if port is not None else ''}"
        found = tg.targets.get(key)
        if found is None:
            found = Target(
                want["Id"],
                port,
                None,
                b.world.now,
                "unused",
                "Target.NotRegistered",
                "Target is not registered to the target group",
            )
        out.append(render.target_health(tg, found))
    return {"TargetHealthDescriptions": out}


def _resource_tags(b: ElbBackend, arn: str) -> dict[str, str]:
    s = b.state
    for table in (s.load_balancers, s.target_groups, s.listeners):
        if arn in table:
            found: dict[str, str] = table[arn].tags
            return found
    if arn in s.rule_index:
        return b.rule(arn)[1].tags
    if ":loadbalancer/" in arn:
        raise E("LoadBalancerNotFound")
    if ":targetgroup/" in arn:
        raise E("TargetGroupNotFound")
    if ":listener-rule/" in arn:
        raise E("RuleNotFound")
    raise E("ListenerNotFound")


def _add_tags(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    found = [_resource_tags(b, a) for a in p["ResourceArns"]]
    for tags in found:
        for t in p["Tags"]:
            tags[t["Key"]] = t.get("Value", "")
        if len(tags) > 50:
            raise E("Validation", message="A resource can have at most 50 tags")
    return {}


def _remove_tags(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    for arn in p["ResourceArns"]:
        tags = _resource_tags(b, arn)
        for key in p["TagKeys"]:
            tags.pop(key, None)
    return {}


def _describe_tags(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    return {
        "TagDescriptions": [
            {"ResourceArn": a, "Tags": [{"Key": k, "Value": v} for k, v in _resource_tags(b, a).items()]}
            for a in p["ResourceArns"]
        ]
    }


def _modify_lb_attributes(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    lb = b.load_balancer(p["LoadBalancerArn"])
    for attr in p["Attributes"]:
        key, value = attr["Key"], str(attr.get("Value", ""))
        if key not in lb.attributes:
            raise E("Validation", message=f"Load balancer attribute key '{key}' is not recognized")
        if key == "idle_timeout.timeout_seconds" and not (value.isdigit() and 1 <= int(value) <= 4000):
            raise E("Validation", message="'idle_timeout.timeout_seconds' must be between 1 and 4000")
        lb.attributes[key] = value
    return {"Attributes": render.attributes(lb.attributes)}


def _set_security_groups(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    from awsprep.sim import ec2
    from awsprep.sim.core.errors import AwsError

    lb = b.load_balancer(p["LoadBalancerArn"])
    for g in p["SecurityGroups"]:
        try:
            ec2.security_group(b.world, b.region, g)
        except AwsError:
            raise E("InvalidSecurityGroup") from None
    lb.security_groups = list(p["SecurityGroups"])
    return {"SecurityGroupIds": list(lb.security_groups)}


def _tg_attributes(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    return {"Attributes": render.attributes(b.target_group(p["TargetGroupArn"]).attributes)}


def _modify_tg_attributes(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    tg = b.target_group(p["TargetGroupArn"])
    targets.modify_attributes(b, tg, p["Attributes"])
    return {"Attributes": render.attributes(tg.attributes)}


def _register(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    targets.register_targets(b, b.target_group(p["TargetGroupArn"]), p["Targets"])
    return {}


def _deregister(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
    targets.deregister_targets(b, b.target_group(p["TargetGroupArn"]), p["Targets"])
    return {}


def _none(fn: Callable[[ElbBackend, str], None], key: str) -> Handler:
    """An operation whose response is empty (the delete operations)."""

    def run(b: ElbBackend, p: dict[str, Any]) -> dict[str, Any]:
        fn(b, p[key])
        return {}

    return run


OPERATIONS: dict[str, Handler] = {
    "CreateLoadBalancer": lambda b, p: {
        "LoadBalancers": [render.load_balancer(b, balancers.create_load_balancer(b, p))]
    },
    "DescribeLoadBalancers": _describe_lbs,
    "DeleteLoadBalancer": _none(balancers.delete_load_balancer, "LoadBalancerArn"),
    "DescribeLoadBalancerAttributes": lambda b, p: {
        "Attributes": render.attributes(b.load_balancer(p["LoadBalancerArn"]).attributes)
    },
    "ModifyLoadBalancerAttributes": _modify_lb_attributes,
    "SetSecurityGroups": _set_security_groups,
    "CreateListener": lambda b, p: {"Listeners": [render.listener(balancers.create_listener(b, p))]},
    "DescribeListeners": _describe_listeners,
    "ModifyListener": lambda b, p: {"Listeners": [render.listener(balancers.modify_listener(b, p))]},
    "DeleteListener": _none(balancers.delete_listener, "ListenerArn"),
    "CreateRule": lambda b, p: {"Rules": [render.rule(rules.create_rule(b, p))]},
    "DescribeRules": _describe_rules,
    "ModifyRule": lambda b, p: {"Rules": [render.rule(rules.modify_rule(b, p))]},
    "DeleteRule": _none(rules.delete_rule, "RuleArn"),
    "SetRulePriorities": lambda b, p: {
        "Rules": [render.rule(r) for r in rules.set_rule_priorities(b, p["RulePriorities"])]
    },
    "CreateTargetGroup": lambda b, p: {"TargetGroups": [render.target_group(b, targets.create_target_group(b, p))]},
    "DescribeTargetGroups": _describe_tgs,
    "ModifyTargetGroup": lambda b, p: {"TargetGroups": [render.target_group(b, targets.modify_target_group(b, p))]},
    "DeleteTargetGroup": _none(targets.delete_target_group, "TargetGroupArn"),
    "DescribeTargetGroupAttributes": _tg_attributes,
    "ModifyTargetGroupAttributes": _modify_tg_attributes,
    "RegisterTargets": _register,
    "DeregisterTargets": _deregister,
    "DescribeTargetHealth": _target_health,
    "AddTags": _add_tags,
    "RemoveTags": _remove_tags,
    "DescribeTags": _describe_tags,
}
