"""What Lambda usage costs, recorded in the simulator's usage meter (`core/meter.py`); the bill and
`AWS/Billing EstimatedCharges` (ServiceName AWSLambda) price the records from `catalog.PRICES`.

From https://aws.amazon.com/lambda/pricing/ (us-east-1, the prices every Region uses here, like EC2's):
- requests: each invocation that starts running counts one request (throttled ones run nothing and cost nothing);
- duration: the billed duration (rounded up to 1 ms, as the REPORT line shows) × the memory in GB, at the
  architecture's rate (arm64 is cheaper than x86_64); on a provisioned environment at the lower provisioned
  duration rate;
- ephemeral storage above the free 512 MB: GB × billed seconds;
- provisioned concurrency: the configured amount × memory (GB) for as long as it is configured, "calculated from
  the time you enable it on your function until it is disabled, rounded up to the nearest 5 minutes".
Not modelled: the free tier (1M requests and 400,000 GB-seconds a month: the core models no free tier for any
service, so the estimate shows the full price, as the EC2 one does), volume tiers beyond 6 billion GB-seconds, and
billing of the on-demand INIT phase.
"""

from __future__ import annotations

from awsprep.sim.core.meter import add_usage, close_record, open_record
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Function, VersionConfig

PROVISIONED_ROUNDING = 300.0  # seconds: provisioned concurrency is billed in whole 5 minutes


def architecture(cfg: VersionConfig) -> str:
    return cfg.architectures[0] if cfg.architectures else "x86_64"


def invocation(b: LambdaBackend, fn: Function, cfg: VersionConfig, billed_ms: int, provisioned: bool) -> None:
    """One request that ran for `billed_ms`."""
    meter, now, region, arch = b.world.meter, b.world.now, b.region, architecture(cfg)
    resource = b.arn(fn.name)
    seconds = billed_ms / 1000.0
    add_usage(meter, now, resource_id=resource, region=region, kind="lambda-requests", unit="request", quantity=1)
    add_usage(
        meter,
        now,
        resource_id=resource,
        region=region,
        kind="lambda-provisioned-duration" if provisioned else "lambda-duration",
        unit=arch,
        quantity=cfg.memory / 1024 * seconds,
    )
    if cfg.ephemeral > 512:
        add_usage(
            meter,
            now,
            resource_id=resource,
            region=region,
            kind="lambda-ephemeral-storage",
            unit=arch,
            quantity=(cfg.ephemeral - 512) / 1024 * seconds,
        )


def provisioned_changed(b: LambdaBackend, fn: Function, qualifier: str, memory_gb: float | None) -> None:
    """Provisioned concurrency of `qualifier` now amounts to `memory_gb` (configured amount × memory), or stops
    (None): the open charge closes (rounded up to 5 minutes) and a new one opens at the new amount."""
    resource = b.arn(fn.name, qualifier)
    close_record(
        b.world.meter, b.world.now, resource_id=resource, kind="lambda-provisioned", round_up=PROVISIONED_ROUNDING
    )
    if memory_gb:
        cfg = fn.versions.get(fn.aliases[qualifier].version if qualifier in fn.aliases else qualifier)
        open_record(
            b.world.meter,
            b.world.now,
            resource_id=resource,
            region=b.region,
            kind="lambda-provisioned",
            unit=architecture(cfg) if cfg is not None else "x86_64",
            quantity=memory_gb,
        )
