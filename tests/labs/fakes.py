"""Services a test world can claim to simulate: a backend that answers anything (for the CLI's own commands)."""

from __future__ import annotations

import io
from typing import Any

from awsprep.sim import World
from awsprep.sim.core.service import ServiceSpec
from awsprep.sim.ec2.models import EC2_SERVICE

PAYLOAD = b'{"statusCode": 200}'


class FakeBackend:
    """Answers any operation with an empty result, and the operations whose CLI customization then opens a
    local file with what makes it do so (a payload, password data, a QR code)."""

    def __init__(self, world: World, region: str) -> None:
        """Nothing to set up."""

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if operation == "Invoke":
            return {"StatusCode": 200, "Payload": io.BytesIO(PAYLOAD)}
        if operation == "GetPasswordData":
            return {"InstanceId": params["InstanceId"], "PasswordData": "c2VjcmV0", "Timestamp": "2026-01-01"}
        if operation == "CreateVirtualMFADevice":
            return {"VirtualMFADevice": {"SerialNumber": "arn:aws:iam::111122223333:mfa/m", "QRCodePNG": "cG5n"}}
        return {}

    def on_timer(self, timer: Any) -> None:
        """No timers."""


def fake(name: str) -> ServiceSpec:
    return ServiceSpec(name, dict, lambda w, r: {}, FakeBackend)


CLAIMED = ["cloudformation", "codedeploy", "ecs", "s3", "lambda", "iam", "logs", "ssm"]


def claimed_world(real_ec2: bool = False) -> World:
    """A world that says it simulates every service of the cases (EC2 too, with a fake that answers anything)."""
    return World(seed=1, services=[EC2_SERVICE if real_ec2 else fake("ec2"), *(fake(n) for n in CLAIMED)])
