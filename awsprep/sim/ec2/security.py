"""Security groups (stateful, allow-only) and key pairs."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from awsprep.sim.ec2.base import Ec2Base
from awsprep.sim.ec2.errors import EC2_ERRORS as E
from awsprep.sim.ec2.state import KeyPair, Rule, SecurityGroup

_PROTOCOLS = {"-1": "-1", "all": "-1", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp"}


@dataclass(frozen=True)
class Permission:
    """One rule request, already split to a single peer (`cidr`, `cidr_v6` or `group_id`)."""

    protocol: str
    from_port: int
    to_port: int
    cidr: str | None = None
    cidr_v6: str | None = None
    group_id: str | None = None
    description: str | None = None


def normalise_protocol(value: str) -> str:
    """`tcp`/`6` → `tcp`, `-1`/`all` → `-1`, …; anything else is InvalidPermission.Malformed."""
    proto = _PROTOCOLS.get(str(value).lower())
    if proto is None:
        raise E("InvalidPermission.Malformed", message=f"Invalid IP protocol: {value}")
    return proto


def describe_rule(rule: Rule | Permission) -> str:
    """The rule as EC2 names it in InvalidPermission.Duplicate."""
    peer = rule.cidr or rule.cidr_v6 or rule.group_id
    if rule.protocol == "-1":
        return f"peer: {peer}, ALL, ALLOW"
    return f"peer: {peer}, {rule.protocol.upper()}, from port: {rule.from_port}, to port: {rule.to_port}, ALLOW"


def _same(rule: Rule, perm: Permission) -> bool:
    return (rule.protocol, rule.from_port, rule.to_port, rule.cidr, rule.cidr_v6, rule.group_id) == (
        perm.protocol,
        perm.from_port,
        perm.to_port,
        perm.cidr,
        perm.cidr_v6,
        perm.group_id,
    )


class SecurityMixin(Ec2Base):
    """Security group and key pair operations."""

    def create_security_group(
        self, name: str, description: str, vpc_id: str | None = None, tags: dict[str, str] | None = None
    ) -> SecurityGroup:
        """A new group: no inbound rules, all outbound allowed."""
        vpc = self.vpc(vpc_id) if vpc_id else self.default_vpc()
        if any(g.name == name and g.vpc_id == vpc.vpc_id for g in self.state.security_groups.values()):
            raise E("InvalidGroup.Duplicate", name=name, vpc=vpc.vpc_id)
        if name.startswith("sg-"):
            raise E("InvalidParameterValue.Generic", message="Group names may not be in the format sg-*.")
        sg = SecurityGroup(self.world.ids.hex_id("sg"), name, description, vpc.vpc_id, tags=dict(tags or {}))
        sg.egress.append(Rule(self.world.ids.hex_id("sgr"), "-1", -1, -1, cidr="0.0.0.0/0"))
        self.state.security_groups[sg.group_id] = sg
        return sg

    def add_default_group(self, vpc_id: str) -> SecurityGroup:
        """The VPC's `default` group: members may talk to each other, all outbound allowed."""
        sg = SecurityGroup(self.world.ids.hex_id("sg"), "default", "default VPC security group", vpc_id)
        sg.ingress.append(Rule(self.world.ids.hex_id("sgr"), "-1", -1, -1, group_id=sg.group_id))
        sg.egress.append(Rule(self.world.ids.hex_id("sgr"), "-1", -1, -1, cidr="0.0.0.0/0"))
        self.state.security_groups[sg.group_id] = sg
        return sg

    def delete_security_group(self, sg: SecurityGroup) -> None:
        """Delete a group; the default group and groups in use or referenced cannot be deleted."""
        if sg.name == "default":
            raise E("CannotDelete.Default", group=sg.group_id)
        for inst in self.state.instances.values():
            if inst.state != "terminated" and sg.group_id in inst.security_group_ids:
                raise E("DependencyViolation", resource=sg.group_id)
        for other in self.state.security_groups.values():
            if other is not sg and any(r.group_id == sg.group_id for r in other.ingress + other.egress):
                raise E("DependencyViolation", resource=sg.group_id)
        del self.state.security_groups[sg.group_id]

    def authorize(self, sg: SecurityGroup, perms: list[Permission], egress: bool = False) -> list[Rule]:
        """Add rules; a rule that already exists fails the whole call with InvalidPermission.Duplicate."""
        rules = sg.egress if egress else sg.ingress
        for i, perm in enumerate(perms):
            if perm.group_id is not None:
                self.group(perm.group_id)
            if any(_same(r, perm) for r in rules) or perm in perms[:i]:
                raise E("InvalidPermission.Duplicate", rule=describe_rule(perm))
        added = []
        for perm in perms:
            rule = Rule(
                self.world.ids.hex_id("sgr"),
                perm.protocol,
                perm.from_port,
                perm.to_port,
                perm.cidr,
                perm.cidr_v6,
                perm.group_id,
                perm.description,
            )
            rules.append(rule)
            added.append(rule)
        return added

    def revoke(self, sg: SecurityGroup, perms: list[Permission], rule_ids: list[str], egress: bool = False) -> None:
        """Remove rules by content or by rule id; a rule that is not there is InvalidPermission.NotFound."""
        rules = sg.egress if egress else sg.ingress
        doomed = []
        for perm in perms:
            match = next((r for r in rules if _same(r, perm)), None)
            if match is None:
                raise E("InvalidPermission.NotFound")
            doomed.append(match)
        for rid in rule_ids:
            match = next((r for r in rules if r.rule_id == rid), None)
            if match is None:
                raise E("InvalidPermission.NotFound")
            doomed.append(match)
        for rule in doomed:
            if rule in rules:
                rules.remove(rule)

    # ----- key pairs ------------------------------------------------------------------------------------
    def create_key_pair(
        self, name: str, key_type: str = "rsa", tags: dict[str, str] | None = None
    ) -> tuple[KeyPair, str]:
        """A new key pair and its private key material — the only time the material is ever shown."""
        if name in self.state.key_pairs:
            raise E("InvalidKeyPair.Duplicate", name=name)
        body = base64.encodebytes(self.world.ids.rng.randbytes(1190 if key_type == "rsa" else 96)).decode()
        if key_type == "ed25519":
            material = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}-----END OPENSSH PRIVATE KEY-----"
        else:
            material = f"-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----"
        kp = KeyPair(
            key_id=self.world.ids.hex_id("key"),
            name=name,
            fingerprint=material_fingerprint(material),
            key_type=key_type,
            created=self.now,
            public_key=f"ssh-{key_type} {hashlib.sha256(material.encode()).hexdigest()} {name}",
            tags=dict(tags or {}),
        )
        self.state.key_pairs[name] = kp
        return kp, material

    def import_key_pair(self, name: str, public_key: str) -> KeyPair:
        """ImportKeyPair: the learner keeps the private half."""
        if name in self.state.key_pairs:
            raise E("InvalidKeyPair.Duplicate", name=name)
        kp = KeyPair(
            self.world.ids.hex_id("key"),
            name,
            material_fingerprint(public_key),
            "ed25519" if "ed25519" in public_key else "rsa",
            self.now,
            public_key.strip(),
        )
        self.state.key_pairs[name] = kp
        return kp

    def key_pair(self, name: str) -> KeyPair:
        """A key pair by name."""
        found = self.state.key_pairs.get(name)
        if found is None:
            raise E("InvalidKeyPair.NotFound", name=name)
        return found

    def key_matches(self, key_name: str, material: str) -> bool:
        """Whether `material` (a .pem file's text) is the private key of `key_name` (for the shell's ssh)."""
        kp = self.state.key_pairs.get(key_name)
        return kp is not None and kp.fingerprint == material_fingerprint(material)


def material_fingerprint(material: str) -> str:
    """A SHA-1 fingerprint in EC2's colon form, computed over the key text with whitespace trimmed."""
    digest = hashlib.sha1(material.strip().encode()).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, 40, 2))
