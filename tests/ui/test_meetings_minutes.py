"""Journeys 2 and 3, the minutes: notes per item saved as typed (nothing lost when
switching section or meeting), decisions with a vote, actions, the outstanding points
of earlier meetings, approval that locks, amendments."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from perr_desktop.domain.meetings import action_status_label
from perr_desktop.i18n import _
from perr_desktop.services import meetings as svc
from perr_desktop.ui.meetings.dialogs import (
    ActionDialog,
    AmendmentDialog,
    ApproveDialog,
    DecisionDialog,
)
from perr_desktop.ui.meetings.minutes import MinutesTab, votes_text
from perr_desktop.ui.meetings.page import MeetingsPage
from perr_desktop.ui.widgets import short_date
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    choose,
    click_row,
    key_text,
    ok_button,
    row_where,
    show,
    tick,
    type_into,
)
from tests.ui.meetings_fixtures import (
    NOV,
    OCT,
    agenda,
    focused,
    item_row,
    make_council,
    meeting_row,
    members,
    plan,
    show_dialog,
)

pytestmark = OFFSCREEN_SIZE_HINTS

ITEMS = ("Cadre de vie : l'éclairage", "Santé : la maison de santé", "Questions diverses")


@pytest.fixture
def bgg(db):
    return make_council(db)


@pytest.fixture
def four(db, bgg):
    return members(db, bgg, 4)


@pytest.fixture
def meeting(db, bgg, four):
    return plan(db, bgg, NOV)


@pytest.fixture
def items(db, meeting):
    return agenda(db, meeting, *ITEMS)


@pytest.fixture
def tab(qtbot, db, meeting, items):
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(meeting)
    return tab


def section_texts(tab: MinutesTab) -> list[str]:
    return [tab.sections.item(i).text() for i in range(tab.sections.count())]


def open_section(qtbot, tab: MinutesTab, row: int) -> None:
    """Click a part of the minutes in the list on the left."""
    rect = tab.sections.visualItemRect(tab.sections.item(row))
    qtbot.mouseClick(tab.sections.viewport(), LEFT, pos=rect.center())
    assert tab.sections.currentRow() == row


def type_notes(qtbot, tab: MinutesTab, text: str) -> None:
    """Click at the end of the notes and type, as people speak."""
    notes = tab.item_panel.notes
    qtbot.mouseClick(notes.viewport(), LEFT, pos=notes.viewport().rect().center())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes, timeout=1000)
    qtbot.keyClick(notes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    key_text(qtbot, notes, text)


# -- 4. notes ---------------------------------------------------------------------------

def test_the_parts_of_the_minutes_are_the_agenda_items(qtbot, db, tab, items):
    texts = section_texts(tab)
    assert texts[1:4] == [f"{n}. {title}" for n, title in enumerate(ITEMS, start=1)]
    assert len(texts) == 5                      # introduction, three items, outstanding
    assert tab.sections.currentRow() == 0
    assert tab.item_panel.title.text() == _("Introduction and general notes")


def test_selecting_an_item_shows_its_notes(qtbot, db, meeting, items):
    svc.set_item_notes(db, items[1], "La maison de santé ouvre en mars.")
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(meeting)

    open_section(qtbot, tab, 2)

    assert tab.item_panel.title.text() == f"2. {ITEMS[1]}"
    assert tab.item_panel.notes.toPlainText() == "La maison de santé ouvre en mars."
    assert not tab.item_panel.notes.isReadOnly()
    open_section(qtbot, tab, 1)
    assert tab.item_panel.notes.toPlainText() == ""


def test_notes_are_saved_as_she_types(qtbot, db, tab, items):
    open_section(qtbot, tab, 1)

    type_notes(qtbot, tab, "Le lampadaire du n° 12 est éteint depuis trois semaines.")
    assert item_row(db, items[0])["notes"] == ""            # not at every keystroke

    qtbot.waitUntil(lambda: item_row(db, items[0])["notes"]
                    == "Le lampadaire du n° 12 est éteint depuis trois semaines.",
                    timeout=3000)
    assert not tab.item_panel.binder.has_pending()


def test_the_general_notes_are_saved_on_the_meeting(qtbot, db, tab, meeting):
    assert tab.sections.currentRow() == 0
    type_notes(qtbot, tab, "Accueil par la présidente ; 14 présents.")
    qtbot.waitUntil(lambda: meeting_row(db, meeting)["notes"]
                    == "Accueil par la présidente ; 14 présents.", timeout=3000)


def test_switching_section_right_after_typing_saves_the_notes(qtbot, db, tab, items):
    open_section(qtbot, tab, 1)
    type_notes(qtbot, tab, "Éclairage : la Ville sera relancée.")
    assert tab.item_panel.binder.has_pending()

    open_section(qtbot, tab, 2)                             # at once, no pause

    assert item_row(db, items[0])["notes"] == "Éclairage : la Ville sera relancée."
    type_notes(qtbot, tab, "Ouverture en mars.")
    open_section(qtbot, tab, 4)                             # the outstanding points
    assert item_row(db, items[1])["notes"] == "Ouverture en mars."


def test_notes_typed_are_still_there_when_she_comes_back_to_the_item(qtbot, db, tab,
                                                                      items):
    open_section(qtbot, tab, 1)
    type_notes(qtbot, tab, "Éclairage : la Ville sera relancée.")
    open_section(qtbot, tab, 2)
    assert item_row(db, items[0])["notes"] == "Éclairage : la Ville sera relancée."

    open_section(qtbot, tab, 1)

    assert tab.item_panel.notes.toPlainText() == "Éclairage : la Ville sera relancée."
    type_notes(qtbot, tab, " Courrier avant Noël.")
    open_section(qtbot, tab, 0)
    assert item_row(db, items[0])["notes"] == (
        "Éclairage : la Ville sera relancée. Courrier avant Noël.")


def test_general_notes_are_still_there_when_she_comes_back(qtbot, db, tab, meeting):
    type_notes(qtbot, tab, "Accueil par la présidente.")
    open_section(qtbot, tab, 1)
    assert meeting_row(db, meeting)["notes"] == "Accueil par la présidente."

    open_section(qtbot, tab, 0)

    assert tab.item_panel.notes.toPlainText() == "Accueil par la présidente."


# -- 4. decisions and actions -----------------------------------------------------------

def test_a_decision_with_a_vote_is_added_to_the_item(qtbot, db, tab, meeting, items,
                                                     modals):
    open_section(qtbot, tab, 1)

    def decide(dialog: DecisionDialog) -> None:
        show_dialog(qtbot, dialog, 640, 420)
        assert QApplication.focusWidget() is dialog.text
        key_text(qtbot, dialog.text, "Écrire à la Ville pour l'éclairage de la rue.")
        assert not dialog.votes_for.isEnabled()
        tick(qtbot, dialog.voted)
        type_into(qtbot, dialog.votes_for, "11")
        type_into(qtbot, dialog.votes_against, "2")
        type_into(qtbot, dialog.votes_abstain, "1")
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(decide, DecisionDialog)
    qtbot.mouseClick(tab.item_panel.add_decision_button, LEFT)

    (decision,) = svc.get_meeting(db, meeting)["decisions"]
    assert (decision["text"], decision["agenda_item_id"], decision["votes_for"],
            decision["votes_against"], decision["votes_abstain"]) == (
        "Écrire à la Ville pour l'éclairage de la rue.", items[0], 11, 2, 1)
    model = tab.item_panel.decisions_model
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "Écrire à la Ville pour l'éclairage de la rue."
    assert model.index(0, 1).data() == votes_text(decision)
    assert all(n in model.index(0, 1).data() for n in ("11", "2", "1"))
    open_section(qtbot, tab, 2)                             # not under the other items
    assert tab.item_panel.decisions_model.rowCount() == 0


def test_a_decision_without_text_is_refused_in_the_dialog(qtbot, db, tab, meeting, modals):
    def empty(dialog: DecisionDialog) -> None:
        qtbot.mouseClick(ok_button(dialog), LEFT)
        assert dialog.banner.text() == _("Write what was decided.")

    modals.expect(empty, DecisionDialog)
    qtbot.mouseClick(tab.item_panel.add_decision_button, LEFT)
    assert svc.get_meeting(db, meeting)["decisions"] == []


def test_an_action_for_a_participant_with_a_due_date(qtbot, db, tab, meeting, items, four,
                                                     modals):
    open_section(qtbot, tab, 1)
    who = svc.attendance(db, meeting)[0]

    def assign(dialog: ActionDialog) -> None:
        show_dialog(qtbot, dialog, 640, 420)
        key_text(qtbot, dialog.text, "Photographier les lampadaires éteints.")
        choose(qtbot, dialog.who, ("person", who["person_id"]))
        dialog.due.edit.setDate(QDate(2026, 12, 15))       # picked in the calendar
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(assign, ActionDialog)
    qtbot.mouseClick(tab.item_panel.add_action_button, LEFT)

    (action,) = svc.get_meeting(db, meeting)["actions"]
    assert (action["text"], action["agenda_item_id"], action["assignee_person_id"],
            action["assignee_body"], action["due_on"], action["status"]) == (
        "Photographier les lampadaires éteints.", items[0], who["person_id"], "",
        "2026-12-15", "a_faire")
    model = tab.item_panel.actions_model
    assert [model.index(0, c).data() for c in range(4)] == [
        "Photographier les lampadaires éteints.", who["name"], short_date("2026-12-15"),
        action_status_label("a_faire")]


def test_an_action_for_a_body_typed_freely(qtbot, db, tab, meeting, modals):
    def assign(dialog: ActionDialog) -> None:
        show_dialog(qtbot, dialog, 640, 420)
        key_text(qtbot, dialog.text, "Demander le calendrier des travaux.")
        qtbot.mouseClick(dialog.who.lineEdit(), LEFT)       # into « Who », and type
        qtbot.waitUntil(lambda: focused() is dialog.who, timeout=1000)
        key_text(qtbot, dialog.who, "Régie de quartier")
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(assign, ActionDialog)
    qtbot.mouseClick(tab.item_panel.add_action_button, LEFT)

    (action,) = svc.get_meeting(db, meeting)["actions"]
    assert (action["assignee_person_id"], action["assignee_body"], action["due_on"],
            action["agenda_item_id"]) == (None, "Régie de quartier", None, None)
    assert tab.item_panel.actions_model.index(0, 1).data() == "Régie de quartier"


# -- 4. outstanding points (journey 3) --------------------------------------------------

@pytest.fixture
def october(db, bgg, four):
    """October's plénière, with two actions still open and one closed then."""
    october = plan(db, bgg, OCT)
    svc.add_action(db, october, "Relancer la Ville pour le lampadaire", assignee_body="Ville",
                   due_on="2026-11-01")
    svc.add_action(db, october, "Inviter le bailleur", assignee_person_id=four[0])
    closed = svc.add_action(db, october, "Réserver la salle")
    svc.update_action(db, closed, status="fait")
    return october


