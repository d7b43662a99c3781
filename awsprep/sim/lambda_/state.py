"""Lambda's per-Region state: functions with their versions, aliases and settings, layers, and the async queue.

Plain dataclasses (the snapshot codec serialises them). Code is kept once per SHA-256, base64-encoded.
Execution environments are not state: they are processes, owned by `fleet.py`, and a loaded world starts cold.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class VersionConfig:
    """The configuration of `$LATEST` or of one published (immutable) version."""

    version: str
    runtime: str
    role: str
    handler: str
    code_sha256: str
    code_size: int
    description: str = ""
    timeout: int = 3
    memory: int = 128
    environment: dict[str, str] = field(default_factory=dict)
    ephemeral: int = 512
    layers: list[str] = field(default_factory=list)  # layer version ARNs, in order
    dead_letter: str = ""
    tracing: str = "PassThrough"
    architectures: list[str] = field(default_factory=lambda: ["x86_64"])
    last_modified: str = ""
    revision_id: str = ""
    state: str = "Pending"
    state_reason_code: str = "Creating"
    last_update_status: str = ""  # "", InProgress, Successful
    ready_at: float = 0.0  # when Pending -> Active, or InProgress -> Successful
    modified_at: float = 0.0


@dataclass
class Alias:
    """An alias: a name for one version, optionally with a second one taking a weight of the traffic."""

    name: str
    version: str
    description: str = ""
    weights: dict[str, float] = field(default_factory=dict)
    revision_id: str = ""


@dataclass
class Provisioned:
    """Provisioned concurrency on a version or an alias (IN_PROGRESS until `ready_at`)."""

    qualifier: str
    requested: int
    ready_at: float
    last_modified: str


@dataclass
class EventConfig:
    """Event invoke config of a function, version or alias (None: Lambda's default)."""

    max_retries: int | None = None
    max_age: int | None = None
    on_success: str = ""
    on_failure: str = ""
    last_modified: float = 0.0


@dataclass
class UrlConfig:
    """A function URL."""

    qualifier: str
    url_id: str
    auth_type: str
    cors: dict[str, list[str]] = field(default_factory=dict)
    created: str = ""
    address: str = ""  # the public address its name resolves to on the simulated internet


@dataclass
class EventSourceMapping:
    """An SQS event source mapping: Lambda polls the queue and invokes the function with batches (esm.py)."""

    uuid: str
    function: str  # the function's name
    qualifier: str  # "" for the unqualified function, or a version/alias
    source_arn: str
    batch_size: int = 10
    window: int = 0  # MaximumBatchingWindowInSeconds
    enabled: bool = True
    state: str = "Creating"
    ready_at: float = 0.0  # Creating/Updating/Enabling/Disabling until then
    response_types: list[str] = field(default_factory=list)  # ["ReportBatchItemFailures"]
    last_modified: float = 0.0
    gathering_since: float = -1.0  # a batching window opened then (fewer messages than BatchSize were waiting)


@dataclass
class Function:
    """One function: `$LATEST`, its published versions, aliases and function-level settings."""

    name: str
    latest: VersionConfig
    created_at: float
    versions: dict[str, VersionConfig] = field(default_factory=dict)
    next_version: int = 1
    aliases: dict[str, Alias] = field(default_factory=dict)
    reserved: int | None = None
    provisioned: dict[str, Provisioned] = field(default_factory=dict)
    event_configs: dict[str, EventConfig] = field(default_factory=dict)  # qualifier ("$LATEST", "1", alias)
    policy: list[dict[str, str]] = field(default_factory=list)
    policy_revision: str = ""
    urls: dict[str, UrlConfig] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    published_sha: str = ""  # the configuration digest of the last published version


@dataclass
class LayerVersion:
    """One immutable layer version."""

    version: int
    code_sha256: str
    code_size: int
    description: str
    created: str
    runtimes: list[str] = field(default_factory=list)
    architectures: list[str] = field(default_factory=list)
    license: str = ""


@dataclass
class Layer:
    """A layer and its versions."""

    name: str
    versions: dict[str, LayerVersion] = field(default_factory=dict)
    next_version: int = 1


@dataclass
class AsyncEvent:
    """An event in a function's asynchronous queue."""

    event_id: str
    function: str
    qualifier: str
    payload: str
    request_id: str
    queued_at: float
    attempts: int = 0  # function-error attempts so far
    throttles: int = 0


@dataclass
class LambdaRegionState:
    """Lambda in one Region."""

    region: str
    functions: dict[str, Function] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)
    code: dict[str, str] = field(default_factory=dict)  # SHA-256 (base64) -> package, base64
    queue: dict[str, AsyncEvent] = field(default_factory=dict)
    mappings: dict[str, EventSourceMapping] = field(default_factory=dict)  # event source mappings by UUID
