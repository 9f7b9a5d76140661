"""Shared fixtures: every test runs against its own data folder, offscreen, in French."""

from __future__ import annotations

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
