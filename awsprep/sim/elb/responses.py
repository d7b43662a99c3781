"""Classic Load Balancer API operations (`aws elb …`), to the depth the notes teach: listeners, the health
check, instance health, connection draining and duration-based stickiness."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2
from awsprep.sim.core.clock import to_datetime
from awsprep.sim.core.meter import close_record, open_record
from awsprep.sim.elb.errors import CLB_ERRORS as E
from awsprep.sim.elb.models import IN_DRAINING, OUT_NOT_REGISTERED, OUT_REGISTERING, default_subnets
from awsprep.sim.elb.state import ClassicLb, ClbInstance, ClbListener
from awsprep.sim.elbv2.catalog import hosted_zone

if TYPE_CHECKING:
    from awsprep.sim.elb.models import ClbBackend

Handler = Callable[["ClbBackend", dict[str, Any]], dict[str, Any]]
_TARGET = re.compile(r"^(TCP|SSL):\d{1,5}$|^(HTTP|HTTPS):\d{1,5}/\S*$")


def _listeners(params: list[dict[str, Any]]) -> list[ClbListener]:
    return [
        ClbListener(
            l["Protocol"].upper(),
            int(l["LoadBalancerPort"]),
            (l.get("InstanceProtocol") or l["Protocol"]).upper(),
            int(l["InstancePort"]),
            l.get("SSLCertificateId"),
        )
        for l in params  # noqa: E741 - a listener
    ]


def create(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """CreateLoadBalancer: subnets (VPC) or Availability Zones (their default subnets)."""
    name = p["LoadBalancerName"]
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?", name):
        raise E("ValidationError", message=f"LoadBalancerName '{name}' must be 1-32 letters, digits or hyphens")
    subnets = list(p.get("Subnets") or []) or default_subnets(b.world, b.region, list(p.get("AvailabilityZones") or []))
    if not subnets:
        raise E("ValidationError", message="Either AvailabilityZones or Subnets must be specified")
    found = [ec2.subnet(b.world, b.region, s) for s in subnets]
    listeners = _listeners(p["Listeners"])
    existing = b.state.load_balancers.get(name)
    if existing is not None:
        if sorted(existing.subnets) == sorted(subnets) and len(existing.listeners) == len(listeners):
            return {"DNSName": existing.dns_name}
        raise E("DuplicateLoadBalancerName", name=name)
    scheme = p.get("Scheme") or "internet-facing"
    vpc = found[0].vpc_id
    groups = list(p.get("SecurityGroups") or [])
    if not groups:
        default = next(
            g
            for g in ec2.backend(b.world, b.region).state.security_groups.values()
            if g.vpc_id == vpc and g.name == "default"
        )
        groups = [default.group_id]
    taken = ec2.backend(b.world, b.region).private_ips_in_use()
    node_ips = [b.world.ids.private_ip(s.cidr, taken) for s in found]
    public = [b.world.take_public_ip(b.region) for _ in found] if scheme == "internet-facing" else []
    prefix = "internal-" if scheme == "internal" else ""
    dns = f"{prefix}{name}-{b.world.ids.rng.randrange(10**9, 10**10)}.{b.region}.elb.amazonaws.com"
    first = listeners[0] if listeners else None
    lb = ClassicLb(
        name=name,
        dns_name=dns,
        created=b.world.now,
        scheme=scheme,
        vpc_id=vpc,
        subnets=subnets,
        zones=[s.az for s in found],
        security_groups=groups,
        listeners=listeners,
        node_ips=node_ips,
        public_ips=public,
        health_target=f"TCP:{first.instance_port}" if first else "TCP:80",
        tags={t["Key"]: t.get("Value", "") for t in p.get("Tags") or []},
    )
    b.state.load_balancers[name] = lb
    b.start_checks(lb)
    open_record(b.world.meter, b.world.now, resource_id=name, region=b.region, kind="clb", unit="classic")
    return {"DNSName": dns}


def _describe(b: ClbBackend, lb: ClassicLb) -> dict[str, Any]:
    return {
        "LoadBalancerName": lb.name,
        "DNSName": lb.dns_name,
        "CanonicalHostedZoneName": lb.dns_name,
        "CanonicalHostedZoneNameID": hosted_zone(b.region, "application"),
        "ListenerDescriptions": [
            {
                "Listener": {
                    "Protocol": li.protocol,
                    "LoadBalancerPort": li.port,
                    "InstanceProtocol": li.instance_protocol,
                    "InstancePort": li.instance_port,
                    **({"SSLCertificateId": li.certificate} if li.certificate else {}),
                },
                "PolicyNames": list(li.policies),
            }
            for li in lb.listeners
        ],
        "Policies": {
            "AppCookieStickinessPolicies": [],
            "LBCookieStickinessPolicies": [
                {"PolicyName": n, **({"CookieExpirationPeriod": e} if e else {})} for n, e in lb.cookie_policies.items()
            ],
            "OtherPolicies": [],
        },
        "BackendServerDescriptions": [],
        "AvailabilityZones": list(lb.zones),
        "Subnets": list(lb.subnets),
        "VPCId": lb.vpc_id,
        "Instances": [{"InstanceId": i} for i in lb.instances],
        "HealthCheck": _health(lb),
        "SourceSecurityGroup": {"OwnerAlias": b.world.account_id, "GroupName": "default"},
        "SecurityGroups": list(lb.security_groups),
        "CreatedTime": to_datetime(lb.created),
        "Scheme": lb.scheme,
    }


def _health(lb: ClassicLb) -> dict[str, Any]:
    return {
        "Target": lb.health_target,
        "Interval": lb.interval,
        "Timeout": lb.timeout,
        "UnhealthyThreshold": lb.unhealthy,
        "HealthyThreshold": lb.healthy,
    }


def configure_health_check(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ConfigureHealthCheck: one target (`HTTP:80/index.html`), interval, timeout and thresholds."""
    lb = b.lb(p["LoadBalancerName"])
    hc = p["HealthCheck"]
    if not _TARGET.match(hc["Target"]):
        raise E(
            "ValidationError",
            message=f"Invalid target '{hc['Target']}': use TCP:port, SSL:port, HTTP:port/path or HTTPS:port/path",
        )
    if int(hc["Timeout"]) >= int(hc["Interval"]):
        raise E("ValidationError", message="Interval must be greater than the timeout.")
    # the ranges (Interval 5-300, Timeout 2-60, thresholds 2-10) are checked first, in elbv2/constraints.py
    lb.health_target, lb.interval, lb.timeout = hc["Target"], int(hc["Interval"]), int(hc["Timeout"])
    lb.unhealthy, lb.healthy = int(hc["UnhealthyThreshold"]), int(hc["HealthyThreshold"])
    b.start_checks(lb)
    return {"HealthCheck": _health(lb)}


