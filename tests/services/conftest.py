"""Fixtures for the service tests: a deterministic clock and the QPV ids."""

from __future__ import annotations

import pytest

from perr_desktop.storage.ids import reference_id


@pytest.fixture
def qpv():
    """Neighbourhood id by code (reference ids are derived from codes)."""
    codes = ("basseau-grande-garenne", "ma-campagne", "bel-air-grand-font",
             "etang-des-moines", "champ-de-manoeuvre")
    return {code: reference_id("neighbourhood", code) for code in codes}

