"""The billing meter: prices the usage records services open and close (see `core.meter`)."""

from awsprep.sim.billing.models import Bill, LineItem, bill

__all__ = ["Bill", "LineItem", "bill"]
