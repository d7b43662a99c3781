"""AWS Budgets state (a global service: one state, kept under us-east-1)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Subscriber:
    """Who a notification tells: an email address or an SNS topic."""

    kind: str  # EMAIL | SNS
    address: str


@dataclass
class Notification:
    """One threshold of a budget, with the subscribers it tells when it is crossed."""

    kind: str  # ACTUAL | FORECASTED
    comparison: str  # GREATER_THAN | LESS_THAN | EQUAL_TO
    threshold: float
    threshold_type: str = "PERCENTAGE"  # PERCENTAGE | ABSOLUTE_VALUE
    state: str = "OK"  # OK | ALARM (crossed in the current budget period)
    period_start: float = 0.0  # the budget period it was last evaluated in
    subscribers: list[Subscriber] = field(default_factory=list)


@dataclass
class Budget:
    """A budget: a monthly (or other period) limit in USD (COST) or in hours of a usage type group (USAGE)."""

    name: str
    amount: float
    unit: str
    time_unit: str
    budget_type: str
    created: float
    updated: float
    start: float
    notifications: list[Notification] = field(default_factory=list)
    cost_filters: dict[str, list[str]] = field(default_factory=dict)  # a USAGE budget's UsageTypeGroup


@dataclass
class Email:
    """An email Budgets sent (kept here as well as in the sandbox inbox, for checks)."""

    at: float
    to: str
    subject: str
    body: str


@dataclass
class BudgetsState:
    """Every budget of the account."""

    region: str = "us-east-1"
    budgets: dict[str, Budget] = field(default_factory=dict)
    checking: bool = False  # the recurring check timer is queued
    sent: list[Email] = field(default_factory=list)
