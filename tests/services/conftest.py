"""Fixtures for the service tests: a deterministic clock and the QPV ids."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from perr_desktop.storage import records
from perr_desktop.storage.ids import reference_id


@pytest.fixture
def clock(monkeypatch):
    """Every record timestamp one second after the previous one, so "has updated_at
    moved?" never depends on how fast the machine is."""
    start = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
    ticks = itertools.count()

    def now_utc() -> str:
        moment = start + dt.timedelta(seconds=next(ticks))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    monkeypatch.setattr(records, "now_utc", now_utc)
    return now_utc


@pytest.fixture
def qpv():
    """Neighbourhood id by code (reference ids are derived from codes)."""
    codes = ("basseau-grande-garenne", "ma-campagne", "bel-air-grand-font",
             "etang-des-moines", "champ-de-manoeuvre")
    return {code: reference_id("neighbourhood", code) for code in codes}

