"""Taking attendance, during the meeting or typed back from the signed sheet.

Keyboard first: in the list, P, E, A and R mark the selected people présent, excusé,
absent or représenté and move to the next line, so forty names take forty keystrokes.
Walk-ins are added by typing a name; people who give no name are only counted.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSignalBlocker,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.meetings import AGE_BAND_LABELS, AgeBand, Attendance
from perr_desktop.domain.people import GENDER_LABELS, Gender
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import meetings, people, reference
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.meetings.dialogs import ProxyDialog
from perr_desktop.ui.members import civility_combo
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.widgets import (
    ErrorBanner,
    accessible,
    confirm,
    fill_combo,
    hint,
    reporting,
    section,
)

KEYS = {
    Qt.Key.Key_P: Attendance.PRESENT,
    Qt.Key.Key_E: Attendance.EXCUSE,
    Qt.Key.Key_A: Attendance.ABSENT,
    Qt.Key.Key_R: Attendance.REPRESENTE,
}


def summary_text(summary: dict[str, Any]) -> str:
    """« 10 présents, 3 excusés, 1 représenté, 2 absents — quorum 8 : atteint »."""
    parts = [
        ngettext("%(count)d present", "%(count)d present", summary["present"]),
        ngettext("%(count)d excused", "%(count)d excused", summary["excused"]),
        ngettext("%(count)d represented", "%(count)d represented", summary["represented"]),
        ngettext("%(count)d absent", "%(count)d absent", summary["absent"]),
    ]
    counts = [summary["present"], summary["excused"], summary["represented"], summary["absent"]]
    text = _("Members: ") + ", ".join(p % {"count": c} for p, c in zip(parts, counts,
                                                                         strict=True))
    if summary["not_recorded"]:
        text += ", " + ngettext("%(count)d not recorded", "%(count)d not recorded",
                                summary["not_recorded"]) % {"count": summary["not_recorded"]}
    if summary["quorum_required"] is not None:
        text += " — " + (_("quorum %(required)d: reached") if summary["quorum_reached"]
                         else _("quorum %(required)d: not reached")) % {
            "required": summary["quorum_required"]}
    text += "\n" + ngettext("%(count)d participant in all", "%(count)d participants in all",
                            summary["participants"]) % {"count": summary["participants"]}
    extra = []
    if summary["walk_ins"]:
        extra.append(ngettext("%(count)d named non-member", "%(count)d named non-members",
                              summary["walk_ins"]) % {"count": summary["walk_ins"]})
    if summary["counted"]:
        extra.append(ngettext("%(count)d counted without a name",
                              "%(count)d counted without a name",
                              summary["counted"]) % {"count": summary["counted"]})
    if extra:
        text += " (" + _("including %(details)s") % {"details": ", ".join(extra)} + ")"
    return text


class AttendanceTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id: str | None = None
        self.locked = False
        self.banner = ErrorBanner(self)
        self.status_labels = reference.vocabulary_labels(db, "attendance_status")

        columns = [
            Column("name", _("Name"), sort="sort_key"),
            Column("organisation", _("Organisation")),
            Column("member", _("Taking part as"),
                   lambda r: (_("member") if r["member"] else
                              (_("guest") if r["invited"] else _("came without invitation")))),
            Column("status", _("Attendance"), self._status_text),
        ]
        # Rows are people: a line is found again by person after each refresh.
        self.model = rows_model(columns, self._rows, self, key="person_id")
        self.view = QTableView()
        configure_table(self.view, _("Attendance"))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(lambda _i: self._cycle())

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(_("Attendance summary"))
        self.buttons = {}
        bar = QHBoxLayout()
        for status, text in ((Attendance.PRESENT, _("&Present (P)")),
                             (Attendance.EXCUSE, _("&Excused (E)")),
                             (Attendance.ABSENT, _("&Absent (A)")),
                             (Attendance.REPRESENTE, _("&Represented… (R)"))):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=status: self.mark(s))
            bar.addWidget(button)
            self.buttons[status] = button
        self.clear_button = QPushButton(_("Clear"))
        self.clear_button.clicked.connect(lambda: self.mark(None))
        bar.addWidget(self.clear_button)
        bar.addStretch(1)
        self.absent_button = QPushButton(_("Mark the others absent…"))
        self.absent_button.setToolTip(_("After the meeting: invited members nobody marked "
                                        "are recorded absent."))
        self.absent_button.clicked.connect(self._others_absent)

        # Walk-ins: a name typed, or found in the directory.
        self.walk_in = accessible(QLineEdit(), _("Participant who came without invitation"),
                                  _("First name and last name; a name from the directory is "
                                    "suggested as you type"))
        self.walk_in.setPlaceholderText(_("First name Last name, then Enter"))
        self.walk_in_gender = civility_combo()
        self.walk_in_button = QPushButton(_("Add the &participant"))
        self.walk_in_button.clicked.connect(self._add_walk_in)
        self.walk_in.returnPressed.connect(self._add_walk_in)
        self.completer = QCompleter(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.walk_in.setCompleter(self.completer)
        self.walk_in.installEventFilter(self)   # the suggestions are read on focus
        self._directory: dict[str, str] = {}
        self._directory_mark: tuple | None = None
        walk_in = QHBoxLayout()
        walk_in.addWidget(self.walk_in_gender)
        walk_in.addWidget(self.walk_in, 1)
        walk_in.addWidget(self.walk_in_button)

        # Anonymous head count.
        self.count_gender = accessible(QComboBox(), _("Gender"))
        fill_combo(self.count_gender, [(_(GENDER_LABELS[g]), g.value) for g in Gender])
        self.count_age = accessible(QComboBox(), _("Age band"))
        fill_combo(self.count_age, [(_(AGE_BAND_LABELS[a]), a.value) for a in AgeBand])
        self.count_qpv = accessible(QComboBox(), _("Lives in the neighbourhood"))
        fill_combo(self.count_qpv, [(_("lives in the neighbourhood: not known"), None),
                                    (_("lives in the neighbourhood"), 1),
                                    (_("lives elsewhere"), 0)])
        self.count_first = accessible(QComboBox(), _("First participation"))
        fill_combo(self.count_first, [(_("first time: not known"), None),
                                      (_("first time"), 1), (_("has come before"), 0)])
        self.count_number = accessible(QSpinBox(), _("Number of people"))
        self.count_number.setRange(0, 9999)
        self.count_number.setValue(1)
        self.count_button = QPushButton(_("&Count"))
        self.count_button.setToolTip(_("Sets the number of people of this description "
                                       "(0 removes the line)."))
        self.count_button.clicked.connect(self._count)
        counting = QGridLayout()
        counting.addWidget(self.count_number, 0, 0)
        counting.addWidget(self.count_gender, 0, 1)
        counting.addWidget(self.count_age, 0, 2)
        counting.addWidget(self.count_qpv, 1, 1)
        counting.addWidget(self.count_first, 1, 2)
        counting.addWidget(self.count_button, 0, 3)
        counting.setColumnStretch(4, 1)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.absent_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(hint(_("Select a line and type P, E, A or R: the next line is "
                                "selected at once. Several lines can be selected.")))
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(section(_("People who came without invitation")))
        layout.addLayout(walk_in)
        layout.addWidget(section(_("People counted without their name")))
        layout.addLayout(counting)
        layout.addWidget(self.counts)

    # -- data ------------------------------------------------------------------------

    def _rows(self) -> list[dict[str, Any]]:
        if self.meeting_id is None:
            return []
        return meetings.attendance(self.db, self.meeting_id)

    def _status_text(self, row: dict[str, Any]) -> str:
        if not row["status"]:
            return ""
        text = self.status_labels.get(row["status"], row["status"])
        if row["status"] == Attendance.REPRESENTE and row["proxy_name"]:
            text += " " + _("by %(name)s") % {"name": row["proxy_name"]}
        return text

    def load(self, meeting_id: str | None) -> None:
        self.meeting_id = meeting_id
        meeting = meetings.require_meeting(self.db, meeting_id) if meeting_id else None
        self.locked = bool(meeting and meeting["minutes_status"] == "valide")
        self.banner.clear_message()
        self.refresh()
        if self.model.rowCount():
            self.view.selectRow(0)
        for widget in (*self.buttons.values(), self.clear_button, self.absent_button,
                       self.walk_in, self.walk_in_gender, self.walk_in_button,
                       self.count_gender, self.count_age, self.count_qpv, self.count_first,
                       self.count_number, self.count_button):
            widget.setEnabled(meeting is not None and not self.locked)

    def refresh(self) -> None:
        selected = self._selected_ids()
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
        for person_id in selected:
            row = self.model.row_of(person_id)
            if row >= 0:
                self.view.selectionModel().select(
                    self.model.index(row, 0),
                    self.view.selectionModel().SelectionFlag.Select
                    | self.view.selectionModel().SelectionFlag.Rows)
        if self.meeting_id is None:
            self.summary.clear()
            self.counts.clear()
            return
        meeting = meetings.get_meeting(self.db, self.meeting_id)
        self.summary.setText(summary_text(meeting["summary"]))
        self.counts.setText(self._counts_text(meeting["headcounts"]))

    def _counts_text(self, headcounts: list[dict[str, Any]]) -> str:
        if not headcounts:
            return _("Nobody counted without a name.")
        lines = []
        for h in headcounts:
            details = [_(GENDER_LABELS[Gender(h["gender"])]),
                       _(AGE_BAND_LABELS[AgeBand(h["age_band"])])]
            if h["lives_in_qpv"] is not None:
                details.append(_("lives in the neighbourhood") if h["lives_in_qpv"]
                               else _("lives elsewhere"))
            if h["first_time"] is not None:
                details.append(_("first time") if h["first_time"] else _("has come before"))
            lines.append(f"{i18n.format_number(h['count'])} × " + ", ".join(details))
        return "\n".join(lines)

    def _fill_completer(self) -> None:
        """The directory's names, suggested as a walk-in's name is typed: read when the
        field is first used, and again only when the directory changed (thousands of
        people after ten years: reading them at each meeting opened cost more than the
        rest of the tab)."""
        mark = people.directory_mark(self.db)
        if mark == self._directory_mark:
            return
        self._directory_mark = mark
        self._directory = dict(people.labelled_choices(self.db))
        self.completer.setModel(QStringListModel(list(self._directory), self.completer))

    def _selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.id_at(r) for r in rows if self.model.id_at(r)]

    # -- marking ---------------------------------------------------------------------

    def mark(self, status: str | None) -> None:
        """Mark the selected people, then select the line after the last one."""
        if self.meeting_id is None or self.locked:
            return
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        if not rows:
            return
        records = [self.model.record(r) for r in rows]
        self.banner.clear_message()
        proxies: dict[str, str | None] = {r["person_id"]: None for r in records}
        if status == Attendance.REPRESENTE:
            # Ask first: no transaction stays open while a dialog waits for the user.
            for record in records:
                dialog = ProxyDialog(self.db, self.meeting_id, record, self)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                proxies[record["person_id"]] = dialog.proxy_id
        try:
            with self.db.transaction():
                for record in records:
                    meetings.set_attendance(self.db, self.meeting_id, record["person_id"],
                                            status, proxies[record["person_id"]])
        except UserError as exc:
            self.banner.show_message(exc.message)
            self.refresh()
            return
        after = rows[-1] + 1
        self.refresh()
        self.view.clearSelection()
        self.view.selectRow(min(after, self.model.rowCount() - 1))
        self.saved.emit({"id": self.meeting_id})

    def _cycle(self) -> None:
        """Double-click: présent ↔ excusé ↔ absent."""
        records = [self.model.record(i.row()) for i in self.view.selectionModel().selectedRows()]
        if len(records) != 1:
            return
        order = [Attendance.PRESENT, Attendance.EXCUSE, Attendance.ABSENT]
        current = records[0]["status"]
        following = order[(order.index(current) + 1) % 3] if current in order else order[0]
        row = self.model.row_of(records[0]["person_id"])
        self.mark(following)
        self.view.clearSelection()
        self.view.selectRow(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.walk_in and event.type() == QEvent.Type.FocusIn:
            self._fill_completer()
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event
            modifiers = key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers == Qt.KeyboardModifier.NoModifier:
                if key_event.key() in KEYS:
                    self.mark(KEYS[Qt.Key(key_event.key())])
                    return True
                if key_event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self.mark(None)
                    return True
        return super().eventFilter(watched, event)

    def _others_absent(self) -> None:
        if self.meeting_id is None:
            return
        summary = meetings.attendance_summary(self.db, self.meeting_id)
        if not summary["not_recorded"]:
            return
        question = ngettext("Record %(count)d member absent?",
                            "Record %(count)d members absent?",
                            summary["not_recorded"]) % {"count": summary["not_recorded"]}
        if confirm(self, question, _("Record absent")):
            with reporting(self):
                meetings.mark_unrecorded_absent(self.db, self.meeting_id)
                self.refresh()
                self.saved.emit({"id": self.meeting_id})

    # -- walk-ins and counts ---------------------------------------------------------

    def _add_walk_in(self) -> None:
        text = self.walk_in.text().strip()
        if self.meeting_id is None or not text:
            return
        self.banner.clear_message()
        self._fill_completer()
        try:
            person_id = self._directory.get(text)
            if person_id:
                meetings.add_walk_in(self.db, self.meeting_id, person_id)
            else:
                first, _sep, last = text.partition(" ")
                person_id = meetings.add_walk_in(
                    self.db, self.meeting_id, first_name=first, last_name=last,
                    gender=self.walk_in_gender.currentData())
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        # Later than now: choosing from the suggestions writes the name back on Enter.
        QTimer.singleShot(0, self.walk_in.clear)
        self.walk_in.clear()
        self.refresh()
        self._fill_completer()   # a new person in the directory: suggested next time
        row = self.model.row_of(person_id)
        if row >= 0:
            self.view.scrollTo(self.model.index(row, 0))
        self.saved.emit({"id": self.meeting_id})

    def _count(self) -> None:
        if self.meeting_id is None:
            return
        with reporting(self):
            meetings.set_headcount(self.db, self.meeting_id, self.count_gender.currentData(),
                                   self.count_age.currentData(), self.count_qpv.currentData(),
                                   self.count_first.currentData(), self.count_number.value())
            self.refresh()
            self.saved.emit({"id": self.meeting_id})

    def flush(self) -> bool:
        return True
