"""Auto Scaling state for one Region, as plain dataclasses (snapshots serialise these with `core.codec`).

A group holds its members (`Member`: the Auto Scaling view of an EC2 instance, with its lifecycle state) and its
policies, hooks, scheduled actions and refreshes; the Region keeps the activities (newest first) and an index of
which group an instance belongs to, so EC2 and ELB events find their group without a scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Member:
    """An instance in a group."""

    instance_id: str
    az: str
    subnet_id: str
    instance_type: str
    lifecycle: str  # Pending, Pending:Wait, InService, Terminating, …, Standby, Detaching
    launched_at: float
    health: str = "Healthy"
    health_cause: str = ""  # why it went Unhealthy (the activity's Cause)
    launch_template: dict[str, str] | None = None  # {LaunchTemplateId, LaunchTemplateName, Version}
    launch_config: str | None = None
    image_id: str = ""
    protected: bool = False
    in_service_at: float | None = None
    warm_until: float = 0.0  # still warming up (not counted in the aggregated metric) until then
    activity_id: str = ""  # the activity launching or terminating it
    hook: str = ""  # the lifecycle hook it waits at
    hook_token: str = ""
    hook_result: str = ""  # CONTINUE or ABANDON once decided
    hook_deadline: float = 0.0
    hook_global_deadline: float = 0.0
    after_terminate: str = "replace"  # "replace" | "decrement" | "detach"
    refresh_id: str = ""  # launched by an instance refresh
    drain_until: float = 0.0


@dataclass
class Hook:
    """A lifecycle hook."""

    name: str
    transition: str  # autoscaling:EC2_INSTANCE_LAUNCHING | autoscaling:EC2_INSTANCE_TERMINATING
    heartbeat: int = 3600
    default_result: str = "ABANDON"
    target_arn: str | None = None
    role_arn: str | None = None
    metadata: str | None = None


@dataclass
class Policy:
    """A scaling policy (simple, step or target tracking)."""

    name: str
    arn: str
    policy_type: str
    adjustment_type: str | None = None
    scaling_adjustment: int | None = None
    cooldown: int | None = None
    min_adjustment_magnitude: int | None = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    aggregation: str | None = None
    warmup: int | None = None
    target: dict[str, Any] | None = None  # TargetTrackingConfiguration as given (with DisableScaleIn)
    alarms: list[dict[str, str]] = field(default_factory=list)  # [{AlarmName, AlarmARN}]
    enabled: bool = True
    busy_until: float = 0.0  # simple scaling: ignores alarms until its activity and cooldown end
    waiting_activity: bool = False
    last_step: int = -1  # step scaling: the step last applied (a repeat while warming adds nothing)
    history: list[float | None] = field(default_factory=list)  # target tracking: last minutes' metric values
    alarm_states: dict[str, str] = field(default_factory=dict)  # target tracking alarm name -> state


@dataclass
class Scheduled:
    """A scheduled action (one-off `StartTime`, or a cron `Recurrence` in `TimeZone`)."""

    name: str
    arn: str
    start: float | None = None
    end: float | None = None
    recurrence: str | None = None
    time_zone: str | None = None
    min_size: int | None = None
    max_size: int | None = None
    desired: int | None = None
    next_run: float | None = None


@dataclass
class Refresh:
    """An instance refresh."""

    refresh_id: str
    status: str  # Pending | InProgress | Successful | Failed | Cancelling | Cancelled
    started: float
    preferences: dict[str, Any]
    to_update: int
    target_lt: dict[str, str] | None = None  # the LT (and version as given) new instances use
    desired_configuration: dict[str, Any] | None = None
    ended: float | None = None
    reason: str = ""
    replaced: list[str] = field(default_factory=list)  # old instances already replaced
    to_replace: list[str] = field(default_factory=list)  # old instances still to replace
    batch: list[str] = field(default_factory=list)  # new instances being waited for
    blocked_since: float | None = None
    surge_out: list[str] = field(default_factory=list)  # old instances to terminate once `batch` is ready


@dataclass
class Group:
    """An Auto Scaling group."""

    name: str
    arn: str
    min_size: int
    max_size: int
    desired: int
    created: float
    subnets: list[str] = field(default_factory=list)
    azs: list[str] = field(default_factory=list)
    subnet_zones: dict[str, str] = field(default_factory=dict)  # subnet -> its zone (kept if it is deleted)
    launch_template: dict[str, str] | None = None  # {LaunchTemplateId, LaunchTemplateName, Version}
    launch_config: str | None = None
    default_cooldown: int = 300
    health_check_type: str = "EC2"
    grace: int = 0
    termination_policies: list[str] = field(default_factory=lambda: ["Default"])
    new_protected: bool = False
    default_warmup: int | None = None
    capacity_rebalance: bool = False
    max_lifetime: int | None = None
    target_groups: list[str] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)  # [{Key, Value, PropagateAtLaunch}]
    suspended: list[str] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)
    policies: dict[str, Policy] = field(default_factory=dict)
    hooks: dict[str, Hook] = field(default_factory=dict)
    scheduled: dict[str, Scheduled] = field(default_factory=dict)
    refreshes: list[Refresh] = field(default_factory=list)  # newest first
    notifications: dict[str, list[str]] = field(default_factory=dict)  # topic ARN -> notification types
    cause: str = ""  # the last desired-capacity change, prefixed to the next activity's Cause
    cooldown_until: float = 0.0  # set-desired-capacity --honor-cooldown and simple policies wait for it
    deleting: bool = False
    reconcile_queued: bool = False
    last_failure: str = ""  # why the last launch failed (said once per distinct reason)
    retry_at: float = 0.0
    rebalancing: bool = False
    enabled_metrics: list[str] = field(default_factory=list)  # group metrics published every minute


@dataclass
class Activity:
    """A scaling activity."""

    activity_id: str
    group: str
    description: str
    cause: str
    start: float
    status: str = "InProgress"
    end: float | None = None
    message: str = ""
    progress: int = 0
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class LaunchConfiguration:
    """A launch configuration (the older, immutable launch description)."""

    name: str
    arn: str
    created: float
    data: dict[str, Any]


@dataclass
class AsgRegionState:
    """Every group, activity and launch configuration of a Region."""

    region: str
    groups: dict[str, Group] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)  # newest first
    member_index: dict[str, str] = field(default_factory=dict)  # instance id -> group name
    launch_configs: dict[str, LaunchConfiguration] = field(default_factory=dict)
    ticking: bool = False
