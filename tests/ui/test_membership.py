"""Membership dialogs: the rules are enforced in the dialog, and nothing half-done is kept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

from perr_desktop.services import councils, people
from perr_desktop.ui.members import MembershipDialog
from perr_desktop.ui.widgets import OptionalDateEdit, short_date
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    click_row,
    column_texts,
    council_id,
    ok_button,
    row_where,
    show,
    tick,
    type_into,
)

pytestmark = OFFSCREEN_SIZE_HINTS

BGG = "Basseau Grande-Garenne"
JOINED = "2024-01-10"


@pytest.fixture
def bgg(qpv_db):
    return council_id(qpv_db, BGG)


@pytest.fixture
def garnier(qpv_db):
    return people.create_person(qpv_db, gender="femme", first_name="Hélène",
                                last_name="Garnier")


@pytest.fixture
def audoin(qpv_db):
    return people.create_person(qpv_db, gender="homme", first_name="Noël", last_name="Audoin")


@pytest.fixture
def membership(qpv_db, bgg, garnier):
    return people.add_membership(qpv_db, bgg, garnier, "habitants", joined_on=JOINED)


def memberships(db):
    return db.query("SELECT * FROM memberships WHERE deleted_at IS NULL")


def choose_in_directory(qtbot, dialog: MembershipDialog, typed: str, first: str) -> None:
    type_into(qtbot, dialog.search, typed)
    qtbot.waitUntil(lambda: dialog.results.currentIndex().row() == 0
                    and dialog.results_model.index(0, 0).data().startswith(first),
                    timeout=2000)


def test_a_leaving_date_before_the_joining_date_is_refused(qtbot, qpv_db, membership):
    dialog = show(qtbot, MembershipDialog(qpv_db, membership_id=membership), 640, 520)
    assert dialog.joined_on.iso() == JOINED
    assert dialog.left_on.iso() is None and dialog.left_on.isVisible()
    before = memberships(qpv_db)

    dialog.left_on.edit.setDate(QDate(2023, 12, 1))    # as picked in the calendar
    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.banner.isVisible()
    assert len(dialog.banner.text().split()) >= 4
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert memberships(qpv_db) == before

    dialog.left_on.edit.setDate(QDate(2024, 6, 30))
    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert memberships(qpv_db)[0]["left_on"] == "2024-06-30"


def test_current_members_are_not_offered_again(qtbot, qpv_db, bgg, membership, audoin):
    # Offering Mme Garnier, already a member, would only lead to a refusal.
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    assert dialog.search.hasFocus() or dialog.focusWidget() is dialog.search
    assert not dialog.results.currentIndex().isValid()   # nothing chosen for her yet
    type_into(qtbot, dialog.search, "e")                 # matches Hélène and Noël
    qtbot.waitUntil(lambda: dialog.results.currentIndex().isValid(), timeout=2000)
    labels = [dialog.results_model.index(r, 0).data()
              for r in range(dialog.results_model.rowCount())]
    assert labels == ["Noël Audoin"]


def test_enter_on_an_empty_search_adds_nobody(qtbot, qpv_db, bgg, audoin):
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    qtbot.mouseClick(ok_button(dialog), LEFT)
    assert dialog.banner.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert memberships(qpv_db) == []


def test_joining_again_after_leaving_is_accepted(qtbot, qpv_db, bgg, membership):
    people.update_membership(qpv_db, membership, left_on="2024-06-30")
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    choose_in_directory(qtbot, dialog, "gar", "Hélène Garnier")

    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.banner.isVisible()
    assert sorted(m["joined_on"] for m in councils.council_members(qpv_db, bgg)) == [
        JOINED, dt.date.today().isoformat()]


def test_after_a_refusal_the_person_chosen_next_is_the_one_added(qtbot, qpv_db, bgg,
                                                                 audoin):
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    dialog.joined_on.set_date(None)
    dialog.left_on.set_date(None)
    tick(qtbot, dialog.new)
    type_into(qtbot, dialog.person_form.last_name, "Benali")
    type_into(qtbot, dialog.person_form.email, "fatima@")
    qtbot.mouseClick(ok_button(dialog), LEFT)
    assert dialog.banner.isVisible()                  # refused: bad email

    tick(qtbot, dialog.known)
    choose_in_directory(qtbot, dialog, "aud", "Noël Audoin")
    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [m["person_id"] for m in memberships(qpv_db)] == [audoin]
    assert dialog.person_id == audoin
    assert [p["name"] for p in people.list_people(qpv_db)] == ["Noël Audoin"]


def test_a_new_person_with_an_invalid_email_is_refused_and_nothing_is_written(
        qtbot, qpv_db, bgg):
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    tick(qtbot, dialog.new)
    type_into(qtbot, dialog.person_form.last_name, "Benali")
    type_into(qtbot, dialog.person_form.email, "fatima@")

    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.banner.isVisible() and "fatima@" in dialog.banner.text()
    assert people.list_people(qpv_db) == []
    assert memberships(qpv_db) == []


def test_a_refused_membership_leaves_no_half_created_person(qtbot, qpv_db, bgg,
                                                            monkeypatch):
    """One user action, one transaction: the new person goes with their membership."""
    from perr_desktop.errors import ValidationError

    def refuse(*_args, **_kwargs):
        raise ValidationError("Refusé pour le test.", "joined_on")

    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    tick(qtbot, dialog.new)
    type_into(qtbot, dialog.person_form.last_name, "Benali")
    monkeypatch.setattr(people, "add_membership", refuse)

    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.banner.text() == "Refusé pour le test."
    assert people.list_people(qpv_db) == []


def test_adding_from_a_person_asks_for_the_council(qtbot, qpv_db, garnier):
    dialog = show(qtbot, MembershipDialog(qpv_db, person_id=garnier), 640, 520)
    assert dialog.council.isVisible()
    assert dialog.council.count() == 5

    qtbot.mouseClick(ok_button(dialog), LEFT)

    assert dialog.result() == QDialog.DialogCode.Accepted
    (added,) = memberships(qpv_db)
    assert added["council_id"] == dialog.council.currentData()
    assert (added["college"], added["role"]) == ("habitants", "membre")


# -- end of membership, from the council's members tab ----------------------------------


@pytest.fixture
def members_tab(qtbot, make_window, qpv_db, bgg, membership, audoin):
    people.add_membership(qpv_db, bgg, audoin, "habitants", joined_on=JOINED)
    window = make_window(qpv_db)
    page = window.councils
    click_row(qtbot, page.view, row_where(page.model, 0, BGG))
    bar = page.detail.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    return page.detail


def departure(qtbot, day: dt.date | None = None, then_cancel: bool = False):
    """The « End of membership » dialog: keep today's date or pick one, confirm."""
    def handle(dialog: QDialog) -> None:
        show(qtbot, dialog, 520, 240)
        date = dialog.findChild(OptionalDateEdit)
        assert date.date() == dt.date.today()
        assert any("Garnier" in label.text() for label in dialog.findChildren(QLabel))
        if day is not None:
            date.edit.setDate(QDate(day))
        qtbot.mouseClick(ok_button(dialog), LEFT)
        if then_cancel:
            banners = [w for w in dialog.findChildren(QLabel) if w.property("role") == "error"]
            assert banners and banners[0].isVisible() and banners[0].text()
            box = dialog.findChild(QDialogButtonBox)
            qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Cancel), LEFT)
    return handle


