"""The « Walk » tab: the walk's title, weather and headcount saved as typed (no button),
and who took part, named from the directory or typed, with their role."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton

from perr_desktop.i18n import _
from perr_desktop.services import walks
from perr_desktop.ui.walks.info import InfoTab
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
    type_into,
)
from tests.ui.walks_fixtures import (
    NIGHT,
    button,
    dump,
    make_council,
    make_walk,
    person,
    walk_row,
)

pytestmark = OFFSCREEN_SIZE_HINTS

# Saved half a second after the last keystroke; the ceiling leaves room for a busy machine.
SAVED_WITHIN = 2000


@pytest.fixture
def night(db):
    return make_walk(db, make_council(db))


@pytest.fixture
def directory(db):
    return {
        "helene": person(db, "Hélène", "Garnier"),
        "karim": person(db, "Karim", "Benali", organisation="Logélia"),
    }


@pytest.fixture
def tab(qtbot, db, night, directory):
    tab = show(qtbot, InfoTab(db), 900, 800)
    tab.load(night)
    return tab


def participants(db, walk_id):
    return [(p["display"], p["person_id"], p["role"]) for p in walks.participants(db, walk_id)]


# -- the walk, saved as typed ------------------------------------------------------------------

def test_the_tab_has_no_save_button(tab):
    texts = {b.text().replace("&", "") for b in tab.findChildren(QPushButton)}
    assert texts == {_("&Add").replace("&", ""), _("Remove…")}
    assert tab.title.text() == NIGHT


def test_title_and_weather_are_saved_when_she_moves_on(qtbot, db, tab, night):
    type_into(qtbot, tab.title, "Diagnostic de nuit — Grande-Garenne")
    assert walk_row(db, night)["title"] == NIGHT        # still typing
    leave_field(qtbot, tab.title)
    assert walk_row(db, night)["title"] == "Diagnostic de nuit — Grande-Garenne"

    type_into(qtbot, tab.weather, "")
    key_text(qtbot, tab.weather, "sec, doux, vent léger ; 9 °C")
    leave_field(qtbot, tab.weather)
    assert walk_row(db, night)["weather"] == "sec, doux, vent léger ; 9 °C"
    assert not tab.banner.isVisible()


def test_weather_typed_is_saved_after_a_pause_without_leaving(qtbot, db, tab, night):
    type_into(qtbot, tab.weather, "pluie fine")
    qtbot.waitUntil(lambda: walk_row(db, night)["weather"] == "pluie fine",
                    timeout=SAVED_WITHIN)


def test_people_counted_without_a_name_are_saved(qtbot, db, tab, night):
    type_into(qtbot, tab.counted, "7")
    qtbot.waitUntil(lambda: walk_row(db, night)["counted_participants"] == 7,
                    timeout=SAVED_WITHIN)
    assert tab.counted.value() == 7


def test_notes_are_saved_after_a_pause(qtbot, db, tab, night):
    type_into(qtbot, tab.notes, "")
    key_text(qtbot, tab.notes, "Départ groupé devant la Maison de quartier.")
    qtbot.waitUntil(lambda: walk_row(db, night)["notes"]
                    == "Départ groupé devant la Maison de quartier.", timeout=SAVED_WITHIN)


def test_an_empty_title_is_refused_with_one_sentence_and_not_saved(qtbot, db, tab, night):
    before = dump(db)
    type_into(qtbot, tab.title, "   ")
    leave_field(qtbot, tab.title)
    assert tab.banner.isVisible()
    assert tab.banner.text()
    assert tab.title.property("invalid") is True
    assert dump(db) == before
    assert not tab.flush()                 # the window will ask before closing

    type_into(qtbot, tab.title, "Diagnostic de nuit")
    leave_field(qtbot, tab.title)
    assert not tab.banner.isVisible()
    assert tab.flush()


def test_each_walk_shows_its_own_values(qtbot, db, tab, night):
    council = walk_row(db, night)["council_id"]
    other = make_walk(db, council, "Diagnostic de jour", "2026-06-01", stops=(), period="jour")
    walks.update_walk(db, other, weather="soleil", counted_participants=3)
    tab.load(other)
    assert (tab.title.text(), tab.weather.text(), tab.counted.value(),
            tab.period.currentData()) == ("Diagnostic de jour", "soleil", 3, "jour")
    tab.load(night)
    assert (tab.title.text(), tab.weather.text(), tab.counted.value(),
            tab.period.currentData()) == (NIGHT, "", 0, "nuit")


# -- participants ------------------------------------------------------------------------------

def test_a_person_of_the_directory_is_added_with_a_role(qtbot, db, tab, night, directory):
    choose(qtbot, tab.person, directory["karim"])
    assert tab.person.currentText() == "Karim Benali (Logélia)"
    choose(qtbot, tab.role, "partenaire")
    qtbot.mouseClick(add_button(tab), LEFT)

    assert participants(db, night) == [("Karim Benali", directory["karim"], "partenaire")]
    assert column_texts(tab.model, 0) == ["Karim Benali"]
    assert column_texts(tab.model, 1) == ["Logélia"]          # from the directory
    assert tab.model.index(0, 2).data() == role_label(tab, "partenaire")
    assert tab.person.currentText() == ""                    # ready for the next one


def test_a_typed_name_is_added_without_a_directory_entry(qtbot, db, tab, night, directory):
    type_into(qtbot, tab.person, "")
    key_text(qtbot, tab.person, "Mme Öztürk")
    choose(qtbot, tab.role, "habitant")
    qtbot.mouseClick(add_button(tab), LEFT)

    assert participants(db, night) == [("Mme Öztürk", None, "habitant")]
    assert column_texts(tab.model, 0) == ["Mme Öztürk"]
    assert db.scalar("SELECT count(*) FROM people") == 2      # nobody added to the directory


def test_named_and_typed_participants_are_listed_in_the_order_added(
        qtbot, db, tab, night, directory):
    choose(qtbot, tab.person, directory["helene"])
    choose(qtbot, tab.role, "animateur")
    qtbot.mouseClick(add_button(tab), LEFT)
    type_into(qtbot, tab.person, "")
    key_text(qtbot, tab.person, "Technicien de la Ville")
    choose(qtbot, tab.role, "partenaire")
    qtbot.mouseClick(add_button(tab), LEFT)

    assert participants(db, night) == [
        ("Hélène Garnier", directory["helene"], "animateur"),
        ("Technicien de la Ville", None, "partenaire")]
    assert column_texts(tab.model, 0) == ["Hélène Garnier", "Technicien de la Ville"]


def test_adding_nobody_is_one_sentence_and_writes_nothing(qtbot, db, tab):
    before = dump(db)
    qtbot.mouseClick(add_button(tab), LEFT)
    assert tab.banner.isVisible()
    assert dump(db) == before


def test_remove_asks_then_removes_the_participant(qtbot, db, tab, night, directory, modals):
    walks.add_participant(db, night, "habitant", name="Mme Öztürk")
    walks.add_participant(db, night, "animateur", person_id=directory["helene"])
    tab.load(night)
    click_row(qtbot, tab.view, 0)

    def confirm(box: QMessageBox) -> None:
        assert "Mme Öztürk" in box.text()
        click_destructive(box)

    modals.expect(confirm, QMessageBox)
    qtbot.mouseClick(remove_button(tab), LEFT)
    assert participants(db, night) == [("Hélène Garnier", directory["helene"], "animateur")]
    assert column_texts(tab.model, 0) == ["Hélène Garnier"]


def test_refusing_the_removal_keeps_the_participant(qtbot, db, tab, night, modals):
    walks.add_participant(db, night, "habitant", name="Mme Öztürk")
    tab.load(night)
    click_row(qtbot, tab.view, 0)
    before = dump(db)
    modals.expect(lambda box: box.button(QMessageBox.StandardButton.Cancel).click(),
                  QMessageBox)
    qtbot.mouseClick(remove_button(tab), LEFT)
    assert dump(db) == before
    assert column_texts(tab.model, 0) == ["Mme Öztürk"]


def test_the_participants_model_is_sound(qtbot, qtmodeltester, db, tab, night, directory):
    walks.add_participant(db, night, "habitant", name="Mme Öztürk")
    walks.add_participant(db, night, "partenaire", person_id=directory["karim"])
    tab.load(night)
    qtmodeltester.check(tab.model)


# -- helpers -----------------------------------------------------------------------------------

def add_button(tab: InfoTab) -> QPushButton:
    return button(tab, _("&Add"))


def remove_button(tab: InfoTab) -> QPushButton:
    return button(tab, _("Remove…"))


def role_label(tab: InfoTab, code: str) -> str:
    return tab.role.itemText(tab.role.findData(code))


def test_the_directory_is_read_when_the_participant_list_is_used(qtbot, db, night, directory,
                                                                 monkeypatch):
    """Thousands of people after ten years: opening a walk does not read them; the list
    is filled when first used, and again only when the directory changed."""
    from perr_desktop.services import people as people_service

    reads: list[int] = []
    real = people_service.choices
    monkeypatch.setattr(people_service, "choices",
                        lambda db_: reads.append(1) or real(db_))
    tab = show(qtbot, InfoTab(db), 900, 800)
    tab.load(night)
    assert reads == []
    choose(qtbot, tab.person, directory["karim"])             # used: filled
    assert reads == [1] and tab.person.currentText() == "Karim Benali (Logélia)"
    tab.load(night)
    choose(qtbot, tab.person, directory["helene"])            # unchanged: not read again
    assert reads == [1]
    people_service.create_person(db, first_name="Nadia", last_name="Kaci")
    tab.load(night)
    type_into(qtbot, tab.person, "")                          # changed: read again
    assert reads == [1, 1] and tab.person.findText("Nadia Kaci") > 0
