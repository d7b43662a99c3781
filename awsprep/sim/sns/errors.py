"""Every SNS error the simulator returns: code, message template, HTTP status.

Codes are the query protocol's (`NotFound`, `InvalidParameter`, `AuthorizationError`), as the botocore model
names them; SNS words its InvalidParameter messages as `Invalid parameter: <what>`. Wording AWS does not
document is what SNS returns as far as public transcripts show, and can be corrected here alone.
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

SNS_ERRORS = ErrorTable(
    {
        "TopicNotFound": ("NotFound", "Topic does not exist", 404),
        "SubscriptionNotFound": ("NotFound", "Subscription does not exist", 404),
        "ResourceNotFound": ("ResourceNotFound", "Resource does not exist", 404),
        "InvalidParameter": ("InvalidParameter", "Invalid parameter: {what}", 400),
        "InvalidParameterRaw": ("InvalidParameter", "{message}", 400),
        "InvalidToken": ("InvalidParameter", "Invalid token", 400),
        "ParameterValueInvalid": ("ParameterValueInvalid", "{message}", 400),
        "AuthorizationError": ("AuthorizationError", "User: {arn} is not authorized to perform: {action}", 403),
        "BatchEntryIdsNotDistinct": (
            "BatchEntryIdsNotDistinct",
            "Two or more batch entries in the request have the same Id.",
            400,
        ),
        "EmptyBatchRequest": ("EmptyBatchRequest", "The batch request doesn't contain any entries.", 400),
        "TooManyEntriesInBatchRequest": (
            "TooManyEntriesInBatchRequest",
            "The batch request contains more entries than permissible.",
            400,
        ),
    }
)
