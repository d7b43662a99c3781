"""AWS STS, as far as the first command of most tutorials needs it: `aws sts get-caller-identity`."""

from awsprep.sim.sts.models import SPEC, StsBackend, unique_id

__all__ = ["SPEC", "StsBackend", "unique_id"]
