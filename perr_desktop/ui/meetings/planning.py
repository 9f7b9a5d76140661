"""Preparing a meeting: what, when, where, for which councils and PERR objectives, and
its agenda. Everything is saved as typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.i18n import _, ngettext
from perr_desktop.services import councils, meetings, reference
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.meetings.dialogs import ObjectivesDialog
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.widgets import (
    ErrorBanner,
    accessible,
    add_row,
    confirm,
    fill_combo,
    fit_list_height,
    hint,
    qt_date_format,
    reporting,
    section,
)


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": rest}


class PlanTab(QWidget):
    """The « Preparation » tab of a meeting."""

    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id: str | None = None
        self.locked = False
        self.banner = ErrorBanner(self)
        self.binder = FormBinder(self._save, self.banner, self)

        self.title = accessible(QLineEdit(), _("Title"))
        self.kind = accessible(QComboBox(), _("Kind of meeting"))
        fill_combo(self.kind, [(v["label"], v["code"])
                               for v in reference.vocabulary(db, "meeting_kind")])
        self.date = accessible(QDateEdit(), _("Date"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(qt_date_format())
        self.start = accessible(QTimeEdit(), _("Start time"))
        self.end = accessible(QTimeEdit(), _("End time"))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.venue = accessible(QLineEdit(), _("Venue"))
        self.guests = accessible(QListWidget(), _("Other councils invited"),
                                 _("For an inter-council exchange or a joint training"))
        self.objectives = QLabel()
        self.objectives.setWordWrap(True)
        self.objectives.setTextFormat(Qt.TextFormat.PlainText)
        self.objectives_button = QPushButton(_("Choose the PERR &objectives…"))
        self.objectives_button.clicked.connect(self._choose_objectives)

        b = self.binder
        b.bind_line("title", self.title)
        b.bind_combo("kind", self.kind)
        b.bind("schedule", self.date, self._schedule, self._set_schedule,
               self.date.dateChanged, at_once=False)
        b.bind("schedule_start", self.start, self._schedule, lambda _v: None,
               self.start.timeChanged, at_once=False)
        b.bind("schedule_end", self.end, self._schedule, lambda _v: None, self.end.timeChanged,
               at_once=False)
        b.bind_line("venue", self.venue)
        b.bind("guest_council_ids", self.guests, self._checked_guests, self._set_guests,
               self.guests.itemChanged)
        b.saved.connect(self.saved)

        times = QHBoxLayout()
        times.addWidget(self.date, 2)
        times.addWidget(QLabel(_("from")))
        times.addWidget(self.start, 1)
        times.addWidget(QLabel(_("to")))
        times.addWidget(self.end, 1)
        objectives = QVBoxLayout()
        objectives.addWidget(self.objectives)
        objectives.addWidget(self.objectives_button, 0, Qt.AlignmentFlag.AlignLeft)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("&Title"), self.title)
        form.addRow(_("&Kind"), self.kind)
        add_row(form, _("&Date"), times, self.date)
        form.addRow(_("&Venue"), self.venue)
        form.addRow(_("Other &councils"), self.guests)
        add_row(form, _("PERR objectives"), objectives, self.objectives_button)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(section(_("Agenda")))
        layout.addWidget(self._build_agenda(), 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- agenda ----------------------------------------------------------------------

    def _build_agenda(self) -> QWidget:
        self.objective_labels = {o["code"]: o["label"]
                                 for o in reference.perr_objectives(self.db)}
        columns = [
            Column("position", _("No."), lambda r: str(r["position"]), align_right=True),
            Column("title", _("Item")),
            Column("duration_minutes", _("Duration"),
                   lambda r: duration_text(r["duration_minutes"])
                   if r["duration_minutes"] else ""),
            Column("presenter", _("Presented by")),
            Column("objective_code", _("PERR objective"), lambda r: r["objective_code"] or "",
                   tooltip=lambda r: self.objective_labels.get(r["objective_code"] or "", "")),
        ]
        self.agenda_model = rows_model(columns, self._agenda_rows, self)
        self.agenda_view = QTableView()
        configure_table(self.agenda_view, _("Agenda"))
        self.agenda_view.setModel(self.agenda_model)
        header = self.agenda_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.agenda_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 9)
        self.agenda_total = hint("")

        self.item_banner = ErrorBanner(self)
        self.item_binder = FormBinder(self._save_item, self.item_banner, self)
        self.item_title = accessible(QLineEdit(), _("Agenda item"))
        self.item_duration = accessible(QSpinBox(), _("Duration in minutes"))
        self.item_duration.setRange(0, 600)
        self.item_duration.setSingleStep(5)
        self.item_duration.setSpecialValueText(_("not given"))
        self.item_duration.setSuffix(" min")
        self.item_presenter = accessible(QLineEdit(), _("Presented by"))
        self.item_objective = accessible(QComboBox(), _("PERR objective of the item"))
        entries = [(_("none"), None)]
        entries += [(f"{o['code']} — {o['label']}", o["code"])
                    for o in reference.perr_objectives(self.db)
                    if o["level"] in ("objective", "sub_objective")]
        fill_combo(self.item_objective, entries)
        self.item_objective.setMaximumWidth(self.fontMetrics().averageCharWidth() * 60)
        ib = self.item_binder
        ib.bind_line("title", self.item_title)
        ib.bind_year("duration_minutes", self.item_duration)
        ib.bind_line("presenter", self.item_presenter)
        ib.bind_combo("objective_code", self.item_objective)
        ib.saved.connect(lambda _r: self._refresh_agenda(keep=True))

        self.add_item_button = QPushButton(_("&Add an item"))
        self.up_button = QPushButton(_("Move &up"))
        self.down_button = QPushButton(_("Move do&wn"))
        self.remove_item_button = QPushButton(_("Remove the item…"))
        self.add_item_button.clicked.connect(self._add_item)
        self.up_button.clicked.connect(lambda: self._move_item(-1))
        self.down_button.clicked.connect(lambda: self._move_item(1))
        self.remove_item_button.clicked.connect(self._remove_item)
        self.agenda_view.selectionModel().selectionChanged.connect(self._item_selected)

        buttons = QHBoxLayout()
        for button in (self.add_item_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_item_button)
        item_form = QFormLayout()
        item_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        item_form.addRow(_("&Item"), self.item_title)
        row = QHBoxLayout()
        row.addWidget(self.item_duration)
        row.addWidget(QLabel(_("presented by")))
        row.addWidget(self.item_presenter, 1)
        add_row(item_form, _("D&uration"), row, self.item_duration)
        item_form.addRow(_("PERR ob&jective"), self.item_objective)

        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.agenda_view, 1)
        layout.addWidget(self.agenda_total)
        layout.addLayout(buttons)
        layout.addWidget(self.item_banner)
        layout.addLayout(item_form)
        return box

    def _agenda_rows(self) -> list[dict[str, Any]]:
        if self.meeting_id is None:
            return []
        return self.db.query("SELECT * FROM agenda_items WHERE meeting_id = ? AND deleted_at "
                             "IS NULL ORDER BY position", (self.meeting_id,))

    def _refresh_agenda(self, keep: bool = False, select: str | None = None) -> None:
        current = select or (self.item_binder.record or {}).get("id") if keep or select else None
        with QSignalBlocker(self.agenda_view.selectionModel()):
            self.agenda_model.refresh()
        rows = [self.agenda_model.record(i) for i in range(self.agenda_model.rowCount())]
        total = sum(r["duration_minutes"] or 0 for r in rows)
        text = ngettext("%(count)d item", "%(count)d items", len(rows)) % {"count": len(rows)}
        if total:
            text += " — " + _("planned duration: %(duration)s") % {
                "duration": duration_text(total)}
        self.agenda_total.setText(text)
        row = self.agenda_model.row_of(current)
        if row >= 0:
            with QSignalBlocker(self.agenda_view.selectionModel()):
                self.agenda_view.selectRow(row)
        else:
            self.item_binder.load(None)
        self._update_item_buttons()

    def _selected_item(self) -> dict[str, Any] | None:
        rows = self.agenda_view.selectionModel().selectedRows()
        return self.agenda_model.record(rows[0].row()) if rows else None

    def _item_selected(self, *_args) -> None:
        item = self._selected_item()
        self.item_binder.load(item)
        self._update_item_buttons()

    def _update_item_buttons(self) -> None:
        item = self._selected_item()
        editable = self.meeting_id is not None and not self.locked
        self.add_item_button.setEnabled(editable)
        for button in (self.up_button, self.down_button, self.remove_item_button):
            button.setEnabled(editable and item is not None)
        for widget in (self.item_title, self.item_duration, self.item_presenter,
                       self.item_objective):
            widget.setEnabled(editable and item is not None)

    def _save_item(self, changes: dict[str, Any]) -> dict[str, Any]:
        record = self.item_binder.record
        assert record is not None
        if "duration_minutes" in changes and changes["duration_minutes"] == 0:
            changes["duration_minutes"] = None
        return meetings.update_agenda_item(self.db, record["id"], **changes)

    def _add_item(self) -> None:
        if self.meeting_id is None:
            return
        with reporting(self):
            item_id = meetings.add_agenda_item(self.db, self.meeting_id, _("New item"))
            self._refresh_agenda(select=item_id)
            self._item_selected()
            self.item_title.setFocus()
            self.item_title.selectAll()
            self.saved.emit({"id": self.meeting_id})

    def _move_item(self, offset: int) -> None:
        item = self._selected_item()
        if item is None:
            return
        with reporting(self):
            self.item_binder.flush()
            meetings.move_agenda_item(self.db, item["id"], offset)
            self._refresh_agenda(select=item["id"])
            self.saved.emit({"id": self.meeting_id})

    def _remove_item(self) -> None:
        item = self._selected_item()
        if item is None:
            return
        if confirm(self, _("Remove “%(title)s” from the agenda?") % {"title": item["title"]},
                   _("Remove")):
            with reporting(self):
                meetings.remove_agenda_item(self.db, item["id"])
                self._refresh_agenda()
                self.saved.emit({"id": self.meeting_id})

    # -- meeting ---------------------------------------------------------------------

    def _record(self) -> dict[str, Any]:
        meeting = meetings.get_meeting(self.db, self.meeting_id)
        meeting["guest_council_ids"] = [g["id"] for g in meeting["guest_councils"]]
        meeting["schedule"] = (meeting["starts_at"], meeting["ends_at"])
        return meeting

    def load(self, meeting_id: str | None) -> None:
        self.item_binder.flush()
        self.binder.flush()
        self.meeting_id = meeting_id
        record = self._record() if meeting_id else None
        self.locked = bool(record and record["minutes_status"] == "valide")
        self._fill_guests(record)
        self.binder.load(record)
        for widget in (self.title, self.kind, self.date, self.start, self.end, self.venue,
                       self.guests, self.objectives_button):
            widget.setEnabled(record is not None and not self.locked)
        self._show_objectives(record)
        self._refresh_agenda()

    def _fill_guests(self, record: dict[str, Any] | None) -> None:
        with QSignalBlocker(self.guests):
            self.guests.clear()
            for council in councils.list_councils(self.db):
                if record and council["id"] == record["council_id"]:
                    continue
                item = QListWidgetItem(council["name"])
                item.setData(Qt.ItemDataRole.UserRole, council["id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.guests.addItem(item)
        fit_list_height(self.guests)

    def _checked_guests(self) -> list[str]:
        return [self.guests.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.guests.count())
                if self.guests.item(i).checkState() == Qt.CheckState.Checked]

    def _set_guests(self, ids: list[str] | None) -> None:
        wanted = set(ids or [])
        with QSignalBlocker(self.guests):
            for i in range(self.guests.count()):
                item = self.guests.item(i)
                item.setCheckState(Qt.CheckState.Checked
                                   if item.data(Qt.ItemDataRole.UserRole) in wanted
                                   else Qt.CheckState.Unchecked)

    def _schedule(self) -> tuple[str, str]:
        day = self.date.date().toPython()
        start = dt.datetime.combine(day, self.start.time().toPython())
        end = dt.datetime.combine(day, self.end.time().toPython())
        return start.strftime("%Y-%m-%dT%H:%M"), end.strftime("%Y-%m-%dT%H:%M")

    def _set_schedule(self, value: tuple[str, str | None] | None) -> None:
        if not value:
            return
        starts_at, ends_at = value
        start = dt.datetime.fromisoformat(starts_at)
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.date.setDate(QDate(start.date()))
            self.start.setTime(QTime(start.hour, start.minute))
            end = dt.datetime.fromisoformat(ends_at) if ends_at else start + dt.timedelta(hours=2)
            self.end.setTime(QTime(end.hour, end.minute))

    def _save(self, changes: dict[str, Any]) -> dict[str, Any]:
        assert self.meeting_id is not None
        schedule = None
        for key in ("schedule", "schedule_start", "schedule_end"):
            schedule = changes.pop(key, schedule)
        if schedule is not None:
            starts_at, ends_at = schedule
            meetings.update_meeting(self.db, self.meeting_id, starts_at=starts_at,
                                    ends_at=ends_at)
        if "guest_council_ids" in changes:
            meetings.set_guest_councils(self.db, self.meeting_id,
                                        changes.pop("guest_council_ids"))
        if changes:
            meetings.update_meeting(self.db, self.meeting_id, **changes)
        return self._record()

    def _show_objectives(self, record: dict[str, Any] | None) -> None:
        codes = (record or {}).get("objective_codes", [])
        if not codes:
            self.objectives.setText(_("None chosen yet."))
            return
        labels = self.objective_labels
        self.objectives.setText("\n".join(f"{c} — {labels.get(c, '')}" for c in codes))

    def _choose_objectives(self) -> None:
        if self.meeting_id is None:
            return
        record = self.binder.record or {}
        dialog = ObjectivesDialog(self.db, record.get("objective_codes", []), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            with reporting(self):
                meetings.set_objectives(self.db, self.meeting_id, dialog.chosen())
                record = self._record()
                self.binder.load(record)
                self._show_objectives(record)
                self.saved.emit(record)

    def flush(self) -> bool:
        return self.item_binder.flush() and self.binder.flush()
