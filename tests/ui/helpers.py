"""Helpers shared by the GUI tests: doing what a user does, and finding what they see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QWidget,
)

# The offscreen platform has no window manager to hand size constraints to: showing a
# top-level window whose layout sets a minimum or fixed size logs this warning. It says
# nothing about the application, so the modules that show windows ignore this one exact
# message (and only it); any other Qt warning still fails the test.
OFFSCREEN_SIZE_HINTS = pytest.mark.qt_log_ignore(
    r"^This plugin does not support propagateSizeHints\(\)$"
)

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


class ModalDriver:
    """Stands in for ``QDialog.exec`` (and QMessageBox's static helpers) so that no modal
    window can ever block a test.

    A test says what the user does in the next dialog with :meth:`expect`; a dialog
    nobody expected fails the test instead of waiting for a click that never comes.
    """

    def __init__(self, qtbot=None) -> None:
        self._qtbot = qtbot
        self._handlers: list[tuple[type | None, Callable[[QDialog], Any]]] = []
        self.opened: list[QDialog] = []
        self.messages: list[tuple[str, str, str]] = []   # (kind, title, text)

    def expect(self, handler: Callable[[QDialog], Any], kind: type | None = None) -> None:
        """The next dialog is handled by ``handler(dialog)``; it ends the dialog by
        clicking a button (or leaves it open, which counts as Cancel)."""
        self._handlers.append((kind, handler))

    def pending(self) -> int:
        return len(self._handlers)

    def exec(self, dialog: QDialog) -> int:
        self.opened.append(dialog)
        if not self._handlers:
            text = dialog.text() if isinstance(dialog, QMessageBox) else ""
            raise AssertionError(
                f"unexpected modal dialog {type(dialog).__name__} "
                f"{dialog.windowTitle()!r} {text!r}"
            )
        kind, handler = self._handlers.pop(0)
        if kind is not None:
            assert isinstance(dialog, kind), f"expected {kind.__name__}, got {dialog!r}"
        handler(dialog)
        if dialog.isVisible():   # a handler that showed the dialog to type into it
            dialog.hide()
        owner = dialog.parentWidget()
        if owner is not None and owner.window().isVisible() and self._qtbot is not None:
            # As when a real modal closes: the window underneath is active again.
            with self._qtbot.waitActive(owner.window()):
                owner.window().activateWindow()
        return dialog.result()

    def static_box(self, kind: str, answer):
        def show(parent, title, text, *args, **kwargs):
            self.messages.append((kind, title, text))
            return answer
        return show


def ok_button(dialog: QDialog) -> QAbstractButton:
    """The button that accepts the dialog (« Ajouter », « Enregistrer »…)."""
    box = dialog.findChild(QDialogButtonBox)
    for button in box.buttons():
        if box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole:
            return button
    raise AssertionError(f"no accept button in {dialog.windowTitle()!r}")


def click_destructive(box: QMessageBox) -> None:
    """Answer « yes, do it » in a confirmation built by ``widgets.confirm``."""
    for button in box.buttons():
        if box.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole:
            button.click()
            return
    raise AssertionError(f"no destructive button in {box.text()!r}")


def show(qtbot, widget: QWidget, width: int = 1280, height: int = 800) -> QWidget:
    """Show a top-level widget, active, as on the user's screen."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def leave_field(qtbot, widget: QWidget) -> None:
    """Press Tab: the focus moves to the next field, as when the user goes on typing."""
    assert QApplication.focusWidget() is widget, "type into the field first"
    qtbot.keyClick(widget, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not widget


def type_into(qtbot, widget: QWidget, text: str, replace: bool = True) -> None:
    """Click into a field and type, replacing what it held (Ctrl+A first)."""
    if isinstance(widget, QLineEdit):
        qtbot.mouseClick(widget, LEFT)
    else:
        widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=1000)
    if replace:
        qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    key_text(qtbot, widget, text)


def key_text(qtbot, widget: QWidget, text: str) -> None:
    """``qtbot.keyClicks`` for any text: QTest only maps ASCII to keys (it aborts on
    « é »), so other characters arrive as a keyboard layout delivers them, a key event
    whose text is the character."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def row_where(model, column: int, text: str) -> int:
    """The first row whose cell in ``column`` shows ``text`` (-1 if none)."""
    for row in range(model.rowCount()):
        if model.index(row, column).data() == text:
            return row
    return -1


def column_texts(model, column: int = 0) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def click_row(qtbot, view: QAbstractItemView, row: int, column: int = 0) -> None:
    """Click a row of a list or table, where it is drawn."""
    index: QModelIndex = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())


def council_id(db, name: str) -> str:
    from perr_desktop.services import councils

    for council in councils.list_councils(db):
        if council["name"] == name:
            return council["id"]
    raise AssertionError(f"no council named {name!r}")


def choose(qtbot, combo, value: object) -> None:
    """Pick the entry whose data is ``value`` with the keyboard (Home, then Down…)."""
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _step in range(combo.count()):
        if combo.currentData() == value:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value, f"{value!r} is not offered by {combo.accessibleName()!r}"


def tick(qtbot, button: QAbstractButton) -> None:
    """Click a check box or radio button on its box (its right part may be empty space)."""
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))


def calls_on_gui_thread(monkeypatch, module, name: str) -> list[bool]:
    """Wrap ``module.name``: the list returned gets, for each call, whether it ran on the
    GUI thread (True) or in a background read (False)."""
    import threading

    calls: list[bool] = []
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls
