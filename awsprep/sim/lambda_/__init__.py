"""AWS Lambda: the control plane, a real Python runtime (one limited process per execution environment),
concurrency, synchronous and asynchronous invocation, destinations, layers, function URLs and ALB targets.

Other packages use the typed API re-exported here, never response dicts. `SPEC` registers Lambda with a world.
The package is `lambda_` because `lambda` is a Python keyword; the service is botocore's `lambda`.
"""

from awsprep.sim.lambda_ import wiring
from awsprep.sim.lambda_.fleet import fleet, set_runtime_factory, use_runtime
from awsprep.sim.lambda_.load import LoadReport, load
from awsprep.sim.lambda_.models import SPEC, LambdaBackend, backend
from awsprep.sim.lambda_.runtime import FakeRuntime, Runtime
from awsprep.sim.lambda_.sinks import set_log_sink, set_target

wiring.install()

__all__ = [
    "SPEC",
    "FakeRuntime",
    "LambdaBackend",
    "LoadReport",
    "Runtime",
    "backend",
    "fleet",
    "load",
    "set_log_sink",
    "set_runtime_factory",
    "set_target",
    "use_runtime",
]
