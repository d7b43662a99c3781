"""AWS Budgets operations: CreateBudget, DescribeBudget(s), DeleteBudget, CreateNotification,
DescribeNotificationsForBudget, DescribeSubscribersForNotification (cost budgets, and usage budgets of EC2
instance hours; RI and savings-plans budgets, other usage types, budget actions and auto-adjusting limits are not
simulated and say so)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsprep.sim.budgets.check import RUNNING_HOURS, ensure_checking, period, spend
from awsprep.sim.budgets.errors import BUDGET_ERRORS as E
from awsprep.sim.budgets.state import Budget, Notification, Subscriber
from awsprep.sim.core.clock import to_datetime

if TYPE_CHECKING:
    from awsprep.sim.budgets.models import BudgetsBackend

Handler = Callable[["BudgetsBackend", dict[str, Any]], dict[str, Any]]
TIME_UNITS = ("DAILY", "MONTHLY", "QUARTERLY", "ANNUALLY")
NAME = re.compile(r"^[^:\\]+$")
MAX_NOTIFICATIONS = 10
MAX_SUBSCRIBERS = 11  # 10 email addresses and 1 SNS topic
OPEN_END = 3706473600.0  # 2087-06-15: the end AWS shows for a budget with no end date
COST_TYPES = {
    **dict.fromkeys(("IncludeTax", "IncludeSubscription", "IncludeUpfront", "IncludeRecurring"), True),
    **dict.fromkeys(("IncludeOtherSubscription", "IncludeSupport", "IncludeDiscount"), True),
    **dict.fromkeys(("UseBlended", "IncludeRefund", "IncludeCredit", "UseAmortized"), False),
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _account(b: BudgetsBackend, p: dict[str, Any]) -> None:
    if str(p["AccountId"]) != b.world.account_id:
        raise E("WrongAccount", account=p["AccountId"])


def _amount(raw: Any) -> float:
    try:
        value = float(str(raw))
    except ValueError:
        raise E("Invalid", message=f"The budget limit amount {raw} is not a number.") from None
    if math.isnan(value) or math.isinf(value) or value <= 0:
        raise E("Invalid", message=f"The budget limit amount {raw} must be greater than 0.")
    return value


def _notification(raw: dict[str, Any]) -> Notification:
    kind = str(raw["NotificationType"])
    if kind not in ("ACTUAL", "FORECASTED"):
        raise E("Invalid", message=f"Invalid NotificationType: {kind} (ACTUAL or FORECASTED).")
    comparison = str(raw["ComparisonOperator"])
    if comparison not in ("GREATER_THAN", "LESS_THAN", "EQUAL_TO"):
        raise E("Invalid", message=f"Invalid ComparisonOperator: {comparison}.")
    threshold_type = str(raw.get("ThresholdType") or "PERCENTAGE")
    if threshold_type not in ("PERCENTAGE", "ABSOLUTE_VALUE"):
        raise E("Invalid", message=f"Invalid ThresholdType: {threshold_type}.")
    threshold = float(raw["Threshold"])
    if threshold <= 0 or (threshold_type == "PERCENTAGE" and threshold > 1_000_000_000):
        raise E("Invalid", message=f"The notification threshold {threshold:g} must be greater than 0.")
    return Notification(kind, comparison, threshold, threshold_type)


def _subscribers(raw: list[dict[str, Any]]) -> list[Subscriber]:
    if not raw or len(raw) > MAX_SUBSCRIBERS:
        raise E("Invalid", message=f"A notification needs 1 to {MAX_SUBSCRIBERS} subscribers.")
    out = []
    for s in raw:
        kind, address = str(s["SubscriptionType"]), str(s["Address"])
        if kind == "EMAIL" and not EMAIL.match(address):
            raise E("Invalid", message=f"Invalid email address: {address}")
        if kind == "SNS" and not address.startswith("arn:aws:sns:"):
            raise E("Invalid", message=f"Invalid SNS topic ARN: {address}")
        if kind not in ("EMAIL", "SNS"):
            raise E("Invalid", message=f"Invalid SubscriptionType: {kind}")
        out.append(Subscriber(kind, address))
    return out


def _usage_filters(raw: dict[str, Any]) -> dict[str, list[str]]:
    """A USAGE budget tracks one usage type group, named in CostFilters (budgets-create.html: a usage budget
    picks its usage type); awsprep meters EC2 instance hours, so that is the group it can track [INF text]."""
    groups = list((raw.get("CostFilters") or {}).get("UsageTypeGroup") or [])
    if groups != [RUNNING_HOURS]:
        raise E(
            "Invalid",
            message=f'A USAGE budget needs CostFilters {{"UsageTypeGroup": ["{RUNNING_HOURS}"]}}: awsprep tracks '
            "EC2 instance hours only.",
        )
    return {"UsageTypeGroup": groups}


def create_budget(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """A cost budget (USD) or a usage budget (EC2 instance hours) with its notifications."""
    _account(b, p)
    raw = p["Budget"]
    name = str(raw["BudgetName"])
    if not NAME.match(name) or len(name) > 100:
        raise E("Invalid", message=f"Invalid budget name: {name} (1 to 100 characters, no ':' or '\\').")
    if name in b.state.budgets:
        raise E("Duplicate", name=name)
    kind = str(raw["BudgetType"])
    if kind not in ("COST", "USAGE"):
        raise E("Invalid", message=f"awsprep simulates COST and USAGE budgets, not {kind}.")
    if raw["TimeUnit"] not in TIME_UNITS:
        raise E("Invalid", message=f"Invalid TimeUnit: {raw['TimeUnit']}.")
    limit = raw.get("BudgetLimit")
    if not limit:
        raise E("Invalid", message=f"A {kind} budget needs a BudgetLimit (awsprep has no auto-adjusting budgets).")
    filters = _usage_filters(raw) if kind == "USAGE" else {}
    unit = "Hrs" if kind == "USAGE" else "USD"
    if str(limit.get("Unit")) != unit:
        raise E("Invalid", message=f"The budget limit unit must be {unit}, not {limit.get('Unit')}.")
    amount = _amount(limit.get("Amount"))
    wanted = list(p.get("NotificationsWithSubscribers") or [])
    if len(wanted) > MAX_NOTIFICATIONS:
        raise E("Limit", message=f"A budget can have at most {MAX_NOTIFICATIONS} notifications.")
    notes = []
    for item in wanted:
        n = _notification(item["Notification"])
        n.subscribers = _subscribers(item["Subscribers"])
        notes.append(n)
    now = b.world.now
    budget = Budget(name, amount, unit, str(raw["TimeUnit"]), kind, now, now, now, notes, filters)
    budget.start = period(budget, now)[0]
    b.state.budgets[name] = budget
    ensure_checking(b.world, b.state)
    return {}


def _budget(b: BudgetsBackend, p: dict[str, Any]) -> Budget:
    _account(b, p)
    found = b.state.budgets.get(str(p["BudgetName"]))
    if found is None:
        raise E("NotFound", name=p["BudgetName"])
    return found


def _amount_text(value: float) -> str:
    """`100.0`, `12.34`: the decimal string form Budgets returns."""
    return f"{value:.1f}" if value == int(value) else f"{value:.2f}".rstrip("0")


def describe(b: BudgetsBackend, budget: Budget) -> dict[str, Any]:
    """A Budget as DescribeBudgets returns it (spend as of now)."""
    actual, forecast = spend(b.world, budget, b.world.now)
    out: dict[str, Any] = {
        "BudgetName": budget.name,
        "BudgetLimit": {"Amount": _amount_text(budget.amount), "Unit": budget.unit},
        "CostTypes": dict(COST_TYPES),
        "TimeUnit": budget.time_unit,
        "TimePeriod": {"Start": to_datetime(budget.start), "End": to_datetime(OPEN_END)},
        "CalculatedSpend": {
            "ActualSpend": {"Amount": _amount_text(actual), "Unit": budget.unit},
            "ForecastedSpend": {"Amount": _amount_text(forecast), "Unit": budget.unit},
        },
        "BudgetType": budget.budget_type,
        "LastUpdatedTime": to_datetime(budget.updated),
    }
    if budget.cost_filters:
        out["CostFilters"] = {k: list(v) for k, v in budget.cost_filters.items()}
    return out


def describe_budget(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """One budget."""
    return {"Budget": describe(b, _budget(b, p))}


def describe_budgets(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Every budget of the account (names in order)."""
    _account(b, p)
    return {"Budgets": [describe(b, x) for _, x in sorted(b.state.budgets.items())]}


