"""The table models of the Meetings area are sound for Qt views (qtmodeltester), through
the resets and edits the screens do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from perr_desktop.services import meetings as svc
from perr_desktop.ui.meetings.attendance import AttendanceTab
from perr_desktop.ui.meetings.minutes import MinutesTab
from perr_desktop.ui.meetings.page import MeetingsPage
from perr_desktop.ui.meetings.planning import PlanTab
from tests.ui.helpers import OFFSCREEN_SIZE_HINTS, column_texts, show
from tests.ui.meetings_fixtures import (
    DEC,
    NOV,
    OCT,
    agenda,
    make_council,
    members,
    person,
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
def october(db, bgg, four):
    october = plan(db, bgg, OCT)
    svc.add_action(db, october, "Relancer la Ville", assignee_body="Ville",
                   due_on="2026-11-01")
    svc.add_action(db, october, "Inviter le bailleur", assignee_person_id=four[0])
    return october


@pytest.fixture
def november(db, bgg, four, october):
    november = plan(db, bgg, NOV)
    items = agenda(db, november, "Éclairage", "Santé", "Questions diverses")
    svc.update_agenda_item(db, items[0], duration_minutes=30, presenter="Samira Haddad",
                           objective_code="R1.01")
    svc.add_decision(db, november, "Écrire à la Ville.", items[0], 11, 2, 1)
    svc.add_decision(db, november, "Fête de quartier en juin.", items[0])
    svc.add_action(db, november, "Photographier les lampadaires", items[0],
                   assignee_person_id=four[1], due_on="2026-12-15")
    svc.set_attendance(db, november, four[0], "present")
    svc.set_attendance(db, november, four[1], "represente", four[0])
    svc.add_walk_in(db, november, first_name="Nadia", last_name="Koné")
    return november


def test_the_meetings_list_model(qtbot, qtmodeltester, db, settings, bgg, october,
                                 november):
    cancelled = plan(db, bgg, DEC, title="Plénière de décembre")
    svc.cancel_meeting(db, cancelled)
    page = show(qtbot, MeetingsPage(db, settings))
    model = page.model

    qtmodeltester.check(model)
    page.refresh()                                          # a reset while it watches
    page.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    page.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    model.reload_rows([november])

    assert model.rowCount() == 3
    assert [model.id_at(r) for r in range(3)] == [cancelled, november, october]
    assert "Plénière de décembre" in model.index(0, 1).data()
    assert model.index(0, 1).data() != "Plénière de décembre"        # marked cancelled
    assert model.index(1, 5).data() == "2"                  # present + named walk-in
    assert model.index(1, 5).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def test_the_agenda_model(qtbot, qtmodeltester, db, november):
    tab = show(qtbot, PlanTab(db), 1000, 1000)
    tab.load(november)
    model = tab.agenda_model

    qtmodeltester.check(model)
    item = svc.add_agenda_item(db, november, "Point ajouté")
    tab._refresh_agenda(select=item)
    svc.move_agenda_item(db, item, -3)
    tab._refresh_agenda(keep=True)

    assert column_texts(model, 1) == ["Point ajouté", "Éclairage", "Santé",
                                      "Questions diverses"]
    assert model.index(1, 4).data() == "R1.01"
    assert model.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)      # the objective's name
    tab.load(None)
    assert model.rowCount() == 0


def test_the_attendance_model(qtbot, qtmodeltester, db, november, four):
    tab = show(qtbot, AttendanceTab(db), 1100, 900)
    tab.load(november)
    model = tab.model

    qtmodeltester.check(model)
    tab.mark("excuse")
    svc.add_walk_in(db, november, person(db, "Bernard", "Durand", organisation="Logélia"))
    tab.refresh()

    assert model.rowCount() == 6
    assert column_texts(model, 0)[-2:] == ["Bernard Durand", "Nadia Koné"]
    assert column_texts(model, 1)[-2:] == ["Logélia", ""]
    assert len(set(column_texts(model, 2)[-2:])) == 1        # both came uninvited
    assert len(set(column_texts(model, 2))) == 2
    represented = [r for r in range(6) if model.record(r)["status"] == "represente"]
    assert len(represented) == 1
    tab.load(None)
    assert model.rowCount() == 0


def test_the_decisions_actions_and_outstanding_models(qtbot, qtmodeltester, db, november):
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(november)
    tab.sections.setCurrentRow(1)                           # « 1. Éclairage »
    panel = tab.item_panel

    for model, rows in ((panel.decisions_model, 2), (panel.actions_model, 1)):
        qtmodeltester.check(model)
        assert model.rowCount() == rows
        tab.sections.setCurrentRow(2)                       # another item: reset, empty
        assert model.rowCount() == 0
        tab.sections.setCurrentRow(1)
        assert model.rowCount() == rows
    assert panel.decisions_model.index(1, 1).data() == ""    # no vote

    tab.sections.setCurrentRow(tab.sections.count() - 1)
    outstanding = tab.outstanding.model
    qtmodeltester.check(outstanding)
    assert outstanding.rowCount() == 2
    svc.follow_up_action(db, november, outstanding.id_at(0), "abandonne", "Hors sujet")
    tab.outstanding.show_meeting(november, False)
    assert outstanding.rowCount() == 2                      # updated here: still listed
    assert outstanding.index(0, 5).data() == "Hors sujet"
