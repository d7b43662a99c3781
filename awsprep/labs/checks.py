"""Lab checks and captures: predicates over the simulated world and over the output of the step's commands.

Everything here reads; nothing moves the clock or changes the world, so a check can run after every command.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from awsprep.content.schema_labs import (
    LAB_PLACEHOLDER,
    LabBillCheck,
    LabCapture,
    LabCheck,
    LabHttpCheck,
    LabOutputCheck,
    LabRanCheck,
    LabRuleCheck,
    LabStateCheck,
    LabValue,
)
from awsprep.sim import World, bill, connect, http_get
from awsprep.sim.core.errors import AwsError

if TYPE_CHECKING:
    from awsprep.labs.shell.base import Result

_MISSING = object()


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace `{name}` with captured values; unknown names stay as written (JMESPath uses braces too)."""
    return LAB_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class CheckLine:
    """One check's verdict: what it verifies, and what was found when it failed."""

    says: str
    passed: bool
    found: str = ""


@dataclass(frozen=True)
class CheckReport:
    """All of a step's checks (the step passes when every line does)."""

    lines: tuple[CheckLine, ...]

    @property
    def passed(self) -> bool:
        """Every check passed."""
        return all(line.passed for line in self.lines)

    @property
    def first_failure(self) -> CheckLine | None:
        """The first check that did not pass."""
        return next((line for line in self.lines if not line.passed), None)


@dataclass(frozen=True)
class Context:
    """What checks look at: the world, the captured values, and the lines typed in this step with their results."""

    world: World
    values: Mapping[str, str]
    results: Sequence[Result] = ()
    lines: Sequence[str] = ()


def evaluate(checks: Sequence[LabCheck], ctx: Context) -> CheckReport:
    """Run every check of a step."""
    return CheckReport(tuple(check_one(c, ctx) for c in checks))


def check_one(check: LabCheck, ctx: Context) -> CheckLine:
    """Run one check; a lookup the simulator refuses counts as a failure, never an exception."""
    if isinstance(check, LabStateCheck):
        return _state(check, ctx)
    if isinstance(check, LabOutputCheck):
        return _output(check, ctx)
    if isinstance(check, LabHttpCheck):
        return _http(check, ctx)
    if isinstance(check, LabRuleCheck):
        return _rule(check, ctx)
    if isinstance(check, LabRanCheck):
        return _ran(check, ctx)
    return _bill(check, ctx)


# ----- state -----------------------------------------------------------------------------------------------
def lookup(world: World, resource: str, ident: str, region: str | None = None) -> Any:
    """A resource's state object (None when it does not exist), through the kind a service registered."""
    kind = world.lab_resource(resource)
    if kind is None:
        return None
    return kind.lookup(world, region or world.default_region, ident)


