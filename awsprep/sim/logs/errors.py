"""Every CloudWatch Logs error the simulator returns: code, message template, HTTP status.

Logs speaks JSON, so codes keep botocore's `Exception` suffix (`ResourceNotFoundException`), and its not-found
and already-exists messages are the ones SDK users see ("The specified log group does not exist.").
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

LOGS_ERRORS = ErrorTable(
    {
        "GroupNotFound": ("ResourceNotFoundException", "The specified log group does not exist.", 400),
        "StreamNotFound": ("ResourceNotFoundException", "The specified log stream does not exist.", 400),
        "ResourceNotFound": ("ResourceNotFoundException", "The specified resource does not exist.", 400),
        "GroupExists": ("ResourceAlreadyExistsException", "The specified log group already exists", 400),
        "StreamExists": ("ResourceAlreadyExistsException", "The specified log stream already exists", 400),
        "InvalidParameter": ("InvalidParameterException", "{message}", 400),
        "Validation": ("ValidationException", "{message}", 400),
        "BadToken": ("InvalidParameterException", "The specified nextToken is invalid.", 400),
        "OperationAborted": ("OperationAbortedException", "{message}", 400),
    }
)
