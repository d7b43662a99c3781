"""The one list of what awsprep simulates: the built services' specs, and the services still to come.

`core.registry` holds it for every `World()`, the CLI front end (which refuses other services before it
dispatches) and `aws SERVICE help`. A new service package adds its `SPEC` here and removes its `plan` line.
"""

from __future__ import annotations

from awsprep.sim import cloudwatch, ec2, elb, elbv2, lambda_, sts
from awsprep.sim.core import registry

registry.register(ec2.SPEC)
registry.register(elbv2.SPEC)
registry.register(sts.SPEC)
registry.register(elb.SPEC)
registry.register(cloudwatch.SPEC)
registry.register(lambda_.SPEC)

# Planned in the next issues; until they land, their calls say so honestly.
registry.plan("autoscaling", "Amazon EC2 Auto Scaling")
registry.plan("sns", "Amazon SNS")
registry.plan("logs", "Amazon CloudWatch Logs")
