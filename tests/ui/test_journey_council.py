"""Journey 1, through the widgets: starting the Basseau Grande-Garenne council.

Samira creates the QPV councils on the welcome page, opens Basseau Grande-Garenne, types
her name as facilitator (saved as she leaves the field, no « Enregistrer »), adds members
(new people with their consent, and Mme Garnier already in the directory), then finds
Mme Garnier by typing « gar ».
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from perr_desktop.domain.councils import status_label
from perr_desktop.domain.people import formal_name
from perr_desktop.services import councils, people
from perr_desktop.ui.members import MembershipDialog
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    choose,
    click_row,
    column_texts,
    council_id,
    leave_field,
    ok_button,
    row_where,
    show,
    tick,
    type_into,
)

pytestmark = OFFSCREEN_SIZE_HINTS

BGG = "Basseau Grande-Garenne"


def new_person(qtbot, *, gender: str, first: str, last: str, email: str = "",
               organisation: str = "", college: str = "habitants", contact: bool = True,
               photos: bool = False):
    """What Samira does in « Add a member » for someone not yet in the directory."""
    def handle(dialog: MembershipDialog) -> None:
        show(qtbot, dialog, 640, 720)
        tick(qtbot, dialog.new)
        form = dialog.person_form
        assert dialog.pages.currentWidget() is form
        choose(qtbot, form.gender, gender)
        type_into(qtbot, form.first_name, first)
        type_into(qtbot, form.last_name, last)
        if organisation:
            type_into(qtbot, form.organisation, organisation)
        if email:
            type_into(qtbot, form.email, email)
        assert form.consent_date.date() is None
        if contact:
            tick(qtbot, form.consent_contact)
        if photos:
            tick(qtbot, form.consent_photos)
        if contact or photos:
            # Ticking a consent dates it today: the usual case, one click less.
            assert form.consent_date.date() == dt.date.today()
        choose(qtbot, dialog.college, college)
        qtbot.mouseClick(ok_button(dialog), LEFT)
    return handle


def known_person(qtbot, typed: str, expected_first: str):
    """« Someone already in the directory »: type part of the name, take the first."""
    def handle(dialog: MembershipDialog) -> None:
        show(qtbot, dialog, 640, 720)
        assert dialog.known.isChecked()
        type_into(qtbot, dialog.search, typed)
        # The list narrows as she types, and what the search found first is selected.
        qtbot.waitUntil(
            lambda: (dialog.results.currentIndex().row() == 0
                     and dialog.results_model.index(0, 0).data().startswith(expected_first)),
            timeout=2000)
        qtbot.mouseClick(ok_button(dialog), LEFT)
    return handle


@pytest.fixture
def directory(db):
    """People already typed in by the centre social, before the council exists."""
    return {
        "garnier": people.create_person(db, gender="femme", first_name="Hélène",
                                        last_name="Garnier", phone="05 45 00 00 01"),
        "martin": people.create_person(db, gender="femme", first_name="Gaëlle",
                                       last_name="Martin"),
        "audoin": people.create_person(db, gender="homme", first_name="Noël",
                                       last_name="Audoin"),
    }


def test_starting_the_basseau_grande_garenne_council(qtbot, make_window, db, directory,
                                                     modals):
    window = make_window(db)
    qtbot.mouseClick(window.welcome.create_button, LEFT)
    page = window.councils

    # She opens Basseau Grande-Garenne: « en création ».
    click_row(qtbot, page.view, row_where(page.model, 0, BGG))
    detail = page.detail
    bgg = council_id(db, BGG)
    assert detail.council_id == bgg
    assert detail.title.text() == BGG
    assert detail.status.currentData() == "en_creation"
    assert detail.status_chip.text() == status_label("en_creation")
    assert page.model.index(row_where(page.model, 0, BGG), 1).data() == status_label(
        "en_creation")

    # She types her name as facilitator and moves on: it is saved, with no button.
    assert not [b for b in detail.findChildren(QPushButton)
                if b.text().replace("&", "").lower() in ("enregistrer", "save")]
    type_into(qtbot, detail.facilitator, "Samira Benali")
    leave_field(qtbot, detail.facilitator)
    assert councils.get_council(db, bgg)["facilitator_name"] == "Samira Benali"
    assert not detail.binder.has_pending()
    assert window.saved_label.text()          # « All changes saved (18:02) »

    # Members: two new residents, a local stakeholder, and Mme Garnier from the directory.
    bar = detail.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    assert detail.tabs.currentWidget() is detail.members_tab
    additions = [
        new_person(qtbot, gender="femme", first="Fatima", last="Benali",
                   email="fatima.benali@example.org", photos=True),
        new_person(qtbot, gender="homme", first="Kévin", last="Roux"),
        new_person(qtbot, gender="non_precise", first="Jean", last="Vidal",
                   organisation="Régie de quartier", college="acteurs_locaux", contact=False),
        known_person(qtbot, "gar", "Hélène Garnier"),
    ]
    for handler in additions:
        modals.expect(handler, MembershipDialog)
        qtbot.mouseClick(detail.add_member_button, LEFT)
    assert modals.pending() == 0

    members = councils.council_members(db, bgg)
    assert sorted(m["name"] for m in members) == [
        "Fatima Benali", "Hélène Garnier", "Jean Vidal", "Kévin Roux"]
    assert all(m["active"] and m["joined_on"] == dt.date.today().isoformat() for m in members)
    by_name = {m["name"]: m for m in members}
    assert by_name["Hélène Garnier"]["person_id"] == directory["garnier"]
    assert by_name["Jean Vidal"]["college"] == "acteurs_locaux"
    fatima = people.get_person(db, by_name["Fatima Benali"]["person_id"])
    assert fatima["email"] == "fatima.benali@example.org"
    assert (fatima["consent_contact"], fatima["consent_photos"]) == (1, 1)
    assert fatima["consent_date"] == dt.date.today().isoformat()
    kevin = people.get_person(db, by_name["Kévin Roux"]["person_id"])
    assert (kevin["email"], kevin["phone"], kevin["gender"]) == ("", "", "homme")
    jean = people.get_person(db, by_name["Jean Vidal"]["person_id"])
    assert jean["consent_date"] is None and not jean["consent_contact"]

    # What she sees: the four in the table, and the summary counting them.
    assert sorted(column_texts(detail.members_model)) == sorted(by_name)
    # « 4 membres actuels — 3 habitants (2 femmes, 1 homme), 1 acteur local »
    assert re.findall(r"\d+", detail.members_summary.text()) == ["4", "3", "2", "1", "1"]
    assert page.model.index(row_where(page.model, 0, BGG), 3).data() == "4"

    # On the People page, « gar » finds Mme Garnier at once.
    nav = window.navigation
    qtbot.mouseClick(nav.viewport(), LEFT, pos=nav.visualItemRect(nav.item(1)).center())
    people_page = window.people
    assert window.current_page() is people_page
    type_into(qtbot, people_page.search, "gar")
    qtbot.waitUntil(lambda: people_page.model.rowCount() == 1, timeout=2000)
    assert people_page.model.index(0, 0).data() == "Garnier"
    assert people_page.model.index(0, 1).data() == "Hélène"
    assert people_page.model.index(0, 3).data() == BGG
    assert re.findall(r"\d+", people_page.count.text()) == ["1"]
    qtbot.keyClick(people_page.search, Qt.Key.Key_Return)
    assert people_page.form.person_id == directory["garnier"]
    assert people_page.form.title.text() == formal_name("femme", "Hélène", "Garnier")
    assert people_page.form.memberships.count() == 1
    assert people_page.form.memberships.item(0).text().startswith(BGG)


def test_people_added_from_a_council_are_listed_on_the_people_page(qtbot, make_window,
                                                                   qpv_db, modals):
    """A person created in « Add a member » is in the directory: the People page lists
    them when she goes there, without typing a search first."""
    window = make_window(qpv_db)
    detail = window.councils.detail
    modals.expect(new_person(qtbot, gender="femme", first="Fatima", last="Benali"),
                  MembershipDialog)
    qtbot.mouseClick(detail.add_member_button, LEFT)
    assert [p["name"] for p in people.list_people(qpv_db)] == ["Fatima Benali"]

    window.go_to(window.pages.index(window.people))

    assert window.current_page() is window.people
    assert column_texts(window.people.model) == ["Benali"]
    assert re.findall(r"\d+", window.people.count.text()) == ["1"]


def test_the_councils_column_follows_a_membership_added_from_a_council(
        qtbot, make_window, qpv_db, modals):
    """The People list's « Councils » column is not left stale by a membership added
    from the council's side."""
    garnier = people.create_person(qpv_db, gender="femme", first_name="Hélène",
                                   last_name="Garnier")
    window = make_window(qpv_db)
    window.go_to(window.pages.index(window.people))
    assert window.people.model.index(0, 3).data() == ""      # no council yet
    window.go_to(window.pages.index(window.councils))
    click_row(qtbot, window.councils.view, row_where(window.councils.model, 0, BGG))
    modals.expect(known_person(qtbot, "gar", "Hélène Garnier"), MembershipDialog)
    qtbot.mouseClick(window.councils.detail.add_member_button, LEFT)
    assert people.people_rows(qpv_db, [garnier])[garnier]["councils"] == BGG

    window.go_to(window.pages.index(window.people))

    assert window.people.model.index(0, 3).data() == BGG
