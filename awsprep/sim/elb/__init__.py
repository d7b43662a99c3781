"""Classic Load Balancers (`aws elb …`): listeners, one health check, InService/OutOfService, connection
draining and duration-based stickiness, with a data plane on the simulated network."""

from awsprep.sim.elb.models import SPEC, ClbBackend, backend

__all__ = ["SPEC", "ClbBackend", "backend"]
