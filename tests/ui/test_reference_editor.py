"""Settings › Reference lists: vocabularies and neighbourhoods, edited in their cells."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMessageBox,
    QTableWidget,
)

from perr_desktop.services import reference
from perr_desktop.ui.reference_editor import NeighbourhoodTable, ReferenceEditor, VocabularyTable
from tests.ui.helpers import (
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    click_destructive,
    key_text,
    show,
)

pytestmark = OFFSCREEN_SIZE_HINTS


@pytest.fixture
def editor(qtbot, db):
    return show(qtbot, ReferenceEditor(db), 1100, 700)


def open_list(qtbot, editor: ReferenceEditor, kind: type | str):
    """Click, on the left, the list of that kind (a vocabulary or a table class); its
    table shows on the right."""
    def wanted(page) -> bool:
        if isinstance(kind, str):
            return isinstance(page, VocabularyTable) and page.kind == kind
        return isinstance(page, kind)

    row = next(i for i in range(editor.pages.count()) if wanted(editor.pages.widget(i)))
    lists = editor.lists
    qtbot.mouseClick(lists.viewport(), LEFT,
                     pos=lists.visualItemRect(lists.item(row)).center())
    page = editor.pages.currentWidget()
    assert wanted(page) and page.isVisible()
    return page


def row_of(table: QTableWidget, text: str, column: int = 0) -> int:
    for row in range(table.rowCount()):
        if table.item(row, column).text() == text:
            return row
    raise AssertionError(f"{text!r} is not in the table")


def edit_cell(qtbot, table: QTableWidget, row: int, column: int, text: str) -> None:
    """Click the cell, press F2 to edit it, type over its text, press Enter.

    (F2 rather than a double-click: QTest's double-click does not reach the item view's
    editing under the offscreen platform.)"""
    item = table.item(row, column)
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualItemRect(item).center())
    assert table.currentItem() is item
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit), "F2 opens the cell for typing"
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key_text(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.NoState, timeout=1000)


def labels(db, kind: str) -> dict[str, str]:
    return {v["code"]: v["label_fr"] for v in reference.vocabulary(db, kind)}


def test_renaming_an_entry_saves_it(qtbot, db, editor):
    page = open_list(qtbot, editor, "member_role")

    edit_cell(qtbot, page.table, row_of(page.table, "Référent(e)"), 0, "Référent·e")

    assert labels(db, "member_role")["referent"] == "Référent·e"
    assert page.table.item(row_of(page.table, "Référent·e"), 0) is not None
    assert not editor.banner.isVisible()


def test_a_label_cannot_be_emptied(qtbot, db):
    from perr_desktop.ui.widgets import ErrorBanner

    banner = ErrorBanner()
    page = show(qtbot, VocabularyTable(db, "college", banner), 700, 400)
    banner.setParent(page)
    page.layout().insertWidget(0, banner)

    edit_cell(qtbot, page.table, row_of(page.table, "Habitants"), 0, " ")

    assert banner.isVisible() and banner.text()
    assert labels(db, "college")["habitants"] == "Habitants"
    assert page.table.item(0, 0).text() == "Habitants"      # the cell shows what is kept


def test_a_system_entry_cannot_be_removed_and_says_why(qtbot, db, editor):
    page = open_list(qtbot, editor, "member_role")
    page.table.setCurrentCell(row_of(page.table, "Membre"), 0)
    assert not page.remove_button.isEnabled()
    assert len(page.remove_button.toolTip().split()) >= 6   # the reason, on hover
    page.table.setCurrentCell(row_of(page.table, "Suppléant(e)"), 0)
    assert page.remove_button.isEnabled()
    assert "membre" in labels(db, "member_role")


def test_removing_an_ordinary_entry_takes_it_out_of_the_list(qtbot, db, editor, modals):
    page = open_list(qtbot, editor, "member_role")
    page.table.setCurrentCell(row_of(page.table, "Suppléant(e)"), 0)
    modals.expect(click_destructive, QMessageBox)

    qtbot.mouseClick(page.remove_button, LEFT)

    assert "suppleant" not in labels(db, "member_role")
    assert "Suppléant(e)" not in [page.table.item(r, 0).text()
                                  for r in range(page.table.rowCount())]
    # An old membership still names it.
    assert reference.vocabulary_labels(db, "member_role")["suppleant"] == "Suppléant(e)"


def test_cancelling_the_removal_keeps_the_entry(qtbot, db, editor, modals):
    page = open_list(qtbot, editor, "member_role")
    page.table.setCurrentCell(row_of(page.table, "Suppléant(e)"), 0)
    modals.expect(lambda box: None, QMessageBox)                       # Escape: no click

    qtbot.mouseClick(page.remove_button, LEFT)

    assert "suppleant" in labels(db, "member_role")


# -- neighbourhoods -----------------------------------------------------------------------


def population(db, code: str):
    return next(n["population"] for n in reference.neighbourhoods(db) if n["code"] == code)


@pytest.fixture
def hoods(qtbot, editor):
    return open_list(qtbot, editor, NeighbourhoodTable)


def test_a_population_typed_with_a_thousands_space_is_understood(qtbot, db, editor, hoods):
    row = row_of(hoods.table, "Basseau Grande-Garenne")

    edit_cell(qtbot, hoods.table, row, 2, "3 700")

    assert population(db, "basseau-grande-garenne") == 3700
    assert not editor.banner.isVisible()
    assert hoods.table.item(row, 2).text().replace("\u202f", " ").replace("\xa0", " ") == "3 700"


@pytest.mark.parametrize("typed", ["abc", "-120"])
def test_a_population_that_is_not_a_number_is_refused(qtbot, db, editor, hoods, typed):
    """Not silently « cleaned up » into another number (or into no population at all)."""
    row = row_of(hoods.table, "Basseau Grande-Garenne")
    shown = hoods.table.item(row, 2).text()

    edit_cell(qtbot, hoods.table, row, 2, typed)

    assert population(db, "basseau-grande-garenne") == 3560
    assert hoods.table.item(row, 2).text() == shown
    assert editor.banner.isVisible() and editor.banner.text()


def test_renaming_a_neighbourhood_saves_it(qtbot, db, editor, hoods):
    row = row_of(hoods.table, "Ma Campagne")

    edit_cell(qtbot, hoods.table, row, 0, "Ma Campagne – Grelet")

    names = [n["name"] for n in reference.neighbourhoods(db)]
    assert "Ma Campagne – Grelet" in names and "Ma Campagne" not in names