def test_end_of_membership_records_the_date_and_moves_to_former_members(
        qtbot, qpv_db, members_tab, membership, modals):
    detail = members_tab
    assert sorted(column_texts(detail.members_model)) == ["Hélène Garnier", "Noël Audoin"]
    click_row(qtbot, detail.members_view, row_where(detail.members_model, 0, "Hélène Garnier"))
    assert detail.end_member_button.isEnabled()
    modals.expect(departure(qtbot))

    qtbot.mouseClick(detail.end_member_button, LEFT)

    today = dt.date.today().isoformat()
    assert qpv_db.scalar("SELECT left_on FROM memberships WHERE id = ?", (membership,)) == today
    assert column_texts(detail.members_model) == ["Noël Audoin"]
    # « 1 membre actuel — 1 habitant (0 femme, 1 homme), 0 acteur local — 1 ancien membre »
    assert re.findall(r"\d+", detail.members_summary.text()) == ["1", "1", "0", "1", "0", "1"]

    tick(qtbot, detail.show_former)

    row = row_where(detail.members_model, 0, "Hélène Garnier")
    assert row >= 0 and detail.members_model.rowCount() == 2
    assert detail.members_model.index(row, 5).data() == short_date(today)
    click_row(qtbot, detail.members_view, row)
    assert not detail.end_member_button.isEnabled()    # she has already left
    assert detail.edit_member_button.isEnabled()


def test_end_of_membership_before_joining_is_refused_in_the_dialog(
        qtbot, qpv_db, members_tab, membership, modals):
    detail = members_tab
    click_row(qtbot, detail.members_view, row_where(detail.members_model, 0, "Hélène Garnier"))
    modals.expect(departure(qtbot, dt.date(2023, 12, 1), then_cancel=True))

    qtbot.mouseClick(detail.end_member_button, LEFT)

    assert qpv_db.scalar("SELECT left_on FROM memberships WHERE id = ?", (membership,)) is None
    assert sorted(column_texts(detail.members_model)) == ["Hélène Garnier", "Noël Audoin"]