def delete_budget(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Delete a budget and its notifications."""
    budget = _budget(b, p)
    del b.state.budgets[budget.name]
    return {}


def _note_out(n: Notification) -> dict[str, Any]:
    return {
        "NotificationType": n.kind,
        "ComparisonOperator": n.comparison,
        "Threshold": n.threshold,
        "ThresholdType": n.threshold_type,
        "NotificationState": n.state,
    }


def create_notification(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """Add a notification (with its subscribers) to a budget."""
    budget = _budget(b, p)
    n = _notification(p["Notification"])
    for old in budget.notifications:
        if (old.kind, old.comparison, old.threshold, old.threshold_type) == (
            n.kind, n.comparison, n.threshold, n.threshold_type,
        ):  # fmt: skip
            raise E("DuplicateNotification", name=budget.name)
    if len(budget.notifications) >= MAX_NOTIFICATIONS:
        raise E("Limit", message=f"A budget can have at most {MAX_NOTIFICATIONS} notifications.")
    n.subscribers = _subscribers(list(p["Subscribers"]))
    budget.notifications.append(n)
    budget.updated = b.world.now
    return {}


def describe_notifications(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """A budget's notifications."""
    return {"Notifications": [_note_out(n) for n in _budget(b, p).notifications]}


def describe_subscribers(b: BudgetsBackend, p: dict[str, Any]) -> dict[str, Any]:
    """The subscribers of one notification of a budget."""
    budget = _budget(b, p)
    want = _notification(p["Notification"])
    for n in budget.notifications:
        if (n.kind, n.comparison, n.threshold, n.threshold_type) == (
            want.kind, want.comparison, want.threshold, want.threshold_type,
        ):  # fmt: skip
            return {"Subscribers": [{"SubscriptionType": s.kind, "Address": s.address} for s in n.subscribers]}
    raise E("NotFound", name=f"{budget.name} (notification)")


OPERATIONS: dict[str, Handler] = {
    "CreateBudget": create_budget,
    "DescribeBudget": describe_budget,
    "DescribeBudgets": describe_budgets,
    "DeleteBudget": delete_budget,
    "CreateNotification": create_notification,
    "DescribeNotificationsForBudget": describe_notifications,
    "DescribeSubscribersForNotification": describe_subscribers,
}
