"""ELBv2 state for one Region, as plain dataclasses (snapshots serialise these with `core.codec`).

Actions and conditions keep botocore's own dict shapes (`{"Type": "forward", "ForwardConfig": {...}}`): they are
JSON already, the API returns them as they were given (with defaults filled in), and the data plane reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Node:
    """A load balancer node in one enabled Availability Zone: its subnet and its addresses."""

    zone: str
    subnet_id: str
    private_ip: str
    public_ip: str | None = None  # internet-facing only
    allocation_id: str | None = None  # an Elastic IP given in a subnet mapping (NLB)


@dataclass
class UdpFlow:
    """A UDP flow an NLB routed (by the hash of protocol, source and destination address and port): the
    target it sticks to while datagrams keep coming within the UDP idle timeout."""

    target: str  # Target.key
    last_seen: float


@dataclass
class LoadBalancer:
    """An Application or Network Load Balancer."""

    arn: str
    name: str
    lb_type: str  # "application" | "network"
    scheme: str  # "internet-facing" | "internal"
    vpc_id: str
    dns_name: str
    created: float
    active_at: float  # `provisioning` until the clock reaches it
    nodes: list[Node] = field(default_factory=list)
    security_groups: list[str] = field(default_factory=list)
    ip_address_type: str = "ipv4"
    attributes: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    request_seq: int = 0  # which node answers the next connection (DNS round robin)
    hour_requests: int = 0  # requests since the last LCU billing hour
    hour_bytes: int = 0
    minute: dict[str, list[float]] = field(default_factory=dict)  # "Metric|Dim=v,…" -> [sum, count] this minute
    udp_flows: dict[str, UdpFlow] = field(default_factory=dict)  # "src:port>node:port" -> its target (NLB)

    @property
    def lb_id(self) -> str:
        """The last part of the ARN (`50dc6c495c0c9188`)."""
        return self.arn.rsplit("/", 1)[1]


@dataclass
class Rule:
    """A listener rule; the default rule (`priority` 0 here, "default" on the wire) has no conditions."""

    arn: str
    priority: int  # 1-50000; 0 for the default rule
    conditions: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        """Whether this is the listener's default rule."""
        return self.priority == 0


@dataclass
class Listener:
    """A listener: a port and protocol on a load balancer, its rules by priority (the default rule last)."""

    arn: str
    lb_arn: str
    port: int
    protocol: str
    rules: list[Rule] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)
    ssl_policy: str | None = None
    alpn_policy: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    rules_version: int = 0  # bumped whenever rules, their order or their conditions change

    @property
    def default_rule(self) -> Rule:
        """The default rule (kept last in `rules`, which are sorted by priority)."""
        return next(r for r in reversed(self.rules) if r.is_default)


@dataclass
class Target:
    """A registered target and its health, advanced by the group's health-check timer (spec §4b)."""

    target_id: str  # instance id, IP address or Lambda function ARN
    port: int | None
    zone: str | None  # the AZ the target is in ("all" for an IP outside the VPC)
    registered: float
    state: str = "initial"  # initial | healthy | unhealthy | draining | unused | unavailable
    reason: str | None = "Elb.RegistrationInProgress"
    description: str | None = "Target registration is in progress"
    passes: int = 0  # consecutive successful checks
    fails: int = 0  # consecutive failed checks
    checks: int = 0  # checks run since registration
    drain_until: float = 0.0
    healthy_since: float = 0.0  # for slow start
    inflight: list[float] = field(default_factory=list)  # when each request in flight ends (a heap)
    served: int = 0
    last_request: float = 0.0  # when it last got a request (its connection stays open for the idle timeout)
    last_client: str = ""  # the source address the target last saw (NLB preserves the client's)

    @property
    def key(self) -> str:
        """Targets are keyed by id and port (the same instance may be registered on two ports)."""
        return f"{self.target_id}:{self.port if self.port is not None else ''}"


@dataclass
class HealthCheck:
    """A target group's health check settings (CreateTargetGroup's HealthCheck* parameters)."""

    enabled: bool
    protocol: str | None
    port: str  # "traffic-port" or a number
    path: str | None
    interval: int
    timeout: int
    healthy: int
    unhealthy: int
    matcher: str | None  # "200", "200,202", "200-299"


@dataclass
class TargetGroup:
    """A target group: where forward actions send requests, and how its targets are health checked."""

    arn: str
    name: str
    target_type: str  # instance | ip | lambda | alb
    protocol: str | None
    port: int | None
    vpc_id: str | None
    health: HealthCheck
    protocol_version: str | None = None
    ip_address_type: str = "ipv4"
    attributes: dict[str, str] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    rr_next: int = 0  # round-robin cursor
    check_token: int = 0  # the current health-check timer (a changed interval makes older ones stale)


@dataclass
class ElbRegionState:
    """Every ELBv2 resource of one Region, by ARN."""

    region: str = ""
    load_balancers: dict[str, LoadBalancer] = field(default_factory=dict)
    listeners: dict[str, Listener] = field(default_factory=dict)
    target_groups: dict[str, TargetGroup] = field(default_factory=dict)
    rule_index: dict[str, str] = field(default_factory=dict)  # rule ARN -> listener ARN
