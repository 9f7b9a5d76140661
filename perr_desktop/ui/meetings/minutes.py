"""Writing the minutes: per agenda item the notes, decisions and actions, then where the
earlier actions stand (« points en suspens »), and the approval of the minutes.

Notes are saved as they are typed: a laptop that dies in the middle of the meeting
loses at most the last half-second.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain.meetings import (
    ACTION_STATUS_LABELS,
    MinutesStatus,
    action_status_label,
)
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import meetings
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.meetings.dialogs import (
    ActionDialog,
    AmendmentDialog,
    ApproveDialog,
    DecisionDialog,
    meeting_label,
)
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.widgets import (
    ErrorBanner,
    accessible,
    confirm,
    fill_combo,
    heading,
    hint,
    reporting,
    section,
    set_combo_data,
    short_date,
)

GENERAL, OUTSTANDING = "general", "outstanding"


def votes_text(decision: dict[str, Any]) -> str:
    if all(decision[k] is None for k in ("votes_for", "votes_against", "votes_abstain")):
        return ""
    abstentions = decision["votes_abstain"] or 0
    return _("%(for)s for, %(against)s against") % {
        "for": decision["votes_for"] or 0, "against": decision["votes_against"] or 0,
    } + ", " + ngettext("%(count)s abstention", "%(count)s abstentions", abstentions) % {
        "count": abstentions}


class ItemPanel(QWidget):
    """Notes, decisions and actions of one agenda item (or of the whole meeting)."""

    changed = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id: str | None = None
        self.item: dict[str, Any] | None = None
        self.locked = False
        self.title = heading("", level=2)
        self.banner = ErrorBanner(self)
        self.binder = FormBinder(self._save_notes, self.banner, self)
        self.notes = accessible(QPlainTextEdit(), _("Notes of the discussion"))
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(_("What was said, as people speak…"))
        self.binder.bind_text("notes", self.notes)
        self.binder.saved.connect(lambda _r: self.changed.emit())

        self.decisions_model = rows_model([
            Column("text", _("Decision")),
            Column("votes", _("Vote"), votes_text),
        ], self._decision_rows, self)
        self.decisions_view = QTableView()
        configure_table(self.decisions_view, _("Decisions"))
        self.decisions_view.setModel(self.decisions_model)
        self.decisions_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.decisions_view.doubleClicked.connect(lambda _i: self._edit_decision())
        self.add_decision_button = QPushButton(_("Add a &decision…"))
        self.edit_decision_button = QPushButton(_("Edit…"))
        self.remove_decision_button = QPushButton(_("Remove…"))
        self.add_decision_button.clicked.connect(self._add_decision)
        self.edit_decision_button.clicked.connect(self._edit_decision)
        self.remove_decision_button.clicked.connect(self._remove_decision)

        self.actions_model = rows_model([
            Column("text", _("Action")),
            Column("assignee", _("Who")),
            Column("due_on", _("Due"), lambda r: short_date(r["due_on"])),
            Column("status", _("Status"), lambda r: action_status_label(r["status"])),
        ], self._action_rows, self)
        self.actions_view = QTableView()
        configure_table(self.actions_view, _("Actions"))
        self.actions_view.setModel(self.actions_model)
        self.actions_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch)
        self.actions_view.doubleClicked.connect(lambda _i: self._edit_action())
        self.add_action_button = QPushButton(_("Add an a&ction…"))
        self.edit_action_button = QPushButton(_("Edit…"))
        self.remove_action_button = QPushButton(_("Remove…"))
        self.add_action_button.clicked.connect(self._add_action)
        self.edit_action_button.clicked.connect(self._edit_action)
        self.remove_action_button.clicked.connect(self._remove_action)

        def row(*buttons: QPushButton) -> QHBoxLayout:
            line = QHBoxLayout()
            for button in buttons:
                line.addWidget(button)
            line.addStretch(1)
            return line

        lines = self.fontMetrics().lineSpacing()
        self.decisions_view.setMinimumHeight(lines * 5)
        self.actions_view.setMinimumHeight(lines * 5)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(self.notes, 3)
        layout.addWidget(section(_("Decisions")))
        layout.addWidget(self.decisions_view, 1)
        layout.addLayout(row(self.add_decision_button, self.edit_decision_button,
                             self.remove_decision_button))
        layout.addWidget(section(_("Actions")))
        layout.addWidget(self.actions_view, 1)
        layout.addLayout(row(self.add_action_button, self.edit_action_button,
                             self.remove_action_button))

    def _item_id(self) -> str | None:
        return self.item["id"] if self.item else None

    def _decision_rows(self) -> list[dict[str, Any]]:
        if self.meeting_id is None:
            return []
        return meetings.item_decisions(self.db, self.meeting_id, self._item_id())

    def _action_rows(self) -> list[dict[str, Any]]:
        if self.meeting_id is None:
            return []
        return meetings.item_actions(self.db, self.meeting_id, self._item_id())

    def show_item(self, meeting: dict[str, Any], item: dict[str, Any] | None,
                  locked: bool) -> None:
        """``item`` None: the meeting's general notes and its decisions outside the items."""
        self.binder.flush()
        self.meeting_id, self.item, self.locked = meeting["id"], item, locked
        if item is None:
            self.title.setText(_("Introduction and general notes"))
            self.binder.load({"notes": meeting["notes"], "id": meeting["id"]})
        else:
            self.title.setText(f"{item['position']}. {item['title']}")
            self.binder.load(item)
        self.notes.setReadOnly(locked)
        self.notes.setEnabled(True)
        self.decisions_model.refresh()
        self.actions_model.refresh()
        for button in (self.add_decision_button, self.edit_decision_button,
                       self.remove_decision_button, self.add_action_button,
                       self.edit_action_button, self.remove_action_button):
            button.setEnabled(not locked)

    def _save_notes(self, changes: dict[str, Any]) -> dict[str, Any]:
        if self.item is None:
            meetings.set_meeting_notes(self.db, self.meeting_id, changes["notes"])
            return {"id": self.meeting_id, "notes": changes["notes"]}
        return meetings.update_agenda_item(self.db, self.item["id"], **changes)

    def _selected(self, view: QTableView, model) -> dict[str, Any] | None:
        rows = view.selectionModel().selectedRows()
        return model.record(rows[0].row()) if rows else None

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.decisions_model.refresh()
            self.actions_model.refresh()
            self.changed.emit()

    def _add_decision(self) -> None:
        self._run(DecisionDialog(self.db, self.meeting_id, self._item_id(), parent=self))

    def _edit_decision(self) -> None:
        decision = self._selected(self.decisions_view, self.decisions_model)
        if decision and not self.locked:
            self._run(DecisionDialog(self.db, self.meeting_id, self._item_id(), decision, self))

    def _remove_decision(self) -> None:
        decision = self._selected(self.decisions_view, self.decisions_model)
        if decision and confirm(self, _("Remove this decision?"), _("Remove")):
            with reporting(self):
                meetings.remove_decision(self.db, decision["id"])
                self.decisions_model.refresh()
                self.changed.emit()

    def _add_action(self) -> None:
        self._run(ActionDialog(self.db, self.meeting_id, self._item_id(), parent=self))

    def _edit_action(self) -> None:
        action = self._selected(self.actions_view, self.actions_model)
        if action and not self.locked:
            self._run(ActionDialog(self.db, self.meeting_id, self._item_id(), action, self))

    def _remove_action(self) -> None:
        action = self._selected(self.actions_view, self.actions_model)
        if action and confirm(self, _("Remove this action?"), _("Remove")):
            with reporting(self):
                meetings.remove_action(self.db, action["id"])
                self.actions_model.refresh()
                self.changed.emit()

    def flush(self) -> bool:
        return self.binder.flush()


