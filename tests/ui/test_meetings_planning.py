"""Journeys 2 and 3, the preparation: plan a meeting, plan the next one like it, edit the
« Preparation » tab (saved as typed), the agenda, the guest councils, the month view."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTableView

from perr_desktop.i18n import _
from perr_desktop.services import meetings as svc
from perr_desktop.ui.meetings.dialogs import NewMeetingDialog, ObjectivesDialog
from perr_desktop.ui.meetings.page import MeetingsPage
from perr_desktop.ui.meetings.planning import PlanTab, duration_text
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    choose,
    click_destructive,
    click_row,
    column_texts,
    key_text,
    leave_field,
    ok_button,
    show,
    type_into,
)
from tests.ui.meetings_fixtures import (
    DEC,
    NOV,
    agenda,
    dump,
    focused,
    item_row,
    make_council,
    meeting_row,
    member,
    members,
    plan,
    show_dialog,
)

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture
def bgg(db):
    return make_council(db)


@pytest.fixture
def bgg_members(db, bgg):
    return members(db, bgg, 6)


@pytest.fixture
def page(qtbot, db, settings, bgg, bgg_members):
    return show(qtbot, MeetingsPage(db, settings))


@pytest.fixture
def meeting(db, bgg, bgg_members):
    return plan(db, bgg, NOV, ends_at="2026-11-19T20:30")


@pytest.fixture
def tab(qtbot, db, meeting):
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(meeting)
    return tab


def selected_meeting(page: MeetingsPage) -> str | None:
    rows = page.view.selectionModel().selectedRows()
    assert len(rows) <= 1
    return page.model.id_at(rows[0].row()) if rows else None


def step(qtbot, edit, key: Qt.Key, times: int = 1) -> None:
    """A date or time field with the keyboard: Home puts the cursor on its first section
    (the day, the hour), then the arrows move that section."""
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: edit.hasFocus(), timeout=1000)
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    for _n in range(times):
        qtbot.keyClick(edit, key)


# -- 1. planning a meeting ----------------------------------------------------------------

def test_a_meeting_planned_in_the_dialog_is_listed_selected_and_its_members_invited(
        qtbot, db, page, bgg, bgg_members, modals):
    other = make_council(db, "Ma Campagne", venue="Centre social de Ma Campagne")
    member(db, other, "Zoé", "Zaoui")                     # not invited: another council
    page.refresh_filters()

    def plan_it(dialog: NewMeetingDialog) -> None:
        show_dialog(qtbot, dialog, 720, 520)
        choose(qtbot, dialog.council, bgg)
        assert dialog.venue.text() == "Maison de quartier de Basseau"   # the council's
        choose(qtbot, dialog.kind, "rencontre_thematique")
        type_into(qtbot, dialog.title, "Rencontre santé")
        dialog.date.setDate(QDate(2026, 12, 17))             # picked in the calendar popup
        step(qtbot, dialog.start, Qt.Key.Key_Down)           # 18:30 → 17:30
        step(qtbot, dialog.end, Qt.Key.Key_Down)             # 20:30 → 19:30
        type_into(qtbot, dialog.venue, "Salle Cézanne")
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert not dialog.banner.isVisible()

    modals.expect(plan_it, NewMeetingDialog)
    qtbot.mouseClick(page.new_button, LEFT)

    new_id = page.detail.meeting_id
    stored = meeting_row(db, new_id)
    assert (stored["council_id"], stored["kind"], stored["title"], stored["starts_at"],
            stored["ends_at"], stored["venue"]) == (
        bgg, "rencontre_thematique", "Rencontre santé", "2026-12-17T17:30",
        "2026-12-17T19:30", "Salle Cézanne")
    # Listed, selected, shown on the right.
    assert page.model.row_of(new_id) >= 0
    assert selected_meeting(page) == new_id
    assert page.model.index(page.model.row_of(new_id), 1).data() == "Rencontre santé"
    assert page.detail.title.text() == "Rencontre santé"
    assert "Salle Cézanne" in page.detail.subtitle.text()
    assert page.detail.tabs.currentIndex() == 0
    assert page.detail.plan.title.text() == "Rencontre santé"
    # The council's members are invited, nobody else.
    rows = svc.attendance(db, new_id)
    assert {r["person_id"] for r in rows} == set(bgg_members)
    assert {(r["invited"], r["member"], r["status"]) for r in rows} == {(1, 1, None)}


def test_a_refused_meeting_keeps_the_dialog_open_with_the_reason(qtbot, db, page, modals):
    before = dump(db)

    def refuse(dialog: NewMeetingDialog) -> None:
        show_dialog(qtbot, dialog, 720, 520)
        type_into(qtbot, dialog.title, "Bureau")
        step(qtbot, dialog.end, Qt.Key.Key_Down, 3)         # 20:30 → 17:30, before 18:30
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert dialog.banner.isVisible()
        assert dialog.banner.text() == _("The meeting must end after it starts.")
        assert dialog.result() == 0                         # still open, not accepted

    modals.expect(refuse, NewMeetingDialog)
    qtbot.mouseClick(page.new_button, LEFT)

    assert dump(db) == before


@pytest.fixture
def last_plenary(db, bgg, bgg_members):
    """November's plénière, held: agenda with durations and presenters, objectives,
    notes, a decision, attendance."""
    meeting_id = plan(db, bgg, NOV, title="Séance plénière", venue="Salle des fêtes")
    items = agenda(db, meeting_id, "Cadre de vie : l'éclairage", "Santé : la maison de santé",
                   "Questions diverses")
    svc.update_agenda_item(db, items[0], duration_minutes=30, presenter="Samira Haddad",
                           objective_code="R1.01")
    svc.update_agenda_item(db, items[1], duration_minutes=45)
    svc.set_objectives(db, meeting_id, ["R1.01", "R1.03"])
    svc.set_item_notes(db, items[0], "Le lampadaire du n° 12 est éteint.")
    svc.set_meeting_notes(db, meeting_id, "Accueil par la présidente.")
    svc.add_decision(db, meeting_id, "Écrire à la Ville.", items[0], 11, 2, 1)
    svc.set_attendance(db, meeting_id, bgg_members[0], "present")
    return meeting_id


def test_plan_the_next_one_like_this_copies_agenda_and_objectives_not_what_was_said(
        qtbot, db, page, bgg, bgg_members, last_plenary, modals):
    page.refresh(select=last_plenary)
    assert selected_meeting(page) == last_plenary
    seen = {}

    def copy_it(dialog: NewMeetingDialog) -> None:
        show_dialog(qtbot, dialog, 720, 520)
        seen["copy"] = dialog.copy.isChecked()
        seen["source"] = dialog.source.currentData()
        seen["kind"] = dialog.kind.currentData()
        seen["venue"] = dialog.venue.text()
        seen["times"] = (dialog.start.time(), dialog.end.time())
        seen["date"] = dialog.date.date().toPython()
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(copy_it, NewMeetingDialog)
    qtbot.mouseClick(page.copy_button, LEFT)

    assert seen["copy"] is True and seen["source"] == last_plenary
    assert (seen["kind"], seen["venue"]) == ("pleniere", "Salle des fêtes")
    assert seen["times"] == (QTime(18, 30), QTime(20, 30))
    # Four weeks later at the earliest, and never in the past.
    assert seen["date"] >= dt.date(2026, 12, 17)
    assert seen["date"] >= dt.date.today() + dt.timedelta(days=7)

    new_id = page.detail.meeting_id
    assert new_id != last_plenary
    assert selected_meeting(page) == new_id
    copy, source = svc.get_meeting(db, new_id), svc.get_meeting(db, last_plenary)
    assert copy["copied_from_id"] == last_plenary
    assert copy["starts_at"] == f"{seen['date'].isoformat()}T18:30"
    assert copy["ends_at"] == f"{seen['date'].isoformat()}T20:30"
    assert copy["objective_codes"] == ["R1.01", "R1.03"]
    assert [(i["position"], i["title"], i["duration_minutes"], i["presenter"],
             i["objective_code"]) for i in copy["agenda"]] == [
        (i["position"], i["title"], i["duration_minutes"], i["presenter"], i["objective_code"])
        for i in source["agenda"]]
    # What was said and decided stays with November.
    assert [i["notes"] for i in copy["agenda"]] == ["", "", ""]
    assert copy["notes"] == ""
    assert copy["decisions"] == []
    assert {r["status"] for r in copy["attendance"]} == {None}
    assert {r["person_id"] for r in copy["attendance"]} == set(bgg_members)
    assert source["decisions"][0]["text"] == "Écrire à la Ville."   # the source untouched
    # The facilitator sees the agenda in the Preparation tab of the new meeting.
    assert column_texts(page.detail.plan.agenda_model, 1) == [
        "Cadre de vie : l'éclairage", "Santé : la maison de santé", "Questions diverses"]


def test_plan_the_next_one_like_this_keeps_the_title_of_the_copied_meeting(
        qtbot, db, page, bgg, modals):
    source = plan(db, bgg, NOV, title="Plénière de novembre")
    page.refresh(select=source)
    seen = {}

    def copy_it(dialog: NewMeetingDialog) -> None:
        seen["title"] = dialog.title.text()
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(copy_it, NewMeetingDialog)
    qtbot.mouseClick(page.copy_button, LEFT)

    assert meeting_row(db, page.detail.meeting_id)["title"] == "Plénière de novembre"
    assert seen["title"] == "Plénière de novembre"


# -- 2. the Preparation tab -------------------------------------------------------------

def test_title_and_venue_are_saved_as_typed_without_a_button(qtbot, db, tab, meeting):
    saved = []
    tab.saved.connect(saved.append)

    type_into(qtbot, tab.title, "Plénière de décembre")
    assert meeting_row(db, meeting)["title"] == "Séance plénière"   # she is still typing
    leave_field(qtbot, tab.title)
    assert meeting_row(db, meeting)["title"] == "Plénière de décembre"

    type_into(qtbot, tab.venue, "Maison de quartier, salle 2 — Élan")
    qtbot.waitUntil(lambda: meeting_row(db, meeting)["venue"]
                    == "Maison de quartier, salle 2 — Élan", timeout=3000)
    assert not tab.binder.has_pending()
    assert not tab.banner.isVisible()
    assert saved and saved[-1]["venue"] == "Maison de quartier, salle 2 — Élan"


def test_changing_the_date_moves_the_start_and_the_end_together(qtbot, db, tab, meeting):
    step(qtbot, tab.date, Qt.Key.Key_Up)                  # the day: 19 → 20 November

    qtbot.waitUntil(lambda: meeting_row(db, meeting)["starts_at"] == "2026-11-20T18:30",
                    timeout=3000)
    assert meeting_row(db, meeting)["ends_at"] == "2026-11-20T20:30"
    assert (tab.start.time(), tab.end.time()) == (QTime(18, 30), QTime(20, 30))


def test_a_later_start_time_is_saved_with_the_end(qtbot, db, tab, meeting):
    step(qtbot, tab.start, Qt.Key.Key_Up)                 # 18:30 → 19:30

    qtbot.waitUntil(lambda: meeting_row(db, meeting)["starts_at"] == "2026-11-19T19:30",
                    timeout=3000)
    assert meeting_row(db, meeting)["ends_at"] == "2026-11-19T20:30"


def test_an_end_before_the_start_is_refused_in_the_banner_and_writes_nothing(
        qtbot, db, tab, meeting):
    before = dump(db)

    step(qtbot, tab.end, Qt.Key.Key_Down, 3)              # 20:30 → 17:30, start 18:30

    qtbot.waitUntil(tab.banner.isVisible, timeout=3000)
    assert tab.banner.text() == _("The meeting must end after it starts.")
    assert tab.end.property("invalid") is True
    assert tab.end.accessibleDescription() == tab.banner.text()
    assert dump(db) == before
    assert tab.end.time() == QTime(17, 30)               # what she typed stays to be fixed

    step(qtbot, tab.end, Qt.Key.Key_Up, 4)                # 21:30: accepted
    qtbot.waitUntil(lambda: meeting_row(db, meeting)["ends_at"] == "2026-11-19T21:30",
                    timeout=3000)
    assert not tab.banner.isVisible()
    assert tab.end.property("invalid") is False


def test_an_agenda_item_is_added_and_its_title_duration_presenter_saved(
        qtbot, db, tab, meeting):
    qtbot.mouseClick(tab.add_item_button, LEFT)

    items = svc.get_meeting(db, meeting)["agenda"]
    assert len(items) == 1
    item_id = items[0]["id"]
    # The new item is selected and its title ready to be typed over.
    assert tab.agenda_model.id_at(
        tab.agenda_view.selectionModel().selectedRows()[0].row()) == item_id
    qtbot.waitUntil(lambda: focused() is tab.item_title, timeout=1000)
    assert tab.item_title.selectedText() == tab.item_title.text()

    key_text(qtbot, tab.item_title, "Cadre de vie : l'éclairage")
    leave_field(qtbot, tab.item_title)
    type_into(qtbot, tab.item_duration, "45")
    type_into(qtbot, tab.item_presenter, "Aïcha Diallo")
    leave_field(qtbot, tab.item_presenter)
    qtbot.waitUntil(lambda: item_row(db, item_id)["duration_minutes"] == 45, timeout=3000)

    item = item_row(db, item_id)
    assert (item["title"], item["duration_minutes"], item["presenter"]) == (
        "Cadre de vie : l'éclairage", 45, "Aïcha Diallo")
    model = tab.agenda_model
    assert [model.index(0, c).data() for c in range(4)] == [
        "1", "Cadre de vie : l'éclairage", duration_text(45), "Aïcha Diallo"]
    assert str(45) in tab.agenda_total.text()


def test_move_up_and_down_reorder_the_agenda(qtbot, db, meeting):
    agenda(db, meeting, "Accueil", "Éclairage", "Questions diverses")
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(meeting)

    def order() -> list[str]:
        return [i["title"] for i in svc.get_meeting(db, meeting)["agenda"]]

    click_row(qtbot, tab.agenda_view, 2)
    qtbot.mouseClick(tab.up_button, LEFT)
    assert order() == ["Accueil", "Questions diverses", "Éclairage"]
    assert column_texts(tab.agenda_model, 1) == order()
    assert column_texts(tab.agenda_model, 0) == ["1", "2", "3"]
    # The moved item stays selected: a second click moves it again.
    qtbot.mouseClick(tab.up_button, LEFT)
    assert order() == ["Questions diverses", "Accueil", "Éclairage"]
    qtbot.mouseClick(tab.down_button, LEFT)
    qtbot.mouseClick(tab.down_button, LEFT)
    qtbot.mouseClick(tab.down_button, LEFT)                # already last: stays there
    assert order() == ["Accueil", "Éclairage", "Questions diverses"]
    assert tab.item_title.text() == "Questions diverses"


def test_removing_an_item_with_notes_is_refused_with_a_message(qtbot, db, meeting, modals):
    noted, empty = agenda(db, meeting, "Éclairage", "Questions diverses")
    svc.set_item_notes(db, noted, "Le lampadaire du n° 12 est éteint.")
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(meeting)
    before = dump(db)

    click_row(qtbot, tab.agenda_view, 0)
    modals.expect(click_destructive)
    qtbot.mouseClick(tab.remove_item_button, LEFT)

    assert modals.messages == [("warning", _("PERR Desktop"), _(
        "This agenda item already has notes, decisions or actions: remove those first."))]
    assert dump(db) == before
    assert column_texts(tab.agenda_model, 1) == ["Éclairage", "Questions diverses"]

    click_row(qtbot, tab.agenda_view, 1)                  # an item without notes goes
    modals.expect(click_destructive)
    qtbot.mouseClick(tab.remove_item_button, LEFT)
    assert item_row(db, empty)["deleted_at"] is not None
    assert column_texts(tab.agenda_model, 1) == ["Éclairage"]


def test_cancelling_the_removal_keeps_the_item(qtbot, db, meeting, modals):
    (item,) = agenda(db, meeting, "Questions diverses")
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(meeting)
    click_row(qtbot, tab.agenda_view, 0)

    modals.expect(lambda box: None)                       # closed without choosing
    qtbot.mouseClick(tab.remove_item_button, LEFT)

    assert item_row(db, item)["deleted_at"] is None


def test_ticking_a_guest_council_invites_its_members(qtbot, db, bgg, bgg_members, meeting):
    other = make_council(db, "Ma Campagne", venue="Centre social de Ma Campagne")
    guests = [member(db, other, "Zoé", "Zaoui"), member(db, other, "Yves", "Lopez")]
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(meeting)

    names = [tab.guests.item(i).text() for i in range(tab.guests.count())]
    assert names == ["Ma Campagne"]                       # not the host council itself
    tab.guests.setFocus()
    tab.guests.setCurrentRow(0)
    qtbot.keyClick(tab.guests.viewport(), Qt.Key.Key_Space)

    invited = {r["person_id"]: r for r in svc.attendance(db, meeting)}
    assert set(invited) == set(bgg_members) | set(guests)
    assert all(invited[g]["member"] == 1 for g in guests)
    assert [g["name"] for g in svc.get_meeting(db, meeting)["guest_councils"]] == [
        "Ma Campagne"]

    qtbot.keyClick(tab.guests.viewport(), Qt.Key.Key_Space)     # unticked: withdrawn
    assert {r["person_id"] for r in svc.attendance(db, meeting)} == set(bgg_members)


def test_objectives_are_chosen_in_their_dialog(qtbot, db, tab, meeting, modals):
    def tick_two(dialog: ObjectivesDialog) -> None:
        for code in ("R1.01", "R1.03"):
            dialog.items[code].setCheckState(0, Qt.CheckState.Checked)
        dialog.accept()

    modals.expect(tick_two, ObjectivesDialog)
    qtbot.mouseClick(tab.objectives_button, LEFT)

    assert svc.get_meeting(db, meeting)["objective_codes"] == ["R1.01", "R1.03"]
    assert tab.objectives.text().splitlines()[0].startswith("R1.01 — ")


# -- 7. the month -------------------------------------------------------------------------

def day_cell(calendar, day: int):
    """The cell of ``day`` of the month shown (days 8 to 21 appear once in the grid)."""
    assert 8 <= day <= 21
    view = calendar.findChild(QTableView)
    model = view.model()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if str(index.data()) == str(day) and row > 0:
                return view, index
    raise AssertionError(f"day {day} not shown")


def test_the_month_shows_meeting_days_bold_and_a_click_selects_the_meeting(
        qtbot, db, page, bgg):
    plenary = plan(db, bgg, NOV)
    bureau = svc.plan_meeting(db, bgg, "bureau", "Bureau", "2026-11-12T17:00",
                              "2026-11-12T18:00")
    december = plan(db, bgg, DEC)
    page.refresh(select=december)
    qtbot.mouseClick(page.views.tabBar(),
                     LEFT, pos=page.views.tabBar().tabRect(1).center())
    assert page.views.currentWidget() is page.calendar
    page.calendar.setCurrentPage(2026, 11)

    for day in (12, 19):
        fmt = page.calendar.dateTextFormat(QDate(2026, 11, day))
        assert fmt.fontWeight() == QFont.Weight.Bold, day
    assert "Bureau" in page.calendar.dateTextFormat(QDate(2026, 11, 12)).toolTip()
    plain = page.calendar.dateTextFormat(QDate(2026, 11, 13))
    assert plain.fontWeight() != QFont.Weight.Bold

    view, index = day_cell(page.calendar, 12)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    assert page.detail.meeting_id == bureau
    assert selected_meeting(page) == bureau
    assert page.detail.title.text() == "Bureau"

    view, index = day_cell(page.calendar, 19)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    assert page.detail.meeting_id == plenary
    assert selected_meeting(page) == plenary

    view, index = day_cell(page.calendar, 13)             # a day without a meeting
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    assert page.detail.meeting_id == plenary

    page.calendar.setCurrentPage(2026, 12)                # another month is painted too
    assert page.calendar.dateTextFormat(QDate(2026, 12, 17)).fontWeight() == \
        QFont.Weight.Bold


# -- the page around the tab ------------------------------------------------------------

def test_a_title_typed_in_the_preparation_shows_in_the_header(qtbot, db, page, meeting):
    page.refresh(select=meeting)
    plan_tab = page.detail.plan

    type_into(qtbot, plan_tab.title, "Plénière de rentrée")
    leave_field(qtbot, plan_tab.title)

    assert meeting_row(db, meeting)["title"] == "Plénière de rentrée"
    assert page.detail.title.text() == "Plénière de rentrée"


def test_a_title_typed_in_the_preparation_shows_in_the_list(qtbot, db, page, meeting):
    page.refresh(select=meeting)
    plan_tab = page.detail.plan

    type_into(qtbot, plan_tab.title, "Plénière de rentrée")
    leave_field(qtbot, plan_tab.title)

    qtbot.waitUntil(lambda: page.model.index(page.model.row_of(meeting), 1).data()
                    == "Plénière de rentrée", timeout=2000)


def test_the_participants_column_counts_the_people_marked_present(qtbot, db, page,
                                                                  meeting):
    page.refresh(select=meeting)
    bar = page.detail.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    attendance = page.detail.attendance
    attendance.view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(attendance.view, Qt.Key.Key_P)
    qtbot.keyClick(attendance.view, Qt.Key.Key_P)
    assert svc.attendance_summary(db, meeting)["participants"] == 2

    qtbot.waitUntil(lambda: page.model.index(page.model.row_of(meeting), 5).data() == "2",
                    timeout=2000)


def test_a_venue_being_typed_is_saved_on_its_meeting_when_another_is_chosen(
        qtbot, db, page, bgg, meeting):
    other = plan(db, bgg, DEC)
    page.refresh(select=meeting)
    plan_tab = page.detail.plan

    type_into(qtbot, plan_tab.venue, "Salle Cézanne")
    assert plan_tab.binder.has_pending()
    click_row(qtbot, page.view, page.model.row_of(other))   # at once, no pause

    assert page.detail.meeting_id == other
    assert meeting_row(db, meeting)["venue"] == "Salle Cézanne"
    assert meeting_row(db, other)["venue"] == "Maison de quartier de Basseau"
    assert plan_tab.venue.text() == "Maison de quartier de Basseau"


def test_the_month_follows_a_date_changed_in_the_preparation(qtbot, db, page, meeting):
    page.refresh(select=meeting)
    page.views.setCurrentWidget(page.calendar)
    page.calendar.setCurrentPage(2026, 11)
    assert page.calendar.dateTextFormat(QDate(2026, 11, 19)).fontWeight() == \
        QFont.Weight.Bold

    step(qtbot, page.detail.plan.date, Qt.Key.Key_Up)       # 19 → 20 November
    qtbot.waitUntil(lambda: meeting_row(db, meeting)["starts_at"] == "2026-11-20T18:30",
                    timeout=3000)

    # the page refreshes its list and month just after the save (a zero timer)
    qtbot.waitUntil(lambda: page.calendar.dateTextFormat(QDate(2026, 11, 20)).fontWeight()
                    == QFont.Weight.Bold, timeout=3000)
    assert page.calendar.dateTextFormat(QDate(2026, 11, 19)).fontWeight() != \
        QFont.Weight.Bold
