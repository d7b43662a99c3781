"""The one list of what awsprep simulates: the built services' specs, and the services still to come.

`core.registry` holds it for every `World()`, the CLI front end (which refuses other services before it
dispatches) and `aws SERVICE help`. A new service package adds its `SPEC` here and removes its `plan` line.
"""

from __future__ import annotations

from awsprep.sim import autoscaling, cloudwatch, ec2, elb, elbv2, logs, sns, sqs, sts
from awsprep.sim.core import registry

registry.register(ec2.SPEC)
registry.register(elbv2.SPEC)
registry.register(sts.SPEC)
registry.register(elb.SPEC)
registry.register(cloudwatch.SPEC)
registry.register(sqs.SPEC)
registry.register(sns.SPEC)
registry.register(logs.SPEC)
registry.register(autoscaling.SPEC)

# Auto Scaling's notifications go out through SNS (the hook keeps the two packages apart).
autoscaling.set_publisher(sns.publish_for_service)

# Planned in the next issues; until they land, their calls say so honestly.
registry.plan("lambda", "AWS Lambda")
