"""CloudWatch state for one Region: nothing yet (metrics live in the world's core store)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CloudWatchRegionState:
    """Per-Region CloudWatch state (alarms will live here)."""

    region: str = ""
