"""The one list of what awsprep simulates: the built services' specs, and the services still to come.

`core.registry` holds it for every `World()`, the CLI front end (which refuses other services before it
dispatches) and `aws SERVICE help`. A new service package adds its `SPEC` here and removes its `plan` line.
"""

from __future__ import annotations

from awsprep.sim import autoscaling, budgets, cloudwatch, ec2, elb, elbv2, logs, sns, sqs, sts
from awsprep.sim.core import registry
from awsprep.sim.lambda_ import SPEC as LAMBDA

registry.register(ec2.SPEC)
registry.register(elbv2.SPEC)
registry.register(sts.SPEC)
registry.register(elb.SPEC)
registry.register(cloudwatch.SPEC)
registry.register(sqs.SPEC)
registry.register(sns.SPEC)
registry.register(logs.SPEC)
registry.register(budgets.SPEC)
registry.register(autoscaling.SPEC)

# Auto Scaling's notifications go out through SNS (the hook keeps the two packages apart).
autoscaling.set_publisher(sns.publish_for_service)

# Lambda (its hooks into ELB, SNS, SQS and Logs are plugged in by awsprep.sim.lambda_.wiring).
registry.register(LAMBDA)
