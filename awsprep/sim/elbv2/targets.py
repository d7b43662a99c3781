"""Target groups: create, modify, attributes, register/deregister, delete (spec §1.2)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from awsprep.sim import ec2
from awsprep.sim.elbv2 import catalog
from awsprep.sim.elbv2.balancers import check_name
from awsprep.sim.elbv2.errors import ELB_ERRORS as E
from awsprep.sim.elbv2.state import HealthCheck, Target, TargetGroup

if TYPE_CHECKING:
    from awsprep.sim.elbv2.models import ElbBackend

_HC_FIELDS = {
    "HealthCheckIntervalSeconds": "interval",
    "HealthCheckTimeoutSeconds": "timeout",
    "HealthyThresholdCount": "healthy",
    "UnhealthyThresholdCount": "unhealthy",
}


def check_matcher(code: str) -> str:
    """`200`, `200,202`, `200-299`, each within 200-499 (ALB)."""
    for part in code.split(","):
        bounds = part.split("-")
        if not all(b.strip().isdigit() and 200 <= int(b) <= 499 for b in bounds) or len(bounds) > 2:
            raise E("Validation", message=f"Health check matcher HTTP code '{code}' must be within '200-499'")
    return code


def apply_health(health: HealthCheck, params: dict[str, Any], target_type: str, protocol: str | None = None) -> None:
    """Set HealthCheck* parameters on `health`, with AWS's ranges and the timeout < interval rule.

    Health checks speak HTTP, HTTPS or TCP only, and TCP only for a TCP, TLS, UDP or TCP_UDP group: a UDP
    group is checked over TCP or HTTP (API_CreateTargetGroup, HealthCheckProtocol) [INF messages]."""
    for key, attr in _HC_FIELDS.items():
        if params.get(key) is not None:
            setattr(health, attr, int(params[key]))  # ranges: constraints.py
    if params.get("HealthCheckPath") is not None:
        path = params["HealthCheckPath"]
        if not path.startswith("/") or len(path) > 1024:
            raise E("Validation", message="Health check path must begin with '/' and be at most 1024 characters")
        health.path = path
    if params.get("HealthCheckPort") is not None:
        port = str(params["HealthCheckPort"])
        if port != "traffic-port" and not (port.isdigit() and 1 <= int(port) <= 65535):
            raise E("Validation", message="Health check port must be 'traffic-port' or between 1 and 65535")
        health.port = port
    if params.get("HealthCheckProtocol") is not None:
        wanted = str(params["HealthCheckProtocol"])
        if wanted not in ("HTTP", "HTTPS", "TCP"):
            raise E("Validation", message=f"Health check protocol '{wanted}' is not supported")
        if wanted == "TCP" and protocol in catalog.LAYER7:
            raise E(
                "Validation",
                message=f"Health check protocol 'TCP' is not supported for target groups with protocol '{protocol}'",
            )
        health.protocol = wanted
        if wanted in catalog.LAYER7 and health.path is None:
            health.path = "/"
        if wanted in catalog.LAYER7 and health.matcher is None:
            health.matcher = "200-399"  # an NLB group's HTTP check accepts 200-399 by default
    if params.get("Matcher") and params["Matcher"].get("HttpCode"):
        health.matcher = check_matcher(params["Matcher"]["HttpCode"])
    if params.get("HealthCheckEnabled") is not None:
        if not params["HealthCheckEnabled"] and target_type != "lambda":
            raise E(
                "Validation",
                message="Health checks cannot be disabled for target groups with target type 'instance' or 'ip'",
            )
        health.enabled = bool(params["HealthCheckEnabled"])
    if health.timeout >= health.interval:
        raise E("HealthTimeout")


def create_target_group(b: ElbBackend, params: dict[str, Any]) -> TargetGroup:
    """CreateTargetGroup: defaults per target type and protocol; a duplicate name is idempotent if equal."""
    name = params["Name"]
    check_name(name, "target group")
    target_type = params.get("TargetType") or "instance"
    protocol = params.get("Protocol")
    port = params.get("Port")
    vpc_id = params.get("VpcId")
    if target_type != "lambda":
        if not protocol or port is None or not vpc_id:
            raise E(
                "Validation",
                message="A protocol, a port and a VPC ID must be specified for target type '" + target_type + "'",
            )
        ec2.backend(b.world, b.region).vpc(vpc_id)
    elif protocol or port is not None or vpc_id:
        raise E(
            "Validation",
            message="Protocol, port and VPC ID cannot be specified for target groups with target type 'lambda'",
        )
    d = catalog.health_defaults(target_type, protocol)
    health = HealthCheck(
        enabled=bool(d["enabled"]),
        protocol=d["protocol"],  # type: ignore[arg-type]
        port="traffic-port",
        path=d["path"],  # type: ignore[arg-type]
        interval=int(d["interval"]),  # type: ignore[call-overload]
        timeout=int(d["timeout"]),  # type: ignore[call-overload]
        healthy=5,
        unhealthy=2,
        matcher=d["matcher"],  # type: ignore[arg-type]
    )
    apply_health(health, params, target_type, protocol)
    existing = next((tg for tg in b.state.target_groups.values() if tg.name == name), None)
    if existing is not None:
        if (existing.protocol, existing.port, existing.vpc_id, existing.target_type, existing.health) == (
            protocol,
            port,
            vpc_id,
            target_type,
            health,
        ):
            return existing
        raise E("DuplicateTargetGroupName", name=name)
    if target_type == "lambda":
        attributes = dict(catalog.LAMBDA_TG_ATTRIBUTE_DEFAULTS)
    elif protocol in catalog.LAYER7:
        attributes = dict(catalog.TG_ATTRIBUTE_DEFAULTS)
    else:
        attributes = dict(catalog.NLB_TG_ATTRIBUTE_DEFAULTS)
        if target_type == "ip":
            attributes["preserve_client_ip.enabled"] = "false"  # ip targets over TCP: off by default
    tg = TargetGroup(
        arn=b.arn(f"targetgroup/{name}/{b.new_hex()}"),
        name=name,
        target_type=target_type,
        protocol=protocol,
        port=int(port) if port is not None else None,
        vpc_id=vpc_id,
        health=health,
        protocol_version=(params.get("ProtocolVersion") or "HTTP1") if protocol in catalog.LAYER7 else None,
        ip_address_type=params.get("IpAddressType") or "ipv4",
        attributes=attributes,
        tags={t["Key"]: t.get("Value", "") for t in params.get("Tags") or []},
    )
    b.state.target_groups[tg.arn] = tg
    from awsprep.sim.elbv2.health import start_checks

    start_checks(b, tg)
    return tg


def modify_target_group(b: ElbBackend, params: dict[str, Any]) -> TargetGroup:
    """ModifyTargetGroup: health-check settings (a new interval restarts the check timer)."""
    tg = b.target_group(params["TargetGroupArn"])
    health = HealthCheck(**vars(tg.health))
    apply_health(health, params, tg.target_type, tg.protocol)
    changed = health.interval != tg.health.interval or health.enabled != tg.health.enabled
    tg.health = health
    if changed:
        from awsprep.sim.elbv2.health import start_checks

        start_checks(b, tg)
    return tg


def delete_target_group(b: ElbBackend, arn: str) -> None:
    """DeleteTargetGroup: refused while a listener or rule forwards to it."""
    tg = b.state.target_groups.get(arn)
    if tg is None:
        return
    if b.lb_arns_of(arn):
        raise E("ResourceInUse", arn=arn)
    b.world.cancel_timers("elbv2", b.region, target=arn)
    del b.state.target_groups[arn]


_ATTRIBUTE_CHECKS: dict[str, tuple[int, int]] = {
    "deregistration_delay.timeout_seconds": (0, 3600),
    "stickiness.lb_cookie.duration_seconds": (1, 604800),
    "stickiness.app_cookie.duration_seconds": (1, 604800),
}


def modify_attributes(b: ElbBackend, tg: TargetGroup, attributes: list[dict[str, str]]) -> None:
    """ModifyTargetGroupAttributes with AWS's ranges and combinations."""
    wanted = dict(tg.attributes)
    for attr in attributes:
        key, value = attr["Key"], str(attr.get("Value", ""))
        if key not in wanted and not (key.startswith("stickiness.") and tg.protocol in catalog.LAYER7):
            raise E("Validation", message=f"Target group attribute key '{key}' is not recognized")
        if key in _ATTRIBUTE_CHECKS:
            low, high = _ATTRIBUTE_CHECKS[key]
            if not value.isdigit() or not low <= int(value) <= high:
                raise E("Validation", message=f"'{key}' must be between {low} and {high}")
        if key == "slow_start.duration_seconds" and not (value.isdigit() and (value == "0" or 30 <= int(value) <= 900)):
            raise E("Validation", message="'slow_start.duration_seconds' must be 0 or between 30 and 900")
        if key == "stickiness.type" and value not in ("lb_cookie", "app_cookie", "source_ip"):
            raise E("Validation", message=f"Stickiness type '{value}' must be one of 'lb_cookie, app_cookie'")
        if key == "load_balancing.algorithm.type" and value not in (
            "round_robin",
            "least_outstanding_requests",
            "weighted_random",
        ):
            raise E("Validation", message=f"Load balancing algorithm '{value}' is not valid")
        wanted[key] = value
    app = wanted.get("stickiness.type") == "app_cookie" and wanted.get("stickiness.enabled") == "true"
    if app and not wanted.get("stickiness.app_cookie.cookie_name"):
        raise E("Validation", message="An application cookie name must be specified for app_cookie stickiness")
    cookie = wanted.get("stickiness.app_cookie.cookie_name", "")
    if cookie.upper().startswith(("AWSALB", "AWSALBAPP", "AWSALBTG")):
        # sticky-sessions.html: AWSALB, AWSALBAPP and AWSALBTG are reserved for the load balancer [INF message]
        raise E("Validation", message=f"The application cookie name '{cookie}' is reserved for the load balancer")
    if (
        wanted.get("slow_start.duration_seconds", "0") != "0"
        and wanted.get("load_balancing.algorithm.type") == "least_outstanding_requests"
    ):
        raise E(
            "InvalidConfigurationRequest",
            message="Slow start cannot be enabled together with the least outstanding requests algorithm",
        )
    tg.attributes = wanted


