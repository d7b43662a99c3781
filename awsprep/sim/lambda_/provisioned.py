"""Provisioned concurrency at run time (spec §6.1).

- When a configuration goes IN_PROGRESS → READY, Lambda initialises its environments *then*, ahead of any request
  ("When you use provisioned concurrency, Lambda initializes the execution environment when you configure the PC
  settings", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html): here a `pc-ready`
  timer runs INIT for each of them at that simulated moment (real worker processes while the pool has room, the
  rest modelled). Each environment's log stream starts then with the INIT output and an `INIT_REPORT` line holding
  its Init Duration; the REPORT lines of its invocations carry no Init Duration (no cold start).
  [INF] AWS documents the `INIT_REPORT Init Duration: … ms Phase: init Status: …` form for inits that fail; the
  success line written here follows that form.
- Invocations of that version or alias take a free provisioned environment; beyond them they spill over to
  on-demand ones (`concurrency.lease`). Metrics, per
  https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html: ProvisionedConcurrentExecutions
  (environments busy on provisioned concurrency), ProvisionedConcurrencyUtilization (that divided by the
  allocated amount), ProvisionedConcurrencyInvocations, ProvisionedConcurrencySpilloverInvocations, with
  dimensions FunctionName and FunctionName + Resource (`NAME:QUALIFIER`).
- An alias moved to another version is provisioned again (IN_PROGRESS, then READY) [INF: AWS shifts it gradually].
- Environments are not saved with the world: after a load, a READY configuration initialises an environment
  when a request first needs it (still reported without Init Duration).
"""

from __future__ import annotations

from awsprep.sim.lambda_ import billing
from awsprep.sim.lambda_.fleet import Env, fleet
from awsprep.sim.lambda_.models import LambdaBackend
from awsprep.sim.lambda_.state import Function, Provisioned, VersionConfig

KIND = "pc-ready"


def schedule_ready(b: LambdaBackend, fn: Function, pc: Provisioned) -> None:
    """Queue the IN_PROGRESS → READY moment (a later put or an alias move queues a newer one)."""
    b.world.schedule(max(0.0, pc.ready_at - b.world.now), "lambda", b.region, KIND, f"{fn.name}:{pc.qualifier}")


def provision(b: LambdaBackend, fn: Function, pc: Provisioned) -> None:
    """A new or changed configuration: its old environments go, new ones come at READY. It is charged from now
    (from the time it is enabled, not from READY: lambda/pricing)."""
    fleet(b.world).discard_pool(b.region, fn.name, pc.qualifier)
    cfg = config_for(b, fn, pc.qualifier)
    billing.provisioned_changed(b, fn, pc.qualifier, pc.requested * (cfg.memory if cfg else 128) / 1024)
    schedule_ready(b, fn, pc)


def release(b: LambdaBackend, fn: Function, qualifier: str) -> None:
    """The configuration is deleted (or its alias or function is): its environments and its charge stop."""
    fleet(b.world).discard_pool(b.region, fn.name, qualifier)
    billing.provisioned_changed(b, fn, qualifier, None)


def config_for(b: LambdaBackend, fn: Function, qualifier: str) -> VersionConfig | None:
    """The version configuration a provisioned qualifier runs (an alias: its main version)."""
    alias = fn.aliases.get(qualifier)
    version = alias.version if alias is not None else qualifier
    return fn.versions.get(version)


def on_ready(b: LambdaBackend, target: str) -> None:
    """The `pc-ready` timer: initialise every environment of the configuration now."""
    name, _, qualifier = target.partition(":")
    fn = b.state.functions.get(name)
    pc = fn.provisioned.get(qualifier) if fn is not None else None
    if fn is None or pc is None or b.world.now + 1e-6 < pc.ready_at:
        return  # deleted, or put again since (its own timer is still to come)
    cfg = config_for(b, fn, qualifier)
    if cfg is None:
        return
    from awsprep.sim.lambda_.execute import initialise

    fl = fleet(b.world)
    have = [e for e in fl.of_function(b.region, fn.name) if e.provisioned and e.pool == qualifier]
    made = [initialise(b, fn, cfg, qualifier) for _ in range(max(0, pc.requested - len(have)))]
    modelled = sum(1 for e in made if not e.real)
    fl.note(
        b.world,
        f"{fn.name}:{qualifier}: provisioned concurrency READY, {len(made)} environments initialised "
        f"({len(made) - modelled} real worker processes"
        + (f", {modelled} modelled from the measured init" if modelled else "")
        + ")",
    )


def pool_envs(b: LambdaBackend, fn: Function, pool: str) -> list[Env]:
    return [e for e in fleet(b.world).of_function(b.region, fn.name) if e.provisioned and e.pool == pool]


def metrics(b: LambdaBackend, fn: Function, env: Env) -> None:
    """An invocation ran on provisioned concurrency: its four metrics (see the module docstring)."""
    pc = fn.provisioned.get(env.pool)
    if pc is None:
        return
    now = b.world.now
    busy = sum(1 for e in pool_envs(b, fn, env.pool) if e.busy_until > now)
    put = b.world.put_metric
    for dims in ({"FunctionName": fn.name}, {"FunctionName": fn.name, "Resource": f"{fn.name}:{env.pool}"}):
        put("AWS/Lambda", "ProvisionedConcurrencyInvocations", dims, 1, "Count")
        put("AWS/Lambda", "ProvisionedConcurrentExecutions", dims, busy, "Count")
    put(
        "AWS/Lambda",
        "ProvisionedConcurrencyUtilization",
        {"FunctionName": fn.name, "Resource": f"{fn.name}:{env.pool}"},
        busy / pc.requested,
        "None",
    )


def spillover(b: LambdaBackend, fn: Function, pool: str) -> None:
    for dims in ({"FunctionName": fn.name}, {"FunctionName": fn.name, "Resource": f"{fn.name}:{pool}"}):
        b.world.put_metric("AWS/Lambda", "ProvisionedConcurrencySpilloverInvocations", dims, 1, "Count")
