"""Amazon CloudWatch: metrics (PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics) over the core's
metric store, alarms evaluated on the clock with actions through a registry (SNS, Auto Scaling, EC2), and the
AWS/Billing EstimatedCharges metric. `api.py` is the typed API other services use."""

from awsprep.sim.cloudwatch import notify as _notify  # registers the SNS and EC2 alarm actions
from awsprep.sim.cloudwatch.models import SPEC, CloudWatchBackend

__all__ = ["SPEC", "CloudWatchBackend"]
del _notify