def _instance_zone(b: ElbBackend, tg: TargetGroup, ids: list[str]) -> dict[str, str]:
    zones: dict[str, str] = {}
    missing, stopped, outside = [], [], []
    for iid in ids:
        inst = ec2.instance(b.world, b.region, iid)
        if inst is None or inst.state == "terminated":
            missing.append(iid)
        elif inst.state != "running":
            stopped.append(iid)
        elif inst.vpc_id != tg.vpc_id:
            outside.append(iid)
        else:
            zones[iid] = inst.az
    if missing:
        raise E("InvalidTarget.NotFound", ids="', '".join(missing))
    if stopped:
        raise E("InvalidTarget.NotRunning", ids="', '".join(stopped))
    if outside:
        raise E("InvalidTarget.OutsideVpc", vpc=tg.vpc_id, ids="', '".join(outside))
    return zones


def _ip_zone(b: ElbBackend, tg: TargetGroup, ip: str, zone: str | None) -> str:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        raise E("InvalidTarget.NotFound", ids=ip) from None
    for s in ec2.subnets(b.world, b.region, tg.vpc_id):
        if addr in ipaddress.ip_network(s.cidr):
            return s.az
    if zone == "all":
        return "all"
    raise E("Validation", message=f"The IP address '{ip}' is outside the VPC; the Availability Zone must be 'all'")


