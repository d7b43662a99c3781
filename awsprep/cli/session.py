"""What most commands need first: the catalog, the progress store and the learner's scheduler settings."""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from awsprep.content.catalog import Catalog
    from awsprep.study.scheduler import Scheduler


@cache
def open_catalog() -> Catalog:
    from awsprep.content.catalog import load_catalog

    return load_catalog()


@cache
def open_store() -> sqlite3.Connection:
    from awsprep.store.db import connect

    return connect()


def scheduler_for(conn: sqlite3.Connection) -> Scheduler:
    from awsprep.store.progress import get_setting
    from awsprep.study.scheduler import Scheduler, SchedulerConfig

    retention = get_setting(conn, "desired-retention")
    return Scheduler(SchedulerConfig(desired_retention=float(retention) if retention else 0.90))
