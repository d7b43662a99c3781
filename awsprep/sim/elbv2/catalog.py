"""ELBv2 constants: timing, health-check defaults and ranges, attribute defaults, DNS forms, prices.

Health-check defaults and ranges: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
and API_CreateTargetGroup (interval 5-300, timeout 2-120, thresholds 2-10, matcher 200-499). Target group
attributes: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html
Prices (us-east-1, the one price table the simulator uses): https://aws.amazon.com/elasticloadbalancing/pricing/
"""

from __future__ import annotations

from awsprep.sim.core.pricing import Price, flat

PROVISIONING_SECONDS = 180.0  # a new load balancer is `provisioning` for a few minutes [INF]
MAX_RULES_PER_LB = 100  # excluding default rules (load-balancer-limits.html)
MAX_TGS_PER_FORWARD = 5
MAX_TARGETS_PER_TG = 1000  # "Targets per target group per Region" (load-balancer-limits.html)
MAX_CONDITION_VALUES = 5  # "match evaluations" per rule
MAX_WILDCARDS = 5
MAX_LB_NAME = 32

LAYER7 = ("HTTP", "HTTPS")
LAYER4 = ("TCP", "UDP", "TLS", "TCP_UDP")


def health_defaults(target_type: str, protocol: str | None) -> dict[str, object]:
    """What CreateTargetGroup fills in when a HealthCheck* parameter is not given."""
    if target_type == "lambda":
        return {"enabled": False, "protocol": None, "path": "/", "interval": 35, "timeout": 30, "matcher": "200"}
    l7 = protocol in LAYER7
    hc_protocol = protocol if l7 else "TCP"
    return {
        "enabled": True,
        "protocol": hc_protocol,
        "path": "/" if l7 else None,
        "interval": 30,
        "timeout": 5 if l7 else 10,
        "matcher": "200" if l7 else None,
    }


TG_ATTRIBUTE_DEFAULTS = {
    "deregistration_delay.timeout_seconds": "300",
    "stickiness.enabled": "false",
    "stickiness.type": "lb_cookie",
    "stickiness.lb_cookie.duration_seconds": "86400",
    "stickiness.app_cookie.cookie_name": "",
    "stickiness.app_cookie.duration_seconds": "86400",
    "slow_start.duration_seconds": "0",
    "load_balancing.algorithm.type": "round_robin",
    "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
}
NLB_TG_ATTRIBUTE_DEFAULTS = {
    "deregistration_delay.timeout_seconds": "300",
    "stickiness.enabled": "false",
    "stickiness.type": "source_ip",
    "preserve_client_ip.enabled": "true",
    "proxy_protocol_v2.enabled": "false",
    "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
}
LAMBDA_TG_ATTRIBUTE_DEFAULTS = {"lambda.multi_value_headers.enabled": "false"}

ALB_ATTRIBUTE_DEFAULTS = {
    "deletion_protection.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    "routing.http2.enabled": "true",
    "load_balancing.cross_zone.enabled": "true",
    "access_logs.s3.enabled": "false",
}
NLB_ATTRIBUTE_DEFAULTS = {
    "deletion_protection.enabled": "false",
    "load_balancing.cross_zone.enabled": "false",
    "access_logs.s3.enabled": "false",
}

# Route 53 hosted zone of each Region's load balancers (CanonicalHostedZoneId), ALB then NLB.
HOSTED_ZONES = {
    "us-east-1": ("Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"),
    "us-east-2": ("Z3AADJGX6KTTL2", "ZLMOA37VPKANP"),
    "us-west-1": ("Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"),
    "us-west-2": ("Z1H1FL5HABSF5", "Z18D5FSROUN65G"),
    "eu-west-1": ("Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"),
    "eu-central-1": ("Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"),
}


def hosted_zone(region: str, lb_type: str) -> str:
    """The CanonicalHostedZoneId of a load balancer."""
    alb, nlb = HOSTED_ZONES.get(region, HOSTED_ZONES["us-east-1"])
    return alb if lb_type == "application" else nlb


def dns_name(name: str, region: str, lb_type: str, scheme: str, numeric_id: str, hex_id: str) -> str:
    """AWS's forms: `my-alb-1234567890.us-east-1.elb.amazonaws.com` (ALB, `internal-` prefix when internal),
    `my-nlb-0123456789abcdef.elb.us-east-1.amazonaws.com` (NLB)."""
    prefix = "internal-" if scheme == "internal" else ""
    if lb_type == "network":
        return f"{prefix}{name}-{hex_id}.elb.{region}.amazonaws.com"
    return f"{prefix}{name}-{numeric_id}.{region}.elb.amazonaws.com"


ALB_HOUR = 0.0225
ALB_LCU_HOUR = 0.008
NLB_HOUR = 0.0225
NLB_LCU_HOUR = 0.006

PRICES: dict[str, Price] = {
    "alb": flat(ALB_HOUR),
    "nlb": flat(NLB_HOUR),
    "alb-lcu": flat(ALB_LCU_HOUR, per="request", rate_unit="USD/LCU-hour", quantity_unit="LCU-hours"),
    "nlb-lcu": flat(NLB_LCU_HOUR, per="request", rate_unit="USD/NLCU-hour", quantity_unit="NLCU-hours"),
}
