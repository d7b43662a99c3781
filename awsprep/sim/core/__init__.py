"""The service-independent machinery every simulated service shares: clock, ids, errors, codec, world."""
