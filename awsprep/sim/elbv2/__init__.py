"""Elastic Load Balancing v2: Application and Network Load Balancers, listeners, rules, target groups, target
health on the virtual clock, and a data plane that routes every request.

Other packages use the typed API re-exported here, never response dicts. `SPEC` registers ELBv2 with a world.
"""

from awsprep.sim.elbv2.api import (
    backend,
    deregister,
    load_balancer,
    register,
    set_lambda_invoker,
    target_group,
    target_states,
)
from awsprep.sim.elbv2.dataplane import request
from awsprep.sim.elbv2.models import SPEC, ElbBackend

__all__ = [
    "SPEC",
    "ElbBackend",
    "backend",
    "deregister",
    "load_balancer",
    "register",
    "request",
    "set_lambda_invoker",
    "target_group",
    "target_states",
]
