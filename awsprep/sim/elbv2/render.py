"""State objects as the dicts ELBv2 returns (botocore output shapes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from awsprep.sim.core.clock import to_datetime
from awsprep.sim.elbv2 import catalog
from awsprep.sim.elbv2.state import Listener, LoadBalancer, Rule, Target, TargetGroup

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend


def load_balancer(b: ElbBackend, lb: LoadBalancer) -> dict[str, Any]:
    """A LoadBalancer."""
    zones = []
    for n in lb.nodes:
        zone: dict[str, Any] = {"ZoneName": n.zone, "SubnetId": n.subnet_id, "LoadBalancerAddresses": []}
        if lb.lb_type == "network":
            addr: dict[str, Any] = {"PrivateIPv4Address": n.private_ip} if lb.scheme == "internal" else {}
            if n.public_ip and lb.scheme == "internet-facing":
                addr["IpAddress"] = n.public_ip
            if n.allocation_id:
                addr["AllocationId"] = n.allocation_id
            zone["LoadBalancerAddresses"] = [addr]
        zones.append(zone)
    out: dict[str, Any] = {
        "LoadBalancerArn": lb.arn,
        "DNSName": lb.dns_name,
        "CanonicalHostedZoneId": catalog.hosted_zone(b.region, lb.lb_type),
        "CreatedTime": to_datetime(lb.created),
        "LoadBalancerName": lb.name,
        "Scheme": lb.scheme,
        "VpcId": lb.vpc_id,
        "State": {"Code": "active" if b.is_active(lb) else "provisioning"},
        "Type": lb.lb_type,
        "AvailabilityZones": zones,
        "IpAddressType": lb.ip_address_type,
    }
    if lb.security_groups:
        out["SecurityGroups"] = list(lb.security_groups)
    return out


def action(a: dict[str, Any]) -> dict[str, Any]:
    """An Action as AWS echoes it."""
    return dict(a.items())


def listener(li: Listener) -> dict[str, Any]:
    """A Listener."""
    out: dict[str, Any] = {
        "ListenerArn": li.arn,
        "LoadBalancerArn": li.lb_arn,
        "Port": li.port,
        "Protocol": li.protocol,
        "DefaultActions": [action(a) for a in li.default_rule.actions],
    }
    if li.certificates:
        out["Certificates"] = [{"CertificateArn": c} for c in li.certificates]
    if li.ssl_policy:
        out["SslPolicy"] = li.ssl_policy
    if li.alpn_policy:
        out["AlpnPolicy"] = list(li.alpn_policy)
    return out


def rule(r: Rule) -> dict[str, Any]:
    """A Rule; the default rule's priority is "default"."""
    return {
        "RuleArn": r.arn,
        "Priority": "default" if r.is_default else str(r.priority),
        "Conditions": [dict(c) for c in r.conditions],
        "Actions": [action(a) for a in r.actions],
        "IsDefault": r.is_default,
    }


def target_group(b: ElbBackend, tg: TargetGroup) -> dict[str, Any]:
    """A TargetGroup."""
    h = tg.health
    out: dict[str, Any] = {
        "TargetGroupArn": tg.arn,
        "TargetGroupName": tg.name,
        "HealthCheckEnabled": h.enabled,
        "HealthCheckIntervalSeconds": h.interval,
        "HealthCheckTimeoutSeconds": h.timeout,
        "HealthyThresholdCount": h.healthy,
        "UnhealthyThresholdCount": h.unhealthy,
        "HealthCheckPath": h.path,
        "LoadBalancerArns": b.lb_arns_of(tg.arn),
        "TargetType": tg.target_type,
        "IpAddressType": tg.ip_address_type,
    }
    if h.matcher:
        out["Matcher"] = {"HttpCode": h.matcher}
    if h.path is None:
        del out["HealthCheckPath"]
    if tg.target_type != "lambda":
        out.update(
            {
                "Protocol": tg.protocol,
                "Port": tg.port,
                "VpcId": tg.vpc_id,
                "HealthCheckProtocol": h.protocol,
                "HealthCheckPort": h.port,
            }
        )
    if tg.protocol_version:
        out["ProtocolVersion"] = tg.protocol_version
    return out


def target_health(tg: TargetGroup, t: Target) -> dict[str, Any]:
    """A TargetHealthDescription."""
    target: dict[str, Any] = {"Id": t.target_id}
    if t.port is not None:
        target["Port"] = t.port
    if t.zone is not None:
        target["AvailabilityZone"] = t.zone
    health: dict[str, Any] = {"State": t.state}
    if t.reason:
        health["Reason"] = t.reason
        health["Description"] = t.description or ""
    out: dict[str, Any] = {"Target": target, "TargetHealth": health}
    if tg.target_type != "lambda":
        out["HealthCheckPort"] = str(t.port) if tg.health.port == "traffic-port" else tg.health.port
    return out


def attributes(attrs: dict[str, str]) -> list[dict[str, str]]:
    """[{Key, Value}] in key order."""
    return [{"Key": k, "Value": v} for k, v in sorted(attrs.items())]
