"""Functions: create, update code and configuration, delete; validation of every setting (spec §1.4)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from typing import Any

from awsprep.sim.lambda_ import catalog
from awsprep.sim.lambda_.errors import LAMBDA_ERRORS as E
from awsprep.sim.lambda_.fleet import fleet
from awsprep.sim.lambda_.models import LambdaBackend, sha256_b64
from awsprep.sim.lambda_.state import Function, VersionConfig

ROLE = re.compile(r"arn:(aws[a-zA-Z-]*)?:iam::(\d{12}):role/?[a-zA-Z_0-9+=,.@\-_/]+")
NAME = re.compile(r"[a-zA-Z0-9-_]{1,64}")
RESERVED_ENV = (
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
)


def _range(value: Any, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise E("Validation", value=value, field=field, constraint="Member must not be null")
    if value < low:
        raise E(
            "Validation", value=value, field=field, constraint=f"Member must have value greater than or equal to {low}"
        )
    if value > high:
        raise E(
            "Validation", value=value, field=field, constraint=f"Member must have value less than or equal to {high}"
        )
    return value


def check_role(b: LambdaBackend, role: Any) -> str:
    """Any well-formed role ARN of the simulated account (IAM is not simulated)."""
    match = ROLE.fullmatch(str(role or ""))
    if match is None:
        raise E("Role", value=role)
    if match.group(2) != b.world.account_id:
        raise E("RoleAccount")
    return str(role)


def check_runtime(runtime: Any) -> str:
    if runtime not in catalog.RUNTIMES:
        raise E("Runtime", runtime=runtime, runtimes=", ".join(catalog.RUNTIMES))
    return str(runtime)


def store_code(b: LambdaBackend, data: Any) -> tuple[str, int]:
    """Keep a .zip package (once per digest); InvalidParameterValueException when it is not a zip."""
    if isinstance(data, str):
        data = data.encode()
    if not isinstance(data, bytes | bytearray) or not data:
        raise E("NoCode")
    data = bytes(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is not None:
                raise E("Unzip")
            unzipped = sum(i.file_size for i in archive.infolist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise E("Unzip") from None
    if len(data) > catalog.ZIPPED_MAX:
        raise E("Param", message=f"Unzipped size must be smaller than {catalog.UNZIPPED_MAX} bytes")
    if unzipped > catalog.UNZIPPED_MAX:
        raise E("Param", message=f"Unzipped size must be smaller than {catalog.UNZIPPED_MAX} bytes")
    sha = sha256_b64(data)
    b.state.code.setdefault(sha, base64.b64encode(data).decode())
    return sha, len(data)


ARCHITECTURES = ("x86_64", "arm64")


def check_architectures(value: Any) -> list[str]:
    """`Architectures`: a list of exactly one instruction set (botocore's enum); x86_64 when absent."""
    items = [str(v) for v in value or []] if isinstance(value, list | tuple) else [str(value)]
    if len(items) != 1:
        constraint = f"Member must have length {'less' if items else 'greater'} than or equal to 1"
        raise E("Validation", value=items, field="architectures", constraint=constraint)
    if items[0] not in ARCHITECTURES:
        raise E(
            "Validation",
            value=items,
            field="architectures",
            constraint="Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
        )
    return items


def check_environment(params: dict[str, Any]) -> dict[str, str] | None:
    if "Environment" not in params:
        return None
    variables = dict((params.get("Environment") or {}).get("Variables") or {})
    reserved = [k for k in variables if k in RESERVED_ENV]
    if reserved:
        raise E(
            "Param",
            message="Lambda was unable to configure your environment variables because the environment variables "
            "you have provided contains reserved keys that are currently not supported for modification. "
            f"Reserved keys used in this request: {', '.join(reserved)}",
        )
    if len(json.dumps(variables)) > 4096:
        raise E(
            "Param",
            message="Lambda was unable to configure your environment variables because the "
            "environment variables you have provided exceeded the 4KB limit.",
        )
    return {str(k): str(v) for k, v in variables.items()}


def apply_settings(b: LambdaBackend, cfg: VersionConfig, params: dict[str, Any]) -> None:
    """The configuration parameters CreateFunction and UpdateFunctionConfiguration share."""
    from awsprep.sim.lambda_.layers import check_layers

    if "Role" in params:
        cfg.role = check_role(b, params["Role"])
    if "Runtime" in params:
        cfg.runtime = check_runtime(params["Runtime"])
    if "Handler" in params:
        cfg.handler = str(params["Handler"])
    if "Description" in params:
        cfg.description = str(params["Description"])
    if "Timeout" in params:
        cfg.timeout = _range(params["Timeout"], "timeout", 1, 900)
    if "MemorySize" in params:
        cfg.memory = _range(params["MemorySize"], "memorySize", 128, 10240)
    if "EphemeralStorage" in params:
        cfg.ephemeral = _range((params["EphemeralStorage"] or {}).get("Size"), "ephemeralStorage.size", 512, 10240)
    env = check_environment(params)
    if env is not None:
        cfg.environment = env
    if "Layers" in params:
        cfg.layers = check_layers(b, list(params["Layers"] or []))
    if "DeadLetterConfig" in params:
        cfg.dead_letter = str((params["DeadLetterConfig"] or {}).get("TargetArn") or "")
    if "TracingConfig" in params:
        cfg.tracing = str((params["TracingConfig"] or {}).get("Mode") or "PassThrough")


def create_function(b: LambdaBackend, p: dict[str, Any]) -> VersionConfig:
    name = str(p.get("FunctionName", ""))
    if NAME.fullmatch(name) is None:
        raise E(
            "Validation",
            value=name,
            field="functionName",
            constraint="Member must satisfy regular expression pattern: "
            r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{{2}}(-gov)?-[a-z]+-\d{{1}}:)?(\d{{12}}:)?(function:)?"
            r"([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?",
        )
    if name in b.state.functions:
        raise E("FunctionExists", name=name)
    if p.get("PackageType", "Zip") != "Zip":
        raise E("Param", message="awsprep simulates .zip packages only, not container images.")
    code = p.get("Code") or {}
    if "ZipFile" not in code:
        if code.get("S3Bucket"):
            raise E(
                "Param",
                message="awsprep does not simulate Amazon S3 yet: upload the package with "
                "--zip-file fileb://function.zip.",
            )
        raise E("NoCode")
    role = check_role(b, p.get("Role"))
    runtime = check_runtime(p.get("Runtime"))
    if not p.get("Handler"):
        raise E("Param", message="Handler is required for a .zip package.")
    cfg = VersionConfig("$LATEST", runtime, role, str(p["Handler"]), "", 0)
    apply_settings(b, cfg, {k: v for k, v in p.items() if k not in ("Role", "Runtime")})
    cfg.code_sha256, cfg.code_size = store_code(b, code["ZipFile"])
    if "Architectures" in p:  # the instruction set: its own price per GB-second (billing.py)
        cfg.architectures = check_architectures(p["Architectures"])
    now = b.world.now
    cfg.last_modified, cfg.revision_id = b.now_text(), b.uuid()
    cfg.ready_at, cfg.modified_at = now + catalog.PENDING_SECONDS, now
    fn = Function(name=name, latest=cfg, created_at=now, tags=dict(p.get("Tags") or {}))
    b.state.functions[name] = fn
    if p.get("Publish"):
        from awsprep.sim.lambda_.versions import publish

        publish(b, fn, {}, force_ready=True)
    return cfg


