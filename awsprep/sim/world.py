"""The world: clock, ids, meter and every service's state per Region, with reset, snapshot and restore."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from awsprep.sim.core import codec
from awsprep.sim.core.clock import EPOCH, ClockState
from awsprep.sim.core.errors import AwsError
from awsprep.sim.core.ids import IdFactory
from awsprep.sim.core.meter import MeterState
from awsprep.sim.core.service import Backend, ServiceSpec, SimEvent
from awsprep.sim.ec2.catalog import ACCOUNT_ID, DEFAULT_REGION, REGIONS

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend

SNAPSHOT_VERSION = 1
# The learner's laptop as seen from AWS (TEST-NET-3, RFC 5737): the source of "internet" traffic.
LAPTOP_IP = "203.0.113.25"

Listener = Callable[["World", SimEvent], None]


@dataclass
class WorldMeta:
    """World-level settings that snapshots carry along with service state."""

    seed: int
    account_id: str = ACCOUNT_ID
    default_region: str = DEFAULT_REGION
    laptop_ip: str = LAPTOP_IP
    denied_actions: list[str] = field(default_factory=list)
    public_ips_in_use: list[str] = field(default_factory=list)


def _default_services() -> list[ServiceSpec]:
    from awsprep.sim.ec2.models import EC2_SERVICE

    return [EC2_SERVICE]


class World:
    """A whole simulated AWS account: deterministic for a given seed and sequence of calls.

    Time only moves with `advance(seconds)`. `call()` is the one entry point every front end uses.
    """

    def __init__(self, seed: int = 0, services: list[ServiceSpec] | None = None) -> None:
        self._specs = {s.name: s for s in (services or _default_services())}
        self._listeners: list[Listener] = []
        self._init_state(seed)

    def _init_state(self, seed: int) -> None:
        self.meta = WorldMeta(seed=seed)
        self.clock = ClockState(now=EPOCH)
        self.meter = MeterState()
        self.ids = IdFactory(seed)
        self._states: dict[str, dict[str, Any]] = {name: {} for name in self._specs}
        self._backends: dict[tuple[str, str], Backend] = {}
        self._public_ips: set[str] = set()

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
        """Move the clock forward, firing every timer that falls due, in order."""
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        clock = self.clock
        target = clock.now + seconds
        timers = clock.timers
        # Most advances fire nothing: peek before paying for pop_due. (A handler may restore the world, so
        # the clock is looked up again after every timer.)
        while timers and timers[0].due <= target:
            timer = clock.pop_due(target)
            if timer is None:
                break
            self.backend(timer.service, timer.region).on_timer(timer)
            clock = self.clock
            timers = clock.timers
        clock.now = target

    # ----- services --------------------------------------------------------------------------------
    def regions_in_use(self, service: str = "ec2") -> list[str]:
        """Regions whose `service` state exists, plus the default one. Never creates a Region: that would
        draw ids from the seeded generator and change every id that follows."""
        return sorted({self.default_region, *self._states[service]})

    def region_state(self, service: str, region: str) -> Any:
        """The state of `service` in `region`, built on first use (default VPC, AMIs, …)."""
        states = self._states[service]
        found = states.get(region)
        if found is not None:
            return found
        if region not in states:
            if region not in REGIONS:
                raise AwsError("InvalidRegion", f"The Region '{region}' is not available in the simulator.")
            states[region] = self._specs[service].new_state(self, region)
        return states[region]

    def backend(self, service: str, region: str | None = None) -> Backend:
        """The backend of `service` in `region` (default Region when None)."""
        region = region or self.default_region
        key = (service, region)
        found = self._backends.get(key)
        if found is None:
            if service not in self._specs:
                raise AwsError("UnsupportedOperation", f"The awsprep simulator does not simulate '{service}'.")
            found = self._specs[service].make_backend(self, region)
            self._backends[key] = found
        return found

    def ec2(self, region: str | None = None) -> Ec2Backend:
        """The typed EC2 backend of a Region, for labs and tests."""
        from awsprep.sim.ec2.models import Ec2Backend

        backend = self.backend("ec2", region)
        assert isinstance(backend, Ec2Backend)
        return backend

    def call(
        self, service: str, operation: str, params: dict[str, Any] | None = None, region: str | None = None
    ) -> dict[str, Any]:
        """Run one API operation with botocore-style parameters; raises `AwsError` like the service would."""
        return self.backend(service, region).handle(operation, dict(params or {}))

    def services(self) -> list[str]:
        """Names of the simulated services."""
        return list(self._specs)

    # ----- permissions (for DryRun and UnauthorizedOperation lessons) -----------------------------
    def deny(self, action: str) -> None:
        """Deny an IAM action such as `ec2:TerminateInstances` to the learner (labs use this)."""
        if action not in self.meta.denied_actions:
            self.meta.denied_actions.append(action)

    def allow(self, action: str) -> None:
        """Undo `deny`."""
        if action in self.meta.denied_actions:
            self.meta.denied_actions.remove(action)

    def is_allowed(self, action: str) -> bool:
        """Whether the learner's (simulated) IAM identity may perform `action`."""
        return action not in self.meta.denied_actions

    # ----- shared address pool ----------------------------------------------------------------------
    def take_public_ip(self, region: str) -> str:
        """A public IPv4 no one in the world holds."""
        ip = self.ids.public_ip(region, self._public_ips)
        self._public_ips.add(ip)
        return ip

    def release_public_ip(self, ip: str) -> None:
        """Return a public IPv4 to Amazon's pool."""
        self._public_ips.discard(ip)

    # ----- events for labs -----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        """Call `listener(world, event)` on every `SimEvent` (listeners are not part of snapshots)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, event: SimEvent) -> None:
        """Deliver an event to every listener."""
        if not self._listeners:
            return
        for listener in list(self._listeners):
            listener(self, event)

    # ----- reset, snapshot, restore ----------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Back to a fresh world (same seed unless given); listeners stay subscribed."""
        self._init_state(self.meta.seed if seed is None else seed)

    def snapshot(self) -> dict[str, Any]:
        """The whole world as JSON-ready data (`json.dumps` works on it); `restore` takes it back."""
        self.meta.public_ips_in_use = sorted(self._public_ips)
        return {
            "version": SNAPSHOT_VERSION,
            "meta": codec.dump(self.meta),
            "clock": codec.dump(self.clock),
            "meter": codec.dump(self.meter),
            "rng": self.ids.getstate(),
            "services": {
                name: {region: codec.dump(state) for region, state in regions.items()}
                for name, regions in self._states.items()
            },
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Replace the whole world with a snapshot (from `snapshot()`, possibly via JSON)."""
        if data.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"unsupported snapshot version {data.get('version')!r}")
        data = copy.deepcopy(data)
        self.meta = codec.load(WorldMeta, data["meta"])
        self.clock = codec.load(ClockState, data["clock"])
        self.meter = codec.load(MeterState, data["meter"])
        self.ids.setstate(data["rng"])
        self._public_ips = set(self.meta.public_ips_in_use)
        self._backends = {}
        self._states = {name: {} for name in self._specs}
        for name, regions in data["services"].items():
            spec = self._specs[name]
            for region, state in regions.items():
                self._states[name][region] = codec.load(spec.state_type, state)

    def save(self) -> str:
        """The snapshot as a JSON string (for a lab's save file)."""
        return json.dumps(self.snapshot(), separators=(",", ":"))

    @classmethod
    def load(cls, text: str) -> World:
        """A world from `save()`'s output."""
        world = cls()
        world.restore(json.loads(text))
        return world
