"""CloudWatch alarms: evaluation on the clock for each TreatMissingData mode, actions through the registry
(SNS, EC2, a toy service standing for Auto Scaling), set-alarm-state, history and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from awsprep.sim import AwsError, World, ec2, run_cli
from awsprep.sim.cloudwatch import actions, notify
from awsprep.sim.cloudwatch.actions import AlarmNotice
from tests.sim.conftest import launch

TOPIC = "arn:aws:sns:us-east-1:111122223333:alerts"


@pytest.fixture
def sent() -> Iterator[list[tuple[str, str, dict[str, Any]]]]:
    got: list[tuple[str, str, dict[str, Any]]] = []

    def publish(world: World, arn: str, message: str, subject: str | None = None) -> None:
        got.append((arn, subject or "", json.loads(message)))

    notify.set_sns_publisher(publish)
    yield got
    notify.set_sns_publisher(None)


def alarm(world: World, name: str = "load-high", **extra: Any) -> None:
    params: dict[str, Any] = {
        "AlarmName": name,
        "Namespace": "MyApp",
        "MetricName": "Load",
        "Statistic": "Average",
        "Period": 60,
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 2,
        "Threshold": 50.0,
        "ComparisonOperator": "GreaterThanThreshold",
    }
    params.update(extra)
    world.call("cloudwatch", "PutMetricAlarm", params)


def minute(world: World, value: float | None) -> None:
    """One minute with one datapoint of `value` (None: no data that minute)."""
    if value is not None:
        world.call(
            "cloudwatch",
            "PutMetricData",
            {"Namespace": "MyApp", "MetricData": [{"MetricName": "Load", "Value": value}]},
        )
    world.advance(60)


def state(world: World, name: str = "load-high") -> str:
    got: str = world.call("cloudwatch", "DescribeAlarms", {"AlarmNames": [name]})["MetricAlarms"][0]["StateValue"]
    return got


def test_a_new_alarm_starts_in_insufficient_data_and_crosses_to_alarm_and_back(world: World, sent: list[Any]) -> None:
    alarm(world, AlarmActions=[TOPIC], OKActions=[TOPIC])
    assert state(world) == "INSUFFICIENT_DATA"
    for v in (10, 20, 30):
        minute(world, v)
    assert state(world) == "OK"
    minute(world, 80)
    assert state(world) == "OK"  # 1 of the last 3 breaching; 2 are needed
    minute(world, 90)
    assert state(world) == "ALARM"
    arn, subject, body = sent[-1]
    assert arn == TOPIC and subject == 'ALARM: "load-high" in US East (N. Virginia)'
    assert body["NewStateValue"] == "ALARM" and body["OldStateValue"] == "OK"
    assert body["Trigger"]["MetricName"] == "Load" and body["Trigger"]["Threshold"] == 50.0
    assert body["NewStateReason"].startswith("Threshold Crossed: 2 out of the last 3 datapoints [90.0 (")
    for v in (10, 10):
        minute(world, v)
    assert state(world) == "OK" and sent[-1][2]["NewStateValue"] == "OK"
    history = world.call(
        "cloudwatch", "DescribeAlarmHistory", {"AlarmName": "load-high", "HistoryItemType": "StateUpdate"}
    )
    summaries = [h["HistorySummary"] for h in history["AlarmHistoryItems"]]
    assert summaries == [
        "Alarm updated from ALARM to OK",
        "Alarm updated from OK to ALARM",
        "Alarm updated from INSUFFICIENT_DATA to OK",
    ]


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("missing", "INSUFFICIENT_DATA"),
        ("notBreaching", "OK"),
        ("breaching", "ALARM"),
        ("ignore", "ALARM"),
    ],
)
def test_each_treat_missing_data_mode_when_the_data_stops(world: World, mode: str, expected: str) -> None:
    alarm(world, TreatMissingData=mode)
    for v in (80, 90, 95):
        minute(world, v)
    assert state(world) == "ALARM"
    for _ in range(4):  # no data at all for longer than the 3 evaluation periods
        minute(world, None)
    assert state(world) == expected


@pytest.mark.parametrize(
    ("mode", "expected"), [("missing", "OK"), ("notBreaching", "OK"), ("breaching", "ALARM"), ("ignore", "OK")]
)
def test_each_mode_with_one_good_datapoint_among_missing_ones(world: World, mode: str, expected: str) -> None:
    # 0 - - : one datapoint under the threshold, two periods without data; M = 2 of N = 3
    alarm(world, TreatMissingData=mode)
    minute(world, 10)
    minute(world, None)
    minute(world, None)
    assert state(world) == expected


def test_missing_mode_alarms_on_fewer_present_datapoints_when_all_of_them_breach(world: World) -> None:
    alarm(world)  # - - X with M = 2: the only datapoint present breaches
    minute(world, None)
    minute(world, None)
    minute(world, 99)
    assert state(world) == "ALARM"


def test_set_alarm_state_runs_the_actions_until_the_next_evaluation(world: World, sent: list[Any]) -> None:
    alarm(world, AlarmActions=[TOPIC], TreatMissingData="notBreaching")
    minute(world, 1)
    assert state(world) == "OK"
    run = run_cli(
        world,
        [
            "cloudwatch",
            "set-alarm-state",
            "--alarm-name",
            "load-high",
            "--state-value",
            "ALARM",
            "--state-reason",
            "testing",
        ],
    )
    assert run.exit_code == 0, run.stderr
    assert state(world) == "ALARM" and sent[-1][2]["NewStateReason"] == "testing"
    world.advance(60)  # the next evaluation puts it back
    assert state(world) == "OK"
    bad = run_cli(
        world,
        ["cloudwatch", "set-alarm-state", "--alarm-name", "nope", "--state-value", "ALARM", "--state-reason", "x"],
    )
    assert bad.exit_code == 255 and "ResourceNotFound" in bad.stderr
    bad_json = run_cli(
        world,
        [
            "cloudwatch", "set-alarm-state", "--alarm-name", "load-high", "--state-value", "ALARM",
            "--state-reason", "x", "--state-reason-data", "{not json",
        ],
    )  # fmt: skip
    assert "InvalidFormat" in bad_json.stderr


def test_disabled_actions_do_not_run_and_history_records_a_failed_action(world: World) -> None:
    alarm(world, AlarmActions=[TOPIC], TreatMissingData="breaching")
    world.call("cloudwatch", "DisableAlarmActions", {"AlarmNames": ["load-high"]})
    minute(world, None)
    assert state(world) == "ALARM"
    actions_run = world.call("cloudwatch", "DescribeAlarmHistory", {"HistoryItemType": "Action"})["AlarmHistoryItems"]
    assert actions_run == []
    world.call("cloudwatch", "EnableAlarmActions", {"AlarmNames": ["load-high"]})
    world.call("cloudwatch", "SetAlarmState", {"AlarmName": "load-high", "StateValue": "OK", "StateReason": "x"})
    world.advance(60)  # back to ALARM with actions on; SNS is not plugged in here
    item = world.call("cloudwatch", "DescribeAlarmHistory", {"HistoryItemType": "Action"})["AlarmHistoryItems"][0]
    assert item["HistorySummary"] == f"Failed to execute action {TOPIC}" or "Successfully" in item["HistorySummary"]


def test_the_registry_routes_by_arn_service_and_repeats_every_period_for_repeating_handlers(world: World) -> None:
    calls: list[AlarmNotice] = []
    actions.register_action("toyscaling", lambda w, n: calls.append(n), repeat=True)
    arn = "arn:aws:toyscaling:us-east-1:111122223333:scalingPolicy:1:policyName/out"
    alarm(world, AlarmActions=[arn], EvaluationPeriods=1, DatapointsToAlarm=1)
    minute(world, 70)
    assert [c.state for c in calls] == ["ALARM"] and calls[0].value == 70.0 and not calls[0].repeat
    minute(world, 75)
    minute(world, 80)
    assert [c.repeat for c in calls] == [False, True, True]  # invoked again each period it stays in ALARM
    assert calls[-1].value == 80.0 and calls[-1].action_arn == arn


def test_ec2_actions_stop_the_instance_the_alarm_watches(world: World) -> None:
    iid = launch(world)
    b = ec2.backend(world)
    world.call("ec2", "MonitorInstances", {"InstanceIds": [iid]})
    world.advance(60)
    b.set_cpu_load(iid, 2)
    alarm(
        world,
        "idle",
        Namespace="AWS/EC2",
        MetricName="CPUUtilization",
        Dimensions=[{"Name": "InstanceId", "Value": iid}],
        ComparisonOperator="LessThanThreshold",
        Threshold=5.0,
        EvaluationPeriods=2,
        DatapointsToAlarm=2,
        AlarmActions=["arn:aws:automate:us-east-1:ec2:stop"],
    )
    world.advance(240)
    history = world.call("cloudwatch", "DescribeAlarmHistory", {"AlarmName": "idle"})["AlarmHistoryItems"]
    summaries = [h["HistorySummary"] for h in history]
    assert "Successfully executed action arn:aws:automate:us-east-1:ec2:stop" in summaries
    assert b.instance(iid).state in ("stopping", "stopped")
    world.advance(180)  # a stopped instance reports nothing: the alarm runs out of data
    assert state(world, "idle") == "INSUFFICIENT_DATA"
    with pytest.raises(AwsError, match="Invalid use of EC2 action"):
        alarm(world, "bad", AlarmActions=["arn:aws:automate:us-east-1:ec2:stop"])


def test_an_update_keeps_the_state_and_delete_removes(world: World) -> None:
    alarm(world, TreatMissingData="breaching")
    minute(world, None)
    assert state(world) == "ALARM"
    alarm(world, Threshold=60.0, TreatMissingData="breaching")
    got = world.call("cloudwatch", "DescribeAlarms", {})["MetricAlarms"][0]
    assert got["StateValue"] == "ALARM" and got["Threshold"] == 60.0
    world.call("cloudwatch", "DeleteAlarms", {"AlarmNames": ["load-high"]})
    assert world.call("cloudwatch", "DescribeAlarms", {})["MetricAlarms"] == []
    with pytest.raises(AwsError) as err:
        world.call("cloudwatch", "DeleteAlarms", {"AlarmNames": ["load-high"]})
    assert err.value.code == "ResourceNotFound"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"Period": 90}, "the period must be 10, 20, 30 or a multiple of 60"),
        ({"Period": 45}, "the period must be 10, 20, 30 or a multiple of 60"),
        ({"MetricName": None}, "MetricName must not be null"),
        ({"Statistic": None}, "Statistic or ExtendedStatistic must not be null"),
        ({"ExtendedStatistic": "p90"}, "Exactly one of Statistic or ExtendedStatistic"),
        ({"Period": 3000, "EvaluationPeriods": 30}, "can't be longer than 86400 seconds"),
        ({"DatapointsToAlarm": 4}, "DatapointsToAlarm must be less than or equal to EvaluationPeriods"),  # [REAL]
        ({"TreatMissingData": "sometimes"}, "TreatMissingData is not supported"),
        ({"ComparisonOperator": "Bigger"}, "ComparisonOperator must be a value in the set"),
        ({"AlarmActions": ["arn:aws:sns:us-west-2:111122223333:t"]}, "Invalid region us-west-2"),
        ({"AlarmActions": ["not-an-arn"]}, "Invalid arn syntax"),
        ({"Metrics": [{"Id": "m1"}]}, "Statistic should not be set if list of Metrics is set."),
    ],
)
def test_bad_alarms_are_refused_with_the_service_message(world: World, change: dict[str, Any], message: str) -> None:
    params: dict[str, Any] = {
        "AlarmName": "a", "Namespace": "MyApp", "MetricName": "Load", "Statistic": "Average", "Period": 60,
        "EvaluationPeriods": 3, "Threshold": 1.0, "ComparisonOperator": "GreaterThanThreshold",
    }  # fmt: skip
    params.update(change)
    params = {k: v for k, v in params.items() if v is not None}
    with pytest.raises(AwsError) as err:
        world.call("cloudwatch", "PutMetricAlarm", params)
    assert err.value.code == "ValidationError" and message in err.value.message


def test_the_cli_reports_a_bad_period_as_aws_does(world: World) -> None:
    res = run_cli(
        world,
        [
            "cloudwatch", "put-metric-alarm", "--alarm-name", "a", "--namespace", "MyApp", "--metric-name", "Load",
            "--statistic", "Average", "--period", "90", "--evaluation-periods", "1", "--threshold", "1",
            "--comparison-operator", "GreaterThanThreshold",
        ],
    )  # fmt: skip
    assert res.exit_code == 255
    assert res.stderr.strip().startswith(
        "An error occurred (ValidationError) when calling the PutMetricAlarm operation:"
    )


def test_alarms_and_their_evaluation_survive_a_snapshot(world: World) -> None:
    alarm(world, TreatMissingData="breaching")
    loaded = World.load(world.save())
    loaded.advance(60)
    assert state(loaded) == "ALARM"


@pytest.mark.parametrize(
    ("action", "expected"),
    [("terminate", "terminate"), ("reboot", "reboot"), ("recover", "reboot")],
)
def test_the_other_ec2_actions_terminate_reboot_and_recover(world: World, action: str, expected: str) -> None:
    """EC2 actions (arn:aws:automate:REGION:ec2:ACTION), run here by set-alarm-state as a learner tests them.
    Recover moves the instance to new hardware with the same id, addresses and metadata: a reboot here."""
    iid = launch(world)
    b = ec2.backend(world)
    private = b.instance(iid).private_ip
    reboots: list[str] = []
    world.watch(lambda w, e: reboots.append(e.resource_id) if e.kind == "instance-reboot" else None)
    arn = f"arn:aws:automate:us-east-1:ec2:{action}"
    alarm(
        world, "watch", Namespace="AWS/EC2", MetricName="StatusCheckFailed_System",
        Dimensions=[{"Name": "InstanceId", "Value": iid}], Threshold=0.0, AlarmActions=[arn],
        Statistic="Maximum", EvaluationPeriods=2, DatapointsToAlarm=2,
    )  # fmt: skip
    world.call("cloudwatch", "SetAlarmState", {"AlarmName": "watch", "StateValue": "ALARM", "StateReason": "test"})
    world.advance(1)
    history = world.call("cloudwatch", "DescribeAlarmHistory", {"AlarmName": "watch"})["AlarmHistoryItems"]
    assert f"Successfully executed action {arn}" in [h["HistorySummary"] for h in history]
    inst = b.instance(iid)
    if expected == "terminate":
        assert inst.state in ("shutting-down", "terminated")
    else:
        assert reboots == [iid] and inst.state == "running" and inst.private_ip == private
