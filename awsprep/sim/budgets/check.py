"""Budgets checked on the clock: actual and forecasted spend against each notification's threshold, and the
emails (or SNS messages) Budgets sends when one is crossed.

AWS updates budget data up to three times a day
(https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html); here every 8 hours
(00:00, 08:00, 16:00 UTC). Actual spend is the month's charges so far (the same estimate CloudWatch's
EstimatedCharges shows, from the usage meter); the forecast extends today's rate to the end of the period.
A notification alerts once per budget period, then waits for the next period.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from awsprep.sim.budgets.state import Budget, BudgetsState, Email, Notification
from awsprep.sim.cloudwatch.billing import charges

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.world import World

EVERY = 8 * 3600.0
SENDER = "AWS Budgets <no-reply@budgets.amazonaws.com>"


def ensure_checking(world: World, state: BudgetsState) -> None:
    """Queue the recurring check (aligned on 00:00/08:00/16:00 UTC) if it is not."""
    if state.checking:
        return
    state.checking = True
    offset = world.now % EVERY
    world.schedule(EVERY - offset if offset else EVERY, "budgets", "us-east-1", "check", "", every=EVERY)


def on_timer(world: World, timer: Timer) -> bool | None:
    """The check: ends itself when there are no budgets left."""
    state: BudgetsState = world.region_state("budgets", "us-east-1")
    if not state.budgets:
        state.checking = False
        return False
    check_all(world, state)
    return None


def period(budget: Budget, at: float) -> tuple[float, float]:
    """The budget period holding `at` (monthly, quarterly, yearly, daily), as [start, end)."""
    d = dt.datetime.fromtimestamp(at, tz=dt.UTC)
    if budget.time_unit == "DAILY":
        start = dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC)
        return start.timestamp(), start.timestamp() + 86400
    if budget.time_unit == "ANNUALLY":
        year = dt.datetime(d.year, 1, 1, tzinfo=dt.UTC).timestamp()
        return year, dt.datetime(d.year + 1, 1, 1, tzinfo=dt.UTC).timestamp()
    months = 3 if budget.time_unit == "QUARTERLY" else 1
    first = d.month - (d.month - 1) % months
    start = dt.datetime(d.year, first, 1, tzinfo=dt.UTC)
    month, year = first + months, d.year
    if month > 12:
        month, year = month - 12, year + 1
    return start.timestamp(), dt.datetime(year, month, 1, tzinfo=dt.UTC).timestamp()


RUNNING_HOURS = "EC2: Running Hours"  # the one usage type group a USAGE budget may track here


def running_hours(world: World, since: float, at: float) -> float:
    """EC2 instance hours used in [since, at), every Region (the meter's instance records; each start bills
    at least a minute, as it costs)."""
    hours = 0.0
    for rec in world.meter.records:
        if rec.kind != "instance" or rec.start >= at:
            continue
        lo, hi = max(rec.start, since), min(rec.end if rec.end is not None else at, at)
        seconds = max(hi - lo, 0.0)
        if since <= rec.start:
            seconds = max(seconds, rec.minimum_seconds)
        hours += seconds * rec.quantity / 3600
    return hours


def spend(world: World, budget: Budget, at: float) -> tuple[float, float]:
    """(actual, forecasted) spend for the budget period holding `at`: USD, or hours for a USAGE budget."""
    start, end = period(budget, at)
    if budget.budget_type == "USAGE":
        actual = running_hours(world, start, at)
    else:
        actual = sum(charges(world, at, since=start).values())
    elapsed = max(at - start, 1.0)
    forecast = actual * (end - start) / elapsed
    return round(actual, 2), round(forecast, 2)


def _limit(n: Notification, budget: Budget) -> float:
    return budget.amount * n.threshold / 100 if n.threshold_type == "PERCENTAGE" else n.threshold


def _crossed(n: Notification, value: float, limit: float) -> bool:
    if n.comparison == "GREATER_THAN":
        return value > limit
    if n.comparison == "LESS_THAN":
        return value < limit
    return abs(value - limit) < 0.005


def check_all(world: World, state: BudgetsState) -> None:
    """Check every notification of every budget now."""
    for name in sorted(state.budgets):
        budget = state.budgets[name]
        actual, forecast = spend(world, budget, world.now)
        start, _ = period(budget, world.now)
        for n in budget.notifications:
            if n.period_start != start:  # a new budget period: every alert may fire again
                n.period_start, n.state = start, "OK"
            value = actual if n.kind == "ACTUAL" else forecast
            if n.state == "OK" and _crossed(n, value, _limit(n, budget)):
                n.state = "ALARM"
                _alert(world, state, budget, n, actual, forecast)


def _alert(world: World, state: BudgetsState, budget: Budget, n: Notification, actual: float, forecast: float) -> None:
    limit = _limit(n, budget)
    what = "exceeded" if n.kind == "ACTUAL" else "is forecasted to exceed"
    subject = (
        f"AWS Budgets: {budget.name} has exceeded your alert threshold"
        if n.kind == "ACTUAL"
        else f"AWS Budgets: {budget.name} is forecasted to exceed your alert threshold"
    )
    if budget.budget_type == "USAGE":
        what_kind, kind_title = "Usage", "Usage"

        def money(v: float) -> str:
            return f"{v:,.2f} {budget.unit}"
    else:
        what_kind, kind_title = "Cost", "Cost"

        def money(v: float) -> str:
            return f"${v:,.2f}"

    shown = f"{n.threshold:g}%" if n.threshold_type == "PERCENTAGE" else money(n.threshold)
    body = (
        f"AWS Budget Notification {dt.datetime.fromtimestamp(world.now, tz=dt.UTC):%B %d, %Y}\n"
        f"AWS Account {world.account_id}\n\n"
        f"Dear AWS Customer,\n\n"
        f"You requested that we alert you when the {n.kind} {what_kind} associated with your {budget.name} budget "
        f"{what} {shown} ({money(limit)}) of your budgeted amount ({money(budget.amount)}) for the current "
        f"{budget.time_unit.lower()} period.\n"
        f"The {n.kind} {what_kind} associated with this budget is "
        f"{money(actual if n.kind == 'ACTUAL' else forecast)}.\n\n"
        f"Budget Name: {budget.name}\nBudget Type: {kind_title}\nBudgeted Amount: {money(budget.amount)}\n"
        f"Alert Type: {n.kind}\nAlert Threshold: > {shown}\n"
        f"ACTUAL Amount: {money(actual)}\nFORECASTED Amount: {money(forecast)}\n"
    )
    for sub in n.subscribers:
        if sub.kind == "EMAIL":
            state.sent.append(Email(world.now, sub.address, subject, body))
            deliver_email(world, sub.address, subject, body)
        else:
            publish = _sns_publish()
            if publish is not None:
                publish(world, sub.address, body, subject=subject)


def _sns_module() -> object | None:
    if importlib.util.find_spec("awsprep.sim.sns") is None:
        return None
    return importlib.import_module("awsprep.sim.sns")


def _sns_publish() -> Any:
    module = _sns_module()
    return getattr(module, "publish", None) if module is not None else None


def deliver_email(world: World, to: str, subject: str, body: str) -> None:
    """Put an email in the sandbox inbox (engineer msg's, kept with SNS's mail) when that package exists."""
    module = _sns_module()
    if module is None:
        return
    send = getattr(module, "send_email", None)
    if callable(send):
        send(world, to, subject, body, sender=SENDER)
        return
    # Until SNS offers a typed send_email: the inbox is SNS's mail list in us-east-1 (Budgets mail is global).
    sns_api: Any = importlib.import_module("awsprep.sim.sns.api")
    mail: Any = importlib.import_module("awsprep.sim.sns.state").Email
    sns_api.backend(world, "us-east-1").state.emails.append(
        mail(at=world.now, to=to, subject=subject, body=body, topic_arn="", kind="notification", sender=SENDER)
    )
