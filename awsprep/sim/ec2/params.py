"""Reading botocore-style request parameters: tags, booleans, ids, security-group permissions."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Iterable
from typing import Any

from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.security import Permission, normalise_protocol


def tag_dict(tag_list: list[dict[str, Any]] | None) -> dict[str, str]:
    """`[{"Key": k, "Value": v}]` → `{k: v}`."""
    return {t["Key"]: str(t.get("Value", "")) for t in tag_list or []}


def check_tag_keys(keys: Iterable[str], *, in_spec: bool = False) -> None:
    """Keys starting with `aws:` (any case) are EC2's own: CreateTags names the key in its message,
    TagSpecifications do not (both [REAL], as SDK users report them)."""
    for key in keys:
        if key.lower().startswith("aws:"):
            if in_spec:
                raise E(
                    "InvalidParameterValue.Generic",
                    message="Tag keys starting with 'aws:' are reserved for internal use",
                )
            raise E(
                "InvalidParameterValue.Generic",
                message=f"Value ( {key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved "
                "for internal use",
            )


def tags_for(params: dict[str, Any], resource_type: str, taggable: tuple[str, ...] = ()) -> dict[str, str]:
    """Tags from `TagSpecifications` for one resource type. `taggable` lists every type the operation can tag
    (just `resource_type` when empty); any other ResourceType, or an `aws:` key, is refused as EC2 refuses it."""
    out: dict[str, str] = {}
    kinds = taggable or (resource_type,)
    for spec in params.get("TagSpecifications") or []:
        kind = spec.get("ResourceType")
        if kind not in kinds:
            raise E(
                "InvalidParameterValue.Generic",
                message=f"'{kind}' is not a valid taggable resource type for this operation.",
            )
        tags = tag_dict(spec.get("Tags"))
        check_tag_keys(tags, in_spec=True)
        if kind == resource_type:
            out.update(tags)
    return out


def canonical_cidr(cidr: str) -> str:
    """A rule's CIDR with the host bits cleared, as EC2 stores it (`100.68.0.18/18` is `100.68.0.0/18`); a bare
    address, or anything else that is not `address/prefix`, is `CIDR block … is malformed`."""
    try:
        if "/" not in cidr:
            raise ValueError(cidr)
        return str(ipaddress.ip_network(cidr, strict=False))
    except ValueError:
        raise E("InvalidParameterValue.Generic", message=f"CIDR block {cidr} is malformed") from None


def require(params: dict[str, Any], name: str) -> Any:
    """A parameter the operation cannot do without (botocore checks most; the Python API may not)."""
    value = params.get(name)
    if value is None or value in ("", []):
        raise E("MissingParameter", name=name)
    return value


def attr_value(value: Any) -> Any:
    """`{"Value": x}` (AttributeValue / AttributeBooleanValue) → x; plain values pass through."""
    if isinstance(value, dict):
        return value.get("Value")
    return value


def user_data_bytes(value: Any, *, base64_encoded: bool) -> bytes | None:
    """User data from a request: RunInstances carries base64 text, ModifyInstanceAttribute raw bytes."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray):
        raw = bytes(value)
        return base64.b64decode(raw) if base64_encoded else raw
    text = str(value)
    if base64_encoded:
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise E("InvalidParameterValue.Generic", message="Invalid BASE64 encoding of user data.") from None
    return text.encode()


def permissions(params: dict[str, Any], lookup_group: Any) -> list[Permission]:
    """IpPermissions (or the older top-level CidrIp/IpProtocol/FromPort/ToPort form) split per peer."""
    perms: list[Permission] = []
    raw = list(params.get("IpPermissions") or [])
    if params.get("IpProtocol") or params.get("CidrIp") or params.get("SourceSecurityGroupName"):
        legacy: dict[str, Any] = {
            "IpProtocol": params.get("IpProtocol", "-1"),
            "FromPort": params.get("FromPort"),
            "ToPort": params.get("ToPort"),
        }
        if params.get("CidrIp"):
            legacy["IpRanges"] = [{"CidrIp": params["CidrIp"]}]
        if params.get("SourceSecurityGroupName"):
            legacy["UserIdGroupPairs"] = [{"GroupName": params["SourceSecurityGroupName"]}]
        raw.append(legacy)
    for p in raw:
        proto = normalise_protocol(str(p.get("IpProtocol", "-1")))
        if proto == "-1":
            lo, hi = -1, -1
        else:
            lo = int(p["FromPort"]) if p.get("FromPort") is not None else -1
            hi = int(p["ToPort"]) if p.get("ToPort") is not None else lo
            if proto in ("tcp", "udp") and (lo < 0 or hi > 65535 or lo > hi):
                raise E(
                    "InvalidParameterValue.Generic", message=f"Invalid port range ({lo}, {hi}) for protocol {proto}."
                )
        for r in p.get("IpRanges") or []:
            perms.append(Permission(proto, lo, hi, cidr=canonical_cidr(r["CidrIp"]), description=r.get("Description")))
        for r in p.get("Ipv6Ranges") or []:
            cidr_v6 = canonical_cidr(r["CidrIpv6"])
            perms.append(Permission(proto, lo, hi, cidr_v6=cidr_v6, description=r.get("Description")))
        for r in p.get("UserIdGroupPairs") or []:
            gid = r.get("GroupId") or lookup_group(r.get("GroupName"))
            perms.append(Permission(proto, lo, hi, group_id=gid, description=r.get("Description")))
    if not perms and raw:
        raise E(
            "InvalidParameterValue.Generic",
            message="No source specified for the rule (IpRanges, Ipv6Ranges or UserIdGroupPairs).",
        )
    return perms
