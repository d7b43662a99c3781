"""Lambda's control plane and invocation rules with the in-process fake runtime (no processes here)."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest

from awsprep.sim import World, lambda_
from awsprep.sim.core.errors import AwsError
from tests.sim.lambda_helpers import ROLE, bodies, create, invoke, log_lines, package, queue
from tests.sim.shapes import check_shape

MODEL = botocore.session.get_session().get_service_model("lambda")


@pytest.fixture
def lw() -> World:
    world = World(seed=5)
    lambda_.use_runtime(world, lambda_.FakeRuntime())
    return world


def err(world: World, op: str, params: dict[str, Any]) -> AwsError:
    with pytest.raises(AwsError) as info:
        world.call("lambda", op, params)
    return info.value


def shape(op: str, out: dict[str, Any]) -> None:
    body = {k: v for k, v in out.items() if k != "Payload"}
    check_shape(body, MODEL.operation_model(op).output_shape, op)


def test_create_is_pending_then_active_and_shapes_validate(lw: World) -> None:
    out = create(lw, ready=False)
    shape("CreateFunction", out)
    assert (out["State"], out["StateReasonCode"]) == ("Pending", "Creating")
    e = err(lw, "Invoke", {"FunctionName": "fn"})
    assert (e.code, e.status) == ("ResourceConflictException", 409)
    lw.advance(1)
    got = lw.call("lambda", "GetFunction", {"FunctionName": "fn"})
    shape("GetFunction", got)
    assert got["Configuration"]["State"] == "Active"
    shape("GetAccountSettings", lw.call("lambda", "GetAccountSettings", {}))
    shape("ListFunctions", lw.call("lambda", "ListFunctions", {}))


def test_create_errors_carry_the_real_messages(lw: World) -> None:
    create(lw)
    e = err(
        lw,
        "CreateFunction",
        {
            "FunctionName": "fn",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "a.b",
            "Code": {"ZipFile": package({"a.py": ""})},
        },
    )
    assert (e.code, e.message) == ("ResourceConflictException", "Function already exist: fn")
    e = err(
        lw,
        "CreateFunction",
        {
            "FunctionName": "g",
            "Runtime": "python3.12",
            "Role": "my-role",
            "Handler": "a.b",
            "Code": {"ZipFile": package({"a.py": ""})},
        },
    )
    assert e.code == "ValidationException" and "at 'role' failed to satisfy constraint" in e.message
    e = err(
        lw,
        "CreateFunction",
        {
            "FunctionName": "g",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "a.b",
            "Code": {"ZipFile": b"not a zip"},
        },
    )
    assert e.message == "Could not unzip uploaded file. Please check your file, then try to upload again."
    e = err(lw, "GetFunction", {"FunctionName": "nope"})
    assert (e.code, e.status) == ("ResourceNotFoundException", 404)
    assert e.message == "Function not found: arn:aws:lambda:us-east-1:111122223333:function:nope"
    e = err(
        lw, "UpdateFunctionConfiguration", {"FunctionName": "fn", "Environment": {"Variables": {"AWS_REGION": "x"}}}
    )
    assert "Reserved keys used in this request: AWS_REGION" in e.message


def test_update_in_progress_conflicts_and_discards_warm_environments(lw: World) -> None:
    create(lw)
    invoke(lw)
    assert lambda_.fleet(lw).envs
    lw.call("lambda", "UpdateFunctionConfiguration", {"FunctionName": "fn", "MemorySize": 256})
    assert not lambda_.fleet(lw).envs  # new configuration: the next call is a cold start
    e = err(lw, "UpdateFunctionConfiguration", {"FunctionName": "fn", "Timeout": 10})
    assert e.code == "ResourceConflictException" and "An update is in progress for resource: arn:" in e.message
    lw.advance(1)
    got = lw.call("lambda", "GetFunctionConfiguration", {"FunctionName": "fn"})
    assert (got["MemorySize"], got["LastUpdateStatus"]) == (256, "Successful")


def test_versions_and_weighted_aliases(lw: World) -> None:
    create(lw)
    v1 = lw.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    assert v1["Version"] == "1"
    assert lw.call("lambda", "PublishVersion", {"FunctionName": "fn"})["Version"] == "1"  # nothing changed
    lw.call("lambda", "UpdateFunctionConfiguration", {"FunctionName": "fn", "Description": "two"})
    lw.advance(1)
    assert lw.call("lambda", "PublishVersion", {"FunctionName": "fn"})["Version"] == "2"
    alias = lw.call(
        "lambda",
        "CreateAlias",
        {
            "FunctionName": "fn",
            "Name": "live",
            "FunctionVersion": "1",
            "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.1}},
        },
    )
    shape("CreateAlias", alias)
    e = err(lw, "CreateAlias", {"FunctionName": "fn", "Name": "live", "FunctionVersion": "1"})
    assert e.message == "Alias already exists: arn:aws:lambda:us-east-1:111122223333:function:fn:live"
    e = err(
        lw,
        "CreateAlias",
        {
            "FunctionName": "fn",
            "Name": "x",
            "FunctionVersion": "$LATEST",
            "RoutingConfig": {"AdditionalVersionWeights": {"1": 0.5}},
        },
    )
    assert e.message == "$LATEST is not supported for an alias pointing to more than 1 version"
    e = err(
        lw,
        "CreateAlias",
        {
            "FunctionName": "fn",
            "Name": "y",
            "FunctionVersion": "1",
            "RoutingConfig": {"AdditionalVersionWeights": {"1": 0.5}},
        },
    )
    assert e.message.startswith("Invalid function version 1. Function version 1 is already included")
    e = err(
        lw,
        "CreateAlias",
        {
            "FunctionName": "fn",
            "Name": "z",
            "FunctionVersion": "1",
            "RoutingConfig": {"AdditionalVersionWeights": {"2": 2.0}},
        },
    )
    assert e.code == "ValidationException" and "'{2=2.0}'" in e.message
    counts = {"1": 0, "2": 0}
    for _ in range(400):
        counts[invoke(lw, Qualifier="live")["ExecutedVersion"]] += 1
    assert 15 <= counts["2"] <= 70 and counts["1"] + counts["2"] == 400
    e = err(lw, "DeleteFunction", {"FunctionName": "fn", "Qualifier": "$LATEST"})
    assert e.message == "$LATEST version cannot be deleted without deleting the function."
    e = err(lw, "Invoke", {"FunctionName": "fn", "Qualifier": "9"})
    assert e.message == "Function not found: arn:aws:lambda:us-east-1:111122223333:function:fn:9"


def test_reserved_concurrency_rule_and_the_kill_switch(lw: World) -> None:
    create(lw)
    create(lw, name="other")
    e = err(lw, "PutFunctionConcurrency", {"FunctionName": "fn", "ReservedConcurrentExecutions": 901})
    assert e.code == "InvalidParameterValueException" and "below its minimum value of [100]" in e.message
    lw.call("lambda", "PutFunctionConcurrency", {"FunctionName": "fn", "ReservedConcurrentExecutions": 900})
    settings = lw.call("lambda", "GetAccountSettings", {})
    assert settings["AccountLimit"]["UnreservedConcurrentExecutions"] == 100
    lw.call("lambda", "PutFunctionConcurrency", {"FunctionName": "fn", "ReservedConcurrentExecutions": 0})
    e = err(lw, "Invoke", {"FunctionName": "fn"})
    assert (e.code, e.message, e.status) == ("TooManyRequestsException", "Rate Exceeded.", 429)
    assert e.fields["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert invoke(lw, "other")["StatusCode"] == 200


def test_provisioned_concurrency_rules_and_readiness(lw: World) -> None:
    create(lw)
    e = err(
        lw,
        "PutProvisionedConcurrencyConfig",
        {"FunctionName": "fn", "Qualifier": "$LATEST", "ProvisionedConcurrentExecutions": 1},
    )
    assert e.message == "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    lw.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    lw.call("lambda", "CreateAlias", {"FunctionName": "fn", "Name": "live", "FunctionVersion": "1"})
    out = lw.call(
        "lambda",
        "PutProvisionedConcurrencyConfig",
        {"FunctionName": "fn", "Qualifier": "live", "ProvisionedConcurrentExecutions": 2},
    )
    shape("PutProvisionedConcurrencyConfig", out)
    assert out["Status"] == "IN_PROGRESS"
    e = err(lw, "GetProvisionedConcurrencyConfig", {"FunctionName": "fn", "Qualifier": "1"})
    assert (e.code, e.status) == ("ProvisionedConcurrencyConfigNotFoundException", 404)
    lw.advance(300)
    got = lw.call("lambda", "GetProvisionedConcurrencyConfig", {"FunctionName": "fn", "Qualifier": "live"})
    assert (got["Status"], got["AvailableProvisionedConcurrentExecutions"]) == ("READY", 2)
    first = lambda_.fleet(lw)
    invoke(lw, Qualifier="live")
    env = next(iter(first.envs.values()))
    assert env.provisioned and env.pool == "live"


def test_layers_order_limit_and_same_layer_twice(lw: World) -> None:
    arns = []
    for i in range(6):
        out = lw.call(
            "lambda",
            "PublishLayerVersion",
            {"LayerName": f"l{i}", "Content": {"ZipFile": package({"python/helper.py": f"N = {i}\n"})}},
        )
        shape("PublishLayerVersion", out)
        arns.append(out["LayerVersionArn"])
    again = lw.call(
        "lambda",
        "PublishLayerVersion",
        {"LayerName": "l0", "Content": {"ZipFile": package({"python/helper.py": "N = 9\n"})}},
    )
    assert again["Version"] == 2
    e = err(
        lw,
        "CreateFunction",
        {
            "FunctionName": "g",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "a.b",
            "Code": {"ZipFile": package({"a.py": ""})},
            "Layers": arns,
        },
    )
    assert e.message == "Cannot reference more than 5 layers."
    e = err(
        lw,
        "CreateFunction",
        {
            "FunctionName": "g",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "a.b",
            "Code": {"ZipFile": package({"a.py": ""})},
            "Layers": [arns[0], again["LayerVersionArn"]],
        },
    )
    assert e.message.startswith("Two different versions of the same layer are not allowed")
    out = create(lw, name="g", Layers=[arns[1], arns[0]])
    assert [x["Arn"] for x in out["Layers"]] == [arns[1], arns[0]]


def test_event_invoke_config_and_its_errors(lw: World) -> None:
    create(lw)
    e = err(lw, "GetFunctionEventInvokeConfig", {"FunctionName": "fn"})
    assert (
        e.message
        == "The function arn:aws:lambda:us-east-1:111122223333:function:fn:$LATEST doesn't have an EventInvokeConfig"
    )
    out = lw.call(
        "lambda",
        "PutFunctionEventInvokeConfig",
        {"FunctionName": "fn", "MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 120},
    )
    shape("PutFunctionEventInvokeConfig", out)
    e = err(lw, "PutFunctionEventInvokeConfig", {"FunctionName": "fn", "MaximumRetryAttempts": 3})
    assert e.code == "ValidationException"


def test_payload_limits_and_bad_json(lw: World) -> None:
    create(lw)
    e = err(lw, "Invoke", {"FunctionName": "fn", "Payload": b'"' + b"x" * (6 * 1024 * 1024) + b'"'})
    assert (e.code, e.status) == ("RequestEntityTooLargeException", 413)
    e = err(
        lw, "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": b'"' + b"x" * (1024 * 1024) + b'"'}
    )
    assert e.code == "RequestEntityTooLargeException" and "1048576" in e.message
    small = b'"' + b"x" * (300 * 1024) + b'"'  # above the old 256 KB async limit, under today's 1 MB
    assert (
        lw.call("lambda", "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": small})["StatusCode"]
        == 202
    )
    e = err(lw, "Invoke", {"FunctionName": "fn", "Payload": b"{not json"})
    assert e.code == "InvalidRequestContentException"


def test_a_response_over_6_mb_is_the_functions_error_and_the_environment_stays_warm(lw: World) -> None:
    lambda_.use_runtime(lw, lambda_.FakeRuntime(behaviour=lambda event, request, spec: "x" * event["size"]))
    create(lw)
    out = invoke(lw, payload={"size": 7 * 1024 * 1024})
    assert out["FunctionError"] == "Unhandled"
    assert out["Payload"] == {
        "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
        "errorType": "Function.ResponseSizeTooLarge",
    }
    assert invoke(lw, payload={"size": 6 * 1024 * 1024})["Payload"] == "x" * (6 * 1024 * 1024)  # just under


def _sum(world: World, metric: str, stat: str = "Sum", **dims: str) -> float:
    out = world.call(
        "cloudwatch",
        "GetMetricStatistics",
        {
            "Namespace": "AWS/Lambda",
            "MetricName": metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
            "StartTime": world.now - 3600,
            "EndTime": world.now + 60,
            "Period": 3600 * 2,
            "Statistics": [stat],
        },
    )
    return float(sum(p[stat] for p in out["Datapoints"]))


def test_invocations_errors_duration_throttles_and_concurrency_reach_cloudwatch(lw: World) -> None:
    lambda_.use_runtime(lw, lambda_.FakeRuntime(behaviour=lambda e, r, s: _boom(e, r, s) if e.get("fail") else 1))
    create(lw)
    invoke(lw)
    invoke(lw)
    invoke(lw, payload={"fail": True})
    lw.call("lambda", "PutFunctionConcurrency", {"FunctionName": "fn", "ReservedConcurrentExecutions": 0})
    assert err(lw, "Invoke", {"FunctionName": "fn"}).code == "TooManyRequestsException"
    assert _sum(lw, "Invocations", FunctionName="fn") == 3  # a throttled request is not an invocation
    assert _sum(lw, "Errors", FunctionName="fn") == 1
    assert _sum(lw, "Throttles", FunctionName="fn") == 1
    assert _sum(lw, "Duration", "SampleCount", FunctionName="fn") == 3
    assert _sum(lw, "ConcurrentExecutions", "Maximum", FunctionName="fn") == 1
    assert _sum(lw, "ConcurrentExecutions", "Maximum") == 1  # the account-wide series has no dimension


def test_non_python_runtimes_are_accepted_but_do_not_run(lw: World) -> None:
    create(lw, Runtime="nodejs20.x", Handler="index.handler")
    e = err(lw, "Invoke", {"FunctionName": "fn"})
    assert "awsprep runs only Python handlers" in e.message and "nodejs20.x" in e.message


def test_async_retries_about_one_and_two_minutes_apart_then_dlq_and_destination(lw: World) -> None:
    runtime = lambda_.FakeRuntime(behaviour=_boom)
    lambda_.use_runtime(lw, runtime)
    dlq, failures = queue(lw, "dlq"), queue(lw, "failures")
    create(lw, DeadLetterConfig={"TargetArn": dlq})
    lw.call(
        "lambda",
        "PutFunctionEventInvokeConfig",
        {
            "FunctionName": "fn",
            "DestinationConfig": {"OnFailure": {"Destination": failures}},
        },
    )
    assert (
        lw.call("lambda", "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": b'{"order": 7}'})[
            "StatusCode"
        ]
        == 202
    )
    lw.advance(0)
    assert runtime.invocations == 1
    lw.advance(59)
    assert runtime.invocations == 1
    lw.advance(2)
    assert runtime.invocations == 2
    lw.advance(119)
    assert runtime.invocations == 3
    ((record, _),) = bodies(lw, failures)
    ((body, attrs),) = bodies(lw, dlq)
    rec = json.loads(record)
    assert rec["requestContext"]["condition"] == "RetriesExhausted"
    assert rec["requestContext"]["approximateInvokeCount"] == 3
    assert rec["requestPayload"] == {"order": 7} and rec["responseContext"]["functionError"] == "Unhandled"
    assert json.loads(body) == {"order": 7} and attrs["ErrorMessage"] == "boom"


def _boom(event: Any, request: Any, spec: Any) -> Any:
    raise ValueError("boom")


def test_reserved_zero_throttles_async_events_until_their_maximum_age(lw: World) -> None:
    # invocation-async-error-handling.html: throttled (429) events go back to the queue and are retried, with a
    # growing interval, until the event's maximum age; then they are discarded to the on-failure destination.
    create(lw)
    failures = queue(lw, "failures")
    lw.call("lambda", "PutFunctionConcurrency", {"FunctionName": "fn", "ReservedConcurrentExecutions": 0})
    lw.call(
        "lambda",
        "PutFunctionEventInvokeConfig",
        {
            "FunctionName": "fn",
            "MaximumEventAgeInSeconds": 60,
            "DestinationConfig": {"OnFailure": {"Destination": failures}},
        },
    )
    lw.call("lambda", "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": b"{}"})
    lw.advance(30)
    assert bodies(lw, failures) == []  # still in the queue, being retried
    lw.advance(60)
    ((record, _),) = bodies(lw, failures)
    assert json.loads(record)["requestContext"]["condition"] == "EventAgeExceeded"


def test_success_destination_gets_the_record(lw: World) -> None:
    create(lw)
    done = queue(lw, "done")
    lw.call(
        "lambda",
        "PutFunctionEventInvokeConfig",
        {
            "FunctionName": "fn",
            "DestinationConfig": {"OnSuccess": {"Destination": done}},
        },
    )
    lw.call("lambda", "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": b'{"a": 1}'})
    lw.advance(1)
    ((record, _),) = bodies(lw, done)
    rec = json.loads(record)
    assert rec["requestContext"]["condition"] == "Success" and rec["responsePayload"] == {"a": 1}


def test_burst_beyond_the_scaling_rate_is_throttled_and_retried(lw: World) -> None:
    runtime = lambda_.FakeRuntime(capacity=2)
    lambda_.use_runtime(lw, runtime)
    create(lw)
    for _ in range(1200):
        lw.call("lambda", "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": b"{}"})
    lw.advance(0)
    fleet = lambda_.fleet(lw)
    assert len(fleet.envs) == 1000  # 1,000 new environments per 10 s, the rest throttled
    assert runtime.started and len(runtime.started) == 2  # only the pool's real ones start processes
    assert any("modelled" in line for line in fleet.debug)
    lw.advance(30)
    assert not lambda_.backend(lw).state.queue  # the throttled events were retried and ran


def test_add_permission_policy_and_function_url(lw: World) -> None:
    create(lw)
    out = lw.call(
        "lambda",
        "AddPermission",
        {
            "FunctionName": "fn",
            "StatementId": "alb",
            "Action": "lambda:InvokeFunction",
            "Principal": "elasticloadbalancing.amazonaws.com",
        },
    )
    shape("AddPermission", out)
    e = err(
        lw,
        "AddPermission",
        {
            "FunctionName": "fn",
            "StatementId": "alb",
            "Action": "lambda:InvokeFunction",
            "Principal": "s3.amazonaws.com",
        },
    )
    assert e.code == "ResourceConflictException"
    url = lw.call("lambda", "CreateFunctionUrlConfig", {"FunctionName": "fn", "AuthType": "NONE"})
    shape("CreateFunctionUrlConfig", url)
    assert url["FunctionUrl"].endswith(".lambda-url.us-east-1.on.aws/")


def test_log_lines_keep_their_order_in_the_stream(lw: World) -> None:
    from tests.sim.lambda_helpers import log_lines

    create(lw)
    invoke(lw)
    invoke(lw)
    lines = log_lines(lw)
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == ["START", "END", "REPORT", "START", "END", "REPORT"]


def test_an_environment_idle_for_ten_simulated_minutes_is_reclaimed(lw: World) -> None:
    runtime = lambda_.FakeRuntime()
    lambda_.use_runtime(lw, runtime)
    create(lw)
    invoke(lw)
    lw.advance(599)
    invoke(lw)
    assert len(runtime.started) == 1  # still warm: 599 s idle
    lw.advance(601)
    invoke(lw)
    assert len(runtime.started) == 2  # reclaimed after 10 minutes idle: a cold start
    reports = [line for line in log_lines(lw) if line.startswith("REPORT")]
    assert ["Init Duration" in line for line in reports] == [True, False, True]


def test_destinations_reach_an_sns_topic_and_another_function(lw: World) -> None:
    from tests.sim.sns_helpers import make_topic, open_queue, sns
    from tests.sim.sqs_helpers import arn as queue_arn

    seen: list[Any] = []

    def behaviour(event: Any, request: Any, spec: Any) -> Any:
        if spec.function_name == "sink":
            seen.append(event)
            return None
        if event.get("fail"):
            raise ValueError("boom")
        return {"done": event["n"]}

    lambda_.use_runtime(lw, lambda_.FakeRuntime(behaviour=behaviour))
    topic = make_topic(lw, "failures")
    open_queue(lw, "via-topic", topic)
    sns(
        lw,
        "Subscribe",
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn("via-topic"),
        Attributes={"RawMessageDelivery": "true"},
    )
    create(lw)
    create(lw, name="sink")
    sink = "arn:aws:lambda:us-east-1:111122223333:function:sink"
    lw.call(
        "lambda",
        "PutFunctionEventInvokeConfig",
        {
            "FunctionName": "fn",
            "MaximumRetryAttempts": 0,
            "DestinationConfig": {"OnSuccess": {"Destination": sink}, "OnFailure": {"Destination": topic}},
        },
    )
    for payload in (b'{"n": 1}', b'{"n": 2, "fail": true}'):
        lw.call("lambda", "Invoke", {"FunctionName": "fn", "InvocationType": "Event", "Payload": payload})
    lw.advance(5)
    (record,) = seen  # the sink function was invoked once, with the success record
    assert record["requestContext"]["condition"] == "Success" and record["responsePayload"] == {"done": 1}
    ((body, _),) = bodies(lw, queue_arn("via-topic"))
    failure = json.loads(body)
    assert failure["requestContext"]["condition"] == "RetriesExhausted"
    assert failure["requestPayload"] == {"n": 2, "fail": True}
    assert failure["responsePayload"]["errorMessage"] == "boom"


def test_the_other_spec_1_4_errors_carry_their_real_messages(lw: World) -> None:
    create(lw)
    for memory in (None, 256, 512):  # versions 1, 2 and 3
        if memory:
            lw.call("lambda", "UpdateFunctionConfiguration", {"FunctionName": "fn", "MemorySize": memory})
            lw.advance(2)
        lw.call("lambda", "PublishVersion", {"FunctionName": "fn"})
    alias = {"FunctionName": "fn", "Name": "a", "FunctionVersion": "1"}
    cases: list[tuple[str, dict[str, Any], str, int, str]] = [
        ("CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.1, "3": 0.1}}},
         "InvalidParameterValueException", 400, "Number of items in AdditionalVersionWeights cannot be greater than 1"),
        ("CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"1": 0.1}}},
         "InvalidParameterValueException", 400,
         "Invalid function version 1. Function version 1 is already included in routing configuration."),
        ("CreateAlias", {**alias, "RoutingConfig": {"AdditionalVersionWeights": {"2": 2.0}}},
         "ValidationException", 400,
         "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to "
         "satisfy constraint: "),
        ("PutProvisionedConcurrencyConfig",
         {"FunctionName": "fn", "Qualifier": "1", "ProvisionedConcurrentExecutions": 0}, "ValidationException", 400,
         "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' "
         "failed to satisfy constraint: Member must have value greater than or equal to 1"),
        ("GetProvisionedConcurrencyConfig", {"FunctionName": "fn", "Qualifier": "1"},
         "ProvisionedConcurrencyConfigNotFoundException", 404,
         "No Provisioned Concurrency Config found for this function"),
        ("UpdateFunctionConfiguration", {"FunctionName": "fn", "RevisionId": "00000000-0000-0000-0000-000000000000"},
         "PreconditionFailedException", 412, "The Revision Id provided does not match the latest Revision Id. "
         "Call the GetFunction/GetAlias API to retrieve the latest Revision Id"),
        ("PublishVersion", {"FunctionName": "fn", "CodeSha256": "abc"}, "InvalidParameterValueException", 400,
         "CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST ("),
    ]  # fmt: skip
    lw.call("lambda", "CreateAlias", {"FunctionName": "fn", "Name": "live", "FunctionVersion": "1"})
    lw.call("lambda", "CreateAlias", {"FunctionName": "fn", "Name": "other", "FunctionVersion": "2"})
    pc = {"FunctionName": "fn", "ProvisionedConcurrentExecutions": 1}
    lw.call("lambda", "PutProvisionedConcurrencyConfig", {**pc, "Qualifier": "live"})
    lw.call("lambda", "PutProvisionedConcurrencyConfig", {**pc, "Qualifier": "2"})
    cases += [
        ("PutProvisionedConcurrencyConfig", {**pc, "Qualifier": "1"}, "ResourceConflictException", 409,
         "Version is pointed by a Provisioned Concurrency alias"),
        ("PutProvisionedConcurrencyConfig", {**pc, "Qualifier": "other"}, "ResourceConflictException", 409,
         "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"),
    ]  # fmt: skip
    for op, params, code, status, message in cases:
        e = err(lw, op, params)
        assert (e.code, e.status) == (code, status), (op, e.message)
        assert e.message.startswith(message), (op, e.message)
