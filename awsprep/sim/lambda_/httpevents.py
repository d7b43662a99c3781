"""HTTP in front of functions: ALB target groups of type `lambda` and function URLs. A request becomes the
service's event, the function runs synchronously, and its result must follow the response contract
(statusCode, headers, body, isBase64Encoded); a malformed result or a function error gives the ALB's 502.
(https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html,
https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html)"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from awsprep.sim.core.endpoint import Endpoint, HttpRequest, HttpResponse
from awsprep.sim.core.errors import AwsError
from awsprep.sim.lambda_.models import backend
from awsprep.sim.lambda_.policy import allows

if TYPE_CHECKING:
    from awsprep.sim.world import World


def _elb_error(status: int, why: str) -> HttpResponse:
    reason = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 403: "Forbidden"}[status]
    body = (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1>"
        "</center>\r\n</body>\r\n</html>\r\n"
    )
    return HttpResponse(status, {"Server": "awselb/2.0", "Content-Type": "text/html"}, body, [f"lambda: {why}"])


def _run(world: World, function_arn: str, event: dict[str, Any]) -> tuple[Any, str, float]:
    """Invoke synchronously: (result object or None, why it failed, seconds it took)."""
    from awsprep.sim.lambda_.invoke import check_runnable, sync, target

    region = function_arn.split(":")[3]
    b = backend(world, region)
    fn, cfg, invoked, pool = target(b, function_arn, None)
    check_runnable(b, fn, cfg)
    ex = sync(b, fn, cfg, invoked, json.dumps(event), pool)
    if ex.function_error:
        return None, f"the function failed ({json.loads(ex.payload).get('errorType')})", ex.seconds
    return json.loads(ex.payload), "", ex.seconds


def _target_group_of(world: World, function_arn: str) -> str:
    from awsprep.sim import elbv2

    region = function_arn.split(":")[3]
    for tg in elbv2.backend(world, region).state.target_groups.values():
        if any(t.target_id == function_arn for t in tg.targets.values()):
            return str(tg.arn)
    return ""


def alb_invoke(world: World, function_arn: str, request: HttpRequest) -> HttpResponse:
    """The invoker ELBv2 calls for a `lambda` target (`elbv2.set_lambda_invoker`)."""
    parts = urlsplit(request.path)
    b = backend(world, function_arn.split(":")[3])
    try:
        fn = b.function(function_arn)
    except AwsError:
        return _elb_error(502, "the function does not exist")
    if not allows(fn, "elasticloadbalancing.amazonaws.com"):
        return _elb_error(502, "the function's policy does not let elasticloadbalancing.amazonaws.com invoke it")
    event = {
        "requestContext": {"elb": {"targetGroupArn": _target_group_of(world, function_arn)}},
        "httpMethod": request.method,
        "path": parts.path or "/",
        "queryStringParameters": dict(parse_qsl(parts.query)),
        "headers": {k.lower(): v for k, v in request.headers.items()} | {"x-forwarded-for": request.client_ip},
        "body": request.body,
        "isBase64Encoded": False,
    }
    try:
        result, why, seconds = _run(world, function_arn, event)
    except AwsError as err:
        return _elb_error(503 if err.status == 429 else 502, f"{err.code}: {err.message}")
    if why:
        out = _elb_error(502, why)
        out.elapsed = seconds
        return out
    return _contract(result, seconds, strict=True)


def _contract(result: Any, seconds: float, strict: bool) -> HttpResponse:
    if not isinstance(result, dict) or "statusCode" not in result:
        if strict:
            out = _elb_error(502, "the response is not an object with a statusCode (the ALB response contract)")
            out.elapsed = seconds
            return out
        return HttpResponse(200, {"Content-Type": "application/json"}, json.dumps(result), elapsed=seconds)
    status = result.get("statusCode")
    headers = result.get("headers") or {}
    body = result.get("body", "")
    if not isinstance(status, int) or not isinstance(headers, dict) or not isinstance(body, str):
        out = _elb_error(502, "statusCode must be a number, headers an object and body a string")
        out.elapsed = seconds
        return out
    if result.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body).decode("utf-8", "replace")
        except ValueError:
            return _elb_error(502, "isBase64Encoded is true but the body is not base64")
    return HttpResponse(
        status, {str(k): str(v) for k, v in headers.items()}, body, ["lambda: answered"], elapsed=seconds
    )


def url_endpoints(world: World, region: str) -> list[Endpoint]:
    """Function URLs on the simulated internet (any address, port 443 or 80)."""
    b = backend(world, region)
    out: list[Endpoint] = []
    for fn in b.state.functions.values():
        for conf in fn.urls.values():
            host = f"{conf.url_id}.lambda-url.{region}.on.aws"
            arn = b.arn(fn.name, conf.qualifier or None)
            out.append(
                Endpoint(
                    endpoint_id=f"url-{conf.url_id}",
                    kind="function-url",
                    service="lambda",
                    region=region,
                    vpc_id="",
                    private_ip=None,
                    public_ip=conf.address,
                    public_names=(host,),
                    internet=True,
                    unfiltered=True,
                    listens=lambda port, proto: proto == "tcp" and port in (80, 443),
                    http=_url_handler(world, arn, conf.auth_type, fn.name, region),
                )
            )
    return out


def _url_handler(world: World, arn: str, auth: str, name: str, region: str) -> Any:
    def handle(request: HttpRequest) -> HttpResponse:
        b = backend(world, region)
        fn = b.state.functions.get(name)
        if fn is None:
            return HttpResponse(404, {"Content-Type": "application/json"}, '{"Message":null}')
        if auth == "AWS_IAM" or (not allows(fn, "*", "lambda:InvokeFunctionUrl") and not _public(fn)):
            return HttpResponse(403, {"Content-Type": "application/json"}, '{"Message":"Forbidden"}')
        parts = urlsplit(request.path)
        event = {
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": parts.path or "/",
            "rawQueryString": parts.query,
            "headers": {k.lower(): v for k, v in request.headers.items()},
            "requestContext": {
                "http": {
                    "method": request.method,
                    "path": parts.path or "/",
                    "protocol": "HTTP/1.1",
                    "sourceIp": request.client_ip,
                    "userAgent": request.headers.get("User-Agent", ""),
                },
                "domainName": request.headers.get("Host", ""),
                "stage": "$default",
            },
            **({"body": request.body} if request.body else {}),
            "isBase64Encoded": False,
        }
        try:
            result, why, seconds = _run(world, arn, event)
        except AwsError as err:
            status = 429 if err.status == 429 else 502
            return HttpResponse(status, {"Content-Type": "application/json"}, json.dumps({"Message": err.message}))
        if why:
            return HttpResponse(
                502, {"Content-Type": "application/json"}, '{"Message":"Internal Server Error"}', elapsed=seconds
            )
        return _contract(result, seconds, strict=False)

    return handle


def _public(fn: Any) -> bool:
    for s in fn.policy:
        st = json.loads(s["json"])
        if st.get("Principal") in ({"AWS": "*"}, "*") and st.get("Action") == "lambda:InvokeFunctionUrl":
            return True
    return False
