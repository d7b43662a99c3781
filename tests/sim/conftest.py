"""Shared fixtures: a fresh seeded world per test and helpers to launch instances quickly."""

from __future__ import annotations

from typing import Any

import pytest

from awsprep.sim import World
from awsprep.sim.ec2.catalog import public_image_id


@pytest.fixture
def world() -> World:
    return World(seed=7)


def al2023(region: str = "us-east-1") -> str:
    return public_image_id(region, "al2023")


def launch(world: World, boot: bool = True, **params: Any) -> str:
    """Run one instance (running after `boot`) and return its id."""
    base: dict[str, Any] = {"ImageId": al2023(), "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}
    base.update(params)
    iid: str = world.call("ec2", "RunInstances", base)["Instances"][0]["InstanceId"]
    if boot:
        world.advance(30)
    return iid


def describe(world: World, iid: str) -> dict[str, Any]:
    out: dict[str, Any] = world.call("ec2", "DescribeInstances", {"InstanceIds": [iid]})["Reservations"][0][
        "Instances"
    ][0]
    return out
