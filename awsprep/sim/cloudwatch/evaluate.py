"""Alarms evaluated on the clock, as CloudWatch does: every minute, over the last EvaluationPeriods periods.

Periods are aligned on multiples of the alarm's Period and only whole ones count (a 5-minute datapoint stamped
09:05 is evaluated from 09:10 on). Each period's statistic breaches, does not breach, or is missing; then
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
- `breaching` / `notBreaching`: a missing period counts as breaching / not breaching; ALARM when at least
  DatapointsToAlarm (M) of the N periods breach, else OK.
- `missing` (the default): missing periods are left out; all N missing gives INSUFFICIENT_DATA; with fewer
  than M present, ALARM only if every present one breaches; otherwise ALARM when M breach, else OK.
- `ignore`: as `missing`, except that all N missing keeps the current state.
awsprep does not look further back than N periods when data is missing (AWS may use a longer evaluation range).
Actions run when the state changes; handlers that ask to repeat (Auto Scaling) run again every Period while
the alarm stays in that state.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from awsprep.sim.cloudwatch import actions, stats
from awsprep.sim.cloudwatch.sources import refresh
from awsprep.sim.cloudwatch.state import Alarm, CloudWatchRegionState, HistoryItem
from awsprep.sim.core.clock import iso_z, to_datetime

if TYPE_CHECKING:
    from awsprep.sim.core.clock import Timer
    from awsprep.sim.world import World

TICK = 60.0
HISTORY_LIMIT = 5000  # per Region; the oldest go first (AWS keeps 30 days)
_WORDS = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


def ensure_evaluating(world: World, region: str, state: CloudWatchRegionState) -> None:
    """Queue the Region's once-a-minute evaluation (aligned on the minute) if it is not queued."""
    if state.evaluating:
        return
    state.evaluating = True
    offset = world.now % TICK
    world.schedule(TICK - offset if offset else TICK, "cloudwatch", region, "evaluate", "", every=TICK)


def on_timer(world: World, timer: Timer) -> bool | None:
    """CloudWatch's timers: the evaluation tick (ends itself when the Region has no alarms left)."""
    if timer.kind != "evaluate":
        return None
    state: CloudWatchRegionState = world.region_state("cloudwatch", timer.region)
    if not state.alarms:
        state.evaluating = False
        return False
    evaluate_region(world, timer.region, state)
    return None


def evaluate_region(world: World, region: str, state: CloudWatchRegionState) -> None:
    """Evaluate every alarm of the Region at the current time."""
    for namespace in sorted({a.namespace for a in state.alarms.values()}):
        refresh(world, region, namespace)
    for name in sorted(state.alarms):
        alarm = state.alarms.get(name)
        if alarm is not None:
            evaluate_alarm(world, region, state, alarm)


def _breaches(alarm: Alarm, value: float) -> bool:
    c, t = alarm.comparison, alarm.threshold
    if c == "GreaterThanOrEqualToThreshold":
        return value >= t
    if c == "GreaterThanThreshold":
        return value > t
    if c == "LessThanThreshold":
        return value < t
    return value <= t


def _stamp(ts: float) -> str:
    return to_datetime(ts).strftime("%d/%m/%y %H:%M:%S")


def _plural(n: int) -> str:
    return "datapoint" if n == 1 else "datapoints"


def evaluate_alarm(world: World, region: str, state: CloudWatchRegionState, alarm: Alarm) -> None:
    """One evaluation: decide the state from the last N whole periods, change it (and act) if it differs."""
    now = world.now
    period, n, m = alarm.period, alarm.evaluation_periods, alarm.datapoints_to_alarm
    end = now - (now % period)
    buckets = stats.aggregate(
        world, region, alarm.namespace, alarm.metric_name, alarm.dimensions, end - n * period, end, period, alarm.unit
    )
    stat = alarm.statistic or alarm.extended_statistic or "Average"
    points: list[tuple[float, float | None, float]] = []  # newest first: (period start, value, sample count)
    for k in range(1, n + 1):
        ts = end - k * period
        bucket = buckets.get(ts)
        points.append((ts, bucket.stat(stat) if bucket else None, bucket.count if bucket else 0.0))
    present = [(ts, v) for ts, v, _ in points if v is not None]
    breaching = [(ts, v) for ts, v in present if _breaches(alarm, v)]
    mode = alarm.treat_missing
    missing = n - len(present)
    new: str | None
    if mode in ("breaching", "notBreaching"):
        count = len(breaching) + (missing if mode == "breaching" else 0)
        new = "ALARM" if count >= m else "OK"
    elif not present:
        new = None if mode == "ignore" else "INSUFFICIENT_DATA"
    elif len(present) < m:
        new = "ALARM" if len(breaching) == len(present) else "OK"
    else:
        new = "ALARM" if len(breaching) >= m else "OK"
    if new is None:
        return
    latest = present[0][1] if present else None
    if new == alarm.state:
        _repeat(world, region, state, alarm, latest)
        return
    reason = _reason(alarm, new, present, breaching, n)
    data = {
        "version": "1.0",
        "queryDate": iso_z(now).replace("Z", "+0000"),
        "startDate": iso_z(end - n * period).replace("Z", "+0000"),
        "statistic": stat,
        "period": period,
        "recentDatapoints": [v for _, v in reversed(present)],
        "threshold": alarm.threshold,
        "evaluatedDatapoints": [
            {"timestamp": iso_z(ts).replace("Z", "+0000"), **({"sampleCount": c, "value": v} if v is not None else {})}
            for ts, v, c in points
        ],
    }
    transition(world, region, state, alarm, new, reason, json.dumps(data), latest)