def field_of(world: World, resource: str, obj: Any, path: str, region: str | None = None) -> Any:
    """A dotted field of a resource, or a derived one its service registered (an instance's `public_address`,
    a template's `latest_version`). Returns `_MISSING` for a field that does not exist."""
    kind = world.lab_resource(resource)
    derived = kind.fields.get(path) if kind is not None else None
    if derived is not None:
        return derived(world, region or world.default_region, obj)
    value = obj
    for part in path.split("."):
        value = value.get(part, _MISSING) if isinstance(value, dict) else getattr(value, part, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _state(c: LabStateCheck, ctx: Context) -> CheckLine:
    ident = fill(c.id, ctx.values)
    label = c.resource.replace("_", " ")
    try:
        obj = lookup(ctx.world, c.resource, ident, c.region)
    except AwsError as err:
        return CheckLine(c.says or f"{label} {ident} exists", False, err.message)
    if c.missing:
        return CheckLine(c.says or f"{label} {ident} is gone", obj is None, "it still exists" if obj else "")
    if obj is None:
        return CheckLine(c.says or f"{label} {ident} exists", False, f"no {label} {ident}")
    if c.field is None:
        return CheckLine(c.says or f"{label} {ident} exists", True)
    value = field_of(ctx.world, c.resource, obj, c.field, c.region)
    if value is _MISSING:
        return CheckLine(c.says or f"{label} {ident} has {c.field}", False, f"no field {c.field}")

    def want(v: LabValue) -> LabValue:
        return fill(v, ctx.values) if isinstance(v, str) else v

    if c.equals is not None:
        says, ok = f"{c.field} is {_shown(want(c.equals))}", _same(value, want(c.equals))
    elif c.not_equals is not None:
        says, ok = f"{c.field} is no longer {_shown(want(c.not_equals))}", not _same(value, want(c.not_equals))
        ok = ok and value not in (None, "")
    elif c.contains is not None:
        says = f"{c.field} includes {_shown(want(c.contains))}"
        ok = value is not None and str(want(c.contains)) in (
            [str(v) for v in value] if isinstance(value, list | tuple | dict) else str(value)
        )
    elif c.empty is not None:
        says, ok = f"{c.field} is {'empty' if c.empty else 'set'}", (value in (None, "", [], {})) == c.empty
    else:
        says, ok = f"{c.field} is set", value not in (None, "", [], {})
    return CheckLine(c.says or f"{label} {ident}: {says}", ok, "" if ok else f"it is {_shown(value)}")


def _same(value: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(value, bool):
        return value is want
    return str(value) == str(want)


# ----- output of the step's commands --------------------------------------------------------------------------
def _output(c: LabOutputCheck, ctx: Context) -> CheckLine:
    says = c.says or _output_says(c, ctx.values)
    if not ctx.results:
        return CheckLine(says, False, "no command has run in this step yet")
    last = ctx.results[-1]
    if c.exit_code is not None and last.exit_code != c.exit_code:
        return CheckLine(says, False, f"the last command exited with {last.exit_code}")
    if c.failed is not None and (last.exit_code != 0) != c.failed:
        return CheckLine(says, False, f"the last command exited with {last.exit_code}")
    texts = [_stream(r, c.stream) for r in ctx.results]
    if c.contains is not None:
        needle = fill(c.contains, ctx.values)
        if not any(needle in t for t in texts):
            return CheckLine(says, False, f"no output showed {needle!r}")
    if c.matches is not None:
        pattern = re.compile(c.matches)
        if not any(pattern.search(t) for t in texts):
            return CheckLine(says, False, "no output matched")
    return CheckLine(says, True)


def _stream(r: Result, which: str) -> str:
    if which == "stdout":
        return r.stdout
    if which == "stderr":
        return r.stderr
    return r.stdout + r.stderr


def _output_says(c: LabOutputCheck, values: Mapping[str, str]) -> str:
    parts = []
    if c.failed is not None:
        parts.append("the command fails" if c.failed else "the command succeeds")
    if c.exit_code is not None:
        parts.append(f"the command exits with {c.exit_code}")
    if c.contains is not None:
        parts.append(f"the output shows {fill(c.contains, values)!r}")
    if c.matches is not None:
        parts.append(f"the output matches /{c.matches}/")
    return ", ".join(parts) or "a command ran"


def _ran(c: LabRanCheck, ctx: Context) -> CheckLine:
    says = c.says or f"you ran a command matching /{c.matches}/"
    pattern = re.compile(c.matches)
    for line, result in zip(ctx.lines, ctx.results, strict=False):
        if pattern.search(line) and (result.exit_code == 0 or not c.succeeded):
            return CheckLine(says, True)
    return CheckLine(says, False, "not in this step yet")


# ----- network, rules, bill -----------------------------------------------------------------------------------
def _http(c: LabHttpCheck, ctx: Context) -> CheckLine:
    host = fill(c.host, ctx.values)
    says = c.says or f"http://{host}:{c.port}{c.path} from your laptop: {c.outcome}" + (
        f", HTTP {c.status}" if c.status else ""
    )
    if LAB_PLACEHOLDER.search(host) or not host:
        return CheckLine(says, False, "no address yet")
    reach = connect(ctx.world, host, c.port, "tcp")
    if reach.outcome.value != c.outcome:
        return CheckLine(
            says, False, f"the connection {reach.outcome.value}" + (f" ({reach.reason})" if reach.reason else "")
        )
    if c.outcome != "connected" or (c.status is None and c.contains is None):
        return CheckLine(says, True)
    reply = http_get(ctx.world, host, c.port, c.path)
    if c.status is not None and reply.status != c.status:
        return CheckLine(says, False, f"HTTP {reply.status}")
    if c.contains is not None and fill(c.contains, ctx.values) not in (reply.body or ""):
        return CheckLine(says, False, "the page does not show it")
    return CheckLine(says, True)


def _rule(c: LabRuleCheck, ctx: Context) -> CheckLine:
    group_id = fill(c.group, ctx.values)
    source = fill(c.source_group, ctx.values) if c.source_group else None
    peer = source or c.cidr or "anywhere"
    port = "" if c.port is None else f" port {c.port}"
    says = c.says or (
        f"{group_id} {'allows' if c.present else 'no longer allows'} {c.protocol}{port} "
        f"{'from' if c.direction == 'ingress' else 'to'} {peer}"
    )
    sg = lookup(ctx.world, "security_group", group_id)
    if sg is None:
        return CheckLine(says, False, f"no security group {group_id}")
    rules = sg.ingress if c.direction == "ingress" else sg.egress
    found = any(_rule_matches(r, c.protocol, c.port, c.cidr, source) for r in rules)
    return CheckLine(says, found == c.present, "" if found == c.present else ("it has it" if found else "no such rule"))


def _rule_matches(rule: Any, protocol: str, port: int | None, cidr: str | None, group: str | None) -> bool:
    if rule.protocol not in (protocol, "-1"):
        return False
    if (
        port is not None
        and rule.protocol != "-1"
        and not (rule.from_port <= port <= rule.to_port or rule.from_port == -1)
    ):
        return False
    if cidr is not None and rule.cidr != cidr:
        return False
    return group is None or rule.group_id == group


def _bill(c: LabBillCheck, ctx: Context) -> CheckLine:
    resource = fill(c.resource, ctx.values)
    says = c.says or f"the bill charges {resource} for {c.usage}"
    items = [i for i in bill(ctx.world).items if i.resource_id == resource and i.kind == c.usage]
    if not items:
        return CheckLine(says, False, "no such line on the bill")
    item = items[0]
    if c.accruing is not None and item.running != c.accruing:
        return CheckLine(says, False, "it is still accruing" if item.running else "it stopped accruing")
    if item.cost < c.min_cost:
        return CheckLine(says, False, f"only ${item.cost:.4f} so far")
    return CheckLine(says, True)


# ----- captures ------------------------------------------------------------------------------------------------
def capture(spec: LabCapture, ctx: Context, shell_vars: Mapping[str, str]) -> str | None:
    """The value a capture names, or None when it is not there (yet)."""
    if spec.var is not None:
        value = shell_vars.get(spec.var, "").strip()
        return value or None
    if spec.pattern is not None:
        pattern = re.compile(spec.pattern)
        for r in reversed(ctx.results):
            m = pattern.search(r.stdout)
            if m:
                return (m.group(1) if m.groups() else m.group(0)).strip() or None
        return None
    assert spec.resource is not None and spec.id is not None and spec.field is not None
    try:
        obj = lookup(ctx.world, spec.resource, fill(spec.id, ctx.values), spec.region)
    except AwsError:
        return None
    if obj is None:
        return None
    value = field_of(ctx.world, spec.resource, obj, spec.field, spec.region)
    return None if value is _MISSING or value is None else _shown(value)
