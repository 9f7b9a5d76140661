"""Journey 4, the Walks page: a walk created in the dialog, walked again a year later,
deleted after a confirmation, its counts following the edits; journey 5, « Voir le
diagnostic » from the follow-up opens it here."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from perr_desktop.services import photos, walks
from perr_desktop.ui.walks.page import NewWalkDialog, WalksPage
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    choose,
    click_destructive,
    click_row,
    key_text,
    leave_field,
    ok_button,
    show,
    type_into,
)
from tests.ui.meetings_fixtures import show_dialog
from tests.ui.walks_fixtures import (
    LAMP,
    NIGHT,
    STOPS,
    dump,
    make_council,
    make_walk,
    phone_photo,
    plan_image,
    walk_row,
)

pytestmark = OFFSCREEN_SIZE_HINTS

OBSERVATIONS, PHOTOS = 4, 5   # columns of the walks list


@pytest.fixture
def bgg(db):
    return make_council(db)


@pytest.fixture
def night(db, bgg):
    return make_walk(db, bgg)


@pytest.fixture
def page(qtbot, db, settings, bgg):
    return show(qtbot, WalksPage(db, settings))


def selected(page: WalksPage) -> str | None:
    rows = page.view.selectionModel().selectedRows()
    assert len(rows) <= 1
    return page.model.id_at(rows[0].row()) if rows else None


def listed(page: WalksPage) -> list[str]:
    return page.model.ids


def cell(page: WalksPage, walk_id: str, column: int) -> str:
    row = page.model.row_of(walk_id)
    assert row >= 0, "the walk is not listed"
    return page.model.index(row, column).data()


def cancel(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Cancel).click()


# -- creating -------------------------------------------------------------------------------

def test_a_walk_created_in_the_dialog_is_listed_selected_and_opens_on_its_route(
        qtbot, db, page, bgg, modals):
    other = make_council(db, "Ma Campagne")
    page.refresh_filters()
    assert page.new_button.isEnabled()

    def create(dialog: NewWalkDialog) -> None:
        show_dialog(qtbot, dialog, 640, 360)
        choose(qtbot, dialog.council, bgg)
        assert "Basseau Grande-Garenne" in dialog.title.text()   # a title is suggested
        type_into(qtbot, dialog.title, "Diagnostic de nuit — Basseau")
        dialog.date.setDate(QDate(2026, 11, 19))      # picked in the calendar popup
        choose(qtbot, dialog.period, "nuit")
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert not dialog.banner.isVisible()

    modals.expect(create, NewWalkDialog)
    qtbot.mouseClick(page.new_button, LEFT)

    (stored,) = walks.list_walks(db)
    assert (stored["council_id"], stored["title"], stored["walk_date"], stored["period"],
            stored["start_time"]) == (bgg, "Diagnostic de nuit — Basseau", "2026-11-19",
                                      "nuit", "18:00")
    assert other not in {w["council_id"] for w in walks.list_walks(db)}
    assert listed(page) == [stored["id"]]
    assert selected(page) == stored["id"]
    assert page.detail.walk_id == stored["id"]
    assert page.detail.title.text() == "Diagnostic de nuit — Basseau"
    assert page.detail.tabs.currentWidget() is page.detail.route   # next: the stops
    assert page.detail.route.add_button.isEnabled()
    for button in (page.repeat_button, page.delete_button, page.field_button):
        assert button.isEnabled()


def test_a_walk_without_a_title_is_refused_in_the_dialog_and_nothing_is_written(
        qtbot, db, page, modals):
    before = dump(db)

    def empty_title(dialog: NewWalkDialog) -> None:
        show_dialog(qtbot, dialog, 640, 360)
        type_into(qtbot, dialog.title, "   ")
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert dialog.banner.isVisible()                # one sentence, the dialog stays
        assert dialog.isVisible()

    modals.expect(empty_title, NewWalkDialog)
    qtbot.mouseClick(page.new_button, LEFT)

    assert dump(db) == before
    assert listed(page) == []


def test_without_a_council_there_is_nothing_to_create_a_walk_for(qtbot, db, settings):
    page = show(qtbot, WalksPage(db, settings))
    assert not page.new_button.isEnabled()
    for action in (page.delete_button, page.repeat_button, page.field_button):
        assert not action.isEnabled()


def test_before_the_first_walk_the_detail_says_no_walk_and_is_disabled(
        qtbot, db, settings, bgg):
    page = show(qtbot, WalksPage(db, settings))
    assert page.new_button.isEnabled()
    assert page.detail.title.text()                # « Aucun diagnostic sélectionné »
    assert not page.detail.isEnabled()


def test_walk_the_route_again_copies_the_stops_and_the_plan_and_links_the_walks(
        qtbot, db, page, bgg, night, tmp_path, modals):
    plan = photos.import_plan(db, night, plan_image(tmp_path / "plan.png"))
    first = walks.stops(db, night)[2]
    walks.update_stop(db, first["id"], plan_x=0.25, plan_y=0.5, address="12 rue de Basseau")
    walks.add_observation(db, night, stop_id=first["id"], description=LAMP)
    page.refresh(select=night)

    def again(dialog: NewWalkDialog) -> None:
        show_dialog(qtbot, dialog, 640, 360)
        assert not dialog.council.isEnabled()           # the same council's route
        assert dialog.title.text() == NIGHT
        dialog.date.setDate(QDate(2027, 11, 18))
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(again, NewWalkDialog)
    qtbot.mouseClick(page.repeat_button, LEFT)

    new = selected(page)
    assert new not in (None, night)
    assert page.detail.walk_id == new
    assert set(listed(page)) == {night, new}
    assert listed(page)[0] == new                       # the latest walk first
    stored = walk_row(db, new)
    assert (stored["council_id"], stored["title"], stored["walk_date"], stored["period"],
            stored["previous_walk_id"], stored["plan_media_id"]) == (
        bgg, NIGHT, "2027-11-18", "nuit", night, plan)
    copied = walks.stops(db, new)
    assert [s["name"] for s in copied] == list(STOPS)
    assert [s["position"] for s in copied] == list(range(1, len(STOPS) + 1))
    assert (copied[2]["address"], copied[2]["plan_x"], copied[2]["plan_y"]) == (
        "12 rue de Basseau", 0.25, 0.5)
    assert {s["id"] for s in copied}.isdisjoint(s["id"] for s in walks.stops(db, night))
    assert walks.observations(db, new) == []            # the observations are new ones
    assert len(walks.observations(db, night)) == 1


# -- deleting -------------------------------------------------------------------------------

def test_delete_asks_and_removes_only_that_walk(qtbot, db, page, bgg, night, modals):
    autumn = make_walk(db, bgg, "Diagnostic d'automne", "2026-10-01", stops=())
    page.refresh(select=night)

    def read_and_confirm(box: QMessageBox) -> None:
        assert NIGHT in box.text()                      # she knows which walk goes
        click_destructive(box)

    modals.expect(read_and_confirm, QMessageBox)
    qtbot.mouseClick(page.delete_button, LEFT)

    assert walk_row(db, night)["deleted_at"] is not None
    assert walk_row(db, autumn)["deleted_at"] is None
    assert listed(page) == [autumn]
    assert selected(page) == autumn
    assert page.detail.walk_id == autumn
    assert page.detail.title.text() == "Diagnostic d'automne"


def test_cancelling_the_deletion_keeps_everything(qtbot, db, page, night, modals):
    page.refresh(select=night)
    before = dump(db)
    modals.expect(cancel, QMessageBox)
    qtbot.mouseClick(page.delete_button, LEFT)
    assert dump(db) == before
    assert listed(page) == [night]
    assert page.detail.walk_id == night


def test_deleting_the_last_walk_leaves_no_walk_on_screen(qtbot, db, page, night, modals):
    page.refresh(select=night)
    modals.expect(click_destructive, QMessageBox)
    qtbot.mouseClick(page.delete_button, LEFT)
    assert listed(page) == []
    assert page.detail.title.text() != NIGHT
    assert not page.detail.isEnabled()
    assert page.detail.info.title.text() == ""


# -- the list follows the edits -------------------------------------------------------------

def test_the_counts_in_the_list_follow_observations_and_photos(
        qtbot, db, page, night, tmp_path, modals):
    page.refresh(select=night)
    assert (cell(page, night, OBSERVATIONS), cell(page, night, PHOTOS)) == ("0", "0")

    page.detail.tabs.setCurrentWidget(page.detail.observations)
    tab = page.detail.observations
    qtbot.mouseClick(tab.new_button, LEFT)
    qtbot.mouseClick(tab.new_button, LEFT)
    qtbot.waitUntil(lambda: cell(page, night, OBSERVATIONS) == "2", timeout=2000)

    modals.expect(click_destructive, QMessageBox)
    qtbot.mouseClick(tab.remove_button, LEFT)
    qtbot.waitUntil(lambda: cell(page, night, OBSERVATIONS) == "1", timeout=2000)

    page.detail.tabs.setCurrentWidget(page.detail.photos)
    page.detail.photos.import_paths([phone_photo(tmp_path / "IMG_0001.jpg"),
                                     phone_photo(tmp_path / "IMG_0002.jpg", colour=(200, 0, 0))])
    qtbot.waitUntil(lambda: cell(page, night, PHOTOS) == "2", timeout=2000)
    assert modals.messages[-1][0] == "information"     # the import's summary
    assert selected(page) == night                     # the list kept its selection


def test_a_title_typed_in_the_walk_tab_shows_in_the_list_and_the_heading(
        qtbot, db, page, night):
    page.refresh(select=night)
    info = page.detail.info
    type_into(qtbot, info.title, "Diagnostic de nuit — hiver")
    leave_field(qtbot, info.title)
    assert walk_row(db, night)["title"] == "Diagnostic de nuit — hiver"
    assert page.detail.title.text() == "Diagnostic de nuit — hiver"
    qtbot.waitUntil(lambda: cell(page, night, 1) == "Diagnostic de nuit — hiver",
                    timeout=2000)


def test_choosing_a_council_filters_the_list(qtbot, db, page, bgg, night):
    other = make_council(db, "Ma Campagne")
    summer = make_walk(db, other, "Diagnostic de l'été", "2026-06-12", stops=())
    page.refresh_filters()
    page.refresh()
    assert set(listed(page)) == {night, summer}
    choose(qtbot, page.council_filter, other)
    assert listed(page) == [summer]
    assert page.detail.walk_id == summer
    click_row(qtbot, page.view, 0, 1)
    assert page.detail.walk_id == summer


def test_the_walks_model_is_sound(qtbot, qtmodeltester, db, page, bgg, night):
    make_walk(db, bgg, "Diagnostic d'automne", "2026-10-01", stops=())
    walks.add_observation(db, night, description=LAMP)
    page.refresh()
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 2
    assert page.model.index(0, OBSERVATIONS).data(Qt.ItemDataRole.TextAlignmentRole)


# -- from the follow-up ---------------------------------------------------------------------

def test_see_the_walk_on_a_follow_up_opens_it_on_the_walks_page(
        qtbot, db, make_window, bgg, night):
    other = make_council(db, "Ma Campagne")
    summer = make_walk(db, other, "Diagnostic de l'été", "2026-06-12", stops=())
    stop = walks.stops(db, night)[1]["id"]
    walks.add_observation(db, night, ["ville"], stop_id=stop, description=LAMP, theme="eclairage")
    window = make_window(db)
    window.go_to(window.pages.index(window.walks))
    choose(qtbot, window.walks.council_filter, other)   # she was looking at another council
    assert window.walks.detail.walk_id == summer

    window.go_to(window.pages.index(window.followup))
    followup = window.followup
    assert followup.model.rowCount() == 1
    click_row(qtbot, followup.view, 0, 4)
    qtbot.mouseClick(followup.detail.walk_button, LEFT)

    assert window.current_page() is window.walks
    assert window.navigation.currentRow() == window.pages.index(window.walks)
    assert window.walks.detail.walk_id == night
    assert selected(window.walks) == night
    assert window.walks.council_filter.currentData() is None   # « all councils » again
    assert window.walks.detail.title.text() == NIGHT


def test_ctrl_n_on_the_observations_tab_notes_a_new_observation(qtbot, db, page, night):
    page.refresh(select=night)
    page.detail.tabs.setCurrentWidget(page.detail.observations)
    page.new_record()                      # what Ctrl+N does from the main window
    (stored,) = walks.observations(db, night)
    assert stored["number"] == 1
    assert page.detail.observations.binder.record["id"] == stored["id"]


@pytest.mark.parametrize("tab", range(6))
def test_every_tab_of_a_walk_with_data_fits_a_laptop_at_150_percent(
        qtbot, db, make_window, bgg, night, tmp_path, tab):
    photos.import_plan(db, night, plan_image(tmp_path / "plan.png"))
    stop = walks.stops(db, night)[1]["id"]
    for n in range(12):
        walks.add_observation(db, night, ["ville", "bailleur"], stop_id=stop,
                              description=f"{LAMP} ({n})", theme="eclairage", priority=1)
    for n, role in enumerate(("animateur", "habitant", "habitant", "partenaire")):
        walks.add_participant(db, night, role, name=f"Participant·e {n}")
    window = make_window(db)
    window.open_walk(night)
    window.walks.detail.tabs.setCurrentIndex(tab)
    qtbot.wait(1)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1200, (tab, hint)
    assert hint.height() <= 680, (tab, hint)


def test_typing_the_title_of_a_new_walk_with_accents(qtbot, db, page, bgg, modals):
    def create(dialog: NewWalkDialog) -> None:
        show_dialog(qtbot, dialog, 640, 360)
        type_into(qtbot, dialog.title, "")
        key_text(qtbot, dialog.title, "Balade « Œuvres » à l'École")
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(create, NewWalkDialog)
    qtbot.mouseClick(page.new_button, LEFT)
    (stored,) = walks.list_walks(db)
    assert stored["title"] == "Balade « Œuvres » à l'École"


def test_walking_the_route_again_keeps_its_start_time(qtbot, db, page, night, modals):
    assert walk_row(db, night)["start_time"] == "20:30"
    page.refresh(select=night)

    def again(dialog: NewWalkDialog) -> None:
        show_dialog(qtbot, dialog, 640, 360)
        dialog.date.setDate(QDate(2027, 11, 18))
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(again, NewWalkDialog)
    qtbot.mouseClick(page.repeat_button, LEFT)
    assert walk_row(db, selected(page))["start_time"] == "20:30"
