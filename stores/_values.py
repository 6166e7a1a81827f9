"""Value conversions every backend shares: what counts as missing, and timestamps as LadybugDB
stores them (so every backend holds the same values)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["is_missing", "local_timestamp"]


def is_missing(value: Any) -> bool:
    """None, pandas' NA and NaT, and float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def local_timestamp(value: Any) -> pd.Timestamp | None:
    """A ``TIMESTAMP`` value as LadybugDB stores it: naive (a value with a time zone keeps its
    wall-clock time in that zone and drops the zone, as LadybugDB does with a zoned datetime)
    and truncated to microseconds (LadybugDB's resolution). None for a missing value.

    Shared by ``orgnet push`` (a Neo4j LocalDateTime), the Neo4j store's parameters and the
    neo4j-admin import files (``localdatetime``), so each holds what the LadybugDB file holds.
    """
    if is_missing(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.floor("us") if stamp.nanosecond else stamp
