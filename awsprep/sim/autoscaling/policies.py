"""Scaling policies: put-scaling-policy's validation, and what simple, step and target tracking policies do
when an alarm (or execute-policy) triggers them.

- Simple (as-scaling-simple-step.html): one adjustment, then the policy ignores alarms until the activity is
  done and its cooldown (the policy's, else the group's DefaultCooldown) has passed.
- Step: the step whose bounds (relative to the alarm threshold; lower bound inclusive above the threshold)
  contain the breach; no cooldown, and a repeat of the same step while instances warm up adds nothing.
- Target tracking: two alarms the policy owns (`alarms.py`), capacity in proportion to metric / target.
StepAdjustment rules (API_StepAdjustment.html): no overlap, no gap, at most one null lower and one null upper
bound, never both null in one step, a negative lower bound needs a null-lower step and a positive upper bound
a null-upper one.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

from awsprep.sim.autoscaling import alarms
from awsprep.sim.autoscaling.errors import ASG_ERRORS as E
from awsprep.sim.autoscaling.lifecycle import ACTIVE
from awsprep.sim.autoscaling.state import Group, Policy

if TYPE_CHECKING:
    from awsprep.sim.autoscaling.models import AsgBackend

TYPES = ("SimpleScaling", "StepScaling", "TargetTrackingScaling", "PredictiveScaling")
ADJUSTMENTS = ("ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity")
PREDEFINED = ("ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ASGAverageNetworkOut", "ALBRequestCountPerTarget")
POLICY_LIMIT = 50


def put(b: AsgBackend, group: Group, p: dict[str, Any]) -> Policy:
    """PutScalingPolicy (create or replace)."""
    name = p["PolicyName"]
    ptype = p.get("PolicyType") or "SimpleScaling"
    if ptype not in TYPES:
        raise E("Validation", message=f"Invalid policy type: {ptype}")
    if ptype == "PredictiveScaling":
        raise E("Validation", message="awsprep does not simulate predictive scaling policies yet.")
    if name not in group.policies and len(group.policies) >= POLICY_LIMIT:
        raise E("LimitPolicies", limit=POLICY_LIMIT, name=group.name)
    old = group.policies.get(name)
    arn = old.arn if old else b.arn(f"scalingPolicy:{b.uuid()}:autoScalingGroupName/{group.name}:policyName/{name}")
    policy = Policy(name=name, arn=arn, policy_type=ptype, enabled=p.get("Enabled", True) is not False)
    if ptype in ("SimpleScaling", "StepScaling"):
        _adjustment(policy, p)
    if ptype == "SimpleScaling":
        if p.get("ScalingAdjustment") is None:
            raise E("Validation", message="ScalingAdjustment is required for a SimpleScaling policy.")
        if p.get("StepAdjustments"):
            raise E("Validation", message="StepAdjustments are not allowed for a SimpleScaling policy.")
        policy.scaling_adjustment = int(p["ScalingAdjustment"])
        policy.cooldown = p.get("Cooldown")
    elif ptype == "StepScaling":
        if p.get("Cooldown") is not None:
            raise E("Validation", message="Cooldown is only supported for SimpleScaling policies.")
        policy.steps = validate_steps(p.get("StepAdjustments") or [])
        policy.aggregation = p.get("MetricAggregationType") or "Average"
        policy.warmup = p.get("EstimatedInstanceWarmup")
    else:
        conf = p.get("TargetTrackingConfiguration")
        if not conf:
            raise E("Validation", message="TargetTrackingConfiguration is required for a TargetTrackingScaling policy.")
        policy.target = _tracking(conf)
        policy.warmup = p.get("EstimatedInstanceWarmup")
    if ptype == "TargetTrackingScaling":
        if old and old.alarms:
            policy.alarms, policy.alarm_states = old.alarms, old.alarm_states
        else:
            alarms.create(b, group, policy)
    elif old and old.alarms:
        alarms.drop(b, group, old)
    group.policies[name] = policy
    b.ensure_ticking()
    return policy


def _adjustment(policy: Policy, p: dict[str, Any]) -> None:
    """AdjustmentType and MinAdjustmentMagnitude of a simple or step policy."""
    adj = p.get("AdjustmentType")
    if adj is None:
        raise E("Validation", message="AdjustmentType is required for SimpleScaling and StepScaling policies.")
    if adj not in ADJUSTMENTS:
        raise E("Validation", message=f"Invalid adjustment type: {adj}")
    policy.adjustment_type = adj
    magnitude = p.get("MinAdjustmentMagnitude")
    if magnitude is not None and adj != "PercentChangeInCapacity":
        raise E("Validation", message="MinAdjustmentMagnitude may only be used with PercentChangeInCapacity")
    policy.min_adjustment_magnitude = magnitude


def _tracking(conf: dict[str, Any]) -> dict[str, Any]:
    predefined = conf.get("PredefinedMetricSpecification")
    custom = conf.get("CustomizedMetricSpecification")
    if bool(predefined) == bool(custom):
        raise E(
            "Validation",
            message="Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified.",
        )
    if predefined:
        kind = predefined.get("PredefinedMetricType")
        if kind not in PREDEFINED:
            raise E("Validation", message=f"Invalid predefined metric type: {kind}")
        if kind == "ALBRequestCountPerTarget" and not predefined.get("ResourceLabel"):
            raise E("Validation", message="ResourceLabel is required for ALBRequestCountPerTarget.")
    if custom and not custom.get("MetricName") and not custom.get("Metrics"):
        raise E("Validation", message="A customized metric needs a MetricName (or Metrics).")
    out = dict(conf)
    out["TargetValue"] = float(conf["TargetValue"])
    out.setdefault("DisableScaleIn", False)
    return out


def validate_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check the step bounds as the API does; returns them sorted by lower bound."""
    if not steps:
        raise E("Validation", message="StepAdjustments are required for a StepScaling policy.")
    lows = [s.get("MetricIntervalLowerBound") for s in steps]
    highs = [s.get("MetricIntervalUpperBound") for s in steps]
    if any(lo is None and hi is None for lo, hi in zip(lows, highs, strict=True)):
        raise E("Validation", message="The upper and lower bound can't be null in the same step adjustment.")
    if lows.count(None) > 1:
        raise E("Validation", message="At most one step adjustment can have a null lower bound.")
    if highs.count(None) > 1:
        raise E("Validation", message="At most one step adjustment can have a null upper bound.")
    for lo, hi in zip(lows, highs, strict=True):
        if lo is not None and hi is not None and float(hi) <= float(lo):
            raise E("Validation", message="The upper bound must be greater than the lower bound of a step adjustment.")
    if any(lo is not None and float(lo) < 0 for lo in lows) and None not in lows:
        raise E(
            "Validation",
            message="A step adjustment with a negative lower bound needs a step adjustment with a null lower bound.",
        )
    if any(hi is not None and float(hi) > 0 for hi in highs) and None not in highs:
        raise E(
            "Validation",
            message="A step adjustment with a positive upper bound needs a step adjustment with a null upper bound.",
        )
    ordered = sorted(
        steps,
        key=lambda s: -math.inf if s.get("MetricIntervalLowerBound") is None else float(s["MetricIntervalLowerBound"]),
    )
    for a, c in itertools.pairwise(ordered):
        hi, lo = a.get("MetricIntervalUpperBound"), c.get("MetricIntervalLowerBound")
        if hi is None or lo is None or float(hi) > float(lo):
            raise E("Validation", message="The ranges of your step adjustments can't overlap.")
        if float(hi) < float(lo):
            raise E("Validation", message="The ranges of your step adjustments can't have a gap.")
    return [dict(s) for s in ordered]


