"""STS keeps nothing: the caller's identity is the world's (its account and the learner's IAM user)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class StsState:
    """Empty per-Region state (kept so snapshots and the world treat every service alike)."""
