"""`state`, `bill` and the clock as data (tables a lab or the CLI can render), plus a plain-text renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from awsprep.sim import bill, ec2
from awsprep.sim.core.clock import to_datetime

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.world import World

_DURATION = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Table:
    """A titled table: column names and rows of text."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def state_tables(world: World) -> list[Table]:
    """What exists in the account: instances, security groups, key pairs, addresses, volumes, own AMIs."""
    tables: list[Table] = []
    for region in world.regions_in_use():
        b = ec2.backend(world, region)
        suffix = "" if region == world.default_region else f" ({region})"
        tables.append(_instances(b, suffix))
        groups = tuple((g.group_id, g.name, g.vpc_id, _rules(b, g.group_id)) for g in b.state.security_groups.values())
        tables.append(Table("Security groups" + suffix, ("GroupId", "Name", "VPC", "Inbound"), groups))
        keys = tuple((k.name, k.key_id, k.key_type) for k in b.state.key_pairs.values())
        tables.append(Table("Key pairs" + suffix, ("Name", "KeyPairId", "Type"), keys))
        eips = tuple(
            (a.public_ip, a.allocation_id, a.instance_id or "-", "associated" if a.instance_id else "idle")
            for a in b.state.addresses.values()
        )
        tables.append(Table("Elastic IPs" + suffix, ("PublicIp", "AllocationId", "Instance", "Status"), eips))
        vols = tuple(
            (v.volume_id, f"{v.size_gb} GiB {v.volume_type}", v.state, v.instance_id or "-")
            for v in b.state.volumes.values()
        )
        tables.append(Table("Volumes" + suffix, ("VolumeId", "Size", "State", "Instance"), vols))
        own = tuple(
            (i.image_id, i.name, i.state, "public" if i.public else "private")
            for i in b.state.images.values()
            if i.owner_id == world.account_id
        )
        tables.append(Table("Your AMIs" + suffix, ("ImageId", "Name", "State", "Visibility"), own))
    return tables


def _instances(b: Ec2Backend, suffix: str) -> Table:
    rows = []
    for inst in b.state.instances.values():
        rows.append(
            (
                inst.instance_id,
                inst.tags.get("Name", "-"),
                inst.state,
                inst.instance_type,
                b.public_address(inst) or "-",
                inst.private_ip,
                inst.key_name or "-",
                ",".join(inst.security_group_ids),
            )
        )
    cols = ("InstanceId", "Name", "State", "Type", "PublicIp", "PrivateIp", "Key", "SecurityGroups")
    return Table("Instances" + suffix, cols, tuple(rows))


def _rules(b: Ec2Backend, group_id: str) -> str:
    parts = []
    for r in b.state.security_groups[group_id].ingress:
        proto = "all" if r.protocol == "-1" else r.protocol
        ports = (
            ""
            if r.protocol in ("-1", "icmp")
            else f"/{r.from_port}" + (f"-{r.to_port}" if r.to_port != r.from_port else "")
        )
        parts.append(f"{proto}{ports} from {r.cidr or r.cidr_v6 or r.group_id}")
    return "; ".join(parts) or "(none)"


_SHORT_UNITS = {"hours": "h", "GB-months": "GB-mo"}
WIDTH = 80  # the narrowest terminal a learner is likely to have; every table fits it


def bill_table(world: World) -> tuple[Table, float]:
    """Accrued cost per resource so far, and the total (USD). The per-unit rates are in `bill_rates`, below the
    table: with them as a column the table is wider than 80 columns."""
    b = bill(world)
    rows = tuple(
        (
            i.resource_id,
            f"{i.kind} {i.unit}",
            f"{i.quantity:.4f} {_SHORT_UNITS.get(i.quantity_unit, i.quantity_unit)}",
            f"${i.cost:.4f}",
            "accruing" if i.running else "stopped",
        )
        for i in b.items
    )
    cols = ("Resource", "Item", "Usage", "Cost", "Status")
    return Table("Bill (simulated, On-Demand us-east-1 prices)", cols, rows), b.total


def bill_rates(world: World) -> str:
    """`Rates: instance t3.micro $0.0104/hour; …` (each item once), wrapped to the table width."""
    import textwrap

    seen = dict.fromkeys(f"{i.kind} {i.unit} ${i.rate:g}/{i.rate_unit.split('/')[-1]}" for i in bill(world).items)
    if not seen:
        return ""
    return textwrap.fill("Rates: " + "; ".join(seen), WIDTH, subsequent_indent="  ", break_on_hyphens=False) + "\n"


def render(table: Table, width: int = WIDTH) -> str:
    """Plain aligned text; an empty table says so in one line. A table wider than `width` (long ids or ARNs) is
    printed as one record per row instead: the first column, then `Column: value` pairs wrapped under it."""
    if not table.rows:
        return f"{table.title}: none\n"
    widths = [max(len(c), *(len(r[k]) for r in table.rows)) for k, c in enumerate(table.columns)]
    if sum(widths) + 2 * (len(widths) - 1) > width:
        return _records(table, width)
    line = "  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)).rstrip()
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in table.rows]
    return f"{table.title}\n{line}\n" + "".join(f"{b}\n" for b in body)


def _records(table: Table, width: int) -> str:
    import textwrap

    out = [table.title]
    for row in table.rows:
        out.append(row[0])
        pairs = "  ".join(f"{c}: {v}" for c, v in zip(table.columns[1:], row[1:], strict=True) if v)
        out.extend(
            textwrap.wrap(
                pairs,
                width,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    return "".join(f"{line}\n" for line in out)


def parse_duration(text: str) -> float | None:
    """`90s`, `5m`, `1h30m`, `2d`, `45` (seconds) -> seconds; None when malformed."""
    pos, total = 0, 0.0
    for m in _DURATION.finditer(text):
        if m.start() != pos:
            return None
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    return total if text and pos == len(text) else None


def clock_text(world: World) -> str:
    """`2025-01-06 09:05:00 UTC`."""
    return to_datetime(world.now).strftime("%Y-%m-%d %H:%M:%S UTC")


def human(seconds: float) -> str:
    """`1h 5m 0s` style."""
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return " ".join(p for p in (f"{h}h" if h else "", f"{m}m" if m else "", f"{sec}s" if sec or not s else "") if p)
