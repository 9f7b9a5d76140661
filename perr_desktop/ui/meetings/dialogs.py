"""Dialogs of the Meetings area: plan a meeting, choose objectives, decisions, actions,
proxies and the approval of minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.meetings import ACTION_STATUS_LABELS, ActionStatus
from perr_desktop.errors import ValidationError
from perr_desktop.i18n import _
from perr_desktop.services import councils, meetings, reference
from perr_desktop.ui.widgets import (
    FormDialog,
    OptionalDateEdit,
    accessible,
    add_row,
    fill_combo,
    hint,
    qt_date_format,
    set_combo_data,
)


def meeting_label(row: dict[str, Any]) -> str:
    """« jeu. 26 nov. 2026, 18:30 — Séance plénière » for lists and choosers."""
    start = dt.datetime.fromisoformat(row["starts_at"])
    return (f"{i18n.format_date(start.date(), 'medium')}, {i18n.format_time(start)}"
            f" — {row['title']}")


class NewMeetingDialog(FormDialog):
    """Plan a meeting: council, kind, title, date and times, venue; optionally prepared
    like an earlier meeting (its agenda and objectives are copied)."""

    def __init__(self, db, parent: QWidget | None = None, council_id: str | None = None,
                 copy_from: str | None = None) -> None:
        super().__init__(_("Plan a meeting"), _("Plan the meeting"), parent)
        self.db = db
        self.meeting_id: str | None = None
        self.council = accessible(QComboBox(), _("Council"))
        fill_combo(self.council, [(c["name"], c["id"]) for c in councils.list_councils(db)])
        if council_id:
            set_combo_data(self.council, council_id)
        self.kind = accessible(QComboBox(), _("Kind of meeting"))
        fill_combo(self.kind, [(v["label"], v["code"])
                               for v in reference.vocabulary(db, "meeting_kind")])
        self.title = accessible(QLineEdit(), _("Title"))
        self.date = accessible(QDateEdit(), _("Date"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(qt_date_format())
        self.date.setDate(QDate.currentDate().addDays(7))
        self.start = accessible(QTimeEdit(QTime(18, 30)), _("Start time"))
        self.end = accessible(QTimeEdit(QTime(20, 30)), _("End time"))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.venue = accessible(QLineEdit(), _("Venue"))
        self.copy = QCheckBox(_("Prepare it like an earlier meeting (agenda and objectives):"))
        self.source = accessible(QComboBox(), _("Earlier meeting to copy"))

        times = QHBoxLayout()
        times.addWidget(self.date, 2)
        times.addWidget(QLabel(_("from")))
        times.addWidget(self.start, 1)
        times.addWidget(QLabel(_("to")))
        times.addWidget(self.end, 1)
        self.form.addRow(_("C&ouncil"), self.council)
        self.form.addRow(_("&Kind"), self.kind)
        self.form.addRow(_("&Title"), self.title)
        add_row(self.form, _("&Date"), times, self.date)
        self.form.addRow(_("&Venue"), self.venue)
        self.form.addRow(self.copy)
        self.form.addRow(self.source)
        self.body.addWidget(hint(_("All current members of the council are invited; open "
                                   "actions of earlier meetings appear by themselves.")))
        self.finish_layout()

        self.council.currentIndexChanged.connect(self._council_changed)
        self.kind.currentIndexChanged.connect(self._suggest_title)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.copy.toggled.connect(self.source.setEnabled)
        self._council_changed()
        if copy_from:
            self.copy.setChecked(True)
            set_combo_data(self.source, copy_from)
            self._source_changed()
        else:
            self._suggest_title()
        self.title.setFocus()

    def _council_changed(self) -> None:
        council_id = self.council.currentData()
        if not council_id:
            return
        council = councils.require_council(self.db, council_id)
        self.venue.setText(council["venue"])
        earlier = meetings.list_meetings(self.db, council_id, descending=True)
        fill_combo(self.source, [(meeting_label(m), m["id"]) for m in earlier
                                 if not m["cancelled"]])
        self.copy.setEnabled(bool(earlier))
        self.source.setEnabled(self.copy.isChecked() and bool(earlier))

    def _suggest_title(self) -> None:
        if not self.title.isModified():
            self.title.setText(self.kind.currentText())

    def _source_changed(self) -> None:
        source_id = self.source.currentData()
        if not source_id or not self.copy.isChecked():
            return
        source = meetings.require_meeting(self.db, source_id)
        set_combo_data(self.kind, source["kind"])
        self.title.setText(source["title"])
        self.title.setModified(True)  # a chosen title, not a suggestion to replace
        self.venue.setText(source["venue"])
        start = dt.datetime.fromisoformat(source["starts_at"])
        self.start.setTime(QTime(start.hour, start.minute))
        if source["ends_at"]:
            end = dt.datetime.fromisoformat(source["ends_at"])
            self.end.setTime(QTime(end.hour, end.minute))

    def _moments(self) -> tuple[str, str]:
        day = self.date.date().toPython()
        start = dt.datetime.combine(day, self.start.time().toPython())
        end = dt.datetime.combine(day, self.end.time().toPython())
        return start.strftime("%Y-%m-%dT%H:%M"), end.strftime("%Y-%m-%dT%H:%M")

    def save(self) -> None:
        council_id = self.council.currentData()
        if not council_id:
            raise ValidationError(_("Create a council first, on the Councils page."),
                                  "council_id")
        starts_at, ends_at = self._moments()
        if self.copy.isChecked() and self.source.currentData():
            with self.db.transaction():
                self.meeting_id = meetings.copy_meeting(self.db, self.source.currentData(),
                                                        starts_at, ends_at)
                meetings.update_meeting(self.db, self.meeting_id, title=self.title.text(),
                                        kind=self.kind.currentData(), venue=self.venue.text())
        else:
            self.meeting_id = meetings.plan_meeting(
                self.db, council_id, self.kind.currentData(), self.title.text(), starts_at,
                ends_at, self.venue.text())


class ObjectivesDialog(QDialog):
    """Tick the PERR objectives a meeting (or an agenda item) serves."""

    def __init__(self, db, chosen: list[str], parent: QWidget | None = None,
                 single: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("PERR objectives"))
        self.single = single
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([_("Objective")])
        self.tree.setAccessibleName(_("PERR objectives"))
        self.tree.setWordWrap(True)
        self.items: dict[str, QTreeWidgetItem] = {}
        for row in reference.perr_objectives(db):
            parent_item = self.items.get(row["parent_code"])
            item = QTreeWidgetItem([f"{row['code']} — {row['label']}"])
            item.setData(0, Qt.ItemDataRole.UserRole, row["code"])
            item.setToolTip(0, row["label"])
            if row["level"] in ("objective", "sub_objective"):
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if row["code"] in chosen
                                   else Qt.CheckState.Unchecked)
            if parent_item is None:
                self.tree.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            self.items[row["code"]] = item
        for code in chosen:
            item = self.items.get(code)
            while item is not None and item.parent() is not None:
                item.parent().setExpanded(True)
                item = item.parent()
        self.tree.itemChanged.connect(self._changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(_("Tick what this meeting works on: the annual report counts "
                                "it for these objectives.")))
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(760, 620)

    def _changed(self, item: QTreeWidgetItem, _column: int) -> None:
        if self.single and item.checkState(0) == Qt.CheckState.Checked:
            self.tree.blockSignals(True)
            for other in self.items.values():
                if other is not item and other.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    other.setCheckState(0, Qt.CheckState.Unchecked)
            self.tree.blockSignals(False)

    def chosen(self) -> list[str]:
        return [code for code, item in self.items.items()
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable
                and item.checkState(0) == Qt.CheckState.Checked]


def _vote_box(name: str) -> QSpinBox:
    box = accessible(QSpinBox(), name)
    box.setRange(-1, 9999)
    box.setSpecialValueText("—")
    box.setValue(-1)
    return box


class DecisionDialog(FormDialog):
    def __init__(self, db, meeting_id: str, agenda_item_id: str | None,
                 decision: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Decision"), _("Save") if decision else _("Add"), parent)
        self.db, self.meeting_id, self.agenda_item_id = db, meeting_id, agenda_item_id
        self.decision = decision
        self.text = accessible(QPlainTextEdit(), _("Decision"))
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.voted = QCheckBox(_("There was a &vote"))
        self.votes_for = _vote_box(_("Votes for"))
        self.votes_against = _vote_box(_("Votes against"))
        self.votes_abstain = _vote_box(_("Abstentions"))
        votes = QHBoxLayout()
        for label, box in ((_("for"), self.votes_for), (_("against"), self.votes_against),
                           (_("abstentions"), self.votes_abstain)):
            votes.addWidget(box)
            votes.addWidget(QLabel(label))
        votes.addStretch(1)
        self.form.addRow(_("&What was decided"), self.text)
        self.form.addRow(self.voted)
        add_row(self.form, _("Votes"), votes, self.votes_for)
        self.finish_layout()
        if decision:
            self.text.setPlainText(decision["text"])
            voted = any(decision[k] is not None for k in
                        ("votes_for", "votes_against", "votes_abstain"))
            self.voted.setChecked(voted)
            for key, box in (("votes_for", self.votes_for), ("votes_against", self.votes_against),
                             ("votes_abstain", self.votes_abstain)):
                box.setValue(-1 if decision[key] is None else decision[key])
        self.voted.toggled.connect(self._voted)
        self._voted(self.voted.isChecked())
        self.text.setFocus()

    def _voted(self, on: bool) -> None:
        for box in (self.votes_for, self.votes_against, self.votes_abstain):
            box.setEnabled(on)
            if on and box.value() < 0:
                box.setValue(0)

    def _votes(self) -> dict[str, int | None]:
        def value(box: QSpinBox) -> int | None:
            return box.value() if self.voted.isChecked() and box.value() >= 0 else None

        return {"votes_for": value(self.votes_for), "votes_against": value(self.votes_against),
                "votes_abstain": value(self.votes_abstain)}

    def save(self) -> None:
        text = self.text.toPlainText()
        if self.decision:
            meetings.update_decision(self.db, self.decision["id"], text=text, **self._votes())
        else:
            meetings.add_decision(self.db, self.meeting_id, text, self.agenda_item_id,
                                  **self._votes())


class ActionDialog(FormDialog):
    """An action: what, who (a participant, a member or a body), by when, status."""

    def __init__(self, db, meeting_id: str, agenda_item_id: str | None,
                 action: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(_("Action"), _("Save") if action else _("Add"), parent)
        self.db, self.meeting_id, self.agenda_item_id = db, meeting_id, agenda_item_id
        self.action = action
        self.text = accessible(QPlainTextEdit(), _("What is to be done"))
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.who = accessible(QComboBox(), _("Who"),
                              _("A participant, or a body; or type a name"))
        self.who.setEditable(True)
        self.who.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        entries: list[tuple[str, Any]] = [("", None)]
        people = meetings.attendance(db, meeting_id)
        entries += [(p["name"], ("person", p["person_id"])) for p in people]
        entries += [(v["label"], ("body", v["label"]))
                    for v in reference.vocabulary(db, "body")]
        fill_combo(self.who, entries)
        self.who.setCurrentIndex(0)
        self.due = OptionalDateEdit()
        self.due.setAccessibleName(_("Due date"))
        self.status = accessible(QComboBox(), _("Status"))
        fill_combo(self.status, [(_(label), status.value)
                                 for status, label in ACTION_STATUS_LABELS.items()])
        self.form.addRow(_("&What"), self.text)
        self.form.addRow(_("W&ho"), self.who)
        self.form.addRow(_("&By"), self.due)
        self.form.addRow(_("&Status"), self.status)
        self.finish_layout()
        if action:
            self.text.setPlainText(action["text"])
            if action["assignee_person_id"]:
                set_combo_data(self.who, ("person", action["assignee_person_id"]))
                if self.who.currentIndex() < 0:
                    self.who.setEditText(action["assignee"])
            else:
                self.who.setEditText(action["assignee_body"])
            self.due.set_date(action["due_on"])
            set_combo_data(self.status, action["status"])
        else:
            set_combo_data(self.status, ActionStatus.A_FAIRE.value)
        self.text.setFocus()

    def _assignee(self) -> dict[str, Any]:
        data = self.who.currentData()
        text = self.who.currentText().strip()
        if data and self.who.itemText(self.who.currentIndex()) == text:
            kind, value = data
            if kind == "person":
                return {"assignee_person_id": value, "assignee_body": ""}
            return {"assignee_person_id": None, "assignee_body": value}
        return {"assignee_person_id": None, "assignee_body": text}

    def save(self) -> None:
        values = {"text": self.text.toPlainText(), "due_on": self.due.iso(),
                  **self._assignee()}
        if self.action:
            meetings.update_action(self.db, self.action["id"], status=self.status.currentData(),
                                   **values)
        else:
            with self.db.transaction():
                action_id = meetings.add_action(self.db, self.meeting_id,
                                                agenda_item_id=self.agenda_item_id, **values)
                if self.status.currentData() != ActionStatus.A_FAIRE:
                    meetings.update_action(self.db, action_id, status=self.status.currentData())


class ProxyDialog(QDialog):
    """Who holds the proxy of an absent member: someone present at the meeting."""

    def __init__(self, db, meeting_id: str, person: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Proxy of %(name)s") % {"name": person["name"]})
        self.proxy_id: str | None = None
        self.search = accessible(QLineEdit(), _("Search"))
        self.search.setPlaceholderText(_("Type part of a name"))
        self.list = QListWidget()
        self.list.setAccessibleName(_("People present"))
        for row in meetings.attendance(db, meeting_id):
            if row["status"] == "present" and row["person_id"] != person["person_id"]:
                item = QListWidgetItem(row["name"])
                item.setData(Qt.ItemDataRole.UserRole, row["person_id"])
                self.list.addItem(item)
        self.empty = hint(_("Nobody is recorded present yet: mark the proxy holder present "
                            "first."))
        self.empty.setVisible(self.list.count() == 0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("%(name)s gave a proxy to:") % {"name": person["name"]}))
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._accept)
        self.list.itemDoubleClicked.connect(lambda _i: self._accept())
        if self.list.count():
            self.list.setCurrentRow(0)
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        from perr_desktop.domain.text import search_key

        wanted = search_key(text)
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = wanted not in search_key(item.text())
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.proxy_id = item.data(Qt.ItemDataRole.UserRole)
        self.accept()


class ApproveDialog(FormDialog):
    """Approve the minutes: at which meeting (usually the next one)."""

    def __init__(self, db, meeting_id: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Approve the minutes"), _("Approve and lock"), parent)
        self.db, self.meeting_id = db, meeting_id
        meeting = meetings.require_meeting(db, meeting_id)
        self.at = accessible(QComboBox(), _("Approved at"))
        later = [m for m in meetings.list_meetings(db, meeting["council_id"])
                 if m["starts_at"] > meeting["starts_at"] and not m["cancelled"]]
        entries = [(meeting_label(m), m["id"]) for m in later]
        entries.append((_("outside a meeting (for example by email)"), None))
        fill_combo(self.at, entries)
        self.form.addRow(_("Approved &at"), self.at)
        self.body.addWidget(hint(_("Approved minutes are locked: a correction noticed later "
                                   "is recorded as an amendment, beside them.")))
        self.finish_layout()

    def save(self) -> None:
        meetings.validate_minutes(self.db, self.meeting_id, self.at.currentData())


class AmendmentDialog(FormDialog):
    def __init__(self, db, meeting_id: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Amendment to the minutes"), _("Record the amendment"), parent)
        self.db, self.meeting_id = db, meeting_id
        self.text = accessible(QPlainTextEdit(), _("Amendment"))
        self.text.setTabChangesFocus(True)
        self.date = OptionalDateEdit()
        self.date.setAccessibleName(_("Date"))
        self.date.set_date(dt.date.today())
        self.form.addRow(_("&Correction"), self.text)
        self.form.addRow(_("&Date"), self.date)
        self.finish_layout()
        self.text.setFocus()

    def save(self) -> None:
        meetings.add_amendment(self.db, self.meeting_id, self.text.toPlainText(),
                               self.date.iso())

