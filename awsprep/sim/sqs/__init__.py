"""Amazon SQS: standard and FIFO queues, visibility timeouts and long polls on the simulated clock,
dead-letter redrive, message attributes with AWS's digests.

Other packages use the typed API re-exported here (`sqs.send(world, queue_arn, body, attributes)`), never
response dicts. `SPEC` registers SQS with a world.
"""

from awsprep.sim.sqs.api import allows_service, backend, messages, queue, queue_url, send
from awsprep.sim.sqs.models import SPEC, SqsBackend

__all__ = ["SPEC", "SqsBackend", "allows_service", "backend", "messages", "queue", "queue_url", "send"]