def test_the_outstanding_points_list_the_open_actions_of_earlier_meetings(
        qtbot, db, october, meeting, items):
    other = make_council(db, "Ma Campagne")
    svc.add_action(db, plan(db, other, OCT), "Action d'un autre conseil")
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(meeting)

    assert section_texts(tab)[-1] == _("Outstanding points (%(count)d)") % {"count": 2}
    open_section(qtbot, tab, tab.sections.count() - 1)

    assert tab.panels.currentWidget() is tab.outstanding
    model = tab.outstanding.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Relancer la Ville pour le lampadaire", "Inviter le bailleur"]
    assert model.index(0, 1).data() == short_date(OCT)
    assert model.index(0, 2).data() == "Ville"
    assert model.index(0, 4).data() == action_status_label("a_faire")
    assert tab.outstanding.save_button.isEnabled()


def test_recording_done_with_a_note_closes_the_action(qtbot, db, october, meeting, items):
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(meeting)
    open_section(qtbot, tab, tab.sections.count() - 1)
    panel = tab.outstanding
    click_row(qtbot, panel.view, 0)
    action_id = panel.model.id_at(0)

    choose(qtbot, panel.status, "fait")
    type_into(qtbot, panel.note, "Lampadaire réparé le 10 novembre.")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)

    action = db.query_one("SELECT * FROM actions WHERE id = ?", (action_id,))
    assert (action["status"], action["closed_on"]) == ("fait", NOV[:10])
    update = db.query_one("SELECT * FROM action_updates WHERE action_id = ?", (action_id,))
    assert (update["meeting_id"], update["status"], update["note"]) == (
        meeting, "fait", "Lampadaire réparé le 10 novembre.")
    # The list shows where it stands now, and she is on the next one.
    row = panel.model.row_of(action_id)
    assert panel.model.index(row, 4).data() == action_status_label("fait")
    assert panel.model.index(row, 5).data() == "Lampadaire réparé le 10 novembre."
    assert panel.model.id_at(panel.view.selectionModel().selectedRows()[0].row()) != \
        action_id
    # Closed, it is no longer outstanding for the meeting after.
    later = plan(db, meeting_row(db, meeting)["council_id"], "2026-12-17T18:30")
    assert action_id not in [a["id"] for a in svc.outstanding_actions(db, later)]


