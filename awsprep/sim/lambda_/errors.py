"""Every Lambda error the simulator returns: code, message template, HTTP status, in one table.

Messages marked [REAL] in the spec (§1.4) were recorded from AWS; the others follow the API reference's error
descriptions and the validation-message form AWS uses, and can be corrected here without touching the logic.
"""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

_V = "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"

LAMBDA_ERRORS = ErrorTable(
    {
        "FunctionNotFound": ("ResourceNotFoundException", "Function not found: {arn}", 404),
        "EsmNotFound": ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        "EsmExists": (
            "ResourceConflictException",
            'An event source mapping with SQS arn (" {source} ") and function (" {function} ") already exists. '
            "Please update or delete the existing mapping with UUID {uuid}",
            409,
        ),
        "EsmInUse": (
            "ResourceInUseException",
            "Cannot update the event source mapping {uuid} because it is in use: it is {state}.",
            400,
        ),
        "FunctionExists": ("ResourceConflictException", "Function already exist: {name}", 409),
        "UpdateInProgress": (
            "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: {arn}",
            409,
        ),
        "Pending": (
            "ResourceConflictException",
            "The operation cannot be performed at this time. The function is currently in the following state: Pending",
            409,
        ),
        "AliasExists": ("ResourceConflictException", "Alias already exists: {arn}", 409),
        "AliasNotFound": ("ResourceNotFoundException", "Cannot find alias arn: {arn}", 404),
        "TooManyWeights": (
            "InvalidParameterValueException",
            "Number of items in AdditionalVersionWeights cannot be greater than 1",
            400,
        ),
        "WeightsOnLatest": (
            "InvalidParameterValueException",
            "$LATEST is not supported for an alias pointing to more than 1 version",
            400,
        ),
        "WeightSameVersion": (
            "InvalidParameterValueException",
            "Invalid function version {version}. Function version {version} is already included in routing "
            "configuration.",
            400,
        ),
        "WeightRange": (
            "ValidationException",
            _V.replace("{field}", "routingConfig.additionalVersionWeights").replace(
                "{constraint}",
                "Map value must satisfy constraint: [Member must have value less than or "
                "equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
            ),
            400,
        ),
        "DeleteLatest": (
            "InvalidParameterValueException",
            "$LATEST version cannot be deleted without deleting the function.",
            400,
        ),
        "VersionInUse": (
            "ResourceConflictException",
            "Unable to delete version because the following aliases reference it: [{aliases}]",
            409,
        ),
        "Unreserved": (
            "InvalidParameterValueException",
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
            "below its minimum value of [100].",
            400,
        ),
        "PcOnLatest": (
            "InvalidParameterValueException",
            "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
            400,
        ),
        "PcAliasOnProvisionedVersion": (
            "ResourceConflictException",
            "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
            409,
        ),
        "PcVersionUsed": ("ResourceConflictException", "Version is pointed by a Provisioned Concurrency alias", 409),
        "PcOverReserved": (
            "InvalidParameterValueException",
            "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
            400,
        ),
        "PcNotFound": (
            "ProvisionedConcurrencyConfigNotFoundException",
            "No Provisioned Concurrency Config found for this function",
            404,
        ),
        "NoEventConfig": (
            "ResourceNotFoundException",
            "The function {arn} doesn't have an EventInvokeConfig",
            404,
        ),
        "Revision": (
            "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to "
            "retrieve the latest Revision Id",
            412,
        ),
        "Throttled": ("TooManyRequestsException", "Rate Exceeded.", 429),
        "Validation": ("ValidationException", _V, 400),
        "Role": (
            "ValidationException",
            _V.replace("{field}", "role").replace(
                "{constraint}",
                r"Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\d{{12}}:role/?"
                r"[a-zA-Z_0-9+=,.@\-_/]+",
            ),
            400,
        ),
        "RoleAccount": (
            "InvalidParameterValueException",
            "The role defined for the function cannot be assumed by Lambda.",
            400,
        ),
        "Runtime": (
            "InvalidParameterValueException",
            "Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: "
            "[{runtimes}] or be a valid ARN",
            400,
        ),
        "Unzip": (
            "InvalidParameterValueException",
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
            400,
        ),
        "NoCode": ("InvalidParameterValueException", "Please provide a source for function code.", 400),
        "Param": ("InvalidParameterValueException", "{message}", 400),
        "TooManyLayers": ("InvalidParameterValueException", "Cannot reference more than 5 layers.", 400),
        "SameLayer": (
            "InvalidParameterValueException",
            "Two different versions of the same layer are not allowed to be referenced in the same function. "
            "{first} and {second} are versions of the same layer.",
            400,
        ),
        "LayerVersionNotFound": ("InvalidParameterValueException", "Layer version {arn} does not exist.", 400),
        "LayerNotFound": ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        "TooLarge": (
            "RequestEntityTooLargeException",
            "Request must be smaller than {limit} bytes for the InvokeFunction operation",
            413,
        ),
        "BadJson": (
            "InvalidRequestContentException",
            "Could not parse request body into json: Could not parse payload into json: {detail}",
            400,
        ),
        "NotPython": (
            "InvalidRuntimeException",
            "awsprep runs only Python handlers (python3.9 to python3.13); this function's runtime is {runtime}, "
            "so its code cannot run here.",
            502,
        ),
        "StatementExists": (
            "ResourceConflictException",
            "The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the "
            "existing statement.",
            409,
        ),
        "StatementNotFound": ("ResourceNotFoundException", "Statement {sid} is not found in resource policy.", 404),
        "NoPolicy": ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        "UrlExists": (
            "ResourceConflictException",
            "Failed to create function url config for [functionArn = {arn}]. Error message:  FunctionUrlConfig "
            "exists for this Lambda function",
            409,
        ),
        "UrlNotFound": ("ResourceNotFoundException", "The resource you requested does not exist.", 404),
        "AccessDenied": ("AccessDeniedException", "User: {arn} is not authorized to perform: {action}", 403),
    }
)
