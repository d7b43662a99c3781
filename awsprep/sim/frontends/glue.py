"""botocore event handlers that answer every API call from a `World` instead of the network.

`before-parameter-build` keeps the operation's parameters (after botocore's own handlers, e.g. the
base64 encoding of RunInstances UserData); `before-call` returns `(http_response, parsed)` so botocore
never builds a connection. Errors come back as a parsed `Error` dict with a 4xx status, so botocore
raises its real `ClientError` and the CLI prints its real error line (spec §7.4).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSResponse
from botocore.response import StreamingBody

from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.sim.world import World

PARAMS_KEY = "awsprep.params"
REQUEST_ID = "5f1e0d2c-3b4a-4c5d-8e7f-a1b2c3d4e5f6"


class _Raw:
    """A body that is never read (parsed responses are returned directly)."""

    def stream(self, **kwargs: Any) -> Any:
        return iter(())


_RAW = _Raw()  # stateless, so every response can share it


def _metadata(status: int) -> dict[str, Any]:
    return {"RequestId": REQUEST_ID, "HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}


def _streams(model: Any, parsed: dict[str, Any]) -> dict[str, Any]:
    """A streaming blob of the output (Lambda's Invoke Payload) comes back as bytes from the world; botocore's
    callers read it as a stream (`response["Payload"].read()`, awscli's outfile)."""
    shape = model.output_shape
    if shape is None:
        return parsed
    for name, member in shape.members.items():
        value = parsed.get(name)
        if (
            isinstance(value, bytes)
            and member.type_name == "blob"
            and (
                member.serialization.get("streaming")
                or getattr(member, "metadata", {}).get("streaming")
                or shape.serialization.get("payload") == name
            )
        ):
            parsed[name] = StreamingBody(io.BytesIO(value), len(value))
    return parsed


def _iso_timestamps(value: Any) -> Any:
    """Timestamps as the AWS CLI v2 has them before `--query` and the output format see them: ISO 8601 text
    (cli_timestamp_format iso8601, v2's default), not datetime objects. JMESPath's sort_by(Datapoints,
    &Timestamp) needs strings, and text output then prints 2025-01-06T09:00:00+00:00 as v2 does."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso_timestamps(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_timestamps(v) for v in value]
    return value


class WorldHandlers:
    """The pair of handlers bound to a world (the world can be swapped between calls)."""

    def __init__(self, world: World | Callable[[], World], text_timestamps: bool = False) -> None:
        self._world = world
        self._text_timestamps = text_timestamps

    @property
    def world(self) -> World:
        """The world the next call goes to."""
        w = self._world
        return w if not callable(w) else w()

    def keep_params(self, params: dict[str, Any], context: dict[str, Any], **kwargs: Any) -> None:
        """Remember the API parameters for `answer` (botocore serialises them in between)."""
        context[PARAMS_KEY] = params

    def answer(self, model: Any, context: dict[str, Any], **kwargs: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """Run the call in the world and hand botocore its parsed response or error."""
        service = model.service_model.service_name
        region = context.get("client_region")
        if region == "aws-global":  # global services (Budgets, IAM) resolve to this pseudo-Region; AWS serves them
            region = "us-east-1"  # from us-east-1
        try:
            # World.call copies the parameters itself, so botocore's dict is passed as it is.
            parsed = self.world.call(service, model.name, context.get(PARAMS_KEY), region=region)
            status = 200
            parsed = _streams(model, dict(parsed))
            if self._text_timestamps:
                parsed = _iso_timestamps(parsed)
        except AwsError as err:
            status = err.status
            parsed = {**err.fields, "Error": {"Code": err.code, "Message": err.message}}
        parsed["ResponseMetadata"] = _metadata(status)
        http = AWSResponse(f"https://{service}.{region}.amazonaws.com/", status, {}, _RAW)
        return http, parsed

    def register(self, events: Any) -> None:
        """Attach to a botocore session's (or client's) event system, for every service."""
        events.register_last("before-parameter-build", self.keep_params, unique_id="awsprep-params")
        events.register_last("before-call", self.answer, unique_id="awsprep-answer")
