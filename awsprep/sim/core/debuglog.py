"""Notes the simulator writes about what it decided and AWS would not say (`--debug` shows them).

A service notes, say, that an execution environment was modelled rather than run; the shell around the world
takes the notes after each command and shows them when the learner asked for `--debug`. Notes are not part of
the world's state (not saved, not in snapshots) and are kept per world, bounded: a world nobody reads keeps only
the latest `LIMIT`, and counts the rest.
"""

from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.sim.world import World

LIMIT = 2000


@dataclass
class _Log:
    notes: deque[str] = field(default_factory=lambda: deque(maxlen=LIMIT))
    dropped: int = 0


_LOGS: weakref.WeakKeyDictionary[World, _Log] = weakref.WeakKeyDictionary()


def note(world: World, text: str) -> None:
    """Add one note (one line) for the world's next reader."""
    log = _LOGS.get(world)
    if log is None:
        log = _LOGS[world] = _Log()
    if len(log.notes) == LIMIT:
        log.dropped += 1
    log.notes.append(text)


def take(world: World) -> tuple[list[str], int]:
    """The notes written since the last call, oldest first, and how many older ones were dropped unread."""
    log = _LOGS.pop(world, None)
    if log is None:
        return [], 0
    return list(log.notes), log.dropped