def register_targets(b: ElbBackend, tg: TargetGroup, targets: list[dict[str, Any]]) -> None:
    """RegisterTargets: running instances in the group's VPC, IPs, or one Lambda function."""
    now = b.world.now
    if tg.target_type == "instance":
        zones = _instance_zone(b, tg, [t["Id"] for t in targets])
    keys = {f"{t['Id']}:{t.get('Port') if t.get('Port') is not None else tg.port or ''}" for t in targets}
    if len(set(tg.targets) | keys) > catalog.MAX_TARGETS_PER_TG:
        raise E("TooManyTargets")
    other = next(iter(tg.targets.values())).target_id if tg.targets else None
    if tg.target_type == "lambda" and (len(targets) != 1 or other not in (None, targets[0]["Id"])):
        raise E("InvalidTarget.Lambda")
    for t in targets:
        tid = t["Id"]
        if tg.target_type == "instance":
            zone: str | None = zones[tid]
        elif tg.target_type == "ip":
            zone = _ip_zone(b, tg, tid, t.get("AvailabilityZone"))
        else:
            zone = None
        port = int(t["Port"]) if t.get("Port") is not None else tg.port
        target = Target(tid, port, zone, now)
        existing = tg.targets.get(target.key)
        if existing is not None and existing.state != "draining":
            continue  # registering again is a no-op
        tg.targets[target.key] = target
        from awsprep.sim.elbv2.health import initial_state

        initial_state(b, tg, target)


def deregister_targets(b: ElbBackend, tg: TargetGroup, targets: list[dict[str, Any]]) -> None:
    """DeregisterTargets: `draining` for the deregistration delay, then gone."""
    keys = []
    for t in targets:
        port = int(t["Port"]) if t.get("Port") is not None else tg.port
        key = f"{t['Id']}:{port if port is not None else ''}"
        if key not in tg.targets:
            raise E("InvalidTarget.NotFound", ids=t["Id"])
        keys.append(key)
    delay = int(tg.attributes.get("deregistration_delay.timeout_seconds", "300"))
    lbs = [b.state.load_balancers[a] for a in b.lb_arns_of(tg.arn) if a in b.state.load_balancers]
    idle = max((int(lb.attributes.get("idle_timeout.timeout_seconds", "350")) for lb in lbs), default=0)
    for key in keys:
        target = tg.targets[key]
        if target.state == "draining":
            continue
        # "If a deregistering target has no in-flight requests and no active connections, Elastic Load
        # Balancing immediately completes the deregistration process" (load-balancer-target-groups.html).
        # Requests here take no time, so a connection counts as active for the idle timeout after a request.
        active = target.last_request > 0 and b.world.now - target.last_request <= idle
        if delay == 0 or not lbs or not active:
            del tg.targets[key]
            continue
        target.state = "draining"
        target.reason = "Target.DeregistrationInProgress"
        target.description = "Target deregistration is in progress"
        target.drain_until = b.world.now + delay
        b.world.schedule(delay, "elbv2", b.region, "drained", f"{tg.arn}|{key}")
