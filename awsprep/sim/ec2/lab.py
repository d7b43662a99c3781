"""The EC2 resources lab checks and captures can name, looked up by id or, where AWS allows, by name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend


def lookup(b: Ec2Backend, kind: str, ident: str) -> Any:
    """A resource's state object, or None when it does not exist."""
    st = b.state
    if kind == "instance":
        return st.instances.get(ident)
    if kind == "address":
        return st.addresses.get(ident) or next((a for a in st.addresses.values() if a.public_ip == ident), None)
    if kind == "security_group":
        return st.security_groups.get(ident) or next((g for g in st.security_groups.values() if g.name == ident), None)
    if kind == "image":
        return st.images.get(ident)
    if kind == "launch_template":
        return st.launch_templates.get(ident) or next(
            (t for t in st.launch_templates.values() if t.name == ident), None
        )
    if kind == "key_pair":
        return st.key_pairs.get(ident)
    if kind == "volume":
        return st.volumes.get(ident)
    if kind == "vpc":
        return st.vpcs.get(ident)
    return st.subnets.get(ident)