class OutstandingPanel(QWidget):
    """Where the actions of earlier meetings stand, as discussed at this one."""

    changed = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id: str | None = None
        self.locked = False
        self.banner = ErrorBanner(self)
        self.model = rows_model([
            Column("text", _("Action")),
            Column("meeting_starts_at", _("Decided on"),
                   lambda r: short_date(r["meeting_starts_at"])),
            Column("assignee", _("Who")),
            Column("due_on", _("Due"), lambda r: short_date(r["due_on"])),
            Column("status_here", _("Status"), lambda r: action_status_label(r["status_here"])),
            Column("note", _("Note"), lambda r: (r["update"] or {}).get("note", "")),
        ], self._rows, self)
        self.view = QTableView()
        configure_table(self.view, _("Outstanding points"))
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.view.setWordWrap(True)
        self.status = accessible(QComboBox(), _("Status of the action"))
        fill_combo(self.status, [(_(label), status.value)
                                 for status, label in ACTION_STATUS_LABELS.items()])
        self.note = accessible(QLineEdit(), _("Note on the action"))
        self.note.setPlaceholderText(_("What was said about it"))
        self.save_button = QPushButton(_("&Record"))
        self.save_button.clicked.connect(self._record)
        self.note.returnPressed.connect(self._record)
        self.view.selectionModel().selectionChanged.connect(self._selected_changed)
        editor = QHBoxLayout()
        editor.addWidget(QLabel(_("Status at this meeting:")))
        editor.addWidget(self.status)
        editor.addWidget(self.note, 1)
        editor.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Outstanding points"), level=2))
        layout.addWidget(hint(_("The open actions of earlier meetings of the council. Say "
                                "where each stands: done, in progress or dropped.")))
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        layout.addLayout(editor)

    def _rows(self) -> list[dict[str, Any]]:
        return meetings.outstanding_actions(self.db, self.meeting_id) if self.meeting_id else []

    def show_meeting(self, meeting_id: str, locked: bool) -> None:
        self.meeting_id, self.locked = meeting_id, locked
        self.model.refresh()
        if self.model.rowCount():
            self.view.selectRow(0)
        for widget in (self.status, self.note, self.save_button):
            widget.setEnabled(not locked and self.model.rowCount() > 0)

    def _current(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _selected_changed(self, *_args) -> None:
        action = self._current()
        if action is None:
            return
        set_combo_data(self.status, action["status_here"])
        with QSignalBlocker(self.note):
            self.note.setText((action["update"] or {}).get("note", ""))

    def _record(self) -> None:
        action = self._current()
        if action is None or self.locked:
            return
        try:
            meetings.follow_up_action(self.db, self.meeting_id, action["id"],
                                      self.status.currentData(), self.note.text())
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        self.banner.clear_message()
        row = self.model.row_of(action["id"])
        self.model.refresh()
        if 0 <= row + 1 < self.model.rowCount():
            self.view.selectRow(row + 1)
            self.status.setFocus()
        self.changed.emit()


class MinutesTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting: dict[str, Any] | None = None
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.approve_button = QPushButton(_("Approve the minutes…"))
        self.amend_button = QPushButton(_("Add an amendment…"))
        self.approve_button.clicked.connect(self._approve)
        self.amend_button.clicked.connect(self._amend)
        self.previous = QLabel()
        self.previous.setWordWrap(True)
        self.approve_previous_button = QPushButton(
            _("Approve the previous minutes at this meeting"))
        self.approve_previous_button.clicked.connect(self._approve_previous)

        self.sections = QListWidget()
        self.sections.setAccessibleName(_("Parts of the minutes"))
        self.sections.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setSpacing(2)
        self.sections.currentRowChanged.connect(self._section_changed)
        self.item_panel = ItemPanel(db)
        self.outstanding = OutstandingPanel(db)
        self.item_panel.changed.connect(self._changed)
        self.outstanding.changed.connect(self._changed)
        self.panels = QStackedWidget()
        self.panels.addWidget(self.item_panel)
        self.panels.addWidget(self.outstanding)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sections)
        splitter.addWidget(self.panels)
        splitter.setStretchFactor(1, 1)
        self.sections.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)

        state = QHBoxLayout()
        state.addWidget(self.state, 1)
        state.addWidget(self.approve_button)
        state.addWidget(self.amend_button)
        previous = QHBoxLayout()
        previous.addWidget(self.previous, 1)
        previous.addWidget(self.approve_previous_button)
        layout = QVBoxLayout(self)
        layout.addLayout(state)
        layout.addLayout(previous)
        layout.addWidget(splitter, 1)

    def load(self, meeting_id: str | None) -> None:
        self.flush()
        self.meeting = meetings.get_meeting(self.db, meeting_id) if meeting_id else None
        self._show_state()
        current = self.sections.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else None
        with QSignalBlocker(self.sections):
            self.sections.clear()
            if self.meeting is not None:
                self._add_section(_("Introduction and general notes"), GENERAL)
                for item in self.meeting["agenda"]:
                    self._add_section(f"{item['position']}. {item['title']}", item["id"])
                count = len(self.meeting["outstanding"])
                self._add_section(ngettext("Outstanding points (%(count)d)",
                                           "Outstanding points (%(count)d)", count)
                                  % {"count": count}, OUTSTANDING)
        row = 0
        for i in range(self.sections.count()):
            if self.sections.item(i).data(Qt.ItemDataRole.UserRole) == keep:
                row = i
        self.sections.setCurrentRow(row if self.sections.count() else -1)
        self._section_changed(self.sections.currentRow())
        self.setEnabled(self.meeting is not None)

    def _add_section(self, text: str, key: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(text)
        self.sections.addItem(item)

    @property
    def locked(self) -> bool:
        return bool(self.meeting and self.meeting["minutes_status"] == MinutesStatus.VALIDE)

    def _show_state(self) -> None:
        meeting = self.meeting
        if meeting is None:
            self.state.clear()
            self.previous.clear()
            self.approve_button.hide()
            self.amend_button.hide()
            self.approve_previous_button.hide()
            return
        if self.locked:
            text = _("Minutes approved on %(date)s.") % {"date": short_date(
                meeting["validated_at"])}
            if meeting["validated_in_meeting_id"]:
                approving = meetings.require_meeting(self.db, meeting["validated_in_meeting_id"])
                text = _("Minutes approved at the meeting of %(date)s.") % {
                    "date": short_date(approving["starts_at"])}
            text += " " + _("They are locked; corrections are recorded as amendments.")
            for amendment in meeting["amendments"]:
                text += "\n" + _("Amendment of %(date)s: %(text)s") % {
                    "date": short_date(amendment["recorded_on"]), "text": amendment["text"]}
        else:
            text = _("Minutes: draft. Everything typed is saved at once.")
        self.state.setText(text)
        self.approve_button.setVisible(not self.locked)
        self.amend_button.setVisible(self.locked)
        previous = meetings.previous_meeting(self.db, meeting["id"])
        if previous is not None and previous["minutes_status"] != MinutesStatus.VALIDE:
            self.previous.setText(_("The minutes of the previous meeting (%(label)s) are still "
                                    "a draft.") % {"label": meeting_label(previous)})
            self.previous.show()
            self.approve_previous_button.setVisible(not self.locked)
            self._previous_id = previous["id"]
        else:
            self.previous.hide()
            self.approve_previous_button.hide()
            self._previous_id = None

    def _section_changed(self, row: int) -> None:
        if self.meeting is None or row < 0:
            return
        key = self.sections.item(row).data(Qt.ItemDataRole.UserRole)
        if key == OUTSTANDING:
            self.item_panel.flush()
            self.panels.setCurrentWidget(self.outstanding)
            self.outstanding.show_meeting(self.meeting["id"], self.locked)
            return
        # Read again: what was typed in another section since the tab opened is saved.
        self.item_panel.flush()
        meeting = meetings.require_meeting(self.db, self.meeting["id"])
        item = (self.db.query_one("SELECT * FROM agenda_items WHERE id = ?", (key,))
                if key != GENERAL else None)
        self.panels.setCurrentWidget(self.item_panel)
        self.item_panel.show_item({**self.meeting, "notes": meeting["notes"]}, item,
                                  self.locked)

    def _changed(self) -> None:
        if self.meeting is not None:
            self.saved.emit({"id": self.meeting["id"]})

    def _approve(self) -> None:
        if self.meeting is None:
            return
        self.flush()
        if ApproveDialog(self.db, self.meeting["id"], self).exec() == QDialog.DialogCode.Accepted:
            self.load(self.meeting["id"])
            self._changed()

    def _approve_previous(self) -> None:
        if self.meeting is None or not self._previous_id:
            return
        with reporting(self):
            meetings.validate_minutes(self.db, self._previous_id, self.meeting["id"])
            self.load(self.meeting["id"])
            self._changed()

    def _amend(self) -> None:
        if self.meeting is None:
            return
        if AmendmentDialog(self.db, self.meeting["id"], self).exec() == \
                QDialog.DialogCode.Accepted:
            self.load(self.meeting["id"])
            self._changed()

    def flush(self) -> bool:
        return self.item_panel.flush()
