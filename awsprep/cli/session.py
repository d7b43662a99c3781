"""What most commands need first: the catalog, the progress store and the learner's scheduler settings."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

    from awsprep.content.catalog import Catalog
    from awsprep.study.scheduler import Scheduler


_DEBUG = [False]


def set_debug(on: bool) -> None:
    """The boundary records whether this run has `--debug` (or AWSPREP_DEBUG=1) before any command runs."""
    _DEBUG[0] = on


def debug_enabled() -> bool:
    """`--debug`: tracebacks for errors, and the simulator's notes in the sandbox and labs."""
    return _DEBUG[0]


@cache
def open_catalog() -> Catalog:
    from awsprep.content.catalog import load_catalog

    return load_catalog()


@cache
def open_store() -> sqlite3.Connection:
    from awsprep.store.db import connect

    return connect()


def scheduler_for(conn: sqlite3.Connection) -> Scheduler:
    """The scheduler with the learner's settings (`awsprep config`), shared by cards, quizzes and exams."""
    from awsprep.study import cards_config
    from awsprep.study.scheduler import Scheduler

    return Scheduler(cards_config.load(conn).scheduler_config())
