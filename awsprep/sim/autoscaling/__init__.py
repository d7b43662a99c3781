"""Amazon EC2 Auto Scaling: groups that keep their desired capacity on the virtual clock, launching and
terminating real simulated EC2 instances as the service-linked role; health checks, lifecycle hooks, standby,
scaling policies (simple, step, target tracking with the alarms it owns), scheduled actions and instance refresh.

Other packages use the typed API here (`autoscaling.backend(world, region)`), never response dicts; `SPEC`
registers the service with a world.
"""

from awsprep.sim.autoscaling.models import SPEC, AsgBackend, backend
from awsprep.sim.autoscaling.notify import set_publisher

__all__ = ["SPEC", "AsgBackend", "backend", "set_publisher"]
