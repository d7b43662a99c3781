"""AWS/Billing EstimatedCharges (us-east-1 only, after billing alerts are on), a billing alarm, and AWS Budgets."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest

from awsprep.sim import AwsError, World, run_cli
from awsprep.sim.cloudwatch import notify
from awsprep.sim.cloudwatch.api import enable_billing_alerts
from tests.sim.conftest import al2023
from tests.sim.test_frontends import check_shape

ACCOUNT = "111122223333"
DIMS = [{"Name": "Currency", "Value": "USD"}]


def _run(world: World, region: str = "us-east-1", count: int = 2, itype: str = "m5.large") -> None:
    world.call(
        "ec2",
        "RunInstances",
        {"ImageId": al2023(region), "InstanceType": itype, "MinCount": count, "MaxCount": count},
        region=region,
    )


def _charges(world: World, region: str = "us-east-1", dims: list[dict[str, str]] = DIMS) -> list[float]:
    out = world.call(
        "cloudwatch",
        "GetMetricStatistics",
        {
            "Namespace": "AWS/Billing",
            "MetricName": "EstimatedCharges",
            "Dimensions": dims,
            "StartTime": world.now - 3 * 86400,
            "EndTime": world.now,
            "Period": 21600,
            "Statistics": ["Maximum"],
        },
        region=region,
    )
    return [p["Maximum"] for p in sorted(out["Datapoints"], key=lambda p: p["Timestamp"])]


def test_estimated_charges_appear_only_after_billing_alerts_and_only_in_us_east_1() -> None:
    world = World(seed=1)
    _run(world)
    _run(world, "eu-west-1")  # billing data covers every Region
    world.advance(86400)
    assert _charges(world) == []  # billing alerts are off: no AWS/Billing metric at all
    assert enable_billing_alerts(world) and not enable_billing_alerts(world)
    world.advance(86400)
    total = _charges(world)
    assert len(total) == 4 and total == sorted(total) and total[0] > 0  # every 6 hours, growing
    ec2_only = _charges(world, dims=[*DIMS, {"Name": "ServiceName", "Value": "AmazonEC2"}])
    assert ec2_only and ec2_only[-1] <= total[-1]
    assert _charges(world, "us-west-2") == []
    listed = world.call("cloudwatch", "ListMetrics", {"Namespace": "AWS/Billing"}, region="eu-west-1")
    assert listed["Metrics"] == []
    here = world.call("cloudwatch", "ListMetrics", {"Namespace": "AWS/Billing"})
    assert {"Name": "ServiceName", "Value": "AmazonEC2"} in [d for m in here["Metrics"] for d in m["Dimensions"]]


@pytest.fixture
def sent() -> Iterator[list[tuple[str, str]]]:
    got: list[tuple[str, str]] = []

    def publish(world: World, arn: str, message: str, subject: str | None = None) -> None:
        got.append((arn, subject or ""))

    notify.set_sns_publisher(publish)
    yield got
    notify.set_sns_publisher(None)


def test_a_billing_alarm_fires_when_the_bill_passes_its_threshold(sent: list[tuple[str, str]]) -> None:
    world = World(seed=2)
    enable_billing_alerts(world)
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:billing"
    alarm = {
        "AlarmName": "bill-over-5",
        "Namespace": "AWS/Billing",
        "MetricName": "EstimatedCharges",
        "Dimensions": DIMS,
        "Statistic": "Maximum",
        "Period": 21600,
        "EvaluationPeriods": 1,
        "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "AlarmActions": [topic],
    }
    world.call("cloudwatch", "PutMetricAlarm", alarm)
    _run(world, count=4)  # 4 × m5.large ≈ $0.38 an hour
    world.advance(6 * 3600)
    assert sent == []
    world.advance(2 * 86400)
    assert sent and sent[0] == (topic, 'ALARM: "bill-over-5" in US East (N. Virginia)')
    # The same alarm in another Region has nothing to watch: billing data is in us-east-1 only.
    world.call("cloudwatch", "PutMetricAlarm", {**alarm, "AlarmActions": []}, region="us-west-2")
    world.advance(86400)
    west = world.call("cloudwatch", "DescribeAlarms", {}, region="us-west-2")["MetricAlarms"][0]
    assert west["StateValue"] == "INSUFFICIENT_DATA"


def _budget(amount: str = "10", name: str = "monthly") -> dict[str, Any]:
    return {
        "BudgetName": name,
        "BudgetLimit": {"Amount": amount, "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }


def _notify(kind: str, threshold: float) -> dict[str, Any]:
    return {
        "Notification": {
            "NotificationType": kind,
            "ComparisonOperator": "GREATER_THAN",
            "Threshold": threshold,
            "ThresholdType": "PERCENTAGE",
        },
        "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "me@example.com"}],
    }


def test_budget_notifications_forecasted_before_actual_by_email() -> None:
    world = World(seed=3)
    world.call(
        "budgets",
        "CreateBudget",
        {
            "AccountId": ACCOUNT,
            "Budget": _budget("10"),
            "NotificationsWithSubscribers": [_notify("ACTUAL", 80), _notify("FORECASTED", 100)],
        },
    )
    from awsprep.sim.budgets.check import spend
    from awsprep.sim.budgets.models import BudgetsBackend

    b = world.backend("budgets")
    assert isinstance(b, BudgetsBackend)
    _run(world, count=4)  # about $9 a day: the month's forecast passes $10 at once, the actual takes a day
    world.advance(16 * 3600)
    subjects = [m.subject for m in b.state.sent]
    assert subjects == ["AWS Budgets: monthly is forecasted to exceed your alert threshold"]
    from awsprep.sim import sns

    assert [m.to for m in sns.inbox(world) if m.subject == subjects[0]] == ["me@example.com"]  # the sandbox inbox
    world.advance(86400)
    subjects = [m.subject for m in b.state.sent]
    assert subjects[-1] == "AWS Budgets: monthly has exceeded your alert threshold" and len(subjects) == 2
    actual, _ = spend(world, b.state.budgets["monthly"], world.now)
    assert actual > 8.0
    world.advance(86400)
    assert len(b.state.sent) == 2  # each alert once per budget period
    notes = world.call("budgets", "DescribeNotificationsForBudget", {"AccountId": ACCOUNT, "BudgetName": "monthly"})
    assert {n["NotificationState"] for n in notes["Notifications"]} == {"ALARM"}
    assert "The ACTUAL Cost associated with this budget is $" in b.state.sent[-1].body


USAGE = {
    "BudgetName": "hours",
    "BudgetLimit": {"Amount": "100", "Unit": "Hrs"},
    "TimeUnit": "MONTHLY",
    "BudgetType": "USAGE",
    "CostFilters": {"UsageTypeGroup": ["EC2: Running Hours"]},
}


def test_a_usage_budget_counts_ec2_instance_hours_and_alerts_in_hours() -> None:
    """A USAGE budget (the lesson's second budget type) on the usage type group EC2: Running Hours: its spend is
    instance hours in every Region, in Hrs, and its alerts say hours, not dollars."""
    world = World(seed=3)
    world.call(
        "budgets",
        "CreateBudget",
        {"AccountId": ACCOUNT, "Budget": USAGE, "NotificationsWithSubscribers": [_notify("ACTUAL", 80)]},
    )
    _run(world, count=3, itype="t3.micro")
    _run(world, region="eu-west-1", count=1, itype="t3.micro")
    world.advance(20 * 3600)  # 4 instances × 20 h = 80 h: not yet above 80 % of 100
    b = world.backend("budgets")
    assert [m.subject for m in b.state.sent] == []  # type: ignore[attr-defined]
    got = world.call("budgets", "DescribeBudget", {"AccountId": ACCOUNT, "BudgetName": "hours"})["Budget"]
    spent = got["CalculatedSpend"]["ActualSpend"]
    assert spent["Unit"] == "Hrs" and 79.0 < float(spent["Amount"]) <= 80.0
    assert got["BudgetLimit"] == {"Amount": "100.0", "Unit": "Hrs"}
    assert got["CostFilters"] == {"UsageTypeGroup": ["EC2: Running Hours"]}
    world.advance(8 * 3600)  # the check at 08:00 UTC (every 8 h): 23 h × 4, about 92 h
    sent = b.state.sent  # type: ignore[attr-defined]
    assert [m.subject for m in sent] == ["AWS Budgets: hours has exceeded your alert threshold"]
    assert re.search(r"The ACTUAL Usage associated with this budget is 9\d\.\d\d Hrs\.", sent[0].body)
    assert "Budget Type: Usage" in sent[0].body and "$" not in sent[0].body


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"CostFilters": {}}, "needs CostFilters"),
        ({"CostFilters": {"UsageTypeGroup": ["S3: Storage - Standard"]}}, "EC2 instance hours only"),
        ({"BudgetLimit": {"Amount": "100", "Unit": "USD"}}, "must be Hrs"),
        ({"BudgetType": "RI_UTILIZATION"}, "COST and USAGE budgets, not RI_UTILIZATION"),
    ],
)
def test_usage_budgets_that_awsprep_cannot_track_are_refused(change: dict[str, Any], needle: str) -> None:
    world = World(seed=4)
    with pytest.raises(AwsError) as err:
        world.call("budgets", "CreateBudget", {"AccountId": ACCOUNT, "Budget": {**USAGE, **change}})
    assert err.value.code == "InvalidParameterException" and needle in err.value.message


@pytest.mark.parametrize(
    ("amount", "needle"),
    [("abc", "is not a number"), ("0", "must be greater than 0"), ("-5", "must be greater than 0")],
)
def test_a_budget_with_a_bad_amount_is_refused(amount: str, needle: str) -> None:
    world = World(seed=4)
    with pytest.raises(AwsError) as err:
        world.call("budgets", "CreateBudget", {"AccountId": ACCOUNT, "Budget": _budget(amount)})
    assert err.value.code == "InvalidParameterException" and needle in err.value.message


def test_budgets_through_the_cli_and_their_errors() -> None:
    world = World(seed=5)
    base = ["budgets", "create-budget", "--account-id", ACCOUNT, "--budget", json.dumps(_budget("25"))]
    assert run_cli(world, base).exit_code == 0
    again = run_cli(world, base)
    assert again.exit_code == 255 and "DuplicateRecordException" in again.stderr
    note = json.dumps(_notify("ACTUAL", 50)["Notification"])
    subs = json.dumps(_notify("ACTUAL", 50)["Subscribers"])
    res = run_cli(
        world,
        [
            "budgets",
            "create-notification",
            "--account-id",
            ACCOUNT,
            "--budget-name",
            "monthly",
            "--notification",
            note,
            "--subscribers",
            subs,
        ],
    )
    assert res.exit_code == 0, res.stderr
    shown = json.loads(run_cli(world, ["budgets", "describe-budgets", "--account-id", ACCOUNT]).stdout)
    assert shown["Budgets"][0]["BudgetLimit"] == {"Amount": "25.0", "Unit": "USD"}
    gone = run_cli(world, ["budgets", "delete-budget", "--account-id", ACCOUNT, "--budget-name", "nope"])
    assert gone.exit_code == 255 and "NotFoundException" in gone.stderr
    wrong = run_cli(world, ["budgets", "describe-budgets", "--account-id", "444455556666"])
    assert "AccessDeniedException" in wrong.stderr


def test_every_budgets_operation_matches_its_botocore_shape() -> None:
    model = botocore.session.get_session().get_service_model("budgets")
    world = World(seed=6)
    n = _notify("ACTUAL", 50)
    calls: list[tuple[str, dict[str, Any]]] = [
        ("CreateBudget", {"AccountId": ACCOUNT, "Budget": _budget(), "NotificationsWithSubscribers": [n]}),
        ("CreateBudget", {"AccountId": ACCOUNT, "Budget": USAGE}),
        ("DescribeBudget", {"AccountId": ACCOUNT, "BudgetName": "hours"}),
        ("CreateNotification", {"AccountId": ACCOUNT, "BudgetName": "monthly", **_notify("FORECASTED", 90)}),
        ("DescribeBudget", {"AccountId": ACCOUNT, "BudgetName": "monthly"}),
        ("DescribeBudgets", {"AccountId": ACCOUNT}),
        ("DescribeNotificationsForBudget", {"AccountId": ACCOUNT, "BudgetName": "monthly"}),
        (
            "DescribeSubscribersForNotification",
            {"AccountId": ACCOUNT, "BudgetName": "monthly", "Notification": n["Notification"]},
        ),
        ("DeleteBudget", {"AccountId": ACCOUNT, "BudgetName": "monthly"}),
    ]
    for op, params in calls:
        out = world.call("budgets", op, params)
        shape = model.operation_model(op).output_shape
        if shape is not None and out:
            check_shape(out, shape, op)