def _updatable(b: LambdaBackend, fn: Function, p: dict[str, Any]) -> VersionConfig:
    cfg = b.settle(fn.latest)
    if cfg.state == "Pending" or cfg.last_update_status == "InProgress":
        raise E("UpdateInProgress", arn=b.arn(fn.name))
    if p.get("RevisionId") and p["RevisionId"] != cfg.revision_id:
        raise E("Revision")
    return cfg


def _updated(b: LambdaBackend, fn: Function, cfg: VersionConfig) -> VersionConfig:
    now = b.world.now
    cfg.last_modified, cfg.revision_id, cfg.modified_at = b.now_text(), b.uuid(), now
    cfg.last_update_status, cfg.ready_at = "InProgress", now + catalog.PENDING_SECONDS
    fleet(b.world).discard(b.region, fn.name, "$LATEST")  # new code or configuration: the next call is cold
    return cfg


def update_code(b: LambdaBackend, p: dict[str, Any]) -> VersionConfig:
    fn = b.function(p["FunctionName"])
    cfg = _updatable(b, fn, p)
    if "ZipFile" not in p:
        raise E("NoCode")
    if "Architectures" in p:  # UpdateFunctionCode is where an existing function changes instruction set
        cfg.architectures = check_architectures(p["Architectures"])
    cfg.code_sha256, cfg.code_size = store_code(b, p["ZipFile"])
    _updated(b, fn, cfg)
    if p.get("Publish"):
        from awsprep.sim.lambda_.versions import publish

        publish(b, fn, {}, force_ready=True)
    return cfg


def update_configuration(b: LambdaBackend, p: dict[str, Any]) -> VersionConfig:
    fn = b.function(p["FunctionName"])
    cfg = _updatable(b, fn, p)
    apply_settings(b, cfg, p)
    return _updated(b, fn, cfg)


def delete_function(b: LambdaBackend, p: dict[str, Any]) -> None:
    fn = b.function(p["FunctionName"], p.get("Qualifier"))
    _, qualifier = b.split_name(p["FunctionName"], p.get("Qualifier"))
    if qualifier == "$LATEST":
        raise E("DeleteLatest")
    if qualifier:
        if qualifier not in fn.versions:
            raise E("FunctionNotFound", arn=b.arn(fn.name, qualifier))
        users = sorted(a.name for a in fn.aliases.values() if a.version == qualifier or qualifier in a.weights)
        if users:
            raise E("VersionInUse", aliases=", ".join(users))
        if qualifier in fn.provisioned:
            raise E("PcVersionUsed")
        del fn.versions[qualifier]
        fleet(b.world).discard(b.region, fn.name, qualifier)
        return
    from awsprep.sim.lambda_.provisioned import release

    for provisioned in list(fn.provisioned):  # its provisioned concurrency stops being charged
        release(b, fn, provisioned)
    fleet(b.world).discard(b.region, fn.name)
    b.world.cancel_timers("lambda", b.region, target=fn.name)
    for event_id in [k for k, e in b.state.queue.items() if e.function == fn.name]:
        del b.state.queue[event_id]
    del b.state.functions[fn.name]


def config_digest(cfg: VersionConfig) -> str:
    """What PublishVersion compares: code and configuration (not the timestamps)."""
    fields = [
        cfg.code_sha256,
        cfg.runtime,
        cfg.role,
        cfg.handler,
        cfg.description,
        cfg.timeout,
        cfg.memory,
        sorted(cfg.environment.items()),
        cfg.ephemeral,
        cfg.layers,
        cfg.dead_letter,
        cfg.tracing,
        cfg.architectures,
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()