# -- 4. approval and amendment ----------------------------------------------------------

def test_approving_the_previous_minutes_locks_them_and_an_amendment_is_recorded(
        qtbot, db, october, meeting, items, modals):
    october_item = agenda(db, october, "Éclairage")[0]
    svc.set_item_notes(db, october_item, "Le lampadaire du n° 14 est éteint.")
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(meeting)
    assert tab.previous.isVisible()
    assert tab.approve_previous_button.isVisible()

    qtbot.mouseClick(tab.approve_previous_button, LEFT)

    approved = meeting_row(db, october)
    assert (approved["minutes_status"], approved["validated_in_meeting_id"]) == (
        "valide", meeting)
    assert meeting_row(db, meeting)["minutes_status"] == "brouillon"
    assert not tab.previous.isVisible()
    assert not tab.approve_previous_button.isVisible()

    # October's minutes: read-only, and an amendment offered.
    old = show(qtbot, MinutesTab(db), 1100, 900)
    old.load(october)
    assert _("They are locked; corrections are recorded as amendments.") in old.state.text()
    assert short_date(NOV) in old.state.text()
    open_section(qtbot, old, 1)
    assert old.item_panel.notes.toPlainText() == "Le lampadaire du n° 14 est éteint."
    assert old.item_panel.notes.isReadOnly()
    for button in (old.item_panel.add_decision_button, old.item_panel.add_action_button,
                   old.item_panel.edit_action_button, old.item_panel.remove_action_button):
        assert not button.isEnabled()
    assert not old.approve_button.isVisible()
    assert old.amend_button.isVisible() and old.amend_button.isEnabled()

    def amend(dialog: AmendmentDialog) -> None:
        show_dialog(qtbot, dialog, 560, 360)
        key_text(qtbot, dialog.text, "Lire « n° 12 » au lieu de « n° 14 ».")
        dialog.date.set_date("2026-11-20")
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(amend, AmendmentDialog)
    qtbot.mouseClick(old.amend_button, LEFT)

    (amendment,) = svc.get_meeting(db, october)["amendments"]
    assert (amendment["text"], amendment["recorded_on"]) == (
        "Lire « n° 12 » au lieu de « n° 14 ».", "2026-11-20")
    assert "Lire « n° 12 » au lieu de « n° 14 »." in old.state.text()
    assert short_date("2026-11-20") in old.state.text()
    assert item_row(db, october_item)["notes"] == "Le lampadaire du n° 14 est éteint."


