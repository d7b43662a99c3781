"""CloudWatch errors (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html)."""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

CW_ERRORS = ErrorTable(
    {
        "InvalidParameterValue": ("InvalidParameterValue", "{message}", 400),
        "MissingParameter": ("MissingParameter", "{message}", 400),
        "InvalidParameterCombination": ("InvalidParameterCombination", "{message}", 400),
    }
)
