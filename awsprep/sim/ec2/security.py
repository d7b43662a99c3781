"""Security groups (stateful, allow-only) and key pairs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from awsprep.sim.ec2 import keymaterial
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

    def revoke(
        self, sg: SecurityGroup, perms: list[Permission], rule_ids: list[str], egress: bool = False
    ) -> list[Permission]:
        """Remove rules by content or by rule id. A rule that is not there is InvalidPermission.NotFound, and
        nothing is revoked; in the default VPC the others go and the missing ones come back (RevokeSecurity-
        GroupIngress in the EC2 API reference: "no error is returned, and the output describes" them)."""
        rules = sg.egress if egress else sg.ingress
        lenient = self.vpc(sg.vpc_id).is_default
        doomed, unknown = [], []
        for perm in perms:
            match = next((r for r in rules if _same(r, perm)), None)
            if match is None:
                if not lenient:
                    raise E("InvalidPermission.NotFound")
                unknown.append(perm)
                continue
            doomed.append(match)
        for rid in rule_ids:
            match = next((r for r in rules if r.rule_id == rid), None)
            if match is None:
                raise E("InvalidPermission.NotFound")
            doomed.append(match)
        for rule in doomed:
            if rule in rules:
                rules.remove(rule)
        return unknown

    # ----- key pairs ------------------------------------------------------------------------------------
    def create_key_pair(
        self, name: str, key_type: str = "rsa", tags: dict[str, str] | None = None
    ) -> tuple[KeyPair, str]:
        """A new key pair and its private key material — the only time the material is ever shown."""
        if name in self.state.key_pairs:
            raise E("InvalidKeyPair.Duplicate", name=name)
        if key_type not in ("rsa", "ed25519"):
            raise E("InvalidParameterValue.Generic", message=f"Value ({key_type}) for parameter keyType is invalid.")
        rng = self.world.ids.rng
        if key_type == "ed25519":
            made = keymaterial.new_ed25519_key(rng, name)
        else:
            taken = {keymaterial.blob_of(k.public_key) for k in self.state.key_pairs.values()}
            made = keymaterial.new_rsa_key(rng, taken)
        kp = KeyPair(
            key_id=self.world.ids.hex_id("key"),
            name=name,
            fingerprint=made.fingerprint,
            key_type=key_type,
            created=self.now,
            public_key=made.public.openssh(name),
            tags=dict(tags or {}),
        )
        self.state.key_pairs[name] = kp
        return kp, made.material

    def import_key_pair(self, name: str, material: bytes | str, tags: dict[str, str] | None = None) -> KeyPair:
        """ImportKeyPair of an OpenSSH (or RFC 4716) RSA or ED25519 public key; the learner keeps the private half."""
        try:
            public = keymaterial.parse_public_key(material)
        except keymaterial.KeyFormatError:
            raise E("InvalidKey.Format") from None
        if name in self.state.key_pairs:
            raise E("InvalidKeyPair.Duplicate", name=name)
        kp = KeyPair(
            self.world.ids.hex_id("key"),
            name,
            keymaterial.imported_fingerprint(public),
            public.key_type,
            self.now,
            public.openssh(),
            tags=dict(tags or {}),
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
        """Whether `material` (a private-key file's text) is the private key of `key_name` (the shell's ssh):
        the public key inside it is the one EC2 holds, whether EC2 made the pair or the learner imported it."""
        kp = self.state.key_pairs.get(key_name)
        if kp is None:
            return False
        inside = keymaterial.public_of_private(material)
        if inside is not None and kp.public_key.split()[1:2] == inside.openssh().split()[1:2]:
            return True
        # saved worlds from before real key material: the fingerprint was a SHA-1 of the file's text
        digest = hashlib.sha1(material.strip().encode()).hexdigest()
        return kp.fingerprint == ":".join(digest[i : i + 2] for i in range(0, 40, 2))