def test_the_minutes_are_approved_in_their_dialog(qtbot, db, october, meeting, modals):
    tab = show(qtbot, MinutesTab(db), 1100, 900)
    tab.load(october)
    offered = []

    def approve(dialog: ApproveDialog) -> None:
        offered.extend(dialog.at.itemData(i) for i in range(dialog.at.count()))
        choose(qtbot, dialog.at, meeting)
        qtbot.mouseClick(ok_button(dialog), LEFT)

    modals.expect(approve, ApproveDialog)
    qtbot.mouseClick(tab.approve_button, LEFT)

    assert offered == [meeting, None]                      # a later meeting, or none
    assert meeting_row(db, october)["validated_in_meeting_id"] == meeting
    assert tab.locked
    assert tab.amend_button.isVisible() and not tab.approve_button.isVisible()


# -- 8. switching meetings --------------------------------------------------------------

def test_switching_meeting_with_a_note_being_typed_saves_it_first(
        qtbot, db, settings, october, meeting, items):
    page = show(qtbot, MeetingsPage(db, settings))
    page.refresh(select=meeting)
    bar = page.detail.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(2).center())
    minutes = page.detail.minutes
    assert page.detail.tabs.currentWidget() is minutes
    open_section(qtbot, minutes, 2)
    type_notes(qtbot, minutes, "Ouverture de la maison de santé en mars.")
    assert minutes.item_panel.binder.has_pending()

    click_row(qtbot, page.view, row_where(page.model, 0, page.model.index(
        page.model.row_of(october), 0).data()))

    assert page.detail.meeting_id == october
    assert item_row(db, items[1])["notes"] == "Ouverture de la maison de santé en mars."
    assert not minutes.item_panel.binder.has_pending()

    click_row(qtbot, page.view, page.model.row_of(meeting))  # back: the note is there
    assert page.detail.meeting_id == meeting
    open_section(qtbot, minutes, 2)
    assert minutes.item_panel.notes.toPlainText() == "Ouverture de la maison de santé en mars."
