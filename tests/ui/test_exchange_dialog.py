"""« Échanger avec d'autres ordinateurs » (ui/exchange.py): Samira chooses the shared
folder and publishes her data, imports Karim's package from it, settles the conflicts
one way or the other, and the main window shows what came in."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from perr_desktop import i18n
from perr_desktop.services import councils, exchange, meetings
from perr_desktop.services import people as people_service
from perr_desktop.settings import Settings
from perr_desktop.storage.database import open_database
from perr_desktop.ui.exchange import ExchangeDialog
from tests.ui.helpers import LEFT, OFFSCREEN_SIZE_HINTS, choose, column_texts, show, type_into

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture(autouse=True)
def english():
    """The words are checked in English: they do not move when the French catalogue is
    filled in (conftest puts French back afterwards)."""
    i18n.set_language("en")


class Laptops:
    """Samira's laptop (``a``, the one the window is open on) and Karim's (``b``), made
    from her package, each with a council, two people and a meeting in common."""

    def __init__(self, folder: Path) -> None:
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        self.a = open_database(folder / "a" / "perr.sqlite")
        council = councils.create_council(self.a, "Basseau Grande-Garenne", status="actif")
        self.helene = people_service.create_person(
            self.a, first_name="Hélène", last_name="Garnier", phone="05 45 00 00 01",
            email="helene@exemple.fr")
        self.yves = people_service.create_person(self.a, first_name="Yves", last_name="Lopez",
                                                 phone="05 45 00 00 02")
        self.meeting = meetings.plan_meeting(self.a, council, "pleniere", "Plénière de mars",
                                             "2026-03-12T18:30", venue="Maison de quartier")
        exchange.set_database_name(self.a, "Portable de Samira")
        package = folder / "first.perrpack"
        exchange.export_package(self.a, package)
        exchange.import_package_file(package, folder / "b" / "perr.sqlite")
        self.b = open_database(folder / "b" / "perr.sqlite")
        exchange.set_database_name(self.b, "Portable de Karim")

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def laptops(tmp_path):
    pair = Laptops(tmp_path)
    yield pair
    pair.close()


@pytest.fixture
def shared(tmp_path):
    folder = tmp_path / "Nextcloud" / "PERR"
    folder.mkdir(parents=True)
    return folder


def karim_publishes(laptops: Laptops, shared: Path) -> Path:
    """Karim adds Inès and publishes; a damaged file lies in the folder too."""
    people_service.create_person(laptops.b, first_name="Inès", last_name="Moreau")
    (shared / "copie-abimee.perrpack").write_bytes(b"not a zip")
    return exchange.write_to_shared_folder(laptops.b, shared)


def peer_rows(dialog: ExchangeDialog) -> list[list[str]]:
    tree = dialog.peers
    return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
            for i in range(tree.topLevelItemCount())]


# -- the shared folder ---------------------------------------------------------------------

def test_choosing_the_shared_folder_then_publishing_writes_the_package(
        qtbot, laptops, shared, settings, monkeypatch):
    dialog = show(qtbot, ExchangeDialog(laptops.a, settings), 1040, 640)
    assert dialog.tabs.currentIndex() == 0
    # No folder yet: nothing to publish, and the empty list says why.
    assert not dialog.publish_button.isEnabled()
    assert not dialog.peers.isVisible() and dialog.peers_empty.isVisible()
    assert "Once the shared folder is chosen" in dialog.peers_empty.text()
    assert not dialog.import_button.isVisible()

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(shared))
    qtbot.mouseClick(dialog.choose_button, LEFT)
    assert dialog.folder_label.text() == str(shared)
    assert Settings.load().shared_folder == str(shared)          # remembered
    assert dialog.publish_button.isEnabled()
    assert dialog.published_label.text() == "Not published in this folder yet."
    assert "No package from another computer" in dialog.peers_empty.text()

    type_into(qtbot, dialog.name_edit, "Samira (centre social)")
    qtbot.mouseClick(dialog.publish_button, LEFT)

    [package] = shared.iterdir()
    assert package.name == exchange.shared_package_name(laptops.a)
    assert "samira-centre-social" in package.name
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["database_name"] == "Samira (centre social)"
    assert dialog.published_label.text().startswith("Last published on ")
    assert dialog.peers.topLevelItemCount() == 0          # its own package is not offered


def test_another_laptops_package_is_listed_and_imported(qtbot, laptops, shared, settings,
                                                        modals):
    karim_publishes(laptops, shared)
    settings.shared_folder = str(shared)
    dialog = show(qtbot, ExchangeDialog(laptops.a, settings), 1040, 640)

    rows = peer_rows(dialog)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("Portable de Karim", "whole database", "to import"),
        ("copie-abimee", rows[1][2], "cannot be read")]
    assert "not a zip file" in rows[1][2]
    # Karim's package is selected, ready to import; the damaged one cannot be.
    assert dialog.peers.currentItem().text(0) == "Portable de Karim"
    assert dialog.import_button.isEnabled()
    dialog.peers.setCurrentItem(dialog.peers.topLevelItem(1))
    assert not dialog.import_button.isEnabled()
    dialog.peers.setCurrentItem(dialog.peers.topLevelItem(0))

    qtbot.mouseClick(dialog.import_button, LEFT)

    [(kind, title, text)] = modals.messages
    assert (kind, title) == ("information", "Package imported")
    assert text.startswith("Package from « Portable de Karim » (") and "1 record added" in text
    assert laptops.a.scalar("SELECT count(*) FROM people WHERE last_name = 'Moreau'") == 1
    assert dialog.changed
    assert peer_rows(dialog)[0][3] == "already imported"
    assert dialog.tabs.currentIndex() == 0                 # no conflict: stays where it was


def test_a_damaged_package_file_is_refused_in_one_sentence_and_changes_nothing(
        qtbot, laptops, shared, settings, modals, monkeypatch, tmp_path):
    broken = tmp_path / "message-de-karim.perrpack"
    broken.write_bytes(b"PK\x03\x04 but not a zip")
    before = laptops.a.query("SELECT * FROM people ORDER BY id")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    dialog = show(qtbot, ExchangeDialog(laptops.a, settings), 1040, 640)
    dialog.tabs.setCurrentIndex(1)

    dialog.choose_import_file()

    [(kind, _title, text)] = modals.messages
    assert kind == "warning"
    assert text.startswith(f"The package {broken.name} was refused")
    assert "\n" not in text and "nothing was changed" in text
    assert laptops.a.query("SELECT * FROM people ORDER BY id") == before
    assert not dialog.changed


# -- conflicts -----------------------------------------------------------------------------

@pytest.fixture
def three_conflicts(laptops):
    """The meeting's venue, Hélène's telephone, and Yves's email and telephone, changed
    on both laptops; Samira has imported Karim's package."""
    a, b = laptops.a, laptops.b
    meetings.update_meeting(a, laptops.meeting, venue="Salle polyvalente")
    meetings.update_meeting(b, laptops.meeting, venue="Centre social")
    people_service.update_person(a, laptops.helene, phone="05 45 10 10 10")
    people_service.update_person(b, laptops.helene, phone="05 45 20 20 20")
    people_service.update_person(a, laptops.yves, email="yves@samira.fr",
                                 phone="05 45 11 11 11")
    people_service.update_person(b, laptops.yves, email="yves@karim.fr",
                                 phone="05 45 22 22 22")
    package = laptops.a.path.parent.parent / "karim.perrpack"
    exchange.export_package(b, package)
    assert exchange.import_package(a, package).conflicts == 3
    return laptops


