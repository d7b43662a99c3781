"""An ALB target group of type lambda: the function needs a permission for elasticloadbalancing.amazonaws.com,
gets the ALB event, and must answer with the response contract; anything else is the ALB's 502."""

from __future__ import annotations

from typing import Any

from awsprep.sim import World, lambda_
from awsprep.sim.net import http_request
from tests.sim.elb_helpers import call, estate
from tests.sim.lambda_helpers import create

SEEN: list[dict[str, Any]] = []


def _alb_handler(event: dict[str, Any], request: Any, spec: Any) -> Any:
    SEEN.append(event)
    if event["path"] == "/bad":
        return {"body": "no status code"}
    if event["path"] == "/boom":
        raise RuntimeError("boom")
    return {
        "statusCode": 201,
        "headers": {"Content-Type": "text/plain"},
        "body": f"hi {event['httpMethod']}",
        "isBase64Encoded": False,
    }


def test_alb_invokes_the_function_with_its_event_and_contract(world: World) -> None:
    lambda_.use_runtime(world, lambda_.FakeRuntime(behaviour=_alb_handler))
    e = estate(world)
    fn = create(world, "web")["FunctionArn"]
    tg = call(world, "CreateTargetGroup", Name="fn", TargetType="lambda")["TargetGroups"][0]["TargetGroupArn"]
    call(world, "RegisterTargets", TargetGroupArn=tg, Targets=[{"Id": fn}])
    call(world, "ModifyListener", ListenerArn=e.listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    world.advance(200)
    resp = http_request(world, e.dns, 80, path="/hi?x=1")[1]
    assert resp is not None and resp.status == 502  # no permission for the load balancer yet
    world.call(
        "lambda",
        "AddPermission",
        {
            "FunctionName": "web",
            "StatementId": "alb",
            "Action": "lambda:InvokeFunction",
            "Principal": "elasticloadbalancing.amazonaws.com",
            "SourceArn": tg,
        },
    )
    resp = http_request(world, e.dns, 80, path="/hi?x=1")[1]
    assert resp is not None and (resp.status, resp.body) == (201, "hi GET")
    event = SEEN[-1]
    assert event["requestContext"]["elb"]["targetGroupArn"] == tg
    assert event["queryStringParameters"] == {"x": "1"} and event["path"] == "/hi"
    assert event["isBase64Encoded"] is False and "x-forwarded-for" in event["headers"]
    for path in ("/bad", "/boom"):
        resp = http_request(world, e.dns, 80, path=path)[1]
        assert resp is not None and resp.status == 502


def test_a_function_url_answers_once_its_policy_allows_the_public(world: World) -> None:
    lambda_.use_runtime(world, lambda_.FakeRuntime(behaviour=lambda e, r, s: {"path": e["rawPath"]}))
    create(world, "web")
    url = world.call("lambda", "CreateFunctionUrlConfig", {"FunctionName": "web", "AuthType": "NONE"})["FunctionUrl"]
    host = url.split("/")[2]
    resp = http_request(world, host, 443, path="/a")[1]
    assert resp is not None and (resp.status, resp.body) == (403, '{"Message":"Forbidden"}')
    world.call(
        "lambda",
        "AddPermission",
        {
            "FunctionName": "web",
            "StatementId": "url",
            "Action": "lambda:InvokeFunctionUrl",
            "Principal": "*",
            "FunctionUrlAuthType": "NONE",
        },
    )
    resp = http_request(world, host, 443, path="/a")[1]
    assert resp is not None and (resp.status, resp.body) == (200, '{"path": "/a"}')
