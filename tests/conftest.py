"""Shared fixtures: every test runs against its own data folder, offscreen, in French."""

from __future__ import annotations

import datetime as dt
import itertools
import os

# Before any Qt import: GUI tests draw offscreen, never on a real screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from perr_desktop import i18n, paths


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """A fresh PERR_DESKTOP_HOME: no test reads or writes the developer's real data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(paths.HOME_ENV, str(home))
    i18n.set_language("fr")
    yield home
    i18n.set_language("fr")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "perr.sqlite"


@pytest.fixture
def db(db_path):
    from perr_desktop.storage.database import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def clock(monkeypatch):
    """Every record timestamp one second after the previous one, so "has updated_at
    moved?" never depends on how fast the machine is."""
    from perr_desktop.storage import records

    start = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
    ticks = itertools.count()

    def now_utc() -> str:
        moment = start + dt.timedelta(seconds=next(ticks))
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    monkeypatch.setattr(records, "now_utc", now_utc)
    return now_utc


@pytest.fixture(autouse=True)
def meetings_today(monkeypatch):
    """Tests plan meetings on fixed dates (2026-2027): by default they run as if those
    meetings had taken place. A test of the "not yet" rule sets the day it needs."""
    import datetime as _dt

    from perr_desktop.services import meetings

    day = {"today": _dt.date(2030, 1, 1)}
    monkeypatch.setattr(meetings, "_today", lambda: day["today"])

    def set_today(value: _dt.date) -> None:
        day["today"] = value

    return set_today