def select_conflict(qtbot, dialog: ExchangeDialog, words: str) -> None:
    items = dialog.conflict_list
    [row] = [i for i in range(items.count()) if words in items.item(i).text()]
    rect = items.visualItemRect(items.item(row))
    qtbot.mouseClick(items.viewport(), LEFT, pos=rect.center())
    assert words in dialog.conflict_view.title.text()


def fields_shown(dialog: ExchangeDialog) -> list[tuple[str, str, str]]:
    table = dialog.conflict_view.table
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_conflicts_are_listed_and_settled_each_way(qtbot, three_conflicts, settings):
    laptops = three_conflicts
    a = laptops.a
    dialog = show(qtbot, ExchangeDialog(a, settings), 1040, 640)
    view = dialog.conflict_view

    # It opens on the conflicts, each named by its record and the other computer.
    assert dialog.tabs.currentWidget() is dialog.conflicts_tab
    assert dialog.tabs.tabText(2).replace("&", "") == "Conflicts (3)"
    assert dialog.conflict_list.count() == 3
    assert all("with « Portable de Karim »" in dialog.conflict_list.item(i).text()
               for i in range(3))
    headers = [view.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers[1:3] == ["On this computer", "On the other computer"]
    assert "Portable de Karim" in view.source.text()

    # Keep mine: the venue.
    select_conflict(qtbot, dialog, "Plénière de mars")
    assert [f[1:] for f in fields_shown(dialog)] == [("Salle polyvalente", "Centre social")]
    assert not view.apply_fields.isVisible()
    qtbot.mouseClick(view.keep_mine, LEFT)
    assert meetings.get_meeting(a, laptops.meeting)["venue"] == "Salle polyvalente"
    assert dialog.conflict_list.count() == 2
    assert dialog.tabs.tabText(2).replace("&", "") == "Conflicts (2)"

    # Take theirs: Hélène's telephone.
    select_conflict(qtbot, dialog, "Garnier")
    assert [f[1:] for f in fields_shown(dialog)] == [("05 45 10 10 10", "05 45 20 20 20")]
    qtbot.mouseClick(view.take_theirs, LEFT)
    assert people_service.get_person(a, laptops.helene)["phone"] == "05 45 20 20 20"
    assert dialog.conflict_list.count() == 1

    # Field by field: Yves's email from Karim, his telephone from here.
    select_conflict(qtbot, dialog, "Lopez")
    assert [f[1:] for f in fields_shown(dialog)] == [
        ("yves@samira.fr", "yves@karim.fr"), ("05 45 11 11 11", "05 45 22 22 22")]
    assert view.apply_fields.isVisible()
    choose(qtbot, view.table.cellWidget(0, 3), "incoming")
    choose(qtbot, view.table.cellWidget(1, 3), "local")
    qtbot.mouseClick(view.apply_fields, LEFT)
    yves = people_service.get_person(a, laptops.yves)
    assert (yves["email"], yves["phone"]) == ("yves@karim.fr", "05 45 11 11 11")

    # Nothing left: said so, and the choices travel with the next exchange.
    assert exchange.open_conflicts(a) == []
    assert view.title.text() == "Nothing to settle"
    assert not dialog.conflict_list.isVisible() and not view.keep_mine.isVisible()
    assert dialog.tabs.tabText(2).replace("&", "") == "Conflicts (0)"
    assert dialog.changed
    package = a.path.parent / "back.perrpack"
    exchange.export_package(a, package)
    assert exchange.import_package(laptops.b, package).conflicts == 0
    assert people_service.get_person(laptops.b, laptops.yves)["phone"] == "05 45 11 11 11"


# -- the main window -----------------------------------------------------------------------

def test_the_main_window_shows_what_an_import_and_a_settled_conflict_changed(
        qtbot, make_window, laptops, shared, settings, modals):
    people_service.update_person(laptops.a, laptops.helene, phone="05 45 10 10 10")
    people_service.update_person(laptops.b, laptops.helene, phone="05 45 20 20 20")
    karim_publishes(laptops, shared)
    settings.shared_folder = str(shared)
    window = make_window(laptops.a)
    window.go_to(window.pages.index(window.people))
    model = window.people.model
    assert "Moreau" not in column_texts(model)

    def import_then_take_theirs(dialog: ExchangeDialog) -> None:
        assert isinstance(dialog, ExchangeDialog)
        show(qtbot, dialog, 1040, 640)
        qtbot.mouseClick(dialog.import_button, LEFT)
        assert dialog.tabs.currentWidget() is dialog.conflicts_tab   # sent to settle them
        qtbot.mouseClick(dialog.conflict_view.take_theirs, LEFT)
        dialog.reject()

    modals.expect(import_then_take_theirs, ExchangeDialog)
    window.exchange_with_others()

    [(kind, _title, text)] = modals.messages
    assert kind == "information" and "1 conflict to settle" in text
    names = column_texts(model)
    assert "Moreau" in names
    phone = next(c for c in range(model.columnCount())
                 if model.headerData(c, Qt.Orientation.Horizontal) == "Telephone")
    assert model.index(names.index("Garnier"), phone).data() == "05 45 20 20 20"
