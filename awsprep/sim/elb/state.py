"""Classic Load Balancer state for one Region (snapshots serialise these with `core.codec`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ClbListener:
    """A listener: front-end protocol and port, back-end protocol and port."""

    protocol: str
    port: int
    instance_protocol: str
    instance_port: int
    certificate: str | None = None
    policies: list[str] = field(default_factory=list)


@dataclass
class ClbInstance:
    """A registered instance and its health (InService | OutOfService)."""

    instance_id: str
    state: str = "OutOfService"
    reason: str = "ELB"
    description: str = "Instance registration is still in progress."
    passes: int = 0
    fails: int = 0
    drain_until: float = 0.0  # draining (deregistration in progress) until then; 0 when not draining


@dataclass
class ClassicLb:
    """A Classic Load Balancer: listeners, one health check, instances, attributes, stickiness policies."""

    name: str
    dns_name: str
    created: float
    scheme: str
    vpc_id: str
    subnets: list[str]
    zones: list[str]
    security_groups: list[str]
    listeners: list[ClbListener]
    node_ips: list[str]  # one private address per subnet
    public_ips: list[str]
    health_target: str = "TCP:80"
    interval: int = 30
    timeout: int = 5
    unhealthy: int = 2
    healthy: int = 10
    draining_enabled: bool = False
    draining_timeout: int = 300
    cross_zone: bool = False
    idle_timeout: int = 60
    cookie_policies: dict[str, int] = field(default_factory=dict)  # policy name -> expiration (0 = browser session)
    instances: dict[str, ClbInstance] = field(default_factory=dict)
    rr_next: int = 0
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class ClbRegionState:
    """Every Classic Load Balancer of one Region, by name."""

    region: str = ""
    load_balancers: dict[str, ClassicLb] = field(default_factory=dict)
