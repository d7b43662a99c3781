"""CloudWatch's error codes and messages, one table (API reference pages of each operation list the codes:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
…/API_PutMetricData.html, …/API_GetMetricStatistics.html, …/API_SetAlarmState.html, …/API_DeleteAlarms.html).

Messages marked [REAL] were recorded from AWS by others ("MetricName must not be null", "Statistic should not be
set if list of Metrics is set.", "Period must not be null", "DatapointsToAlarm must be less than or equal to
EvaluationPeriods" — the last two in aws-cdk#7155 and hashicorp/terraform#24070); the rest follow the documented
rule in AWS's wording style [INF].
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

CW_ERRORS = ErrorTable(
    {
        "InvalidParameterValue": ("InvalidParameterValue", "{message}", 400),
        "MissingParameter": ("MissingParameter", "{message}", 400),
        "InvalidParameterCombination": ("InvalidParameterCombination", "{message}", 400),
        "ValidationError": ("ValidationError", "{message}", 400),
        "MetricNameNull": ("ValidationError", "MetricName must not be null", 400),  # [REAL]
        "StatisticWithMetrics": ("ValidationError", "Statistic should not be set if list of Metrics is set.", 400),
        "AlarmNotFound": ("ResourceNotFound", "Alarm {name} not found", 404),
        "AlarmsNotFound": ("ResourceNotFound", "{names} not found", 404),
        "InvalidFormat": ("InvalidFormat", "{message}", 400),
        "InvalidNextToken": ("InvalidNextToken", "The service cannot process the NextToken.", 400),
    }
)