def _round_percent(current: int, pct: int, magnitude: int | None) -> int:
    """PercentChangeInCapacity: >1 rounds down, 0..1 → 1, −1..0 → −1, < −1 rounds up (toward zero)."""
    raw = current * pct / 100.0
    if raw > 1:
        change = math.floor(raw)
    elif raw > 0:
        change = 1
    elif raw == 0:
        change = 0
    elif raw >= -1:
        change = -1
    else:
        change = math.ceil(raw)
    if magnitude is not None and change != 0 and abs(change) < magnitude:
        change = magnitude if change > 0 else -magnitude
    return change


def new_capacity(group: Group, policy: Policy, adjustment: int, current: int) -> int:
    """The desired capacity an adjustment asks for, clamped to [min, max]."""
    if policy.adjustment_type == "ExactCapacity":
        wanted = adjustment
    elif policy.adjustment_type == "PercentChangeInCapacity":
        wanted = current + _round_percent(current, adjustment, policy.min_adjustment_magnitude)
    else:
        wanted = current + adjustment
    return max(group.min_size, min(group.max_size, wanted))


def pick_step(policy: Policy, value: float, threshold: float) -> int | None:
    """The index of the step that contains the breach (value − threshold), or None."""
    diff = value - threshold
    above = value >= threshold
    for i, s in enumerate(policy.steps):
        lo = s.get("MetricIntervalLowerBound")
        hi = s.get("MetricIntervalUpperBound")
        lo_v = -math.inf if lo is None else float(lo)
        hi_v = math.inf if hi is None else float(hi)
        inside = (lo_v <= diff < hi_v) if above else (lo_v < diff <= hi_v)
        if inside:
            return i
    return None


def busy(b: AsgBackend, group: Group, policy: Policy) -> bool:
    """A simple policy waits for its activity to finish and then for the cooldown."""
    if policy.waiting_activity:
        if any(m.lifecycle not in ("InService", "Standby") for m in group.members.values()):
            return True
        ended = max((a.end or 0.0 for a in b.state.activities[:50] if a.group == group.name), default=b.now)
        cooldown = policy.cooldown if policy.cooldown is not None else group.default_cooldown
        policy.busy_until = ended + cooldown
        policy.waiting_activity = False
    return b.now < policy.busy_until


def trigger(
    b: AsgBackend,
    group: Group,
    policy: Policy,
    cause: str,
    value: float | None = None,
    threshold: float | None = None,
    honor_cooldown: bool = True,
) -> bool:
    """Run a simple or step policy once (an alarm, or execute-policy); returns whether it changed anything."""
    if policy.policy_type == "SimpleScaling":
        if honor_cooldown and busy(b, group, policy):
            return False
        wanted = new_capacity(group, policy, policy.scaling_adjustment or 0, group.desired)
        policy.waiting_activity = True
    elif policy.policy_type == "StepScaling":
        if value is None or threshold is None:
            raise E("Validation", message="MetricValue and BreachThreshold are required for a step scaling policy.")
        index = pick_step(policy, value, threshold)
        if index is None:
            return False
        warming = any(
            m.lifecycle != "InService" or m.warm_until > b.now for m in group.members.values() if m.lifecycle in ACTIVE
        )
        if warming and index == policy.last_step:
            return False  # the same step again while its instances warm up: already counted
        policy.last_step = index
        wanted = new_capacity(group, policy, int(policy.steps[index]["ScalingAdjustment"]), group.desired)
    else:
        raise E("Validation", message="ExecutePolicy is not supported for target tracking policies.")
    if wanted == group.desired:
        return False
    b.desired_change(group, cause, wanted)
    return True