def _reason(
    alarm: Alarm, new: str, present: list[tuple[float, float]], breaching: list[tuple[float, float]], n: int
) -> str:
    if new == "INSUFFICIENT_DATA":
        return f"Insufficient Data: {n} {_plural(n)} {'was' if n == 1 else 'were'} unknown."
    words = _WORDS[alarm.comparison]
    shown = ", ".join(f"{v!r} ({_stamp(ts)})" for ts, v in present)
    if new == "ALARM":
        count, verb = len(breaching), words
    else:
        count, verb = len(present) - len(breaching), f"not {words}"
    if n == 1:
        return f"Threshold Crossed: 1 datapoint [{shown}] was {verb} the threshold ({alarm.threshold!r})."
    need = alarm.datapoints_to_alarm if new == "ALARM" else 1
    return (
        f"Threshold Crossed: {count} out of the last {n} datapoints [{shown}] {'was' if count == 1 else 'were'} "
        f"{verb} the threshold ({alarm.threshold!r}) (minimum {need} {_plural(need)} for "
        f"{alarm.state} -> {new} transition)."
    )


def _record(state: CloudWatchRegionState, item: HistoryItem) -> None:
    state.history.append(item)
    if len(state.history) > HISTORY_LIMIT:
        del state.history[: len(state.history) - HISTORY_LIMIT]


def transition(
    world: World,
    region: str,
    state: CloudWatchRegionState,
    alarm: Alarm,
    new: str,
    reason: str,
    reason_data: str,
    value: float | None,
) -> None:
    """Enter `new` (or only refresh the reason when already there): history, then the state's actions."""
    now = world.now
    old = alarm.state
    alarm.reason, alarm.reason_data, alarm.state_updated = reason, reason_data or None, now
    if new == old:
        return
    alarm.state, alarm.transitioned = new, now
    data: dict[str, object] = {
        "version": "1.0",
        "oldState": {"stateValue": old, "stateReason": "..."},
        "newState": {"stateValue": new, "stateReason": reason},
    }
    if reason_data:
        data["newState"] = {**data["newState"], "stateReasonData": json.loads(reason_data)}  # type: ignore[dict-item]
    _record(state, HistoryItem(alarm.name, now, "StateUpdate", f"Alarm updated from {old} to {new}", json.dumps(data)))
    if alarm.actions_enabled:
        alarm.last_action = now
        for arn in _actions_for(alarm, new):
            _run(world, region, state, alarm, arn, old, value, repeat=False)


def _actions_for(alarm: Alarm, state: str) -> list[str]:
    if state == "ALARM":
        return alarm.alarm_actions
    if state == "OK":
        return alarm.ok_actions
    return alarm.insufficient_actions


def _repeat(world: World, region: str, state: CloudWatchRegionState, alarm: Alarm, value: float | None) -> None:
    if not alarm.actions_enabled or world.now - alarm.last_action < alarm.period:
        return
    due = [arn for arn in _actions_for(alarm, alarm.state) if actions.repeats(arn)]
    if due:
        alarm.last_action = world.now
        for arn in due:
            _run(world, region, state, alarm, arn, alarm.state, value, repeat=True)


def _run(
    world: World,
    region: str,
    state: CloudWatchRegionState,
    alarm: Alarm,
    arn: str,
    old: str,
    value: float | None,
    repeat: bool,
) -> None:
    from awsprep.sim.cloudwatch.notify import message

    notice = actions.AlarmNotice(
        action_arn=arn,
        alarm_name=alarm.name,
        alarm_arn=alarm.arn,
        region=region,
        state=alarm.state,
        previous=old,
        reason=alarm.reason,
        reason_data=alarm.reason_data or "",
        timestamp=world.now,
        namespace=alarm.namespace,
        metric_name=alarm.metric_name,
        dimensions=dict(alarm.dimensions),
        threshold=alarm.threshold,
        comparison=alarm.comparison,
        value=value,
        repeat=repeat,
        message=message(world, region, alarm, old),
    )
    failure = actions.dispatch(world, notice)
    if repeat and failure is None:
        return
    summary = f"Successfully executed action {arn}" if failure is None else f"Failed to execute action {arn}"
    data = {"actionState": "Succeeded" if failure is None else "Failed", "notificationResource": arn}
    if failure is not None:
        data["error"] = failure
    _record(state, HistoryItem(alarm.name, world.now, "Action", summary, json.dumps(data)))
