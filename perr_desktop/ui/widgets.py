"""Small widgets and helpers shared by every page."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.errors import UserError
from perr_desktop.i18n import _
from perr_desktop.ui.style import set_role


def accessible(widget: QWidget, name: str, description: str = "") -> QWidget:
    """Give a control the name a screen reader announces (and its tooltip)."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        widget.setToolTip(description)
    return widget


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * (1.6 if level == 1 else 1.25))
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    label.setProperty("role", f"heading{level}")
    return label


def hint(text: str) -> QLabel:
    """A quiet explanatory line under a heading or a field."""
    label = QLabel(text)
    label.setWordWrap(True)
    set_role(label, "hint")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ErrorBanner(QLabel):
    """One readable sentence above a form, shown when a value is refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        set_role(self, "error")
        self.setAccessibleName(_("Error"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def show_error(parent: QWidget | None, error: UserError | str, title: str | None = None) -> None:
    message = error.message if isinstance(error, UserError) else str(error)
    QMessageBox.warning(parent, title or _("PERR Desktop"), message)


@contextlib.contextmanager
def reporting(parent: QWidget | None) -> Iterator[None]:
    """Show a user error in a dialog instead of letting it escape to Qt."""
    try:
        yield
    except UserError as exc:
        show_error(parent, exc)


def confirm(parent: QWidget | None, question: str, action: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, _("PERR Desktop"), question,
                      QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def set_combo_data(combo: QComboBox, value: object) -> None:
    """Select the entry whose data is ``value`` without emitting user signals."""
    with QSignalBlocker(combo):
        index = combo.findData(value)
        combo.setCurrentIndex(index if index >= 0 else -1)


def fill_combo(combo: QComboBox, entries: Iterable[tuple[str, object]]) -> None:
    with QSignalBlocker(combo):
        current = combo.currentData()
        combo.clear()
        for label, value in entries:
            combo.addItem(label, value)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else (0 if combo.count() else -1))


class OptionalDateEdit(QWidget):
    """A date that may be left empty: a calendar field and a button to clear it."""

    dateEdited = Signal()
    _EMPTY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(self._EMPTY)
        self.edit.setSpecialValueText(_("not set"))
        self.edit.setDisplayFormat(qt_date_format())
        self.edit.setDate(self._EMPTY)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("✕")
        accessible(self.clear_button, _("Clear the date"), _("Clear the date"))
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.clear_button)
        self.setFocusProxy(self.edit)
        self.edit.dateChanged.connect(self._changed)
        self.clear_button.clicked.connect(self._clear)
        self._loading = False

    def _changed(self, _date: QDate) -> None:
        if not self._loading:
            self.dateEdited.emit()

    def _clear(self) -> None:
        if self.edit.date() != self._EMPTY:
            self.edit.setDate(self._EMPTY)

    def date(self) -> dt.date | None:
        value = self.edit.date()
        return None if value == self._EMPTY else value.toPython()

    def iso(self) -> str | None:
        value = self.date()
        return value.isoformat() if value else None

    def set_date(self, value: dt.date | str | None) -> None:
        """Load a value (no ``dateEdited``): an ISO string, a date, or None."""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        self._loading = True
        try:
            if value is None:
                # When opened on an empty date, the calendar shows today, not 1900.
                self.edit.calendarWidget().setSelectedDate(QDate.currentDate())
            self.edit.setDate(QDate(value) if value else self._EMPTY)
        finally:
            self._loading = False

    def setAccessibleName(self, name: str) -> None:
        super().setAccessibleName(name)
        self.edit.setAccessibleName(name)


def qt_date_format() -> str:
    """The locale's short date pattern with a four-digit year, in Qt's notation.

    Qt's own locale data (CLDR, like Babel's) for Qt's date editors: the same pattern as
    Babel's for every language of the interface (a test checks it), without loading
    Babel's locale data before the first page is on screen."""
    pattern = QLocale(str(i18n.locale_name())).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy") if "yy" in pattern else pattern.replace("y", "yyyy")
    return pattern


def short_date(value: str | None) -> str:
    """An ISO date as the locale writes it briefly (26/11/2026), or an empty string."""
    if not value:
        return ""
    return _short_date(value[:10], i18n.get_language())


@functools.lru_cache(maxsize=8192)
def _short_date(day: str, _language: str) -> str:
    # Lists repeat the same days: Babel formats each once per language.
    return i18n.format_date(dt.date.fromisoformat(day), "short")


def long_date(value: str | None) -> str:
    if not value:
        return ""
    return i18n.format_date(dt.date.fromisoformat(value[:10]), "long")


class _ResizeWhenShown(QObject):
    def __init__(self, view: QAbstractItemView, columns: Iterable[int] | None) -> None:
        super().__init__(view)
        self.view = view
        self.columns = None if columns is None else list(columns)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            # Once laid out: the rows on screen are known then.
            QTimer.singleShot(0, self, self._resize)  # not if the view is gone by then
        return False

    def _resize(self) -> None:
        view = self.view
        columns = range(view.model().columnCount()) if self.columns is None else self.columns
        for column in columns:
            view.resizeColumnToContents(column)
        self.deleteLater()


