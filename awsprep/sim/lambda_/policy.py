"""Resource-based policies (AddPermission, RemovePermission, GetPolicy) and function URLs' configuration."""

from __future__ import annotations

import json
from typing import Any

from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Function, UrlConfig


def add_permission(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    sid = str(p["StatementId"])
    if any(s["Sid"] == sid for s in fn.policy):
        raise E("StatementExists", sid=sid)
    if p.get("RevisionId") and p["RevisionId"] != fn.policy_revision:
        raise E("Revision")
    principal = str(p["Principal"])
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal} if principal.endswith(".amazonaws.com") else {"AWS": principal},
        "Action": str(p["Action"]),
        "Resource": b.arn(fn.name, p.get("Qualifier")),
    }
    condition: dict[str, Any] = {}
    if p.get("SourceArn"):
        condition["ArnLike"] = {"AWS:SourceArn": p["SourceArn"]}
    if p.get("SourceAccount"):
        condition["StringEquals"] = {"AWS:SourceAccount": p["SourceAccount"]}
    if p.get("FunctionUrlAuthType"):
        condition["StringEquals"] = {"lambda:FunctionUrlAuthType": p["FunctionUrlAuthType"]}
    if condition:
        statement["Condition"] = condition
    fn.policy.append({"Sid": sid, "json": json.dumps(statement)})
    fn.policy_revision = b.uuid()
    return {"Statement": json.dumps(statement)}


def remove_permission(b: LambdaBackend, p: dict[str, Any]) -> None:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    sid = str(p["StatementId"])
    if not any(s["Sid"] == sid for s in fn.policy):
        raise E("StatementNotFound", sid=sid)
    fn.policy = [s for s in fn.policy if s["Sid"] != sid]
    fn.policy_revision = b.uuid()


def get_policy(b: LambdaBackend, p: dict[str, Any]) -> dict[str, Any]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    if not fn.policy:
        raise E("NoPolicy")
    doc = {"Version": "2012-10-17", "Id": "default", "Statement": [json.loads(s["json"]) for s in fn.policy]}
    return {"Policy": json.dumps(doc), "RevisionId": fn.policy_revision}


def allows(fn: Function, service: str, action: str = "lambda:InvokeFunction") -> bool:
    """Whether the policy lets an AWS service principal invoke the function (ALB targets, S3, SNS, …)."""
    for s in fn.policy:
        st = json.loads(s["json"])
        if st.get("Principal", {}).get("Service") == service and st.get("Action") in (action, "lambda:*"):
            return True
    return False


def create_url(b: LambdaBackend, p: dict[str, Any]) -> tuple[Function, UrlConfig]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    q = q or ""
    if q and q != "$LATEST" and q not in fn.aliases:
        raise E("Param", message="Function URLs can only be created on an alias or $LATEST.")
    if q in fn.urls:
        raise E("UrlExists", arn=b.arn(fn.name, q or None))
    auth = str(p["AuthType"])
    url_id = f"{b.world.ids.rng.getrandbits(160):040x}"[:32]
    cors = {k: list(v) for k, v in (p.get("Cors") or {}).items() if isinstance(v, list)}
    conf = UrlConfig(q, url_id, auth, cors, b.now_text(), b.world.take_public_ip(b.region))
    fn.urls[q] = conf
    return fn, conf


def url_of(b: LambdaBackend, conf: UrlConfig) -> str:
    return f"https://{conf.url_id}.lambda-url.{b.region}.on.aws/"


def render_url(b: LambdaBackend, fn: Function, conf: UrlConfig) -> dict[str, Any]:
    out: dict[str, Any] = {
        "FunctionUrl": url_of(b, conf),
        "FunctionArn": b.arn(fn.name, conf.qualifier or None),
        "AuthType": conf.auth_type,
        "CreationTime": conf.created,
        "InvokeMode": "BUFFERED",
    }
    if conf.cors:
        out["Cors"] = conf.cors
    return out


def get_url(b: LambdaBackend, p: dict[str, Any]) -> tuple[Function, UrlConfig]:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, q = b.split_name(p["FunctionName"], p.get("Qualifier"))
    conf = fn.urls.get(q or "")
    if conf is None:
        raise E("UrlNotFound")
    return fn, conf
