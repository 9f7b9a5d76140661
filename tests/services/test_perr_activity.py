"""The records behind the Vue PERR's counts (services/perr_activity.py) match them,
node by node, on the hand-counted dataset of test_indicators.py."""

from __future__ import annotations

import pytest

from perr_desktop.errors import UserError
from perr_desktop.services import indicators
from perr_desktop.services.indicators import Filters
from perr_desktop.services.perr_activity import perr_activity
from perr_desktop.storage.database import open_database
from tests.services.test_indicators import TODAY, build_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("perr_activity") / "perr.sqlite"
    return path, build_dataset(path)


@pytest.fixture
def data(dataset):
    path, ids = dataset
    with open_database(path) as db:
        yield db, ids


@pytest.mark.parametrize("make", [
    lambda ids: Filters.year(2025),
    lambda ids: Filters.year(2025, [ids["A"]]),
    lambda ids: Filters.quarter(2025, 4, [ids["A"]]),
    lambda ids: Filters.year(2025, objective_code="R3"),
    lambda ids: Filters.year(2024),
])
def test_every_node_lists_what_its_totals_count(data, make):
    db, ids = data
    filters = make(ids)
    nodes = indicators.perr_view(db, filters, TODAY)
    assert nodes
    for node in nodes:
        found = perr_activity(db, filters, node["code"], TODAY)
        assert (len(found["meetings"]), len(found["agenda_items"]),
                len(found["observations"])) == (
            node["total_meetings"], node["total_agenda_items"],
            node["total_observations"]), node["code"]


def test_what_was_done_for_r3_in_2025(data):
    db, ids = data
    found = perr_activity(db, Filters.year(2025), "R3", TODAY)
    # M1 (objective R3.07), M3 (item R3.01), M4 (objective R3.07, item R3.05).
    assert [m["id"] for m in found["meetings"]] == [ids["M1"], ids["M3"], ids["M4"]]
    assert found["meetings"][2]["codes"] == ["R3.05", "R3.07"]
    assert [(i["title"], i["objective_code"]) for i in found["agenda_items"]] == [
        ("Le projet urbain", "R3.01"), ("Les lampadaires", "R3.05")]
    assert [(o["id"], o["walk_id"]) for o in found["observations"]] == [
        (ids["O1"], ids["WA"]), (ids["O3"], ids["WA"])]
    assert found["observations"][0]["council_name"] == "Ma Campagne"


def test_unknown_code_is_a_user_error(data):
    db, _ids = data
    with pytest.raises(UserError):
        perr_activity(db, Filters.year(2025), "Z9", TODAY)
