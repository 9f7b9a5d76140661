"""Keyboard and screen reader: every control is named, every area is a shortcut away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from perr_desktop.services import people
from perr_desktop.ui.councils import NewCouncilDialog
from perr_desktop.ui.members import MembershipDialog, NewPersonDialog
from tests.ui.helpers import (
    CTRL,
    LEFT,
    OFFSCREEN_SIZE_HINTS,
    council_id,
    key_text,
    show,
    tick,
)

pytestmark = OFFSCREEN_SIZE_HINTS

CONTROLS = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox, QTableView, QListView)


def _is_internal(widget: QWidget) -> bool:
    """The line edit inside a spin box or date field: named through its owner."""
    parent = widget.parentWidget()
    return isinstance(widget, QLineEdit) and isinstance(parent, (QAbstractSpinBox, QComboBox))


def _describe(widget: QWidget) -> str:
    label = ""
    parent = widget.parentWidget()
    while parent is not None and not label:
        layout = parent.layout()
        if isinstance(layout, QFormLayout):
            buddy = layout.labelForField(widget)
            label = buddy.text() if buddy is not None else ""
        parent = parent.parentWidget()
    placeholder = getattr(widget, "placeholderText", lambda: "")()
    return (f"{type(widget).__name__} under {type(widget.parentWidget()).__name__}"
            f" label={label!r} placeholder={placeholder!r}")


def unnamed_controls(root: QWidget) -> list[str]:
    return [
        _describe(w) for w in root.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.isVisible() and not _is_internal(w)
        and not w.accessibleName().strip()
    ]


def visible_controls(root: QWidget) -> int:
    return sum(1 for w in root.findChildren(QWidget)
               if isinstance(w, CONTROLS) and w.isVisible() and not _is_internal(w))


@pytest.fixture
def window(make_window, qpv_db):
    people.create_person(qpv_db, gender="femme", first_name="Hélène", last_name="Garnier")
    return make_window(qpv_db)


def test_every_control_of_the_councils_page_has_a_name(qtbot, window):
    detail = window.councils.detail
    assert window.current_page() is window.councils
    for tab in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(tab)
        assert visible_controls(window.councils) >= (8 if tab == 0 else 2)
        assert unnamed_controls(window.councils) == [], detail.tabs.tabText(tab)


def test_every_control_of_the_people_page_has_a_name(qtbot, window):
    window.go_to(window.pages.index(window.people))
    window.people.view.selectRow(0)                    # a person open on the right
    assert window.people.form.isEnabled()

    assert visible_controls(window.people) >= 12
    assert unnamed_controls(window.people) == []


def test_every_control_of_the_membership_dialog_has_a_name(qtbot, qpv_db, window):
    bgg = council_id(qpv_db, "Basseau Grande-Garenne")
    dialog = show(qtbot, MembershipDialog(qpv_db, council_id=bgg), 640, 720)
    assert unnamed_controls(dialog) == [], "someone already in the directory"
    tick(qtbot, dialog.new)
    assert dialog.person_form.isVisible()
    assert unnamed_controls(dialog) == [], "a new person"

    person = people.list_people(qpv_db)[0]["id"]
    membership = people.add_membership(qpv_db, bgg, person, "habitants")
    for kwargs in ({"membership_id": membership}, {"person_id": person}):
        dialog = show(qtbot, MembershipDialog(qpv_db, **kwargs), 640, 520)
        assert unnamed_controls(dialog) == [], kwargs


@pytest.mark.parametrize("number", range(1, 8))
def test_ctrl_and_a_digit_opens_each_area(qtbot, window, number):
    window.councils.view.setFocus()
    if number == 1:
        window.go_to(1)

    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key(Qt.Key.Key_0 + number), CTRL)

    assert window.navigation.currentRow() == number - 1
    assert window.current_page() is window.pages[number - 1]
    assert window.current_page().isVisible()


def test_ctrl_n_on_the_people_page_opens_a_new_person(qtbot, window, modals, qpv_db):
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert window.current_page() is window.people

    def fill(dialog: NewPersonDialog) -> None:
        # Opened from a shortcut, the dialog cannot be made the active window under
        # QTest and the offscreen platform: type into its fields directly.
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.focusWidget() is dialog.form.first_name    # she can type at once
        key_text(qtbot, dialog.form.first_name, "Fatima")
        key_text(qtbot, dialog.form.last_name, "Benali")
        qtbot.keyClick(dialog.form.last_name, Qt.Key.Key_Return)   # the default button
    modals.expect(fill, NewPersonDialog)

    qtbot.keyClick(window.people.search, Qt.Key.Key_N, CTRL)

    assert isinstance(modals.opened[-1], NewPersonDialog)
    (fatima,) = [p for p in people.list_people(qpv_db) if p["last_name"] == "Benali"]
    assert window.people.form.person_id == fatima["id"]
    assert window.people.form.organisation.hasFocus()      # next: what she does


def test_ctrl_n_on_the_councils_page_opens_a_new_council(qtbot, window, modals):
    modals.expect(lambda dialog: None, NewCouncilDialog)            # then Escape

    qtbot.keyClick(window.councils.view, Qt.Key.Key_N, CTRL)

    assert isinstance(modals.opened[-1], NewCouncilDialog)


def test_ctrl_f_on_the_people_page_goes_to_the_search(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    page = window.people
    page.search.setText("gar")
    page.view.selectRow(0)
    page.form.notes.setFocus()
    qtbot.waitUntil(page.form.notes.hasFocus)

    qtbot.keyClick(page.form.notes, Qt.Key.Key_F, CTRL)

    assert page.search.hasFocus()
    assert page.search.selectedText() == "gar"   # typing replaces the old search


def test_ctrl_f_on_a_page_without_search_goes_to_the_people_search(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)              # Meetings: nothing to search yet

    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F, CTRL)

    assert window.current_page() is window.people
    assert window.people.search.hasFocus()


def test_ctrl_f_on_the_councils_page_goes_to_the_people_search(qtbot, window):
    """The councils page has nothing to search: « Search » finds a person, as the guide
    says, whatever the page."""
    window.councils.detail.facilitator.setFocus()
    qtbot.waitUntil(window.councils.detail.facilitator.hasFocus)

    qtbot.keyClick(window.councils.detail.facilitator, Qt.Key.Key_F, CTRL)

    assert window.current_page() is window.people
    qtbot.waitUntil(window.people.search.hasFocus)


def test_f1_opens_the_user_guide(qtbot, window, modals):
    from perr_desktop.ui.guide import GuideDialog

    modals.expect(lambda dialog: None, GuideDialog)

    qtbot.keyClick(window.councils.view, Qt.Key.Key_F1)

    assert modals.opened[-1].browser.toPlainText().strip()


def test_the_navigation_is_a_named_list_with_shortcuts_in_its_tooltips(window):
    nav = window.navigation
    assert nav.accessibleName()
    assert [nav.item(i).toolTip().endswith(f"(Ctrl+{i + 1})") for i in range(nav.count())] == [
        True] * 7


def test_clicking_an_area_in_the_navigation_opens_it(qtbot, window):
    nav = window.navigation
    qtbot.mouseClick(nav.viewport(), LEFT, pos=nav.visualItemRect(nav.item(6)).center())

    assert window.current_page() is window.settings_page
