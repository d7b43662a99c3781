"""Where Lambda's output goes in other services, behind two small ports: CloudWatch Logs (the function's log
lines) and message targets (SQS queues, SNS topics: DLQ messages and destination records).

The Logs, SQS and SNS packages plug their typed APIs in here (`set_log_sink`, `set_target`); until one does,
lines and records for it are kept in `Undelivered` (tests read them) and the debug log says where they went.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from awsprep.sim.world import World


class LogSink(Protocol):
    """CloudWatch Logs: append events (timestamp in seconds, message) to a stream, creating group and stream."""

    def __call__(self, world: World, region: str, group: str, stream: str, events: list[tuple[float, str]]) -> None: ...


class Target(Protocol):
    """A message target (SQS SendMessage, SNS Publish): `attributes` are message attributes (string values).
    Returns False when the target does not exist (the record is then lost, as on AWS)."""

    def __call__(self, world: World, region: str, arn: str, body: str, attributes: dict[str, str]) -> bool: ...


@dataclass
class Undelivered:
    """What went to a service that is not plugged in (kept per world, for tests and --debug)."""

    logs: list[tuple[str, str, str]] = field(default_factory=list)  # (group, stream, message)
    messages: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # (arn, body, attributes)


_LOGS: list[LogSink] = []
_TARGETS: dict[str, Target] = {}  # ARN service part ("sqs", "sns") -> target


def set_log_sink(sink: LogSink | None) -> None:
    _LOGS[:] = [sink] if sink is not None else []


def set_target(service: str, target: Target | None) -> None:
    if target is None:
        _TARGETS.pop(service, None)
    else:
        _TARGETS[service] = target


def write_logs(
    world: World, region: str, group: str, stream: str, events: list[tuple[float, str]], keep: Undelivered
) -> None:
    if _LOGS:
        _LOGS[0](world, region, group, stream, events)
        return
    keep.logs.extend((group, stream, message) for _, message in events)
    del keep.logs[:-2000]


def send(world: World, region: str, arn: str, body: str, attributes: dict[str, str], keep: Undelivered) -> bool:
    service = arn.split(":")[2] if arn.count(":") >= 5 else ""
    target = _TARGETS.get(service)
    if target is not None:
        return target(world, region, arn, body, attributes)
    keep.messages.append((arn, body, attributes))
    return True
