"""Amazon CloudWatch Logs: log groups and streams, PutLogEvents with AWS's batch rules, GetLogEvents with
tokens, FilterLogEvents with filter patterns, retention on the simulated clock.

Other packages use the typed API re-exported here (`logs.write(world, region, group, stream, events)`).
`aws logs tail` is an AWS CLI v2 command the bundled v1 CLI lacks: the sandbox provides it
(awsprep/labs/shell/logstail.py) over `logs.filter_events`.
"""

from awsprep.sim.logs.api import backend, events, filter_events, group, write
from awsprep.sim.logs.models import SPEC, LogsBackend

__all__ = ["SPEC", "LogsBackend", "backend", "events", "filter_events", "group", "write"]
