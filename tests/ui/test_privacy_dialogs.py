"""Residents' privacy in the GUI (journey 8): Samira exports a resident's data, erases
him after saying exactly what will happen, and later purges old contact details."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QSpinBox

from perr_desktop import i18n
from perr_desktop.services import councils, meetings, people, privacy
from perr_desktop.settings import Settings
from perr_desktop.ui.privacy import EraseDialog, RetentionDialog
from perr_desktop.ui.settings_page import SettingsPage
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    calls_on_gui_thread,
    click_row,
    column_texts,
    row_where,
    show,
    tick,
)

pytestmark = OFFSCREEN_SIZE_HINTS

NAME = "Bérénice Quatrefages-Ullmann"


@pytest.fixture(autouse=True)
def english():
    """The words are checked in English: they do not move when the French catalogue is
    filled in (conftest puts French back afterwards)."""
    i18n.set_language("en")


@pytest.fixture
def resident(db):
    council = councils.create_council(db, "Basseau Grande-Garenne", status="actif")
    berenice = people.create_person(db, first_name="Bérénice", last_name="Quatrefages-Ullmann",
                                    gender="femme", email="b.quatrefages@exemple.fr")
    people.add_membership(db, council, berenice, "habitants", joined_on="2024-01-10")
    people.create_person(db, first_name="Hélène", last_name="Garnier")
    meeting = meetings.plan_meeting(db, council, "pleniere", "Plénière", "2026-01-15T18:30")
    meetings.set_attendance(db, meeting, berenice, "present")
    meetings.set_meeting_notes(db, meeting, f"{NAME} présente la pétition.")
    return {"id": berenice, "meeting": meeting}


def people_page(make_window, db):
    """The main window on its People page, as after a click in the navigation."""
    if not db.scalar("SELECT count(*) FROM councils"):
        councils.create_council(db, "Ma Campagne", status="actif")  # no welcome page
    window = make_window(db)
    window.go_to(window.pages.index(window.people))
    assert window.current_page() is window.people
    window.people.retention.reader.wait()   # its question is answered in the background
    return window.people


@pytest.fixture
def page(qtbot, make_window, db, resident):
    page = people_page(make_window, db)
    click_row(qtbot, page.view, row_where(page.model, 0, "Quatrefages-Ullmann"))
    assert page.form.person_id == resident["id"]
    return page


def _labels(dialog: QDialog) -> str:
    return "\n".join(label.text() for label in dialog.findChildren(QLabel))


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    return dialog.findChild(QDialogButtonBox)


def test_erase_dialog_says_what_happens_and_waits_for_the_tick(qtbot, db, page, resident,
                                                               modals):
    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, EraseDialog)
        show(qtbot, dialog, 760, 640)
        text = _labels(dialog)
        assert NAME in text
        for words in ("identity and contact details are erased",
                      "one anonymous participant", "membership of a council is removed",
                      "[personne effacée]", "Photos where they appear",
                      "Copies made outside PERR Desktop"):
            assert words in text, words
        assert dialog.mentions.count() == 1
        assert "présente la pétition" in dialog.mentions.item(0).text()
        assert not dialog.erase_button.isEnabled()
        qtbot.mouseClick(dialog.erase_button, LEFT)       # disabled: nothing happens
        assert dialog.isVisible()
        tick(qtbot, dialog.confirm)
        assert dialog.erase_button.isEnabled()
        qtbot.mouseClick(dialog.erase_button, LEFT)

    before = meetings.attendance_summary(db, resident["meeting"])["participants"]
    modals.expect(handle)
    qtbot.mouseClick(page.form.erase_button, LEFT)

    [(kind, _title, message)] = modals.messages
    assert kind == "information"
    assert message.startswith(f"{NAME} erased: 1 meeting or walk counts them as an anonymous "
                              "participant, 1 mention of their name replaced.")
    assert page.form.person_id is None
    assert "Quatrefages-Ullmann" not in column_texts(page.model)
    assert column_texts(page.model) == ["Garnier"]
    person = db.query_one("SELECT * FROM people WHERE id = ?", (resident["id"],))
    assert person["last_name"] == "" and person["deleted_at"]
    assert meetings.attendance_summary(db, resident["meeting"])["participants"] == before
    assert meetings.get_meeting(db, resident["meeting"])["notes"] == (
        "[personne effacée] présente la pétition.")


def _every_table(db) -> dict[str, list[dict]]:
    tables = [r["name"] for r in db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(db.query(f'SELECT * FROM "{t}"'), key=repr) for t in tables}


def test_cancelling_the_erasure_changes_nothing(qtbot, db, page, resident, modals):
    before = _every_table(db)

    def handle(dialog: QDialog) -> None:
        show(qtbot, dialog, 760, 640)
        tick(qtbot, dialog.confirm)
        qtbot.mouseClick(_buttons(dialog).button(QDialogButtonBox.StandardButton.Cancel), LEFT)

    modals.expect(handle)
    qtbot.mouseClick(page.form.erase_button, LEFT)

    assert modals.messages == []
    assert page.form.person_id == resident["id"]
    assert people.get_person(db, resident["id"])["name"] == NAME
    assert _every_table(db) == before          # ticked, then cancelled: not one row moved


def test_export_writes_the_json_chosen_in_the_file_dialog(qtbot, db, page, resident, modals,
                                                          monkeypatch, tmp_path):
    target = tmp_path / "berenice"
    asked = []

    def save_as(parent, title, suggested, filter_):
        asked.append((title, suggested, filter_))
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    qtbot.mouseClick(page.form.export_button, LEFT)

    [(title, suggested, _filter)] = asked
    assert NAME in title and suggested.endswith(".json") and "quatrefages-ullmann" in suggested
    written = target.with_suffix(".json")
    assert json.loads(written.read_text(encoding="utf-8"))["person"]["name"] == NAME
    [(kind, _title, message)] = modals.messages
    assert kind == "information" and str(written) in message


def test_the_erase_dialog_can_export_first(qtbot, db, resident, modals, monkeypatch,
                                           tmp_path):
    target = tmp_path / "avant-effacement.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(target), "JSON (*.json)"))
    dialog = show(qtbot, EraseDialog(db, resident["id"]), 760, 640)
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert json.loads(target.read_text(encoding="utf-8"))["contact"]["email"] == (
        "b.quatrefages@exemple.fr")
    assert people.get_person(db, resident["id"])["name"] == NAME   # nothing erased yet


# -- retention ------------------------------------------------------------------------------

@pytest.fixture
def former(db):
    """Two people who left long ago with contact details, one with nothing to purge."""
    ids = []
    for first, last, email in (("Daniel", "Dupont", "daniel@exemple.fr"),
                               ("Inès", "Martin", "ines@exemple.fr"),
                               ("Yves", "Lopez", "")):
        person_id = people.create_person(db, first_name=first, last_name=last, email=email)
        with db.transaction():
            db.execute("UPDATE people SET created_at = '2019-05-01T10:00:00.000000Z' "
                       "WHERE id = ?", (person_id,))
        ids.append(person_id)
    return ids


def test_retention_banner_proposes_and_purges_the_ticked_people(qtbot, make_window, db,
                                                                former, modals):
    page = people_page(make_window, db)
    banner = page.retention
    assert banner.isVisible()
    assert banner.label.text() == ("2 people inactive for more than 3 years still have "
                                   "contact details: erase them?")

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, RetentionDialog)
        show(qtbot, dialog, 700, 420)
        assert dialog.list.count() == 2
        assert all(dialog.list.item(i).checkState() == Qt.CheckState.Checked
                   for i in range(2))
        texts = [dialog.list.item(i).text() for i in range(2)]
        assert texts[0] == "Daniel Dupont — last seen 01/05/2019 — email"
        dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)    # keep Inès
        assert dialog.count.text() == "1 person ticked"
        qtbot.mouseClick(dialog.erase_button, LEFT)

    modals.expect(handle)
    qtbot.mouseClick(banner.button, LEFT)

    assert people.get_person(db, former[0])["email"] == ""
    assert people.get_person(db, former[1])["email"] == "ines@exemple.fr"
    assert people.get_person(db, former[0])["name"] == "Daniel Dupont"
    banner.reader.wait()
    assert banner.isVisible() and len(banner.candidates) == 1


def test_retention_dialog_with_nobody_ticked_cannot_confirm(qtbot, db, former):
    dialog = show(qtbot, RetentionDialog(db, privacy.purge_candidates(db, 3), 3), 700, 420)
    for i in range(dialog.list.count()):
        dialog.list.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.erase_button.isEnabled()


def test_no_banner_when_nobody_is_to_purge(qtbot, make_window, db, resident):
    page = people_page(make_window, db)
    assert not page.retention.isVisible()
    assert page.view.isVisible()


def test_retention_years_follow_the_setting(qtbot, make_window, db, former):
    settings = Settings(retention_years=10)
    settings.save()
    page = people_page(make_window, db)
    assert not page.retention.isVisible()   # created in 2019: not 10 years ago yet


def test_settings_page_has_the_retention_row(qtbot, db, settings):
    page = show(qtbot, SettingsPage(db, settings), 900, 600)
    spin = page.retention_years
    assert isinstance(spin, QSpinBox) and spin.value() == 3
    assert spin.isVisible()
    spin.setValue(5)
    assert Settings.load().retention_years == 5
    assert spin.suffix() == " years"
    spin.setValue(1)
    assert spin.suffix() == " year"


def test_consent_is_shown_on_each_person_and_in_the_list(qtbot, make_window, db):
    people.create_person(db, first_name="Zoé", last_name="Zaoui",
                         consent_date="2024-01-10", consent_contact=1)
    page = people_page(make_window, db)
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    consent_column = len(headers) - 1
    assert headers[consent_column] == "Consent"
    row = row_where(page.model, 0, "Zaoui")
    assert page.model.index(row, consent_column).data().endswith("(10/01/2024)")
    click_row(qtbot, page.view, row)
    assert page.form.consent_date.iso() == "2024-01-10"
    assert page.form.consent_contact.isChecked() and not page.form.consent_photos.isChecked()


def test_the_retention_question_is_asked_off_the_gui_thread(qtbot, make_window, db, former,
                                                            monkeypatch):
    """It reads ten years of attendance: the People page opens without waiting for it,
    and shows the banner when the answer comes."""
    asked_on = calls_on_gui_thread(monkeypatch, privacy, "purge_candidates")
    page = people_page(make_window, db)
    assert asked_on == [False]
    assert page.retention.isVisible() and len(page.retention.candidates) == 2
    page.retention.refresh()                  # nothing changed: not asked again
    assert not page.retention.reader.busy and asked_on == [False]
