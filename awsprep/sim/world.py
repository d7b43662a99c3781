"""The world: clock, ids, meter, metrics, permissions, event wiring and every service's state per Region.

It knows services only as the `ServiceSpec`s it is given (`core.registry` supplies the built ones by default),
so ELB, Auto Scaling and Lambda plug in without a line changed here. Everything that decides how the world
behaves — state, timers, named event subscriptions, denied actions — is in the snapshot.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from awsprep.sim.core import codec, registry
from awsprep.sim.core.account import ACCOUNT_ID, DEFAULT_REGION, LAPTOP_IP, LEARNER, REGIONS, Principal
from awsprep.sim.core.clock import EPOCH, ClockState, Timer
from awsprep.sim.core.endpoint import Endpoint
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.events import SimEvent, Subscription, handler_name, resolve
from awsprep.sim.core.ids import IdFactory
from awsprep.sim.core.meter import MeterState
from awsprep.sim.core.metrics import MetricsState, put
from awsprep.sim.core.pricing import Price
from awsprep.sim.core.service import Backend, LabResource, ServiceSpec
from awsprep.sim.core.snapshots import SNAPSHOT_VERSION, SnapshotError, migrate

Watcher = Callable[["World", SimEvent], None]


@dataclass
class WorldMeta:
    """World-level settings that snapshots carry along with service state."""

    seed: int
    account_id: str = ACCOUNT_ID
    default_region: str = DEFAULT_REGION
    laptop_ip: str = LAPTOP_IP
    denied: dict[str, list[str]] = field(default_factory=dict)  # principal key -> denied IAM actions
    subscriptions: list[Subscription] = field(default_factory=list)
    public_ips_in_use: list[str] = field(default_factory=list)


class World:
    """A whole simulated AWS account: deterministic for a given seed and sequence of calls.

    Time only moves with `advance(seconds)`. `call()` is the one entry point every front end uses.
    """

    def __init__(self, seed: int = 0, services: list[ServiceSpec] | None = None) -> None:
        specs = registry.default_specs() if services is None else list(services)
        self._specs = {s.name: s for s in specs}
        self._prices: dict[str, Price] = {k: p for s in specs for k, p in s.prices.items()}
        self._handlers = [(s.name, kind, fn) for s in specs for kind, fn in s.handlers]
        self._on_timer: dict[str, Callable[[World, Timer], bool | None] | None] = {s.name: s.on_timer for s in specs}
        self._watchers: list[Watcher] = []
        self._init_state(seed)

    def _init_state(self, seed: int) -> None:
        old = getattr(self, "clock", None)
        if isinstance(old, ClockState):
            old.retired = True  # an advance in progress stops firing the old clock's timers
        self.meta = WorldMeta(seed=seed)
        self.clock = ClockState(now=EPOCH)
        self.meter = MeterState()
        self.metrics = MetricsState()
        self.ids = IdFactory(seed)
        self._states: dict[str, dict[str, Any]] = {name: {} for name in self._specs}
        self._backends: dict[tuple[str, str], Backend] = {}
        self._public_ips: set[str] = set()
        self.epoch = getattr(self, "epoch", 0) + 1  # bumps whenever every state is replaced (reset, restore)

    # ----- identity and time ---------------------------------------------------------------------
    @property
    def account_id(self) -> str:
        """The simulated account (111122223333 unless a snapshot says otherwise)."""
        return self.meta.account_id

    @property
    def default_region(self) -> str:
        """The Region used when a call names none."""
        return self.meta.default_region

    @property
    def now(self) -> float:
        """Simulated time, seconds since the Unix epoch."""
        return self.clock.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward, firing every timer that falls due, in (due, order queued) order.

        The cost is one heap operation per timer that fires (per run of recurring timers of one period, see
        `core.clock.Run`), however many seconds pass. A handler may reset or restore the world: the timers of
        the clock it brings fire on up to the same time.
        """
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        target = self.clock.now + seconds
        while True:
            clock = self.clock
            clock.run(target, self, self._on_timer)
            if self.clock is clock:
                break
        clock.now = target

    def schedule(
        self, delay: float, service: str, region: str, kind: str, target: str, token: int = 0, every: float = 0.0
    ) -> None:
        """Queue a timer for `service`'s `on_timer` (recurring when `every` > 0)."""
        self.clock.schedule(delay, service, region, kind, target, token, every)

    def cancel_timers(self, service: str, region: str, kind: str | None = None, target: str | None = None) -> int:
        """Drop a service's queued timers (e.g. a deleted target group's health checks)."""
        return self.clock.cancel(service, region, kind, target)

    # ----- services --------------------------------------------------------------------------------
    def services(self) -> list[str]:
        """Names of the simulated services."""
        return list(self._specs)

    def spec(self, service: str) -> ServiceSpec:
        """A service's registration; unknown services get the honest not-simulated error."""
        found = self._specs.get(service)
        if found is None:
            raise AwsError("UnsupportedOperation", registry.not_simulated_message(service))
        return found

    def regions(self) -> list[str]:
        """Every Region of the simulated partition."""
        return list(REGIONS)

    def regions_in_use(self, service: str | None = None) -> list[str]:
        """Regions where `service` (any service when None) has state, plus the default one. Never creates a
        Region: that would draw ids from the seeded generator and change every id that follows."""
        names = [service] if service else list(self._states)
        return sorted({self.default_region, *(r for n in names for r in self._states.get(n, {}))})

    def region_state(self, service: str, region: str) -> Any:
        """The state of `service` in `region`, built on first use (default VPC, AMIs, …)."""
        states = self._states[service]
        found = states.get(region)
        if found is not None:
            return found
        if region not in states:
            if region not in REGIONS:
                raise AwsError("InvalidRegion", f"The Region '{region}' is not available in the simulator.")
            states[region] = None  # being built (see `building`)
            states[region] = self._specs[service].new_state(self, region)
        return states[region]

    def building(self, service: str, region: str, state: Any) -> None:
        """Make a Region's state visible while its builder is still filling it (so the builder can use the
        service's own backend to create the default VPC and its group)."""
        self._states[service][region] = state

    def has_region_state(self, service: str, region: str) -> bool:
        """Whether `service` has been used in `region` (without creating it)."""
        return self._states.get(service, {}).get(region) is not None

    def backend(self, service: str, region: str | None = None) -> Backend:
        """The backend of `service` in `region` (default Region when None). Services' packages wrap this in a
        typed accessor (`ec2.backend(world, region)`)."""
        region = region or self.default_region
        key = (service, region)
        found = self._backends.get(key)
        if found is None:
            if region not in REGIONS:
                raise AwsError("InvalidRegion", f"The Region '{region}' is not available in the simulator.")
            found = self.spec(service).make_backend(self, region)
            self._backends[key] = found
        return found

    def call(
        self,
        service: str,
        operation: str,
        params: dict[str, Any] | None = None,
        region: str | None = None,
        principal: Principal = LEARNER,
    ) -> dict[str, Any]:
        """Run one API operation as `principal` with botocore-style parameters; raises `AwsError` like the
        service would (its own access-denied shape when the principal is denied the action)."""
        params = dict(params or {})
        backend = self._backends.get((service, region or self.meta.default_region))  # the usual case: built
        if backend is None:
            if service not in self._specs:
                raise AwsError("UnsupportedOperation", registry.not_simulated_message(service, operation))
            backend = self.backend(service, region)
        dry_run = bool(params.get("DryRun"))
        if dry_run or self.meta.denied:  # nothing to check otherwise (the usual case: keep calls cheap)
            self.authorize(service, operation, principal, dry_run=dry_run)
        return backend.handle(operation, params)

    # ----- permissions ----------------------------------------------------------------------------------
    def authorize(self, service: str, operation: str, principal: Principal = LEARNER, dry_run: bool = False) -> None:
        """Raise the service's access-denied error when `principal` may not run `operation`; for a DryRun call
        of a service that has DryRun, raise its "would have succeeded" error instead of running it."""
        spec = self.spec(service)
        denied = self.meta.denied  # usually empty: skip building the action name then
        allowed = True
        if denied:
            allowed = not self._is_denied(f"{spec.action_prefix}:{operation}", principal)
        if dry_run and spec.dry_run is not None:
            if allowed:
                raise spec.dry_run
            raise spec.denied(principal, f"{spec.action_prefix}:{operation}", self.account_id)
        if not allowed:
            raise spec.denied(principal, f"{spec.action_prefix}:{operation}", self.account_id)

    def _is_denied(self, action: str, principal: Principal) -> bool:
        actions = self.meta.denied.get(principal.key)
        if not actions:
            return False
        prefix = action.split(":", 1)[0]
        return action in actions or f"{prefix}:*" in actions or "*" in actions

    def deny(self, action: str, principal: Principal = LEARNER) -> None:
        """Deny an IAM action such as `ec2:TerminateInstances` (or `ec2:*`) to a principal (the learner)."""
        actions = self.meta.denied.setdefault(principal.key, [])
        if action not in actions:
            actions.append(action)

    def allow(self, action: str, principal: Principal = LEARNER) -> None:
        """Undo `deny`."""
        actions = self.meta.denied.get(principal.key, [])
        if action in actions:
            actions.remove(action)
        if not actions:
            self.meta.denied.pop(principal.key, None)

    def is_allowed(self, action: str, principal: Principal = LEARNER) -> bool:
        """Whether `principal` may perform `action`."""
        return not self._is_denied(action, principal)

    # ----- shared address pool ----------------------------------------------------------------------
    def take_public_ip(self, region: str) -> str:
        """A public IPv4 no one in the world holds."""
        ip = self.ids.public_ip(region, self._public_ips)
        self._public_ips.add(ip)
        return ip

    def release_public_ip(self, ip: str) -> None:
        """Return a public IPv4 to Amazon's pool."""
        self._public_ips.discard(ip)

    # ----- events ----------------------------------------------------------------------------------------
    @property
    def listening(self) -> bool:
        """Whether any handler would receive an event (services skip building events when none would)."""
        return bool(self._handlers or self.meta.subscriptions or self._watchers)

    def emit(self, event: SimEvent) -> None:
        """Deliver an event: service handlers (spec order), named subscriptions (subscribe order), watchers."""
        for _service, kind, fn in self._handlers:
            if kind in ("*", event.kind):
                fn(self, event)
        for sub in list(self.meta.subscriptions):
            if sub.wants(event.kind):
                resolve(sub.handler)(self, event)
        for watcher in list(self._watchers):
            watcher(self, event)

    def subscribe(self, handler: str | Callable[[World, SimEvent], None], kinds: tuple[str, ...] = ()) -> None:
        """Subscribe a named handler (`"awsprep.labs.cloudinit:on_event"`, or that module-level function) to
        events of `kinds` (every kind when empty). The subscription is state: snapshots keep it."""
        name = handler if isinstance(handler, str) else handler_name(handler)
        resolve(name)  # refuse a handler that could not be found again after a load
        if not any(s.handler == name for s in self.meta.subscriptions):
            self.meta.subscriptions.append(Subscription(name, list(kinds)))

    def unsubscribe(self, handler: str | Callable[[World, SimEvent], None]) -> None:
        """Remove a named subscription."""
        name = handler if isinstance(handler, str) else handler_name(handler)
        self.meta.subscriptions = [s for s in self.meta.subscriptions if s.handler != name]

    def watch(self, watcher: Watcher) -> None:
        """Call `watcher(world, event)` on every event until `unwatch` — a transient observer (the shell's
        `advance` report, tests), not part of the world's state and not kept by snapshots."""
        self._watchers.append(watcher)

    def unwatch(self, watcher: Watcher) -> None:
        """Stop calling `watcher`."""
        if watcher in self._watchers:
            self._watchers.remove(watcher)

    # ----- what services expose to the data plane, the bill and the labs ----------------------------
    def endpoints(self, region: str | None = None) -> Iterator[Endpoint]:
        """Every addressable endpoint, in service then Region order (only Regions already in use)."""
        for spec in self._specs.values():
            if spec.endpoints is None:
                continue
            for r in [region] if region else self.regions_in_use(spec.name):
                if r == region or self.has_region_state(spec.name, r):
                    yield from spec.endpoints(self, r)

    def endpoint(self, endpoint_id: str, region: str | None = None) -> Endpoint | None:
        """One endpoint by id: through a service's direct lookup where it has one, else by scanning."""
        for spec in self._specs.values():
            if spec.endpoint is None:
                continue
            for r in [region] if region else self.regions_in_use(spec.name):
                if self.has_region_state(spec.name, r):
                    found = spec.endpoint(self, r, endpoint_id)
                    if found is not None:
                        return found
        return next((ep for ep in self.endpoints(region) if ep.endpoint_id == endpoint_id), None)

    def price(self, kind: str) -> Price | None:
        """The price of a usage kind, from whichever service declared it."""
        return self._prices.get(kind)

    def price_kinds(self) -> list[str]:
        """Every priced usage kind the services declare."""
        return list(self._prices)

    def lab_resource(self, name: str) -> LabResource | None:
        """A resource kind lab checks can address (from whichever service declared it)."""
        for spec in self._specs.values():
            found = spec.lab_resources.get(name)
            if found is not None:
                return found
        return None

    def lab_resource_names(self) -> list[str]:
        """Every resource kind lab checks can address."""
        return [name for spec in self._specs.values() for name in spec.lab_resources]

    def put_metric(
        self, namespace: str, name: str, dimensions: dict[str, str], value: float, unit: str = "None"
    ) -> None:
        """Publish one datapoint at the current time."""
        put(self.metrics, namespace, name, dimensions, value, self.clock.now, unit)

    # ----- reset, snapshot, restore ----------------------------------------------------------------
    def _discard(self) -> None:
        for spec in self._specs.values():
            if spec.on_discard is not None:
                spec.on_discard(self)

    def close(self) -> None:
        """Release what services keep outside the state (worker processes); the world stays usable."""
        self._discard()

    def reset(self, seed: int | None = None) -> None:
        """Back to a fresh world (same seed unless given); named subscriptions and watchers stay."""
        self._discard()
        subscriptions = self.meta.subscriptions
        self._init_state(self.meta.seed if seed is None else seed)
        self.meta.subscriptions = subscriptions

    def snapshot(self) -> dict[str, Any]:
        """The whole world as JSON-ready data (`json.dumps` works on it); `restore` takes it back."""
        self.meta.public_ips_in_use = sorted(self._public_ips)
        return {
            "version": SNAPSHOT_VERSION,
            "meta": codec.dump(self.meta),
            "clock": self.clock.to_json(),
            "meter": codec.dump(self.meter),
            "metrics": codec.dump(self.metrics),
            "rng": self.ids.getstate(),
            "services": {
                name: {region: codec.dump(state) for region, state in regions.items() if state is not None}
                for name, regions in self._states.items()
            },
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Replace the whole world with a snapshot (from `snapshot()`, possibly via JSON). An older format is
        migrated; one that cannot be read raises `SnapshotError` (one line) and leaves this world as it was."""
        data = migrate(copy.deepcopy(data))
        try:
            meta = codec.load(WorldMeta, data["meta"])
            clock = ClockState.from_json(data["clock"])
            meter = codec.load(MeterState, data["meter"])
            metrics = codec.load(MetricsState, data.get("metrics", {}))
            states: dict[str, dict[str, Any]] = {name: {} for name in self._specs}
            for name, regions in data["services"].items():
                spec = self._specs.get(name)
                if spec is None:
                    raise SnapshotError(f"the saved world uses {name}, which this world does not simulate")
                for region, state in regions.items():
                    states[name][region] = codec.load(spec.state_type, state)
            for sub in meta.subscriptions:
                resolve(sub.handler)
            rng = data["rng"]
            self.ids.setstate(rng)
        except SnapshotError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SnapshotError(f"the saved world cannot be read ({type(exc).__name__}: {exc})") from None
        self._discard()
        self.clock.retired = True  # an advance in progress stops firing the old clock's timers
        self.meta, self.clock, self.meter, self.metrics = meta, clock, meter, metrics
        self._public_ips = set(meta.public_ips_in_use)
        self._backends = {}
        self._states = states
        self.epoch += 1

    def save(self) -> str:
        """The snapshot as a JSON string (for a lab's save file)."""
        return json.dumps(self.snapshot(), separators=(",", ":"))

    @classmethod
    def load(cls, text: str, services: list[ServiceSpec] | None = None) -> World:
        """A world from `save()`'s output (`SnapshotError` when it is not one this version can read)."""
        try:
            data = json.loads(text)
        except ValueError:
            raise SnapshotError("the saved world is not valid JSON") from None
        if not isinstance(data, dict):
            raise SnapshotError("the saved world is not a snapshot")
        world = cls(services=services)
        world.restore(data)
        return world
