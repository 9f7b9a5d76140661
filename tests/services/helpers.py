"""Small helpers shared by the service tests."""

from __future__ import annotations

import datetime as dt


def days(n: int) -> str:
    """The ISO date ``n`` days from today (negative: in the past)."""
    return (dt.date.today() + dt.timedelta(days=n)).isoformat()
