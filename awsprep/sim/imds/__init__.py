"""The Instance Metadata Service at 169.254.169.254, per instance (spec §3)."""

from awsprep.sim.imds.responses import ImdsResponse, imds_request

__all__ = ["ImdsResponse", "imds_request"]
