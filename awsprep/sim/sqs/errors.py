"""Every SQS error the simulator returns: code, message template, HTTP status.

SQS speaks the JSON protocol with AWS-query compatibility, so the codes the CLI prints are the query ones
(`AWS.SimpleQueueService.NonExistentQueue`, `QueueAlreadyExists`), as botocore reads them from the
`x-amzn-query-error` header. Error names and meanings follow the SQS API reference (the error shapes of the
botocore model and the "Errors" section of each action); message wording that AWS does not document is
what SQS returns as far as public transcripts show, and can be corrected here alone.
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

SQS_ERRORS = ErrorTable(
    {
        "NonExistentQueue": ("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.", 400),
        "QueueAlreadyExists": (
            "QueueAlreadyExists",
            "A queue already exists with the same name and a different value for attribute {name}",
            400,
        ),
        "QueueDeletedRecently": (
            "AWS.SimpleQueueService.QueueDeletedRecently",
            "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
            400,
        ),
        "InvalidAttributeName": ("InvalidAttributeName", "Unknown Attribute {name}.", 400),
        "InvalidAttributeValue": ("InvalidAttributeValue", "Invalid value for the parameter {name}.", 400),
        "InvalidParameterValue": ("InvalidParameterValue", "{message}", 400),
        "BadValue": ("InvalidParameterValue", "Value {value} for parameter {name} is invalid. Reason: {reason}", 400),
        "MissingParameter": ("MissingParameter", "The request must contain the parameter {name}.", 400),
        "ReceiptHandleIsInvalid": (
            "ReceiptHandleIsInvalid",
            'The input receipt handle "{handle}" is not a valid receipt handle.',
            400,
        ),
        "MessageNotInflight": (
            "AWS.SimpleQueueService.MessageNotInflight",
            "Message does not exist or is not available for visibility timeout change.",
            400,
        ),
        "PurgeQueueInProgress": (
            "AWS.SimpleQueueService.PurgeQueueInProgress",
            "Only one PurgeQueue operation on {name} is allowed every 60 seconds.",
            403,
        ),
        "EmptyBatchRequest": (
            "AWS.SimpleQueueService.EmptyBatchRequest",
            "There should be at least one {entry} in the request.",
            400,
        ),
        "TooManyEntriesInBatchRequest": (
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            "Maximum number of entries per request are 10. You have sent {count}.",
            400,
        ),
        "BatchEntryIdsNotDistinct": ("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id {id} repeated.", 400),
        "InvalidBatchEntryId": (
            "AWS.SimpleQueueService.InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
            "It can be at most 80 letters long.",
            400,
        ),
        "BatchRequestTooLong": (
            "AWS.SimpleQueueService.BatchRequestTooLong",
            "Batch requests cannot be longer than {max} bytes. You have sent {size} bytes.",
            400,
        ),
    }
)
