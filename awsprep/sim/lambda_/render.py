"""Response shapes (spec §2, items 34–42; botocore's Lambda model)."""

from __future__ import annotations

from typing import Any

from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Alias, EventConfig, Function, LayerVersion, Provisioned, VersionConfig


def configuration(b: LambdaBackend, fn: Function, cfg: VersionConfig) -> dict[str, Any]:
    """A FunctionConfiguration."""
    b.settle(cfg)
    out: dict[str, Any] = {
        "FunctionName": fn.name,
        "FunctionArn": b.arn(fn.name, None if cfg.version == "$LATEST" else cfg.version),
        "Runtime": cfg.runtime,
        "Role": cfg.role,
        "Handler": cfg.handler,
        "CodeSize": cfg.code_size,
        "Description": cfg.description,
        "Timeout": cfg.timeout,
        "MemorySize": cfg.memory,
        "LastModified": cfg.last_modified,
        "CodeSha256": cfg.code_sha256,
        "Version": cfg.version,
        "TracingConfig": {"Mode": cfg.tracing},
        "RevisionId": cfg.revision_id,
        "State": cfg.state,
        "PackageType": "Zip",
        "Architectures": list(cfg.architectures),
        "EphemeralStorage": {"Size": cfg.ephemeral},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.name}"},
        "RuntimeVersionConfig": {
            "RuntimeVersionArn": f"arn:aws:lambda:{b.region}::runtime:{_runtime_digest(cfg.runtime)}"
        },
    }
    if cfg.environment:
        out["Environment"] = {"Variables": dict(cfg.environment)}
    if cfg.dead_letter:
        out["DeadLetterConfig"] = {"TargetArn": cfg.dead_letter}
    if cfg.layers:
        out["Layers"] = [{"Arn": arn, "CodeSize": _layer_size(b, arn)} for arn in cfg.layers]
    if cfg.state == "Pending":
        out["StateReason"] = "The function is being created."
        out["StateReasonCode"] = "Creating"
    if cfg.last_update_status:
        out["LastUpdateStatus"] = cfg.last_update_status
        if cfg.last_update_status == "InProgress":
            out["LastUpdateStatusReason"] = "The function is being created."
            out["LastUpdateStatusReasonCode"] = "Creating"
    return out


def _runtime_digest(runtime: str) -> str:
    import hashlib

    return hashlib.sha256(runtime.encode()).hexdigest()


def _layer_size(b: LambdaBackend, arn: str) -> int:
    parts = arn.split(":")
    layer = b.state.layers.get(parts[6]) if len(parts) > 7 else None
    found = layer.versions.get(parts[7]) if layer else None
    return found.code_size if found else 0


def alias(b: LambdaBackend, fn: Function, a: Alias) -> dict[str, Any]:
    out: dict[str, Any] = {
        "AliasArn": b.arn(fn.name, a.name),
        "Name": a.name,
        "FunctionVersion": a.version,
        "Description": a.description,
        "RevisionId": a.revision_id,
    }
    if a.weights:
        out["RoutingConfig"] = {"AdditionalVersionWeights": dict(a.weights)}
    return out


def provisioned(b: LambdaBackend, fn: Function, pc: Provisioned, now: float) -> dict[str, Any]:
    ready = now >= pc.ready_at
    return {
        "RequestedProvisionedConcurrentExecutions": pc.requested,
        "AvailableProvisionedConcurrentExecutions": pc.requested if ready else 0,
        "AllocatedProvisionedConcurrentExecutions": pc.requested if ready else 0,
        "Status": "READY" if ready else "IN_PROGRESS",
        "LastModified": pc.last_modified,
    }


def event_config(b: LambdaBackend, fn: Function, qualifier: str, c: EventConfig) -> dict[str, Any]:
    from datetime import UTC, datetime

    out: dict[str, Any] = {
        "LastModified": datetime.fromtimestamp(c.last_modified, UTC),
        "FunctionArn": b.arn(fn.name, qualifier),
        "DestinationConfig": {
            "OnSuccess": {"Destination": c.on_success} if c.on_success else {},
            "OnFailure": {"Destination": c.on_failure} if c.on_failure else {},
        },
    }
    if c.max_retries is not None:
        out["MaximumRetryAttempts"] = c.max_retries
    if c.max_age is not None:
        out["MaximumEventAgeInSeconds"] = c.max_age
    return out


def layer_version(b: LambdaBackend, name: str, lv: LayerVersion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Content": {
            "Location": f"https://awslambda-{b.region}-layers.s3.{b.region}.amazonaws.com/snapshots/"
            f"{b.world.account_id}/{name}-{lv.code_sha256[:8]}",
            "CodeSha256": lv.code_sha256,
            "CodeSize": lv.code_size,
        },
        "LayerArn": b.layer_arn(name),
        "LayerVersionArn": b.layer_arn(name, lv.version),
        "Description": lv.description,
        "CreatedDate": lv.created,
        "Version": lv.version,
        "CompatibleRuntimes": list(lv.runtimes),
    }
    if lv.architectures:
        out["CompatibleArchitectures"] = list(lv.architectures)
    if lv.license:
        out["LicenseInfo"] = lv.license
    return out
