"""Journey 3: approved minutes are locked. Whatever she types or clicks in the
Preparation, Attendance and Minutes tabs of that meeting, nothing is written."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from perr_desktop.services import meetings as svc
from perr_desktop.ui.meetings.attendance import AttendanceTab
from perr_desktop.ui.meetings.minutes import MinutesTab
from perr_desktop.ui.meetings.page import MeetingsPage
from perr_desktop.ui.meetings.planning import PlanTab
from tests.ui.helpers import (
    CTRL,
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    click_row,
    key_text,
    show,
)
from tests.ui.meetings_fixtures import (
    NOV,
    OCT,
    agenda,
    dump,
    focused,
    make_council,
    members,
    plan,
)

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture
def bgg(db):
    return make_council(db)


@pytest.fixture
def four(db, bgg):
    return members(db, bgg, 4)


@pytest.fixture
def locked(db, bgg, four):
    """October's plénière, held and written up, its minutes approved in November."""
    september = plan(db, bgg, "2026-09-17T18:30")
    svc.add_action(db, september, "Relancer la Ville")          # outstanding in October
    october = plan(db, bgg, OCT)
    (item,) = agenda(db, october, "Éclairage")
    svc.update_agenda_item(db, item, duration_minutes=30, presenter="Samira Haddad")
    svc.set_item_notes(db, item, "Le lampadaire du n° 12 est éteint.")
    svc.set_meeting_notes(db, october, "Accueil.")
    svc.add_decision(db, october, "Écrire à la Ville.", item, 11, 2, 1)
    svc.add_action(db, october, "Photographier les lampadaires", item,
                   assignee_body="Ville")
    svc.set_attendance(db, october, four[0], "present")
    svc.set_attendance(db, october, four[1], "excuse")
    svc.set_headcount(db, october, "femme", "16_25", None, None, 3)
    november = plan(db, bgg, NOV)
    svc.validate_minutes(db, october, november)
    return october


def test_the_preparation_of_approved_minutes_cannot_be_edited(qtbot, db, locked, modals):
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(locked)
    before = dump(db)

    for field in (tab.title, tab.venue):
        assert not field.isEnabled()
        text = field.text()
        qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
        key_text(qtbot, field, "Plénière modifiée")
        assert field.text() == text
    date = tab.date.date()
    qtbot.keyClick(tab.date, Qt.Key.Key_Up)
    assert tab.date.date() == date
    for widget in (tab.kind, tab.date, tab.start, tab.end, tab.guests,
                   tab.objectives_button, tab.add_item_button):
        assert not widget.isEnabled(), widget.accessibleName() or widget.text()

    click_row(qtbot, tab.agenda_view, 0)                   # the agenda can be looked at
    assert tab.item_title.text() == "Éclairage"
    for widget in (tab.item_title, tab.item_duration, tab.item_presenter,
                   tab.item_objective, tab.up_button, tab.down_button,
                   tab.remove_item_button):
        assert not widget.isEnabled()
    key_text(qtbot, tab.item_title, "Autre titre")
    qtbot.mouseClick(tab.add_item_button, LEFT)
    qtbot.mouseClick(tab.remove_item_button, LEFT)

    assert not tab.binder.has_pending() and not tab.item_binder.has_pending()
    assert tab.flush()
    assert dump(db) == before
    assert modals.opened == [] and modals.messages == []


def test_the_attendance_of_approved_minutes_cannot_be_changed(qtbot, db, locked, modals):
    tab = show(qtbot, AttendanceTab(db), 1100, 900)
    tab.load(locked)
    before = dump(db)
    tab.view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focused() is tab.view, timeout=1000)

    for key in (Qt.Key.Key_P, Qt.Key.Key_E, Qt.Key.Key_A, Qt.Key.Key_R,
                Qt.Key.Key_Delete):
        qtbot.keyClick(tab.view, key)
    centre = tab.view.visualRect(tab.model.index(1, 0)).center()
    qtbot.mouseClick(tab.view.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(tab.view.viewport(), LEFT, pos=centre)

    assert dump(db) == before
    assert modals.opened == []                               # R asked for no proxy
    for widget in (*tab.buttons.values(), tab.clear_button, tab.absent_button, tab.walk_in,
                   tab.walk_in_button, tab.count_number, tab.count_button):
        assert not widget.isEnabled()
    # What was recorded is still shown.
    assert tab.model.rowCount() == 4
    assert "3" in tab.counts.text()


def test_the_minutes_of_approved_minutes_are_read_only(qtbot, db, locked, modals):
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(locked)
    before = dump(db)
    assert not tab.approve_button.isVisible()
    assert tab.amend_button.isVisible()

    for row, shown in ((0, "Accueil."), (1, "Le lampadaire du n° 12 est éteint.")):
        rect = tab.sections.visualItemRect(tab.sections.item(row))
        qtbot.mouseClick(tab.sections.viewport(), LEFT, pos=rect.center())
        notes = tab.item_panel.notes
        assert notes.toPlainText() == shown
        assert notes.isReadOnly()
        qtbot.mouseClick(notes.viewport(), LEFT)
        qtbot.keyClick(notes, Qt.Key.Key_End, CTRL)
        key_text(qtbot, notes, " Ajout après validation.")
        qtbot.keyClick(notes, Qt.Key.Key_A, CTRL)
        qtbot.keyClick(notes, Qt.Key.Key_Delete)
        assert notes.toPlainText() == shown
        assert not tab.item_panel.binder.has_pending()
    panel = tab.item_panel
    for button in (panel.add_decision_button, panel.edit_decision_button,
                   panel.remove_decision_button, panel.add_action_button,
                   panel.edit_action_button, panel.remove_action_button):
        assert not button.isEnabled()
    # A double click on the decision does not open it for editing.
    assert panel.decisions_model.rowCount() == 1
    centre = panel.decisions_view.visualRect(panel.decisions_model.index(0, 0)).center()
    qtbot.mouseClick(panel.decisions_view.viewport(), LEFT, pos=centre)
    qtbot.mouseDClick(panel.decisions_view.viewport(), LEFT, pos=centre)

    last = tab.sections.count() - 1                          # the outstanding points
    rect = tab.sections.visualItemRect(tab.sections.item(last))
    qtbot.mouseClick(tab.sections.viewport(), LEFT, pos=rect.center())
    assert tab.outstanding.model.rowCount() == 1
    for widget in (tab.outstanding.status, tab.outstanding.note,
                   tab.outstanding.save_button):
        assert not widget.isEnabled()
    qtbot.keyClick(tab.outstanding.note, Qt.Key.Key_Return)

    assert tab.flush()
    assert dump(db) == before
    assert modals.opened == [] and modals.messages == []


def test_choosing_approved_minutes_in_the_list_locks_every_tab(qtbot, db, settings, locked):
    page = show(qtbot, MeetingsPage(db, settings))
    click_row(qtbot, page.view, page.model.row_of(locked))
    assert page.detail.meeting_id == locked
    bar = page.detail.tabs.tabBar()
    for index in range(3):
        qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(index).center())
    detail = page.detail
    assert not detail.plan.title.isEnabled()
    assert detail.attendance.locked and not detail.attendance.absent_button.isEnabled()
    assert detail.minutes.locked and detail.minutes.item_panel.notes.isReadOnly()
    assert svc.get_meeting(db, locked)["minutes_status"] == "valide"