def register(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """RegisterInstancesWithLoadBalancer: running instances, OutOfService until they pass the checks."""
    lb = b.lb(p["LoadBalancerName"])
    for want in p["Instances"]:
        iid = want["InstanceId"]
        inst = ec2.instance(b.world, b.region, iid)
        if inst is None:
            raise E("InvalidInstance.NotFound", iid=iid)
        if inst.state != "running":
            raise E("InvalidInstance", iid=iid)
        if iid not in lb.instances or lb.instances[iid].drain_until:
            lb.instances[iid] = ClbInstance(iid)
    return {"Instances": [{"InstanceId": i} for i in lb.instances]}


def deregister(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeregisterInstancesFromLoadBalancer: with connection draining, InService (deregistration in progress)
    for the draining timeout; otherwise gone at once."""
    lb = b.lb(p["LoadBalancerName"])
    for want in p["Instances"]:
        inst = lb.instances.get(want["InstanceId"])
        if inst is None:
            raise E("InvalidInstance.NotFound", iid=want["InstanceId"])
        if lb.draining_enabled and inst.state == "InService":
            inst.drain_until = b.world.now + lb.draining_timeout
            inst.description = IN_DRAINING
        else:
            del lb.instances[inst.instance_id]
    return {"Instances": [{"InstanceId": i} for i, x in lb.instances.items() if not x.drain_until]}


def instance_health(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DescribeInstanceHealth: InService | OutOfService with ELB's reason and description."""
    lb = b.lb(p["LoadBalancerName"])
    for inst in list(lb.instances.values()):  # a drain that ended between checks
        if inst.drain_until and b.world.now >= inst.drain_until:
            del lb.instances[inst.instance_id]
    wanted = [w["InstanceId"] for w in p.get("Instances") or []] or list(lb.instances)
    out = []
    for iid in wanted:
        found = lb.instances.get(iid)
        if found is None:
            out.append(
                {"InstanceId": iid, "State": "OutOfService", "ReasonCode": "ELB", "Description": OUT_NOT_REGISTERED}
            )
            continue
        if found.state == "OutOfService" and found.passes == 0 and found.fails == 0:
            found.description = OUT_REGISTERING
        out.append(
            {"InstanceId": iid, "State": found.state, "ReasonCode": found.reason, "Description": found.description}
        )
    return {"InstanceStates": out}


def _attributes(lb: ClassicLb) -> dict[str, Any]:
    return {
        "CrossZoneLoadBalancing": {"Enabled": lb.cross_zone},
        "AccessLog": {"Enabled": False},
        "ConnectionDraining": {"Enabled": lb.draining_enabled, "Timeout": lb.draining_timeout},
        "ConnectionSettings": {"IdleTimeout": lb.idle_timeout},
    }


def modify_attributes(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """ModifyLoadBalancerAttributes: connection draining (1-3600 s), cross-zone, idle timeout."""
    lb = b.lb(p["LoadBalancerName"])
    attrs = p["LoadBalancerAttributes"]
    drain = attrs.get("ConnectionDraining")
    if drain is not None:
        timeout = int(drain.get("Timeout", lb.draining_timeout))
        if not 1 <= timeout <= 3600:
            raise E("ValidationError", message="ConnectionDraining Timeout must be between 1 and 3600 seconds")
        lb.draining_enabled, lb.draining_timeout = bool(drain["Enabled"]), timeout
    if attrs.get("CrossZoneLoadBalancing") is not None:
        lb.cross_zone = bool(attrs["CrossZoneLoadBalancing"]["Enabled"])
    if attrs.get("ConnectionSettings") is not None:
        lb.idle_timeout = int(attrs["ConnectionSettings"]["IdleTimeout"])
    return {"LoadBalancerName": lb.name, "LoadBalancerAttributes": _attributes(lb)}


def cookie_policy(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """CreateLBCookieStickinessPolicy: duration-based stickiness (the AWSELB cookie)."""
    lb = b.lb(p["LoadBalancerName"])
    if p["PolicyName"] in lb.cookie_policies:
        raise E("DuplicatePolicyName", policy=p["PolicyName"])
    lb.cookie_policies[p["PolicyName"]] = int(p.get("CookieExpirationPeriod") or 0)
    return {}


def set_listener_policies(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """SetLoadBalancerPoliciesOfListener: the policies a listener applies (an empty list removes them)."""
    lb = b.lb(p["LoadBalancerName"])
    listener = next((li for li in lb.listeners if li.port == int(p["LoadBalancerPort"])), None)
    if listener is None:
        raise E("ListenerNotFound", port=p["LoadBalancerPort"], name=lb.name)
    for policy in p["PolicyNames"]:
        if policy not in lb.cookie_policies:
            raise E("PolicyNotFound", policy=policy, name=lb.name)
    listener.policies = list(p["PolicyNames"])
    return {}


def delete(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    """DeleteLoadBalancer (idempotent)."""
    lb = b.state.load_balancers.pop(p["LoadBalancerName"], None)
    if lb is not None:
        for ip in lb.public_ips:
            b.world.release_public_ip(ip)
        b.world.cancel_timers("elb", b.region, target=lb.name)
        close_record(b.world.meter, b.world.now, resource_id=lb.name, kind="clb")
    return {}


def _describe_all(b: ClbBackend, p: dict[str, Any]) -> dict[str, Any]:
    names = p.get("LoadBalancerNames") or list(b.state.load_balancers)
    return {"LoadBalancerDescriptions": [_describe(b, b.lb(n)) for n in names]}


OPERATIONS: dict[str, Handler] = {
    "CreateLoadBalancer": create,
    "DescribeLoadBalancers": _describe_all,
    "DeleteLoadBalancer": delete,
    "ConfigureHealthCheck": configure_health_check,
    "RegisterInstancesWithLoadBalancer": register,
    "DeregisterInstancesFromLoadBalancer": deregister,
    "DescribeInstanceHealth": instance_health,
    "ModifyLoadBalancerAttributes": modify_attributes,
    "DescribeLoadBalancerAttributes": lambda b, p: {"LoadBalancerAttributes": _attributes(b.lb(p["LoadBalancerName"]))},
    "CreateLBCookieStickinessPolicy": cookie_policy,
    "SetLoadBalancerPoliciesOfListener": set_listener_policies,
}
