"""Forms that save as the user types: no « Enregistrer » button to forget.

A :class:`FormBinder` ties widgets to fields of one record. An edit is saved half a
second after the last keystroke, at once when the field loses focus, when another
record is opened, or when the window closes. Each field is saved in its own
transaction; a value the rules refuse is not saved, the field is marked and the
sentence explaining why is shown above the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from perr_desktop.errors import UserError
from perr_desktop.ui import style
from perr_desktop.ui.widgets import ErrorBanner, OptionalDateEdit, set_combo_data

SAVE_DELAY_MS = 500

Saver = Callable[[dict[str, Any]], dict[str, Any]]


class _Binding:
    def __init__(self, widget: QWidget, getter: Callable[[], Any],
                 setter: Callable[[Any], None]) -> None:
        self.widget, self.get, self.set = widget, getter, setter


class FormBinder(QObject):
    """Saves edits of one record through ``saver(changes) -> record``."""

    saved = Signal(dict)      # the record as stored after a successful save
    failed = Signal(str)      # the message of a refused value

    def __init__(self, saver: Saver, banner: ErrorBanner, parent: QObject | None = None,
                 delay_ms: int = SAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self._saver = saver
        self._banner = banner
        self._bindings: dict[str, _Binding] = {}
        self._pending: dict[str, Any] = {}
        self._refused: set[str] = set()  # fields showing a value the rules refused
        self._record: dict[str, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    # -- binding widgets -------------------------------------------------------------

    def bind_line(self, field: str, widget: QLineEdit) -> None:
        self._add(field, widget, widget.text, lambda v: widget.setText("" if v is None else str(v)))
        widget.textEdited.connect(lambda _text: self._changed(field))
        widget.editingFinished.connect(self.flush)

    def bind_text(self, field: str, widget: QPlainTextEdit) -> None:
        self._add(field, widget, widget.toPlainText,
                  lambda v: widget.setPlainText(v or ""))
        widget.textChanged.connect(lambda: self._changed(field))
        widget.installEventFilter(self)  # leaving the field saves at once, as a line does

    def bind_combo(self, field: str, widget: QComboBox) -> None:
        self._add(field, widget, widget.currentData, lambda v: set_combo_data(widget, v))
        widget.activated.connect(lambda _i: self._changed(field, at_once=True))

    def bind_check(self, field: str, widget: QCheckBox) -> None:
        self._add(field, widget, widget.isChecked, lambda v: widget.setChecked(bool(v)))
        widget.clicked.connect(lambda _c: self._changed(field, at_once=True))

    def bind_date(self, field: str, widget: OptionalDateEdit) -> None:
        self._add(field, widget, widget.iso, widget.set_date)
        widget.dateEdited.connect(lambda: self._changed(field))

    def bind_year(self, field: str, widget: QSpinBox) -> None:
        """A spin box whose minimum means « not given »."""
        self._add(field, widget,
                  lambda: None if widget.value() == widget.minimum() else widget.value(),
                  lambda v: widget.setValue(widget.minimum() if v is None else int(v)))
        widget.valueChanged.connect(lambda _v: self._changed(field))

    def bind(self, field: str, widget: QWidget, getter: Callable[[], Any],
             setter: Callable[[Any], None], signal, at_once: bool = True) -> None:
        """Any other widget: ``signal`` fires on a user edit; ``at_once=False`` waits for
        the typing to pause (a date typed digit by digit)."""
        self._add(field, widget, getter, setter)
        signal.connect(lambda *_a: self._changed(field, at_once=at_once))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._pending:
            self.flush()
        return super().eventFilter(watched, event)

    def _add(self, field: str, widget: QWidget, getter, setter) -> None:
        self._bindings[field] = _Binding(widget, getter, setter)

    # -- record --------------------------------------------------------------------

    @property
    def record(self) -> dict[str, Any] | None:
        return self._record

    def load(self, record: dict[str, Any] | None) -> None:
        """Show ``record`` (saving what was pending for the previous one first)."""
        self.flush()
        self._pending.clear()
        self._refused.clear()
        self._record = record
        self._banner.clear_message()
        for field, binding in self._bindings.items():
            _mark(binding.widget, False)
            with QSignalBlocker(binding.widget):
                binding.set(record.get(field) if record else None)
            binding.widget.setEnabled(record is not None)

    def _changed(self, field: str, at_once: bool = False) -> None:
        if self._record is None:
            return
        self._pending[field] = self._bindings[field].get()
        if at_once:
            self.flush()
        else:
            self._timer.start()

    def has_pending(self) -> bool:
        return bool(self._pending)

    def has_refused(self) -> bool:
        return bool(self._refused)

    def flush(self) -> bool:
        """Save every pending edit now; False while a refused value is on screen."""
        self._timer.stop()
        if not self._pending or self._record is None:
            return not self._refused
        pending, self._pending = self._pending, {}
        ok, saved_any = True, False
        for field, value in pending.items():
            widget = self._bindings[field].widget
            try:
                self._record = self._saver({field: value})
            except UserError as exc:
                ok = False
                self._refused.add(field)
                _mark(widget, True, exc.message)
                self._banner.show_message(exc.message)
                self.failed.emit(exc.message)
            else:
                saved_any = True
                self._refused.discard(field)
                _mark(widget, False)
        if not self._refused:
            self._banner.clear_message()
        if saved_any:
            self.saved.emit(self._record)
        return ok and not self._refused


def _mark(widget: QWidget, invalid: bool, message: str = "") -> None:
    """Flag a refused field: a red border (style sheet) and the reason for screen readers."""
    widget.setAccessibleDescription(message)
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    if invalid and not widget.styleSheet():
        widget.setStyleSheet(style.INVALID)  # keyed on the property: stays, inert
    for target in (widget, *widget.findChildren(QWidget)):
        target.style().unpolish(target)
        target.style().polish(target)
