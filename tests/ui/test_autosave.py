"""Saved as typed (ui/autosave.py FormBinder), seen through a person's record."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from perr_desktop.services import people
from perr_desktop.ui.people import PersonForm
from tests.ui.helpers import (
    CTRL,
    OFFSCREEN_SIZE_HINTS,
    click_row,
    key_text,
    leave_field,
    row_where,
    show,
    tick,
    type_into,
)

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture
def two(db):
    return (
        people.create_person(db, gender="femme", first_name="Hélène", last_name="Garnier"),
        people.create_person(db, gender="homme", first_name="Noël", last_name="Audoin",
                             email="noel.audoin@example.org"),
    )


@pytest.fixture
def form(qtbot, db, two):
    form = show(qtbot, PersonForm(db), 720, 960)
    form.load(two[0])
    return form


def stored(db, person_id, field):
    return people.get_person(db, person_id)[field]


def test_nothing_is_editable_before_a_person_is_chosen(qtbot, db):
    form = show(qtbot, PersonForm(db), 720, 960)
    assert not form.isEnabled()
    assert form.title.text()      # « Aucune personne sélectionnée »


def test_a_field_is_saved_when_the_user_leaves_it(qtbot, db, two, form):
    type_into(qtbot, form.phone, "05 45 12 34 56")
    assert stored(db, two[0], "phone") == ""          # not yet: she is still typing

    leave_field(qtbot, form.phone)

    assert stored(db, two[0], "phone") == "05 45 12 34 56"
    assert not form.banner.isVisible()


def test_a_field_is_saved_half_a_second_after_the_last_keystroke(qtbot, db, two, form):
    type_into(qtbot, form.organisation, "Centre social")
    assert form.binder.has_pending()

    qtbot.waitUntil(lambda: stored(db, two[0], "organisation") == "Centre social",
                    timeout=3000)
    assert not form.binder.has_pending()


def test_a_ticked_consent_is_saved_at_once(qtbot, db, two, form):
    tick(qtbot, form.consent_photos)

    assert stored(db, two[0], "consent_photos") == 1


def test_an_invalid_email_is_refused_and_explained(qtbot, db, two, form):
    type_into(qtbot, form.email, "helene@garnier")
    leave_field(qtbot, form.email)

    assert stored(db, two[0], "email") == ""
    assert form.banner.isVisible()
    sentence = form.banner.text()
    assert "helene@garnier" in sentence
    assert len(sentence.split()) >= 4 and sentence.rstrip().endswith(".")
    assert form.email.property("invalid") is True
    # A screen reader hears why the field is marked.
    assert form.email.accessibleDescription() == sentence
    assert form.phone.property("invalid") in (None, False)

    type_into(qtbot, form.email, "helene.garnier@example.org")
    leave_field(qtbot, form.email)

    assert stored(db, two[0], "email") == "helene.garnier@example.org"
    assert not form.banner.isVisible()
    assert form.email.property("invalid") is False
    assert form.email.accessibleDescription() == ""


def test_loading_another_person_saves_what_was_being_typed(qtbot, db, two, form):
    type_into(qtbot, form.first_name, "Hélène-Marie")
    assert form.binder.has_pending()                  # still in the field, timer running
    assert stored(db, two[0], "first_name") == "Hélène"

    form.load(two[1])

    assert stored(db, two[0], "first_name") == "Hélène-Marie"
    assert stored(db, two[0], "search_key").startswith("helene-marie")
    assert form.person_id == two[1]
    assert form.first_name.text() == "Noël"
    assert form.email.text() == "noel.audoin@example.org"
    assert not form.binder.has_pending()


def test_clicking_another_person_in_the_list_saves_the_notes_being_typed(qtbot, db, two):
    """Notes have no « editingFinished »: switching person must still save them."""
    from perr_desktop.ui.people import PeoplePage

    page = show(qtbot, PeoplePage(db))
    click_row(qtbot, page.view, row_where(page.model, 0, "Garnier"))
    assert page.form.person_id == two[0]
    type_into(qtbot, page.form.notes, "Rencontrée au marché", replace=False)
    assert stored(db, two[0], "notes") == ""

    click_row(qtbot, page.view, row_where(page.model, 0, "Audoin"))

    assert page.form.person_id == two[1]
    assert stored(db, two[0], "notes") == "Rencontrée au marché"
    assert page.form.notes.toPlainText() == ""


def test_closing_while_typing_a_refused_value_asks_first(qtbot, make_window, qpv_db, two,
                                                         modals):
    window = make_window(qpv_db)
    window.open_person(two[0])
    type_into(qtbot, window.people.form.email, "helene@garnier")   # still in the field

    window.close()

    assert [kind for kind, _title, _text in modals.messages] == ["question"]
    assert window.isVisible()     # the answer was « No »
    assert window.people.form.banner.isVisible()
    assert stored(qpv_db, two[0], "email") == ""


def test_closing_with_a_refused_value_on_screen_asks_first(qtbot, make_window, qpv_db, two,
                                                           modals):
    """Once she has left the field, the refused value is still only on screen: closing
    must not lose it silently."""
    window = make_window(qpv_db)
    window.open_person(two[0])
    form = window.people.form
    type_into(qtbot, form.email, "helene@garnier")
    leave_field(qtbot, form.email)
    assert form.banner.isVisible()

    window.close()

    assert [kind for kind, _title, _text in modals.messages] == ["question"]
    assert window.isVisible()     # the answer was « No »


def test_ctrl_s_saves_what_is_being_typed(qtbot, make_window, qpv_db, two):
    window = make_window(qpv_db)
    window.open_person(two[0])
    form = window.people.form
    assert window.current_page() is window.people
    type_into(qtbot, form.notes, "Parle aussi arabe", replace=False)
    type_into(qtbot, form.organisation, "Amicale des locataires")
    assert form.binder.has_pending()
    window.saved_label.clear()

    qtbot.keyClick(form.organisation, Qt.Key.Key_S, CTRL)

    assert not form.binder.has_pending()
    person = people.get_person(qpv_db, two[0])
    assert (person["notes"], person["organisation"]) == (
        "Parle aussi arabe", "Amicale des locataires")
    assert form.organisation.hasFocus()               # she goes on typing where she was
    assert window.saved_label.text()                  # « All changes saved (hh:mm) »


def test_each_save_moves_updated_at_and_only_a_real_change_does(qtbot, db, clock, two,
                                                                form):
    first = stored(db, two[0], "updated_at")

    type_into(qtbot, form.last_name, "Garnier-Roux")
    leave_field(qtbot, form.last_name)
    second = stored(db, two[0], "updated_at")
    type_into(qtbot, form.phone, "06 12 34 56 78")
    leave_field(qtbot, form.phone)
    third = stored(db, two[0], "updated_at")
    type_into(qtbot, form.phone, "06 12 34 56 78")      # the same number again
    leave_field(qtbot, form.phone)

    assert first < second < third
    assert stored(db, two[0], "updated_at") == third
    assert form.title.text().endswith("Garnier-Roux")    # the heading follows the name


def test_typing_accented_text_is_stored_as_typed(qtbot, db, two, form):
    form.first_name.setFocus()
    qtbot.waitUntil(form.first_name.hasFocus)
    qtbot.keyClick(form.first_name, Qt.Key.Key_End)
    key_text(qtbot, form.first_name, " Œdipe")
    leave_field(qtbot, form.first_name)

    assert stored(db, two[0], "first_name") == "Hélène Œdipe"
