"""The service-neutral core: a toy service plugs in with a spec alone; principals; the core imports no service."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from awsprep.labs.checks import field_of, lookup
from awsprep.sim import AUTOSCALING_ROLE, LEARNER, AwsError, Outcome, World, bill, connect, ec2, http_get
from awsprep.sim.core import meter, registry
from awsprep.sim.core.clock import Timer
from awsprep.sim.core.endpoint import Endpoint
from awsprep.sim.core.events import SimEvent
from awsprep.sim.core.metrics import statistics
from awsprep.sim.core.pricing import flat
from awsprep.sim.core.service import LabResource, ServiceSpec
from tests.sim.conftest import al2023, launch

SIM = Path(__file__).resolve().parents[2] / "awsprep" / "sim"


# ----- a toy service, defined here and nowhere else ------------------------------------------------------------
@dataclass
class Widget:
    widget_id: str
    public_ip: str
    group_id: str
    ticks: int = 0


@dataclass
class ToyState:
    widgets: dict[str, Widget] = field(default_factory=dict)
    boots_seen: list[str] = field(default_factory=list)


class ToyBackend:
    def __init__(self, world: World, region: str) -> None:
        self.world, self.region = world, region

    @property
    def state(self) -> ToyState:
        st: ToyState = self.world.region_state("toy", self.region)
        return st

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if operation != "CreateWidget":
            raise AwsError("UnsupportedOperation", operation)
        wid = self.world.ids.hex_id("wdg")
        widget = Widget(wid, self.world.take_public_ip(self.region), params["GroupId"])
        self.state.widgets[wid] = widget
        meter.open_record(
            self.world.meter, self.world.now, resource_id=wid, region=self.region, kind="toy-widget", unit="widget"
        )
        self.world.schedule(10, "toy", self.region, "tick", wid, every=10)
        self.world.emit(SimEvent("widget-created", "toy", self.region, wid, {}))
        return {"WidgetId": wid}


def _toy_timer(world: World, timer: Timer) -> bool | None:
    widget = world.region_state("toy", timer.region).widgets.get(timer.target)
    if widget is None:
        return False
    widget.ticks += 1
    world.put_metric("Toy", "Ticks", {"WidgetId": widget.widget_id}, float(widget.ticks))
    return None


def _toy_saw_instance(world: World, event: SimEvent) -> None:
    if event.detail.get("current") == "running":
        world.region_state("toy", event.region).boots_seen.append(event.resource_id)


def _toy_endpoints(world: World, region: str) -> list[Endpoint]:
    vpc = ec2.default_vpc(world, region).vpc_id
    return [
        Endpoint(
            endpoint_id=w.widget_id,
            kind="widget",
            service="toy",
            region=region,
            vpc_id=vpc,
            private_ip=f"172.31.99.{i + 10}",
            public_ip=w.public_ip,
            security_group_ids=(w.group_id,),
            internet=True,
            listens=lambda port, proto: port == 80 and proto == "tcp",
            serve=lambda port, method, path, wid=w.widget_id: (200, f"widget {wid}", "text/plain"),
        )
        for i, w in enumerate(world.region_state("toy", region).widgets.values())
    ]


TOY = ServiceSpec(
    name="toy",
    state_type=ToyState,
    new_state=lambda world, region: ToyState(),
    make_backend=ToyBackend,
    on_timer=_toy_timer,
    handlers=(("instance-state", _toy_saw_instance),),
    prices={"toy-widget": flat(0.5)},
    endpoints=_toy_endpoints,
    lab_resources={
        "widget": LabResource(
            lambda world, region, ident: world.region_state("toy", region).widgets.get(ident),
            {"tick_count": lambda world, region, w: w.ticks},
        )
    },
)


def _group(world: World, name: str, port: int | None = None, source_group: str | None = None) -> str:
    gid: str = world.call("ec2", "CreateSecurityGroup", {"GroupName": name, "Description": name})["GroupId"]
    if port is not None:
        peer: dict[str, Any] = (
            {"UserIdGroupPairs": [{"GroupId": source_group}]}
            if source_group
            else {"IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
        )
        world.call(
            "ec2",
            "AuthorizeSecurityGroupIngress",
            {"GroupId": gid, "IpPermissions": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port, **peer}]},
        )
    return gid


def test_a_toy_service_plugs_in_with_its_spec_alone() -> None:
    world = World(seed=3, services=[*registry.default_specs(), TOY])
    web = _group(world, "toy-web", 80)
    wid = world.call("toy", "CreateWidget", {"GroupId": web})["WidgetId"]
    # its own recurring timer, publishing its own metric
    world.advance(60)
    widget = world.region_state("toy", "us-east-1").widgets[wid]
    assert widget.ticks == 6
    points = statistics(world.metrics, "Toy", "Ticks", {"WidgetId": wid}, world.now - 3600, world.now + 1, 60)
    assert [p.values["Maximum"] for p in points] and points[-1].values["SampleCount"] >= 1
    # its subscription to EC2's events
    iid = launch(world)
    assert world.region_state("toy", "us-east-1").boots_seen == [iid]
    # its priced resource, on the bill without the bill knowing it
    item = next(i for i in bill(world).items if i.resource_id == wid)
    assert item.kind == "toy-widget" and item.cost == pytest.approx(0.5 * 90 / 3600)  # 60 s + a 30 s boot
    # its endpoint, through the same security-group rules as instances
    reply = http_get(world, widget.public_ip, 80)
    assert reply.status == 200 and reply.body == f"widget {wid}"
    assert connect(world, widget.public_ip, 22).outcome is Outcome.TIMEOUT
    # a lab check over it
    found = lookup(world, "widget", wid)
    assert found is widget and field_of(world, "widget", found, "tick_count") == widget.ticks


def test_the_toy_keeps_ticking_and_listening_after_save_and_load() -> None:
    specs = [*registry.default_specs(), TOY]
    world = World(seed=3, services=specs)
    wid = world.call("toy", "CreateWidget", {"GroupId": _group(world, "w")})["WidgetId"]
    world.advance(25)
    loaded = World.load(world.save(), services=specs)
    loaded.advance(25)
    world.advance(25)
    assert loaded.region_state("toy", "us-east-1").widgets[wid].ticks == 5
    assert loaded.snapshot() == world.snapshot()


def test_a_group_rule_admits_any_endpoint_carrying_the_group() -> None:
    world = World(seed=3, services=[*registry.default_specs(), TOY])
    lb_group = _group(world, "lb", 80)
    target_group = _group(world, "targets", 80, source_group=lb_group)
    iid = launch(world, SecurityGroupIds=[target_group])
    b = ec2.backend(world)
    b.serve_http(iid, 80, "hello from the target")
    inside = b.instance(iid).private_ip
    wid = world.call("toy", "CreateWidget", {"GroupId": lb_group})["WidgetId"]
    assert http_get(world, inside, 80, source=wid).body == "hello from the target"
    other = world.call("toy", "CreateWidget", {"GroupId": _group(world, "other")})["WidgetId"]
    assert connect(world, inside, 80, source=other).outcome is Outcome.TIMEOUT


def test_a_whole_http_exchange_falls_back_to_serve_and_rules_admit_a_preserved_client() -> None:
    from awsprep.sim.net import admits, endpoint_by_id, http_request

    world = World(seed=3)
    group = _group(world, "web", 80)  # admits 0.0.0.0/0 on 80
    iid = launch(world, SecurityGroupIds=[group])
    ec2.backend(world).serve_http(iid, 80, "page")
    reach, resp = http_request(world, ec2.backend(world).public_address(ec2.backend(world).instance(iid)) or "", 80)
    assert reach.outcome is Outcome.CONNECTED and resp is not None
    assert (resp.status, resp.body, resp.headers["Content-Type"]) == (200, "page", "text/html; charset=UTF-8")
    ep = endpoint_by_id(world, iid)
    assert ep is not None and admits(world, ep, "tcp", 80, "198.51.100.7")
    assert not admits(world, ep, "tcp", 22, "198.51.100.7")


def test_one_endpoint_by_id_through_a_direct_lookup_or_a_scan() -> None:
    world = World(seed=3, services=[*registry.default_specs(), TOY])
    iid = launch(world)
    wid = world.call("toy", "CreateWidget", {"GroupId": _group(world, "w")})["WidgetId"]
    scanned = {ep.endpoint_id: ep for ep in world.endpoints()}
    direct = world.endpoint(iid)  # EC2 declares a direct lookup
    assert direct is not None and (direct.private_ip, direct.security_group_ids) == (
        scanned[iid].private_ip,
        scanned[iid].security_group_ids,
    )
    toy = world.endpoint(wid)  # the toy declares none: found by scanning
    assert toy is not None and toy.kind == "widget"
    assert world.endpoint("i-0000000000000000f") is None


# ----- principals ------------------------------------------------------------------------------------------------
def test_a_denied_action_applies_to_the_principal_that_calls() -> None:
    world = World(seed=1)
    world.deny("ec2:RunInstances", AUTOSCALING_ROLE)
    params = {"ImageId": al2023(), "InstanceType": "t3.micro", "MinCount": 1, "MaxCount": 1}
    with pytest.raises(AwsError) as denied:
        world.call("ec2", "RunInstances", params, principal=AUTOSCALING_ROLE)
    assert denied.value.code == "UnauthorizedOperation" and denied.value.status == 403
    assert "assumed-role/AWSServiceRoleForAutoScaling/AutoScaling" in denied.value.message
    assert "ec2:RunInstances" in denied.value.message
    with pytest.raises(AwsError):  # the typed API is checked the same way
        ec2.launch(world, "us-east-1", ec2.LaunchRequest(overrides=params), AUTOSCALING_ROLE)
    assert world.call("ec2", "RunInstances", params, principal=LEARNER)["Instances"]
    with pytest.raises(AwsError) as dry:
        world.call("ec2", "RunInstances", {**params, "DryRun": True})
    assert dry.value.code == "DryRunOperation"
    with pytest.raises(AwsError) as dry_denied:
        world.call("ec2", "RunInstances", {**params, "DryRun": True}, principal=AUTOSCALING_ROLE)
    assert dry_denied.value.code == "UnauthorizedOperation"


def test_denials_survive_a_snapshot() -> None:
    world = World(seed=1)
    world.deny("ec2:TerminateInstances", AUTOSCALING_ROLE)
    loaded = World.load(world.save())
    assert not loaded.is_allowed("ec2:TerminateInstances", AUTOSCALING_ROLE)
    assert loaded.is_allowed("ec2:TerminateInstances")


# ----- typed launch from a template ------------------------------------------------------------------------------
def test_another_service_launches_from_a_template_version_with_overrides() -> None:
    world = World(seed=2)
    lt = world.call(
        "ec2",
        "CreateLaunchTemplate",
        {"LaunchTemplateName": "web", "LaunchTemplateData": {"ImageId": al2023(), "InstanceType": "t3.micro"}},
    )["LaunchTemplate"]
    world.call(
        "ec2",
        "CreateLaunchTemplateVersion",
        {
            "LaunchTemplateId": lt["LaunchTemplateId"],
            "LaunchTemplateData": {"ImageId": al2023(), "InstanceType": "t3.small"},
        },
    )
    _, insts = ec2.launch(
        world,
        "us-east-1",
        ec2.LaunchRequest(template_name="web", version="$Latest", count=2, overrides={"InstanceType": "t3.nano"}),
        AUTOSCALING_ROLE,
    )
    assert [i.instance_type for i in insts] == ["t3.nano", "t3.nano"]
    assert insts[0].launch_template == {
        "LaunchTemplateId": lt["LaunchTemplateId"],
        "LaunchTemplateName": "web",
        "Version": "2",
    }
    _, default = ec2.launch(world, "us-east-1", ec2.LaunchRequest(template_id=lt["LaunchTemplateId"]))
    assert default[0].instance_type == "t3.micro"
    ec2.terminate(world, "us-east-1", [insts[0].instance_id], AUTOSCALING_ROLE)
    assert ec2.instance(world, "us-east-1", insts[0].instance_id).state == "shutting-down"  # type: ignore[union-attr]


# ----- timers ---------------------------------------------------------------------------------------------------
def test_recurring_timers_fire_in_a_fixed_order_and_can_end() -> None:
    fired: list[tuple[float, str]] = []

    def on_timer(world: World, timer: Timer) -> bool | None:
        fired.append((world.now, timer.target))
        return False if timer.target == "b" and len([f for f in fired if f[1] == "b"]) == 2 else None

    spec = ServiceSpec("clock-toy", dict, lambda w, r: {}, ToyBackend, on_timer=on_timer)
    world = World(services=[spec])
    world.schedule(5, "clock-toy", "us-east-1", "t", "a", every=5)
    world.schedule(5, "clock-toy", "us-east-1", "t", "b", every=5)
    world.advance(20)
    start = world.now - 20
    assert [(t - start, x) for t, x in fired] == [(5, "a"), (5, "b"), (10, "a"), (10, "b"), (15, "a"), (20, "a")]
    assert world.cancel_timers("clock-toy", "us-east-1", target="a") == 1
    world.advance(100)
    assert len(fired) == 6


# ----- snapshots from the previous format -------------------------------------------------------------------------
def test_a_version_1_snapshot_is_migrated() -> None:
    world = World(seed=4)
    iid = launch(world)
    data = json.loads(world.save())
    data["version"] = 1
    data["meta"]["denied_actions"] = ["ec2:StopInstances"]
    for key in ("denied", "subscriptions"):
        del data["meta"][key]
    del data["metrics"]
    for t in data["clock"]["timers"]:
        del t["every"]
    old = World.load(json.dumps(data))
    assert ec2.backend(old).instance(iid).state == "running"
    assert not old.is_allowed("ec2:StopInstances")


@pytest.mark.parametrize(
    ("version", "says"), [(0, "made by an older version"), (None, "made by an older version"), (99, "newer version")]
)
def test_a_snapshot_of_an_unknown_format_is_refused_in_one_line(version: int | None, says: str) -> None:
    from awsprep.sim import SnapshotError

    data = World().snapshot()
    data["version"] = version
    with pytest.raises(SnapshotError) as err:
        World.load(json.dumps(data))
    assert says in str(err.value) and "\n" not in str(err.value)


def test_a_damaged_snapshot_is_refused_and_the_world_is_unchanged() -> None:
    from awsprep.sim import SnapshotError

    world = World(seed=5)
    iid = launch(world)
    broken = world.snapshot()
    broken["services"]["ec2"]["us-east-1"]["instances"] = "nonsense"
    with pytest.raises(SnapshotError):
        world.restore(broken)
    assert ec2.backend(world).instance(iid).state == "running"
    with pytest.raises(SnapshotError):
        World.load("{not json")


# ----- the core knows no service ---------------------------------------------------------------------------------
def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_core_and_world_import_no_service_package() -> None:
    services = [p.name for p in SIM.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    services = [s for s in services if s not in ("core", "net", "frontends", "billing")]
    assert "ec2" in services
    files = [*sorted((SIM / "core").rglob("*.py")), SIM / "world.py"]
    bad = [
        (f.name, name)
        for f in files
        for name in _imports(f)
        if any(name == f"awsprep.sim.{s}" or name.startswith(f"awsprep.sim.{s}.") for s in services)
        or name in ("awsprep.sim.services", "awsprep.sim.net")
    ]
    assert not bad, bad


def test_the_world_default_services_come_from_the_registry() -> None:
    # Each service branch registers its own spec: check the order of the registry, and that every one built
    # so far is there, without a list every new service has to edit.
    names = ["ec2", "elbv2", "sts", "elb", "cloudwatch", "sqs", "autoscaling", "lambda"]
    assert World().services() == [s.name for s in registry.default_specs()]
    assert [n for n in World().services() if n in names] == names
    assert World(services=[TOY]).services() == ["toy"]


def test_the_ec2_typed_api_is_not_shadowed_by_a_submodule() -> None:
    """A submodule named like an API function replaces it on the package once imported (`ec2.addresses` was
    the EIP mixin's module): every name of the typed API must stay the function after the backend is loaded."""
    import importlib
    import pkgutil

    from awsprep.sim import ec2

    for info in pkgutil.iter_modules(ec2.__path__):
        importlib.import_module(f"awsprep.sim.ec2.{info.name}")
    for name in ec2.__all__:
        assert not isinstance(getattr(ec2, name), type(ec2)), f"ec2.{name} is a module, not the typed API"


def test_on_discard_runs_on_reset_restore_and_close_but_not_on_snapshot() -> None:
    seen: list[int] = []
    spec = ServiceSpec("discard-toy", dict, lambda w, r: {}, ToyBackend, on_discard=lambda w: seen.append(w.epoch))
    world = World(seed=1, services=[spec])
    saved = world.snapshot()
    assert seen == []
    world.reset()
    world.restore(saved)
    world.close()
    assert len(seen) == 3