def resize_to_contents_when_shown(view: QAbstractItemView,
                                  columns: Iterable[int] | None = None) -> None:
    """Columns (all by default) sized to their contents once, when the view is first
    shown, on the rows then on screen; the user may widen them afterwards. Not Qt's
    ``ResizeToContents`` mode: it measures again at every change of the list, and
    after a new filter or sort reads every row of it (the whole list of a council's
    meetings, loaded just for that: issue 7). A table on a tab not yet looked at reads
    no row at all."""
    view.installEventFilter(_ResizeWhenShown(view, columns))


def fit_list_height(view) -> None:
    """Make a short list exactly as tall as its rows: no scroll bar for five entries."""
    from PySide6.QtCore import Qt as _Qt

    rows = max(view.count(), 1)
    view.setVerticalScrollBarPolicy(_Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFixedHeight(view.sizeHintForRow(0) * rows + 2 * view.frameWidth()
                        + view.spacing() * 2 * rows + 2)


def section(text: str) -> QLabel:
    """A section title inside a form (« Identité », « Consentement »)."""
    label = QLabel(text)
    set_role(label, "section")
    label.setAccessibleName(text)
    return label


def add_row(form, text: str, field, buddy: QWidget | None = None) -> None:
    """A form row whose field is a layout: the label's shortcut goes to ``buddy``."""
    label = QLabel(text)
    if buddy is not None:
        label.setBuddy(buddy)
    form.addRow(label, field)


class FormDialog(QDialog):
    """A form dialog whose accept runs ``save`` and shows a refusal in a banner."""

    def __init__(self, title: str, accept_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.banner = ErrorBanner(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setDefault(True)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.banner)
        self.body.addLayout(self.form)

    def finish_layout(self) -> None:
        self.body.addWidget(self.buttons)

    def save(self) -> None:
        raise NotImplementedError

    def _accept(self) -> None:
        try:
            self.save()
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        self.accept()


class LazyTabs(QTabWidget):
    """Tabs whose pages are built the first time they are shown or asked for: a walk's
    six tabs, a meeting's four, cost one when the page opens (issue 7).

    ``add(name, text, factory)`` puts an empty stand-in under the tab; :meth:`page`
    (by name or index) builds the page there, in place, and returns it; :attr:`built`
    says so, for its signals to be connected. A detail exposes its pages with
    :func:`tab_page`."""

    built = Signal(str, QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}

    def add(self, name: str, text: str, factory: Callable[[], QWidget]) -> None:
        self._names.append(name)
        self._factories[name] = factory
        self.addTab(QWidget(), text)

    def page(self, key: str | int) -> QWidget:
        name = self._names[key] if isinstance(key, int) else key
        page = self._pages.get(name)
        if page is None:
            page = self._pages[name] = self._factories[name]()
            index = self._names.index(name)
            current = self.currentIndex()
            with QSignalBlocker(self):
                stand_in, text = self.widget(index), self.tabText(index)
                self.removeTab(index)
                self.insertTab(index, page, text)
                self.setCurrentIndex(current)
            stand_in.deleteLater()
            self.built.emit(name, page)
        return page

    def built_pages(self) -> list[QWidget]:
        return [self._pages[name] for name in self._names if name in self._pages]

    def current_name(self) -> str:
        return self._names[self.currentIndex()]


def tab_page(name: str) -> property:
    """A detail's tab page, built when first asked for (the detail's ``tabs`` is a
    :class:`LazyTabs`)."""
    return property(lambda detail: detail.tabs.page(name))


def list_and_detail(page: QWidget, parts: list, detail: QWidget, min_chars: int = 40,
                    detail_stretch: int = 1) -> None:
    """The layout of the main pages: a list column (``parts``: widgets or layouts, the
    one to stretch given as ``(widget, 1)``) beside the record's detail, in a splitter."""
    from PySide6.QtWidgets import QLayout, QSplitter

    left = QWidget()
    column = QVBoxLayout(left)
    column.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        item, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(item, QLayout):
            column.addLayout(item, stretch)
        else:
            column.addWidget(item, stretch)
    left.setMinimumWidth(page.fontMetrics().averageCharWidth() * min_chars)
    splitter = QSplitter(Qt.Orientation.Horizontal, page)
    splitter.addWidget(left)
    splitter.addWidget(detail)
    splitter.setStretchFactor(1, detail_stretch)
    splitter.setChildrenCollapsible(False)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)


def council_choices(db, all_label: str) -> list[tuple[str, str | None]]:
    """« All councils » then each council: the council filter of the list pages."""
    from perr_desktop.services import councils

    return [(all_label, None)] + [(c["name"], c["id"]) for c in councils.list_councils(db)]
