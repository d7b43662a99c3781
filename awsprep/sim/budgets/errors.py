"""AWS Budgets errors (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateBudget.html
lists InvalidParameterException, DuplicateRecordException, NotFoundException, CreationLimitExceededException,
AccessDeniedException). The message texts follow AWS's style; they are not recorded from AWS [INF]."""

from __future__ import annotations

from awsprep.sim.core.errors import ErrorTable

BUDGET_ERRORS = ErrorTable(
    {
        "Invalid": ("InvalidParameterException", "{message}", 400),
        "Duplicate": ("DuplicateRecordException", "Error creating budget: {name} - the budget already exists.", 400),
        "NotFound": ("NotFoundException", "Unable to get budget: {name} - the budget doesn't exist.", 404),
        "DuplicateNotification": (
            "DuplicateRecordException",
            "Error creating notification: the notification already exists for budget {name}.",
            400,
        ),
        "Limit": ("CreationLimitExceededException", "{message}", 400),
        "WrongAccount": (
            "AccessDeniedException",
            "User is not authorized to access budgets of account {account}.",
            400,
        ),
    }
)
