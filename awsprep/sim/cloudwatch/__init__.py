"""Amazon CloudWatch, reading side: GetMetricStatistics and ListMetrics over the core's metric store (what ELB,
EC2 and the others publish). Alarms and the rest of CloudWatch extend this package (issue 13)."""

from awsprep.sim.cloudwatch.models import SPEC, CloudWatchBackend

__all__ = ["SPEC", "CloudWatchBackend"]
