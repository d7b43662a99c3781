"""Checking a response dict against botocore's output shape (the EC2 model, any other service's too)."""

from __future__ import annotations

import datetime
from typing import Any

import botocore.session

EC2_MODEL = botocore.session.get_session().get_service_model("ec2")

_PY_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (float, int),
    "float": (float, int),
    "timestamp": (datetime.datetime,),
    "blob": (bytes, str),
}


def check_shape(value: Any, shape: Any, path: str) -> None:
    if shape.type_name == "structure":
        assert isinstance(value, dict), path
        for key, item in value.items():
            assert key in shape.members, f"{path}.{key} is not in {shape.name}"
            check_shape(item, shape.members[key], f"{path}.{key}")
        for req in shape.required_members:
            assert req in value, f"{path} lacks required {req}"
    elif shape.type_name == "list":
        assert isinstance(value, list), path
        for i, item in enumerate(value):
            check_shape(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "map":
        assert isinstance(value, dict), path
    else:
        assert isinstance(value, _PY_TYPES[shape.type_name]), f"{path}: {type(value).__name__} for {shape.type_name}"
        if shape.type_name in ("integer", "long"):
            assert not isinstance(value, bool), path
        enum = shape.metadata.get("enum")
        # The model says "Windows"; EC2 really returns "windows" (as in awscli/examples/ec2/*.rst). An internet
        # gateway's attachment is "available" on EC2 (awscli's describe-internet-gateways example), not in the enum.
        exempt = (
            path.rsplit(".", 1)[-1] == "Platform"
            or path.startswith("DescribeInternetGateways")
            or (path.startswith("CreateInternetGateway"))
        )
        if enum and value not in enum and not exempt:
            raise AssertionError(f"{path}: {value!r} not in enum")
