"""CloudWatch Logs: groups and streams, PutLogEvents' batch rules, GetLogEvents tokens, FilterLogEvents with
filter patterns, retention on the clock, the typed API Lambda uses, and every response's botocore shape."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest

from awsprep.sim import AwsError, World, run_cli
from awsprep.sim import logs as logs_api
from awsprep.sim.logs.patterns import compile_pattern
from awsprep.sim.logs.responses import OPERATIONS
from tests.sim.test_frontends import check_shape

MODEL = botocore.session.get_session().get_service_model("logs")
DAY = 86_400


def call(world: World, op: str, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = world.call("logs", op, params)
    return out


def now_ms(world: World) -> int:
    return round(world.now * 1000)


def put(world: World, group: str, stream: str, *messages: str, at: int | None = None) -> dict[str, Any]:
    t = now_ms(world) if at is None else at
    return call(
        world,
        "PutLogEvents",
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": t + i, "message": m} for i, m in enumerate(messages)],
    )


def setup(world: World, group: str = "/app/web", stream: str = "s1") -> None:
    call(world, "CreateLogGroup", logGroupName=group)
    call(world, "CreateLogStream", logGroupName=group, logStreamName=stream)


def test_groups_and_streams(world: World) -> None:
    setup(world)
    with pytest.raises(AwsError) as err:
        call(world, "CreateLogGroup", logGroupName="/app/web")
    assert (err.value.code, err.value.message) == (
        "ResourceAlreadyExistsException",
        "The specified log group already exists",
    )
    with pytest.raises(AwsError) as err:
        call(world, "CreateLogStream", logGroupName="/app/web", logStreamName="s1")
    assert err.value.code == "ResourceAlreadyExistsException"
    with pytest.raises(AwsError) as err:
        call(world, "CreateLogStream", logGroupName="/nope", logStreamName="s1")
    assert (err.value.code, err.value.message) == (
        "ResourceNotFoundException",
        "The specified log group does not exist.",
    )
    with pytest.raises(AwsError) as err:
        call(world, "CreateLogGroup", logGroupName="bad name!")
    assert err.value.code == "InvalidParameterException"
    call(world, "CreateLogGroup", logGroupName="/app/api")
    groups = call(world, "DescribeLogGroups", logGroupNamePrefix="/app/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/app/api", "/app/web"]
    assert groups[1]["arn"] == "arn:aws:logs:us-east-1:111122223333:log-group:/app/web:*"
    assert [g["logGroupName"] for g in call(world, "DescribeLogGroups", logGroupNamePattern="WEB")["logGroups"]] == [
        "/app/web"
    ]
    call(world, "DeleteLogStream", logGroupName="/app/web", logStreamName="s1")
    with pytest.raises(AwsError) as err:
        call(world, "DeleteLogStream", logGroupName="/app/web", logStreamName="s1")
    assert err.value.message == "The specified log stream does not exist."
    call(world, "DeleteLogGroup", logGroupName="/app/web")
    assert len(call(world, "DescribeLogGroups")["logGroups"]) == 1


def test_describe_log_streams_order_and_event_times(world: World) -> None:
    call(world, "CreateLogGroup", logGroupName="g")
    for name in ["b", "a", "c"]:
        call(world, "CreateLogStream", logGroupName="g", logStreamName=name)
    put(world, "g", "c", "first")
    world.advance(5)
    put(world, "g", "a", "later")
    names = [s["logStreamName"] for s in call(world, "DescribeLogStreams", logGroupName="g")["logStreams"]]
    assert names == ["a", "b", "c"]
    newest = call(world, "DescribeLogStreams", logGroupName="g", orderBy="LastEventTime", descending=True)["logStreams"]
    assert [s["logStreamName"] for s in newest] == ["a", "c", "b"]
    assert newest[0]["lastEventTimestamp"] == now_ms(world) and "firstEventTimestamp" not in newest[2]
    with pytest.raises(AwsError) as err:
        call(world, "DescribeLogStreams", logGroupName="g", orderBy="LastEventTime", logStreamNamePrefix="a")
    assert "Cannot order by LastEventTime" in err.value.message


def test_put_log_events_rules(world: World) -> None:
    setup(world)
    t = now_ms(world)
    with pytest.raises(AwsError) as err:
        call(
            world,
            "PutLogEvents",
            logGroupName="/app/web",
            logStreamName="s1",
            logEvents=[{"timestamp": t, "message": "b"}, {"timestamp": t - 1, "message": "a"}],
        )
    assert "chronological order" in err.value.message
    with pytest.raises(AwsError) as err:
        call(
            world,
            "PutLogEvents",
            logGroupName="/app/web",
            logStreamName="s1",
            logEvents=[{"timestamp": t - 2 * DAY * 1000, "message": "a"}, {"timestamp": t, "message": "b"}],
        )
    assert "24 hours" in err.value.message
    out = call(
        world,
        "PutLogEvents",
        logGroupName="/app/web",
        logStreamName="s1",
        logEvents=[
            {"timestamp": t - 15 * DAY * 1000, "message": "ancient"},
            {"timestamp": t, "message": "ok"},
            {"timestamp": t + 3 * 3_600_000, "message": "future"},
        ],
    )
    assert out["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 0, "tooNewLogEventStartIndex": 2}
    assert [e.message for e in logs_api.events(world, "us-east-1", "/app/web")] == ["ok"]
    with pytest.raises(AwsError) as err:
        put(world, "/app/web", "nope", "x")
    assert err.value.message == "The specified log stream does not exist."


def test_get_log_events_from_the_tail_head_and_with_tokens(world: World) -> None:
    setup(world)
    put(world, "/app/web", "s1", *[f"line {i}" for i in range(10)])
    tail = call(world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", limit=3)
    assert [e["message"] for e in tail["events"]] == ["line 7", "line 8", "line 9"]
    head = call(world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", limit=4, startFromHead=True)
    assert [e["message"] for e in head["events"]] == ["line 0", "line 1", "line 2", "line 3"]
    nxt = call(
        world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", limit=4, nextToken=head["nextForwardToken"]
    )
    assert [e["message"] for e in nxt["events"]] == ["line 4", "line 5", "line 6", "line 7"]
    back = call(
        world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", limit=2, nextToken=tail["nextBackwardToken"]
    )
    assert [e["message"] for e in back["events"]] == ["line 5", "line 6"]
    end = call(world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", nextToken=tail["nextForwardToken"])
    assert end["events"] == [] and end["nextForwardToken"] == tail["nextForwardToken"]  # same token at the end
    assert tail["nextForwardToken"].startswith("f/") and len(tail["nextForwardToken"]) == 58
    t0 = tail["events"][0]["timestamp"]
    ranged = call(world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", startTime=t0, endTime=t0 + 2)
    assert [e["message"] for e in ranged["events"]] == ["line 7", "line 8"]  # endTime is exclusive
    with pytest.raises(AwsError) as err:
        call(world, "GetLogEvents", logGroupName="/app/web", logStreamName="s1", nextToken="garbage")
    assert err.value.code == "InvalidParameterException"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (
            "",
            ["ERROR disk full", "WARN slow", "INFO ok", '{"level": "error", "ms": 250}', '{"level": "info", "ms": 5}'],
        ),
        ("ERROR", ["ERROR disk full"]),
        ('"disk full"', ["ERROR disk full"]),
        ("?ERROR ?WARN", ["ERROR disk full", "WARN slow"]),
        ("-INFO -level", ["ERROR disk full", "WARN slow"]),
        ("error", ['{"level": "error", "ms": 250}']),  # terms are case-sensitive
        ('{ $.level = "error" }', ['{"level": "error", "ms": 250}']),
        ("{ $.ms > 100 }", ['{"level": "error", "ms": 250}']),
        ('{ $.level = "inf*" || $.ms >= 250 }', ['{"level": "error", "ms": 250}', '{"level": "info", "ms": 5}']),
        ('{ ($.ms < 10) && $.level != "error" }', ['{"level": "info", "ms": 5}']),
        ("{ $.user NOT EXISTS && $.ms > 1 }", ['{"level": "error", "ms": 250}', '{"level": "info", "ms": 5}']),
        ("%(disk|slow)%", ["ERROR disk full", "WARN slow"]),
    ],
)
def test_filter_patterns(world: World, pattern: str, expected: list[str]) -> None:
    setup(world)
    put(
        world,
        "/app/web",
        "s1",
        "ERROR disk full",
        "WARN slow",
        "INFO ok",
        '{"level": "error", "ms": 250}',
        '{"level": "info", "ms": 5}',
    )
    out = call(world, "FilterLogEvents", logGroupName="/app/web", filterPattern=pattern)
    assert [e["message"] for e in out["events"]] == expected


@pytest.mark.parametrize("pattern", ["{ $.a = }", "{ a = 1 }", '"unclosed', "{ $.a = 1"])
def test_invalid_filter_patterns(pattern: str) -> None:
    with pytest.raises(AwsError) as err:
        compile_pattern(pattern)
    assert err.value.code == "InvalidParameterException"


def test_filter_across_streams_interleaved_and_paged(world: World) -> None:
    setup(world, "g", "a")
    call(world, "CreateLogStream", logGroupName="g", logStreamName="b")
    t = now_ms(world)
    put(world, "g", "a", "a1", at=t)
    put(world, "g", "b", "b1", at=t + 1)
    put(world, "g", "a", "a2", at=t + 2)
    out = call(world, "FilterLogEvents", logGroupName="g")
    assert [(e["logStreamName"], e["message"]) for e in out["events"]] == [("a", "a1"), ("b", "b1"), ("a", "a2")]
    assert len({e["eventId"] for e in out["events"]}) == 3
    only_b = call(world, "FilterLogEvents", logGroupName="g", logStreamNames=["b"])
    assert [e["message"] for e in only_b["events"]] == ["b1"]
    first = call(world, "FilterLogEvents", logGroupName="g", limit=2)
    rest = call(world, "FilterLogEvents", logGroupName="g", limit=2, nextToken=first["nextToken"])
    assert [e["message"] for e in rest["events"]] == ["a2"] and "nextToken" not in rest
    since = call(world, "FilterLogEvents", logGroupName="g", startTime=t + 1, endTime=t + 1)
    assert [e["message"] for e in since["events"]] == ["b1"]  # both ends inclusive here


def test_retention_expires_events_on_the_clock(world: World) -> None:
    setup(world)
    put(world, "/app/web", "s1", "old")
    with pytest.raises(AwsError):
        call(world, "PutRetentionPolicy", logGroupName="/app/web", retentionInDays=4)
    call(world, "PutRetentionPolicy", logGroupName="/app/web", retentionInDays=1)
    assert call(world, "DescribeLogGroups")["logGroups"][0]["retentionInDays"] == 1
    world.advance(DAY - 1)
    put(world, "/app/web", "s1", "new")
    assert [e.message for e in logs_api.events(world, "us-east-1", "/app/web")] == ["old", "new"]
    world.advance(2)
    assert [e.message for e in logs_api.events(world, "us-east-1", "/app/web")] == ["new"]
    call(world, "DeleteRetentionPolicy", logGroupName="/app/web")
    world.advance(30 * DAY)
    assert [e.message for e in logs_api.events(world, "us-east-1", "/app/web")] == ["new"]


def test_typed_write_creates_the_group_and_stream_as_lambda_does(world: World) -> None:
    t = world.now
    logs_api.write(
        world,
        "us-east-1",
        "/aws/lambda/fn",
        "2025/01/06/[$LATEST]abc",
        [(t + 0.002, "END RequestId: 1"), (t, "START RequestId: 1 Version: $LATEST"), "printed"],
    )
    messages = [e.message for e in logs_api.events(world, "us-east-1", "/aws/lambda/fn")]
    assert messages == ["START RequestId: 1 Version: $LATEST", "printed", "END RequestId: 1"]
    with pytest.raises(AwsError) as err:
        logs_api.write(world, "us-east-1", "/aws/lambda/other", "s", ["x"], create=False)
    assert err.value.code == "ResourceNotFoundException"
    from awsprep.sim.core.account import assumed_role

    role = assumed_role("fn-role", "fn")
    world.deny("logs:CreateLogGroup", role)
    with pytest.raises(AwsError):  # a role without logs permissions: no group, as on AWS
        logs_api.write(world, "us-east-1", "/aws/lambda/denied", "s", ["x"], principal=role)
    assert logs_api.group(world, "us-east-1", "/aws/lambda/denied") is None
    res = world.lab_resource("log_group")
    assert (
        res is not None
        and res.fields["event_count"](world, "us-east-1", res.lookup(world, "us-east-1", "/aws/lambda/fn")) == 3
    )


def test_state_survives_a_snapshot(world: World) -> None:
    setup(world)
    put(world, "/app/web", "s1", "kept")
    again = World.load(world.save())
    assert [e.message for e in logs_api.events(again, "us-east-1", "/app/web")] == ["kept"]


def test_every_logs_operation_matches_its_botocore_output_shape(world: World) -> None:
    setup(world)
    put(world, "/app/web", "s1", "a", "b")
    arn = "arn:aws:logs:us-east-1:111122223333:log-group:/app/web"
    params = {
        "CreateLogGroup": {"logGroupName": "/other"},
        "DescribeLogGroups": {},
        "CreateLogStream": {"logGroupName": "/other", "logStreamName": "x"},
        "DescribeLogStreams": {"logGroupName": "/app/web"},
        "PutLogEvents": {
            "logGroupName": "/app/web",
            "logStreamName": "s1",
            "logEvents": [{"timestamp": 0, "message": "too old"}, {"timestamp": now_ms(world), "message": "c"}],
        },
        "GetLogEvents": {"logGroupName": "/app/web", "logStreamName": "s1"},
        "FilterLogEvents": {"logGroupName": "/app/web", "limit": 1},
        "PutRetentionPolicy": {"logGroupName": "/app/web", "retentionInDays": 7},
        "DeleteRetentionPolicy": {"logGroupName": "/app/web"},
        "TagResource": {"resourceArn": arn, "tags": {"a": "b"}},
        "ListTagsForResource": {"resourceArn": arn},
        "UntagResource": {"resourceArn": arn, "tagKeys": ["a"]},
        "DeleteLogStream": {"logGroupName": "/other", "logStreamName": "x"},
        "DeleteLogGroup": {"logGroupName": "/other"},
    }
    assert sorted(params) == sorted(OPERATIONS), "list every implemented operation here"
    for op, p in params.items():
        out = world.call("logs", op, p)
        shape = MODEL.operation_model(op).output_shape
        if shape is None:
            assert out == {}, op
        else:
            check_shape(out, shape, op)


def test_the_cli_end_to_end(world: World) -> None:
    assert run_cli(world, ["logs", "create-log-group", "--log-group-name", "g"]).exit_code == 0
    assert (
        run_cli(world, ["logs", "create-log-stream", "--log-group-name", "g", "--log-stream-name", "s"]).exit_code == 0
    )
    events = json.dumps([{"timestamp": now_ms(world), "message": "hello"}])
    res = run_cli(
        world, ["logs", "put-log-events", "--log-group-name", "g", "--log-stream-name", "s", "--log-events", events]
    )
    assert res.exit_code == 0, res.stderr
    got = run_cli(
        world,
        [
            "logs",
            "get-log-events",
            "--log-group-name",
            "g",
            "--log-stream-name",
            "s",
            "--query",
            "events[0].message",
            "--output",
            "text",
        ],
    )
    assert got.stdout.strip() == "hello"
    bad = run_cli(world, ["logs", "describe-log-streams", "--log-group-name", "missing"])
    assert bad.stderr.strip().endswith("DescribeLogStreams operation: The specified log group does not exist.")
