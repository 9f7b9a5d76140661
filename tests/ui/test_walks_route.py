"""Journey 4, preparing the route: the stops typed (name, address, GPS the French way),
reordered, removed without losing what was noted there, and placed on the plan image
the city gave by clicking it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMessageBox

from perr_desktop.services import photos, walks
from perr_desktop.ui.walks.page import WalkDetail
from perr_desktop.ui.walks.route import RouteTab
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    click_destructive,
    click_row,
    column_texts,
    key_text,
    leave_field,
    show,
    type_into,
)
from tests.ui.walks_fixtures import (
    LAMP,
    dump,
    fraction_at,
    make_council,
    make_walk,
    pins,
    plan_image,
    point_on_plan,
    row,
    stop_ids,
)

pytestmark = OFFSCREEN_SIZE_HINTS

THREE = ("Entrée du quartier", "Place du marché", "Aire de jeux")


@pytest.fixture
def council(db):
    return make_council(db)


@pytest.fixture
def empty_walk(db, council):
    return make_walk(db, council, stops=())


@pytest.fixture
def walk(db, council):
    return make_walk(db, council, stops=THREE)


@pytest.fixture
def tab(qtbot, db):
    return show(qtbot, RouteTab(db), 1200, 760)


def selected_stop(tab: RouteTab) -> str | None:
    rows = tab.view.selectionModel().selectedRows()
    return tab.model.id_at(rows[0].row()) if rows else None


def names(db, walk_id) -> list[str]:
    return [s["name"] for s in walks.stops(db, walk_id)]


def with_plan(db, walk_id, tmp_path, tab: RouteTab) -> None:
    photos.import_plan(db, walk_id, plan_image(tmp_path / "plan-basseau.png"))
    tab.load(walk_id)
    assert tab.plan.pixmap_item is not None


# -- typing the stops ----------------------------------------------------------------------

def test_a_stop_added_is_selected_and_its_name_typed_over_the_suggestion(
        qtbot, db, tab, empty_walk):
    tab.load(empty_walk)
    assert not tab.remove_button.isEnabled()
    qtbot.mouseClick(tab.add_button, LEFT)

    (stop,) = walks.stops(db, empty_walk)
    assert stop["position"] == 1
    assert selected_stop(tab) == stop["id"]
    assert tab.name.hasFocus()
    assert tab.name.selectedText() == tab.name.text() == stop["name"]   # « Arrêt 1 »

    key_text(qtbot, tab.name, "Square des Tilleuls")      # replaces the selected name
    leave_field(qtbot, tab.name)
    assert row(db, "walk_stops", stop["id"])["name"] == "Square des Tilleuls"
    assert column_texts(tab.model, 1) == ["Square des Tilleuls"]

    type_into(qtbot, tab.address, "")
    key_text(qtbot, tab.address, "Rue de l'Épargne, près du n° 3")
    leave_field(qtbot, tab.address)
    assert row(db, "walk_stops", stop["id"])["address"] == "Rue de l'Épargne, près du n° 3"


def test_gps_typed_with_a_french_comma_is_saved_as_a_number(qtbot, db, tab, walk):
    tab.load(walk)
    first = stop_ids(db, walk)[0]
    assert selected_stop(tab) == first
    type_into(qtbot, tab.latitude, "45,648")
    leave_field(qtbot, tab.latitude)
    type_into(qtbot, tab.longitude, "0,156")
    leave_field(qtbot, tab.longitude)
    stored = row(db, "walk_stops", first)
    assert (stored["latitude"], stored["longitude"]) == (45.648, 0.156)
    assert not tab.stop_banner.isVisible()


def test_a_latitude_of_95_is_refused_in_the_banner_and_nothing_is_written(
        qtbot, db, tab, walk):
    first = stop_ids(db, walk)[0]
    walks.update_stop(db, first, latitude=45.648)
    tab.load(walk)
    before = dump(db)

    type_into(qtbot, tab.latitude, "95")
    leave_field(qtbot, tab.latitude)

    assert tab.stop_banner.isVisible()
    assert tab.stop_banner.text()
    assert tab.latitude.property("invalid") is True
    assert tab.latitude.accessibleDescription() == tab.stop_banner.text()
    assert dump(db) == before
    assert not tab.flush()

    type_into(qtbot, tab.latitude, "45.65")                # corrected
    leave_field(qtbot, tab.latitude)
    assert not tab.stop_banner.isVisible()
    assert row(db, "walk_stops", first)["latitude"] == 45.65


def test_a_stop_s_stored_gps_is_shown_when_selected(qtbot, db, tab, walk):
    second = stop_ids(db, walk)[1]
    walks.update_stop(db, second, latitude=45.648, longitude=0.156, address="Place du marché")
    tab.load(walk)
    click_row(qtbot, tab.view, 1, 1)
    assert float(tab.latitude.text()) == 45.648
    assert float(tab.longitude.text()) == 0.156
    assert tab.address.text() == "Place du marché"


# -- the order of the route --------------------------------------------------------------------

def test_move_up_and_down_reorders_the_route_and_keeps_the_stop_selected(
        qtbot, db, tab, walk):
    tab.load(walk)
    play = stop_ids(db, walk)[2]
    click_row(qtbot, tab.view, 2, 1)
    qtbot.mouseClick(tab.up_button, LEFT)
    assert names(db, walk) == ["Entrée du quartier", "Aire de jeux", "Place du marché"]
    assert column_texts(tab.model, 1) == names(db, walk)
    assert column_texts(tab.model, 0) == ["1", "2", "3"]
    assert selected_stop(tab) == play

    qtbot.mouseClick(tab.up_button, LEFT)
    qtbot.mouseClick(tab.up_button, LEFT)                  # already first: stays first
    assert names(db, walk) == ["Aire de jeux", "Entrée du quartier", "Place du marché"]

    qtbot.mouseClick(tab.down_button, LEFT)
    assert names(db, walk) == ["Entrée du quartier", "Aire de jeux", "Place du marché"]
    assert selected_stop(tab) == play


def test_a_name_being_typed_is_saved_before_the_stop_moves(qtbot, db, tab, walk):
    tab.load(walk)
    click_row(qtbot, tab.view, 1, 1)
    type_into(qtbot, tab.name, "Place du marché couvert")
    qtbot.mouseClick(tab.down_button, LEFT)                # no pause, no Tab
    assert names(db, walk) == ["Entrée du quartier", "Aire de jeux",
                               "Place du marché couvert"]


def test_remove_asks_and_keeps_the_observations_noted_there(qtbot, db, tab, walk, modals):
    market = stop_ids(db, walk)[1]
    observation = walks.add_observation(db, walk, ["ville"], stop_id=market, description=LAMP)
    tab.load(walk)
    click_row(qtbot, tab.view, 1, 1)

    def confirm(box: QMessageBox) -> None:
        assert "Place du marché" in box.text()
        click_destructive(box)

    modals.expect(confirm, QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)

    assert names(db, walk) == ["Entrée du quartier", "Aire de jeux"]
    assert column_texts(tab.model, 1) == ["Entrée du quartier", "Aire de jeux"]
    kept = row(db, "observations", observation)
    assert kept["deleted_at"] is None
    assert kept["stop_id"] is None
    assert kept["description"] == LAMP
    assert [o["id"] for o in walks.observations(db, walk)] == [observation]


def test_cancelling_the_removal_keeps_the_stop(qtbot, db, tab, walk, modals):
    tab.load(walk)
    click_row(qtbot, tab.view, 1, 1)
    before = dump(db)
    modals.expect(lambda box: box.button(QMessageBox.StandardButton.Cancel).click(),
                  QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    assert dump(db) == before
    assert tab.model.rowCount() == 3


def test_after_a_removal_the_route_is_numbered_without_a_gap(qtbot, db, tab, walk, modals):
    tab.load(walk)
    click_row(qtbot, tab.view, 1, 1)
    modals.expect(click_destructive, QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    qtbot.mouseClick(tab.add_button, LEFT)
    assert column_texts(tab.model, 0) == ["1", "2", "3"]
    assert [s["position"] for s in walks.stops(db, walk)] == [1, 2, 3]


def test_the_stops_model_is_sound(qtbot, qtmodeltester, db, tab, walk):
    walks.update_stop(db, stop_ids(db, walk)[0], plan_x=0.5, plan_y=0.5)
    tab.load(walk)
    qtmodeltester.check(tab.model)
    assert column_texts(tab.model, 3) == ["✓", "", ""]


# -- the plan ----------------------------------------------------------------------------------

def test_without_a_plan_a_stop_cannot_be_placed(qtbot, db, tab, walk):
    tab.load(walk)
    assert selected_stop(tab) is not None
    assert not tab.place_button.isEnabled()
    assert tab.plan.pixmap_item is None
    assert pins(tab.plan) == []


def test_a_click_on_the_plan_places_the_selected_stop(qtbot, db, tab, walk, tmp_path):
    with_plan(db, walk, tmp_path, tab)
    entry, market, _play = stop_ids(db, walk)
    click_row(qtbot, tab.view, 1, 1)
    assert tab.place_button.isEnabled()
    qtbot.mouseClick(tab.place_button, LEFT)
    assert tab.plan.placing

    where = point_on_plan(tab.plan, 0.3, 0.6)
    expected = fraction_at(tab.plan, where)                # what the view maps it to
    qtbot.mouseClick(tab.plan.viewport(), LEFT, pos=where)

    stored = row(db, "walk_stops", market)
    assert stored["plan_x"] == pytest.approx(expected[0], abs=1e-9)
    assert stored["plan_y"] == pytest.approx(expected[1], abs=1e-9)
    assert 0 <= stored["plan_x"] <= 1 and 0 <= stored["plan_y"] <= 1
    # within a screen pixel of where she clicked on the drawn plan
    pixel = 1 / (tab.plan.transform().m11() * tab.plan.pixmap_item.pixmap().width())
    assert stored["plan_x"] == pytest.approx(0.3, abs=2 * pixel)
    assert stored["plan_y"] == pytest.approx(0.6, abs=2 * pixel * 1.6)
    assert row(db, "walk_stops", entry)["plan_x"] is None
    assert not tab.place_button.isChecked()                # one click, one stop
    assert not tab.plan.placing
    assert selected_stop(tab) == market
    assert column_texts(tab.model, 3) == ["", "✓", ""]
    (pin,) = pins(tab.plan)
    size = tab.plan.pixmap_item.pixmap().size()
    assert pin.pos().x() == pytest.approx(stored["plan_x"] * size.width())
    assert pin.pos().y() == pytest.approx(stored["plan_y"] * size.height())


def test_pins_are_drawn_for_placed_stops_and_observations(qtbot, db, tab, walk, tmp_path):
    entry, market, play = stop_ids(db, walk)
    walks.update_stop(db, entry, plan_x=0.1, plan_y=0.1)
    walks.update_stop(db, play, plan_x=0.9, plan_y=0.8)
    walks.add_observation(db, walk, stop_id=market, description=LAMP, plan_x=0.5, plan_y=0.5)
    walks.add_observation(db, walk, stop_id=market, description="Banc neuf", positive=True)
    with_plan(db, walk, tmp_path, tab)
    assert len(pins(tab.plan)) == 3                        # two stops, one observation

    click_row(qtbot, tab.view, 1, 1)
    qtbot.mouseClick(tab.place_button, LEFT)
    qtbot.mouseClick(tab.plan.viewport(), LEFT, pos=point_on_plan(tab.plan, 0.5, 0.4))
    assert len(pins(tab.plan)) == 4


def test_a_click_without_placing_mode_writes_nothing(qtbot, db, tab, walk, tmp_path):
    with_plan(db, walk, tmp_path, tab)
    before = dump(db)
    qtbot.mouseClick(tab.plan.viewport(), LEFT, pos=point_on_plan(tab.plan, 0.5, 0.5))
    assert dump(db) == before


def test_a_click_beside_the_plan_places_nothing(qtbot, db, tab, walk, tmp_path):
    with_plan(db, walk, tmp_path, tab)
    qtbot.mouseClick(tab.place_button, LEFT)
    before = dump(db)
    view = tab.plan
    # The plan is fitted with its aspect kept: there is grey on two opposite sides.
    beside = [point_on_plan(view, 0.5, 0) - QPoint(0, 6), point_on_plan(view, 0, 0.5)
              - QPoint(6, 0), point_on_plan(view, 0.5, 1) + QPoint(0, 6),
              point_on_plan(view, 1, 0.5) + QPoint(6, 0)]
    inside = [p for p in beside if view.viewport().rect().contains(p)]
    assert inside, "the view shows some grey around the plan"
    qtbot.mouseClick(view.viewport(), LEFT, pos=inside[0])
    assert dump(db) == before
    assert view.placing                                     # still waiting for her click


# -- seen from the rest of the walk ------------------------------------------------------------

def test_a_stop_renamed_on_the_route_shows_its_new_name_on_the_observations_tab(
        qtbot, db, walk):
    market = stop_ids(db, walk)[1]
    walks.add_observation(db, walk, stop_id=market, description=LAMP)
    detail = show(qtbot, WalkDetail(db), 1200, 760)
    detail.load(walk)
    detail.tabs.setCurrentWidget(detail.observations)      # seen once
    assert detail.observations.model.index(0, 3).data() == "Place du marché"
    detail.tabs.setCurrentWidget(detail.route)
    route = detail.route
    click_row(qtbot, route.view, 1, 1)
    type_into(qtbot, route.name, "Place du marché couvert")
    leave_field(qtbot, route.name)
    assert names(db, walk)[1] == "Place du marché couvert"

    detail.tabs.setCurrentWidget(detail.observations)
    observations = detail.observations
    assert observations.model.index(0, 3).data() == "Place du marché couvert"
    assert "Place du marché couvert" in observations.stop.currentText()
