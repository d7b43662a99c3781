"""Scheduled actions: a one-off StartTime, or a cron Recurrence (five fields) in a time zone (UTC unless
TimeZone names an IANA zone), each setting min, max and/or desired capacity when due (checked every minute;
scheduled actions ignore cooldowns)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.state import Group, Scheduled

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend


def _field(spec: str, low: int, high: int) -> set[int]:
    out: set[int] = set()
    for item in spec.split(","):
        step = 1
        part = item
        if "/" in item:
            part, step_text = item.split("/", 1)
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, c = part.split("-", 1)
            start, end = int(a), int(c)
        else:
            start = end = int(part)
        if start < low or end > high or step < 1:
            raise ValueError(part)
        out.update(range(start, end + 1, step))
    return out


def parse_cron(expr: str) -> tuple[set[int], set[int], set[int], set[int], set[int]]:
    """Minute, hour, day of month, month, day of week (0 = Sunday; 7 also Sunday)."""
    parts = expr.split()
    if len(parts) != 5:
        raise ValueError(expr)
    minute, hour, dom, month, dow = parts
    days = _field(dow, 0, 7)
    if 7 in days:
        days = (days - {7}) | {0}
    return _field(minute, 0, 59), _field(hour, 0, 23), _field(dom, 1, 31), _field(month, 1, 12), days


def zone(name: str | None) -> ZoneInfo | None:
    """The action's time zone (ValidationError for an unknown one)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise E("Validation", message=f"Invalid time zone {name}") from None


def next_cron(expr: str, after: float, tz: str | None) -> float:
    """The first time after `after` the cron expression matches (in its time zone)."""
    minutes, hours, doms, months, dows = parse_cron(expr)
    where = zone(tz) or UTC
    t = datetime.fromtimestamp(after, tz=where).replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(366 * 24 * 60):
        if (
            t.month in months
            and t.day in doms
            and (t.isoweekday() % 7) in dows
            and t.hour in hours
            and t.minute in minutes
        ):
            return t.timestamp()
        if t.hour not in hours or t.day not in doms or t.month not in months:
            t = (t + timedelta(hours=1)).replace(minute=0)
        else:
            t += timedelta(minutes=1)
    raise ValueError(expr)


def plan_next(action: Scheduled, now: float) -> None:
    """When the action runs next (None once a one-off action has run or a recurrence has ended)."""
    if action.recurrence:
        start = max(now, (action.start or now) - 60)
        nxt = next_cron(action.recurrence, start, action.time_zone)
        action.next_run = None if action.end is not None and nxt > action.end else nxt
    else:
        action.next_run = action.start


def run_due(b: AsgBackend, group: Group) -> None:
    """Run every action whose time has come (a one-off action is deleted after it runs, as on AWS)."""
    for action in list(group.scheduled.values()):
        if action.next_run is None or action.next_run > b.now:
            continue
        apply(b, group, action)
        if action.recurrence:
            plan_next(action, b.now)
        else:
            del group.scheduled[action.name]


def apply(b: AsgBackend, group: Group, action: Scheduled) -> None:
    """Set the sizes the action names, keeping min ≤ desired ≤ max."""
    if "ScheduledActions" in group.suspended:
        return
    if action.min_size is not None:
        group.min_size = action.min_size
    if action.max_size is not None:
        group.max_size = action.max_size
    desired = action.desired if action.desired is not None else group.desired
    desired = max(group.min_size, min(group.max_size, desired))
    b.desired_change(
        group,
        f"a scheduled action update of AutoScalingGroup constraints to min: {group.min_size}, "
        f"max: {group.max_size}, desired: {desired}",
        desired,
    )
