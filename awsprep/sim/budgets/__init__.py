"""AWS Budgets: cost budgets with ACTUAL and FORECASTED notifications to email (the sandbox inbox) and SNS,
checked on the clock against the usage meter's charges."""

from awsprep.sim.budgets.models import SPEC, BudgetsBackend

__all__ = ["SPEC", "BudgetsBackend"]
