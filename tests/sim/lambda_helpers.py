"""Shared helpers for the Lambda tests: packages as bytes, a function created and Active, an invoke."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from awsprep.sim import World

ROLE = "arn:aws:iam::111122223333:role/lambda-role"
COUNTER = """
import os
COUNT = 0
print("init ran")
def lambda_handler(event, context):
    global COUNT
    COUNT += 1
    print("event", event)
    return {"count": COUNT}
"""


def package(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def create(world: World, name: str = "fn", code: str = COUNTER, ready: bool = True, **params: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "FunctionName": name,
        "Runtime": "python3.12",
        "Role": ROLE,
        "Handler": "lambda_function.lambda_handler",
        "Code": {"ZipFile": package({"lambda_function.py": code})},
    }
    base.update(params)
    out = world.call("lambda", "CreateFunction", base)
    if ready:
        world.advance(1)
    return out


def invoke(world: World, name: str = "fn", payload: Any = None, **params: Any) -> dict[str, Any]:
    body = json.dumps(payload if payload is not None else {}).encode()
    out = world.call("lambda", "Invoke", {"FunctionName": name, "Payload": body, **params})
    if isinstance(out.get("Payload"), bytes):
        out["Payload"] = json.loads(out["Payload"])
    return out


def queue(world: World, name: str) -> str:
    """An SQS queue's ARN (destination and DLQ records are read back from it)."""
    url = world.call("sqs", "CreateQueue", {"QueueName": name})["QueueUrl"]
    arn: str = world.call("sqs", "GetQueueAttributes", {"QueueUrl": url, "AttributeNames": ["QueueArn"]})["Attributes"][
        "QueueArn"
    ]
    return arn


def bodies(world: World, arn: str) -> list[tuple[str, dict[str, str]]]:
    from awsprep.sim import sqs

    return [(m.body, {k: a.string_value or "" for k, a in m.attributes.items()}) for m in sqs.messages(world, arn)]


def log_lines(world: World, name: str = "fn") -> list[str]:
    from awsprep.sim import logs

    return [e.message for e in logs.events(world, "us-east-1", f"/aws/lambda/{name}")]
