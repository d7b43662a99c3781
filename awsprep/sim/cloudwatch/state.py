"""CloudWatch state for one Region: alarms and their history, statistic sets and which custom series are this
Region's (datapoints themselves live in the world's core metric store), the billing-alerts preference."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Alarm:
    """One metric alarm, with the fields DescribeAlarms returns (times are simulated seconds)."""

    name: str
    arn: str
    namespace: str
    metric_name: str
    dimensions: dict[str, str]
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    comparison: str
    threshold: float
    statistic: str | None = None
    extended_statistic: str | None = None
    unit: str | None = None
    description: str | None = None
    treat_missing: str = "missing"
    actions_enabled: bool = True
    alarm_actions: list[str] = field(default_factory=list)
    ok_actions: list[str] = field(default_factory=list)
    insufficient_actions: list[str] = field(default_factory=list)
    state: str = "INSUFFICIENT_DATA"
    reason: str = "Unchecked: Initial alarm creation"
    reason_data: str | None = None
    state_updated: float = 0.0
    transitioned: float = 0.0  # StateTransitionedTimestamp: last change of StateValue
    configured: float = 0.0
    last_action: float = 0.0  # when actions that repeat while in a state (Auto Scaling) last ran
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class HistoryItem:
    """One DescribeAlarmHistory entry."""

    alarm_name: str
    timestamp: float
    kind: str  # StateUpdate | ConfigurationUpdate | Action
    summary: str
    data: str


@dataclass
class StatSets:
    """Statistic sets put with PutMetricData's StatisticValues for one series (parallel lists)."""

    times: list[float] = field(default_factory=list)
    counts: list[float] = field(default_factory=list)
    sums: list[float] = field(default_factory=list)
    mins: list[float] = field(default_factory=list)
    maxs: list[float] = field(default_factory=list)


@dataclass
class CloudWatchRegionState:
    """Per-Region CloudWatch state."""

    region: str = ""
    alarms: dict[str, Alarm] = field(default_factory=dict)
    history: list[HistoryItem] = field(default_factory=list)
    evaluating: bool = False  # the Region's once-a-minute evaluation timer is queued
    own: dict[str, str] = field(default_factory=dict)  # metric key -> storage resolution ("1"/"60"): put here
    stat_sets: dict[str, StatSets] = field(default_factory=dict)  # metric key -> statistic sets put here
    billing_alerts: bool = False  # the account's "Receive Billing Alerts" preference (us-east-1 only)
    billing_since: float = 0.0  # when it was turned on (EstimatedCharges starts then)
    billing_until: float = 0.0  # EstimatedCharges datapoints written up to here
