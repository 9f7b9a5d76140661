"""A walk's general information and who took part (named, or only counted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTime, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain.walks import PERIOD_LABELS, Period
from perr_desktop.errors import UserError
from perr_desktop.i18n import _
from perr_desktop.services import people, reference, walks
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.widgets import (
    ErrorBanner,
    accessible,
    add_row,
    confirm,
    fill_combo,
    hint,
    qt_date_format,
    reporting,
    section,
)


class DirectoryCombo(QComboBox):
    """An editable list of the directory's people, filled by ``fill`` the moment it is
    used (focused, opened, typed in) rather than when its walk is shown."""

    def __init__(self, fill: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fill = fill

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._fill()
        super().focusInEvent(event)

    def showPopup(self) -> None:
        self._fill()
        super().showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._fill()
        super().keyPressEvent(event)

class InfoTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self.banner = ErrorBanner(self)
        self.binder = FormBinder(self._save, self.banner, self)

        self.title = accessible(QLineEdit(), _("Title"))
        self.date = accessible(QDateEdit(), _("Date"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(qt_date_format())
        self.time = accessible(QTimeEdit(), _("Start time"))
        self.time.setDisplayFormat("HH:mm")
        self.period = accessible(QComboBox(), _("Day or night"))
        fill_combo(self.period, [(_(PERIOD_LABELS[p]), p.value) for p in Period])
        self.weather = accessible(QLineEdit(), _("Weather"))
        self.weather.setPlaceholderText(_("e.g. dry, mild, light wind"))
        self.counted = accessible(QSpinBox(), _("Participants counted without their name"))
        self.counted.setRange(0, 9999)
        self.notes = accessible(QPlainTextEdit(), _("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)

        b = self.binder
        b.bind_line("title", self.title)
        b.bind("walk_date", self.date, lambda: self.date.date().toString("yyyy-MM-dd"),
               lambda v: self.date.setDate(QDate.fromString(v, "yyyy-MM-dd")) if v else None,
               self.date.dateChanged, at_once=False)
        b.bind("start_time", self.time, lambda: self.time.time().toString("HH:mm"),
               lambda v: self.time.setTime(QTime.fromString(v or "18:00", "HH:mm")),
               self.time.timeChanged, at_once=False)
        b.bind_combo("period", self.period)
        b.bind_line("weather", self.weather)
        b.bind("counted_participants", self.counted, self.counted.value,
               lambda v: self.counted.setValue(int(v or 0)), self.counted.valueChanged,
               at_once=False)
        b.bind_text("notes", self.notes)
        b.saved.connect(self.saved)

        when = QHBoxLayout()
        when.addWidget(self.date, 2)
        when.addWidget(self.time, 1)
        when.addWidget(self.period, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("&Title"), self.title)
        add_row(form, _("&When"), when, self.date)
        form.addRow(_("&Weather"), self.weather)
        form.addRow(_("People &counted"), self.counted)
        form.addRow(_("N&otes"), self.notes)

        roles = reference.vocabulary_labels(db, "walk_role")
        self.model = rows_model([
            Column("display", _("Name")),
            Column("organisation", _("Organisation")),
            Column("role", _("Role"), lambda r: roles.get(r["role"], r["role"])),
        ], self._participants, self)
        self.view = QTableView()
        configure_table(self.view, _("Participants"))
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.person = accessible(DirectoryCombo(self._fill_directory), _("Participant"),
                                 _("Someone of the directory, or type a name"))
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.person.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.role = accessible(QComboBox(), _("Role during the walk"))
        fill_combo(self.role, [(v["label"], v["code"])
                               for v in reference.vocabulary(db, "walk_role")])
        add = QPushButton(_("&Add"))
        remove = QPushButton(_("Remove…"))
        add.clicked.connect(self._add_participant)
        remove.clicked.connect(self._remove_participant)
        line = QHBoxLayout()
        line.addWidget(self.person, 3)
        line.addWidget(self.role, 2)
        line.addWidget(add)
        line.addWidget(remove)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(section(_("Who took part")))
        layout.addWidget(hint(_("Name the facilitator, note-taker, photographer, residents and "
                                "partners who agree to it; count the others above.")))
        layout.addWidget(self.view, 1)
        layout.addLayout(line)

    def _participants(self) -> list[dict[str, Any]]:
        return walks.participants(self.db, self.walk_id) if self.walk_id else []

    def load(self, walk_id: str | None) -> None:
        self.binder.flush()
        self.walk_id = walk_id
        record = walks.require_walk(self.db, walk_id) if walk_id else None
        self.binder.load(record)
        self.model.refresh()
        with QSignalBlocker(self.person):
            self.person.setCurrentIndex(0)
            self.person.setEditText("")
        self.setEnabled(record is not None)

    def _fill_directory(self) -> None:
        """The directory, to pick a participant from: read when the list is first used,
        and again only when it changed (ten years make thousands of people: reading them
        at each walk opened cost more than the rest of the page)."""
        mark = people.directory_mark(self.db)
        if mark == getattr(self, "_directory", None):
            return
        self._directory = mark
        text = self.person.currentText()
        entries = [("", None), *people.labelled_choices(self.db)]
        with QSignalBlocker(self.person):
            fill_combo(self.person, entries)
            self.person.setCurrentIndex(0)
            self.person.setEditText(text)

    def _save(self, changes: dict[str, Any]) -> dict[str, Any]:
        return walks.update_walk(self.db, self.walk_id, **changes)

    def _add_participant(self) -> None:
        if self.walk_id is None:
            return
        text = self.person.currentText().strip()
        index = self.person.findText(text)
        person_id = self.person.itemData(index) if index > 0 else None
        try:
            walks.add_participant(self.db, self.walk_id, self.role.currentData(),
                                  person_id=person_id, name="" if person_id else text)
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        self.banner.clear_message()
        self.person.setCurrentIndex(0)
        self.person.setEditText("")
        self.model.refresh()
        self.saved.emit({"id": self.walk_id})

    def _remove_participant(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        record = self.model.record(rows[0].row())
        if confirm(self, _("Remove %(name)s from the participants?") % {
                "name": record["display"]}, _("Remove")):
            with reporting(self):
                walks.remove_participant(self.db, record["id"])
                self.model.refresh()
                self.saved.emit({"id": self.walk_id})

    def flush(self) -> bool:
        return self.binder.flush()
