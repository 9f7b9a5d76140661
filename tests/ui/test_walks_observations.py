"""Journey 4 back at the centre: the observations of the walk, numbered for good, each
field saved as typed, the bodies concerned ticked (each one a follow-up), placed on the
plan, with the photos put on them."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from perr_desktop.services import followups, photos, walks
from perr_desktop.ui.walks.observations import ObservationsTab
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    choose,
    click_destructive,
    click_row,
    column_texts,
    key_text,
    leave_field,
    show,
    tick,
    type_into,
)
from tests.ui.walks_fixtures import (
    LAMP,
    check_item,
    dump,
    fraction_at,
    make_council,
    make_walk,
    phone_photo,
    pins,
    plan_image,
    point_on_plan,
    row,
    stop_ids,
)

pytestmark = OFFSCREEN_SIZE_HINTS

# Saved half a second after the last keystroke; the ceiling leaves room for a busy machine.
SAVED_WITHIN = 2000


@pytest.fixture
def walk(db):
    return make_walk(db, make_council(db))


@pytest.fixture
def stops(db, walk):
    return stop_ids(db, walk)


@pytest.fixture
def first(db, walk, stops):
    """Observation no. 1, noted at stop 3 during the walk."""
    return walks.add_observation(db, walk, ["ville"], stop_id=stops[2], theme="eclairage",
                                 description=LAMP, priority=1)


@pytest.fixture
def tab(qtbot, db, walk, first):
    tab = show(qtbot, ObservationsTab(db), 1280, 800)
    tab.load(walk)
    return tab


def current(tab: ObservationsTab) -> str | None:
    rows = tab.view.selectionModel().selectedRows()
    return tab.model.id_at(rows[0].row()) if rows else None


def stored(db, observation_id: str, field: str):
    return row(db, "observations", observation_id)[field]


def bodies(db, walk_id: str, observation_id: str) -> list[str]:
    return sorted(f["body"] for f in followups.for_walk(db, walk_id).get(observation_id, []))


def body_row(tab: ObservationsTab, code: str) -> int:
    for n in range(tab.body_list.count()):
        if tab.body_list.item(n).data(Qt.ItemDataRole.UserRole) == code:
            return n
    raise AssertionError(f"no body {code!r} in the list")


# -- numbering ----------------------------------------------------------------------------------

def test_the_first_observation_is_shown_with_its_values(qtbot, db, tab, first, stops):
    assert current(tab) == first
    assert tab.stop.currentData() == stops[2]
    assert tab.theme.currentData() == "eclairage"
    assert tab.negative.isChecked()
    assert tab.priority.currentData() == 1
    assert tab.description.toPlainText() == LAMP
    checked = [tab.body_list.item(n).data(Qt.ItemDataRole.UserRole)
               for n in range(tab.body_list.count())
               if tab.body_list.item(n).checkState() == Qt.CheckState.Checked]
    assert checked == ["ville"]


def test_new_observation_is_numbered_next_at_the_selected_stop(qtbot, db, tab, walk, first,
                                                                stops):
    qtbot.mouseClick(tab.new_button, LEFT)
    second = current(tab)
    assert second != first
    assert (stored(db, second, "number"), stored(db, second, "stop_id")) == (2, stops[2])
    assert column_texts(tab.model, 0) == ["1", "2"]
    assert tab.theme.hasFocus()                       # she goes on with the keyboard
    assert tab.stop.currentData() == stops[2]
    assert tab.description.toPlainText() == ""
    assert bodies(db, walk, second) == []


def test_removing_asks_and_the_number_is_never_given_again(qtbot, db, tab, walk, first,
                                                            modals):
    qtbot.mouseClick(tab.new_button, LEFT)
    second = current(tab)

    def confirm(box: QMessageBox) -> None:
        assert "2" in box.text()
        click_destructive(box)

    modals.expect(confirm, QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    assert stored(db, second, "deleted_at") is not None
    assert column_texts(tab.model, 0) == ["1"]
    assert current(tab) is None

    click_row(qtbot, tab.view, 0, 5)
    qtbot.mouseClick(tab.new_button, LEFT)
    third = current(tab)
    assert stored(db, third, "number") == 3
    assert column_texts(tab.model, 0) == ["1", "3"]


def test_cancelling_the_removal_keeps_the_observation(qtbot, db, tab, first, modals):
    before = dump(db)
    modals.expect(lambda box: box.button(QMessageBox.StandardButton.Cancel).click(),
                  QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    assert dump(db) == before
    assert current(tab) == first


def test_removing_an_observation_keeps_its_photos_in_the_walk(qtbot, db, tab, walk, first,
                                                             tmp_path, modals):
    report = photos.import_photos(db, walk, [phone_photo(tmp_path / "IMG_0001.jpg")])
    (photo,) = report.imported
    walks.assign_photo(db, photo, observation_id=first)
    modals.expect(click_destructive, QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    kept = row(db, "photos", photo)
    assert kept["deleted_at"] is None and kept["observation_id"] is None
    assert followups.for_walk(db, walk) == {}           # its follow-ups went with it


# -- each field saved as typed ---------------------------------------------------------------

def test_theme_strong_or_weak_priority_are_saved_at_once(qtbot, db, tab, first):
    choose(qtbot, tab.theme, "securite")
    assert stored(db, first, "theme") == "securite"
    tick(qtbot, tab.positive)
    assert stored(db, first, "positive") == 1
    assert tab.model.index(0, 1).data() == "+"
    tick(qtbot, tab.negative)
    assert stored(db, first, "positive") == 0
    choose(qtbot, tab.priority, 2)
    assert stored(db, first, "priority") == 2
    choose(qtbot, tab.priority, None)
    assert stored(db, first, "priority") is None
    assert tab.model.index(0, 4).data() == ""


def test_description_and_proposal_are_saved_after_a_pause(qtbot, db, tab, first):
    type_into(qtbot, tab.description, "")
    key_text(qtbot, tab.description, "Lampadaire éteint devant l'école, côté rue")
    qtbot.waitUntil(lambda: stored(db, first, "description")
                    == "Lampadaire éteint devant l'école, côté rue", timeout=SAVED_WITHIN)
    assert tab.model.index(0, 5).data() == "Lampadaire éteint devant l'école, côté rue"

    type_into(qtbot, tab.proposal, "")
    key_text(qtbot, tab.proposal, "Remplacer l'ampoule ; vérifier le câblage")
    qtbot.waitUntil(lambda: stored(db, first, "proposal")
                    == "Remplacer l'ampoule ; vérifier le câblage", timeout=SAVED_WITHIN)


def test_tags_are_saved_once_each_when_she_leaves_the_field(qtbot, db, tab, first):
    type_into(qtbot, tab.tags, "")
    key_text(qtbot, tab.tags, "TFPB, éclairage ,TFPB")
    leave_field(qtbot, tab.tags)
    assert stored(db, first, "tags") == "TFPB, éclairage"


def test_feeling_and_objective_are_saved(qtbot, db, tab, first):
    type_into(qtbot, tab.feeling, "")
    key_text(qtbot, tab.feeling, "On n'ose pas passer le soir")
    leave_field(qtbot, tab.feeling)
    assert stored(db, first, "feeling") == "On n'ose pas passer le soir"
    code = tab.objective.itemData(1)
    choose(qtbot, tab.objective, code)
    assert stored(db, first, "objective_code") == code


def test_moving_the_observation_to_another_stop(qtbot, db, tab, first, stops):
    choose(qtbot, tab.stop, stops[5])
    assert stored(db, first, "stop_id") == stops[5]
    assert tab.model.index(0, 3).data() == "Arrêt de bus Chénier"
    choose(qtbot, tab.stop, None)
    assert stored(db, first, "stop_id") is None


def test_ticking_the_bodies_concerned_makes_their_follow_ups(qtbot, db, tab, walk, first):
    check_item(qtbot, tab.body_list, body_row(tab, "bailleur"))
    assert bodies(db, walk, first) == ["bailleur", "ville"]
    check_item(qtbot, tab.body_list, body_row(tab, "departement"))
    assert bodies(db, walk, first) == ["bailleur", "departement", "ville"]
    statuses = {f["body"]: f["status"] for f in followups.for_walk(db, walk)[first]}
    assert set(statuses.values()) == {"a_transmettre"}

    check_item(qtbot, tab.body_list, body_row(tab, "ville"))     # ticked off again
    assert bodies(db, walk, first) == ["bailleur", "departement"]
    assert not tab.banner.isVisible()


def test_a_description_typed_is_kept_when_she_ticks_a_body_at_once(qtbot, db, tab, walk,
                                                                   first):
    type_into(qtbot, tab.description, "Trottoir défoncé")
    check_item(qtbot, tab.body_list, body_row(tab, "agglomeration"))
    assert stored(db, first, "description") == "Trottoir défoncé"
    assert bodies(db, walk, first) == ["agglomeration", "ville"]


def test_each_observation_shows_its_own_values(qtbot, db, tab, walk, first, stops):
    other = walks.add_observation(db, walk, ["bailleur"], stop_id=stops[3], theme="logement",
                                  description="Porte du hall B cassée", positive=False,
                                  tags="TFPB")
    tab.load(walk)
    click_row(qtbot, tab.view, 1, 5)
    assert tab.binder.record["id"] == other
    assert (tab.theme.currentData(), tab.stop.currentData(), tab.tags.text(),
            tab.description.toPlainText()) == ("logement", stops[3], "TFPB",
                                                "Porte du hall B cassée")
    click_row(qtbot, tab.view, 0, 5)
    assert tab.description.toPlainText() == LAMP
    assert tab.tags.text() == ""


def test_the_count_says_how_many_strong_and_weak_points(qtbot, db, tab, walk, first):
    walks.add_observation(db, walk, positive=True, description="Jardin partagé")
    tab.load(walk)
    text = tab.count.text()
    assert "2" in text and "1" in text


def test_the_observations_model_is_sound(qtbot, qtmodeltester, db, tab, walk, first, stops):
    walks.add_observation(db, walk, positive=True, description="Jardin partagé\nbien tenu")
    walks.add_observation(db, walk, stop_id=stops[0], description="Banc cassé", priority=3)
    tab.load(walk)
    qtmodeltester.check(tab.model)
    assert tab.model.index(1, 5).data() == "Jardin partagé bien tenu"   # one line


# -- the plan and the photos ------------------------------------------------------------------

def test_placing_an_observation_on_the_plan(qtbot, db, tab, walk, first, tmp_path):
    assert not tab.place_button.isEnabled()                # no plan yet
    photos.import_plan(db, walk, plan_image(tmp_path / "plan.png"))
    tab.load(walk)
    assert tab.place_button.isEnabled()
    qtbot.mouseClick(tab.place_button, LEFT)

    where = point_on_plan(tab.plan, 0.7, 0.25)
    expected = fraction_at(tab.plan, where)
    qtbot.mouseClick(tab.plan.viewport(), LEFT, pos=where)

    placed = row(db, "observations", first)
    assert placed["plan_x"] == pytest.approx(expected[0], abs=1e-9)
    assert placed["plan_y"] == pytest.approx(expected[1], abs=1e-9)
    assert placed["plan_x"] == pytest.approx(0.7, abs=0.01)
    assert placed["plan_y"] == pytest.approx(0.25, abs=0.01)
    assert not tab.place_button.isChecked()
    assert len(pins(tab.plan)) == 1
    assert current(tab) == first


def test_the_photos_strip_shows_the_observation_s_photos(qtbot, db, tab, walk, first,
                                                          tmp_path):
    taken = dt.datetime(2026, 11, 19, 20, 41)
    files = [phone_photo(tmp_path / f"IMG_{n:04d}.jpg", taken, colour=(30 * n, 80, 120))
             for n in range(3)]
    report = photos.import_photos(db, walk, files)
    for photo in report.imported[:2]:
        walks.assign_photo(db, photo, observation_id=first)
    other = walks.add_observation(db, walk, description="Banc neuf", positive=True)
    walks.assign_photo(db, report.imported[2], observation_id=other)
    tab.load(walk)

    assert tab.photos.count() == 2
    assert sorted(tab.photos.item(n).toolTip() for n in range(2)) == ["IMG_0000.jpg",
                                                                      "IMG_0001.jpg"]
    assert not tab.photos.item(0).icon().isNull()            # the thumbnail is drawn
    click_row(qtbot, tab.view, 1, 5)
    assert [tab.photos.item(n).toolTip() for n in range(tab.photos.count())] == [
        "IMG_0002.jpg"]
