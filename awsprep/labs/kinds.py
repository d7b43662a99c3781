"""Tell content validation which lab check kinds exist: the resource kinds and priced usage kinds every
registered simulator service declares in its spec. A new service's kinds become valid with no change here."""

from __future__ import annotations

from awsprep.content.lab_kinds import LabKinds, set_known


def install() -> LabKinds:
    """Read the kinds from a fresh world's services and hand them to content validation."""
    from awsprep.sim import World

    world = World()
    kinds = LabKinds(frozenset(world.lab_resource_names()), frozenset(world.price_kinds()))
    set_known(kinds)
    return kinds
