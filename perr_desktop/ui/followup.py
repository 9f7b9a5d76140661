"""The « Suivi » area: every problem passed to a body, across all walks, what needs
chasing up, and one follow-up with its history of dated steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain import walks as rules
from perr_desktop.domain.text import search_key
from perr_desktop.errors import UserError
from perr_desktop.i18n import N_, _, ngettext
from perr_desktop.services import councils, followups, reference
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.models import Column, LazyTableModel, RowsTableModel
from perr_desktop.ui.people import SEARCH_DELAY_MS
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import (
    ErrorBanner,
    FormDialog,
    OptionalDateEdit,
    accessible,
    add_row,
    confirm,
    fill_combo,
    heading,
    hint,
    long_date,
    qt_date_format,
    resize_to_contents_when_shown,
    section,
    set_combo_data,
    short_date,
)
from perr_desktop.ui.worker import BackgroundReader

# From this many follow-ups the list is read off the GUI thread (a few thousand read and
# sort in a frame or two; ten years of five councils, 18,000, in a tenth of a second).
BACKGROUND_FROM = 3000
# « Walk more than … old »: the age filter, in days.
AGES = (
    (N_("Walks of any date"), None),
    (N_("Walk more than 30 days ago"), 30),
    (N_("Walk more than 3 months ago"), 91),
    (N_("Walk more than 6 months ago"), 182),
    (N_("Walk more than a year ago"), 365),
)
# Quick choices for the next reminder, counted from the step's date.
REMINDER_DELAYS = (15, 30)
# A dark red that stays readable on the light alternating rows (contrast above 4.5:1).
OVERDUE_COLOR = "#b3261e"


def overdue_reason(row: dict[str, Any], today: dt.date) -> str:
    """Why a follow-up is « à relancer », in one sentence (empty when it is not)."""
    if not row.get("overdue"):
        return ""
    if row.get("next_reminder_on"):
        return _("To chase up: the reminder was due on %(date)s.") % {
            "date": short_date(row["next_reminder_on"])}
    days = (today - dt.date.fromisoformat(row["last_step_date"])).days
    return ngettext("To chase up: sent on %(date)s, no answer for %(days)d day.",
                    "To chase up: sent on %(date)s, no answer for %(days)d days.", days) % {
        "date": short_date(row["last_step_date"]), "days": days}


def first_line(text: str | None) -> str:
    return (text or "").strip().split("\n", 1)[0]


def next_status(statuses: list[dict[str, Any]], current: str) -> str:
    """The status a new step most likely records: the one after the current status in
    the vocabulary's order (« transmis » after « à transmettre »), while it is open."""
    codes = [s["code"] for s in statuses]
    if current in codes:
        here = codes.index(current)
        if (statuses[here]["grouping"] or rules.OPEN) == rules.OPEN and here + 1 < len(codes):
            return codes[here + 1]
        return current
    return codes[0] if codes else ""


def followup_row(db, followup_id: str) -> dict[str, Any] | None:
    """One follow-up as the list shows it (observation, walk, stop, overdue), or None."""
    return followups.get(db, followup_id)


class FollowupListModel(LazyTableModel):
    """The follow-up list, read a page at a time: the « à relancer » mark is bold and
    red."""

    MARK = 0

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole)
                and index.isValid() and index.column() == self.MARK
                and 0 <= index.row() < self.rowCount()):
            if not self.record(index.row()).get("overdue"):
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(OVERDUE_COLOR))
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class StepDialog(FormDialog):
    """« Ajouter une étape »: what happened on which day, through which channel, and
    when to chase up next."""

    def __init__(self, db, followup: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(_("Add a step"), _("Add the step"), parent)
        self.db = db
        self.followup = followup
        self.step_id: str | None = None
        statuses = reference.vocabulary(db, "followup_status")
        body = reference.vocabulary_labels(db, "body").get(followup["body"], followup["body"])
        status_labels = reference.vocabulary_labels(db, "followup_status")

        self.date = accessible(QDateEdit(), _("Date of the step"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(qt_date_format())
        self.date.setDate(QDate(followups._today()))
        self.status = accessible(QComboBox(), _("New status"))
        fill_combo(self.status, [(s["label"], s["code"]) for s in statuses])
        set_combo_data(self.status, next_status(statuses, followup["status"]))
        self.channel = accessible(QComboBox(), _("Channel"))
        fill_combo(self.channel, [(_("not specified"), "")] + [
            (v["label"], v["code"]) for v in reference.vocabulary(db, "followup_channel")])
        self.note = accessible(QPlainTextEdit(), _("Note"),
                               _("What was sent or answered, by whom, what comes next"))
        self.note.setTabChangesFocus(True)
        self.note.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.reminder = OptionalDateEdit()
        self.reminder.setAccessibleName(_("Next reminder"))
        self.quick: list[QPushButton] = []
        reminder = QHBoxLayout()
        reminder.addWidget(self.reminder, 1)
        for days in REMINDER_DELAYS:
            button = accessible(QPushButton(_("+%(days)d days") % {"days": days}),
                                _("Remind %(days)d days after the step") % {"days": days},
                                _("Remind %(days)d days after the step") % {"days": days})
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, d=days: self._remind_in(d))
            reminder.addWidget(button)
            self.quick.append(button)

        context = hint(_("No. %(number)d — %(text)s\n%(body)s, now: %(status)s") % {
            "number": followup["number"], "text": first_line(followup["description"]),
            "body": body, "status": status_labels.get(followup["status"], followup["status"])})
        self.body.insertWidget(0, context)
        self.form.addRow(_("&Date"), self.date)
        self.form.addRow(_("New &status"), self.status)
        self.form.addRow(_("&Channel"), self.channel)
        self.form.addRow(_("&Note"), self.note)
        add_row(self.form, _("Next &reminder"), reminder, self.reminder)
        self.body.addWidget(hint(_("Without a reminder date, a problem sent and left "
                                   "without an answer is to chase up after %(days)d days.")
                                 % {"days": rules.REMINDER_AFTER_DAYS}))
        self.finish_layout()
        self.status.setFocus()

    def _remind_in(self, days: int) -> None:
        self.reminder.set_date(self.date.date().toPython() + dt.timedelta(days=days))

    def save(self) -> None:
        self.step_id = followups.add_step(
            self.db, self.followup["id"], self.status.currentData(),
            self.date.date().toPython().isoformat(), self.channel.currentData() or "",
            self.note.toPlainText(), self.reminder.iso())


class FollowupDetail(QWidget):
    """One follow-up: the observation, the body, the status and the history of steps."""

    changed = Signal(str)
    openWalk = Signal(str)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.followup_id: str | None = None
        self.record: dict[str, Any] | None = None

        self.title = heading("", level=2)
        self.chip = QLabel()
        set_role(self.chip, "chip")
        self.chip.setAccessibleName(_("Status"))
        self.subtitle = hint("")
        self.reminder_banner = QLabel()
        set_role(self.reminder_banner, "banner")
        self.reminder_banner.setWordWrap(True)
        self.reminder_banner.hide()
        self.banner = ErrorBanner(self)

        def value() -> QLabel:
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            return label

        self.body_value, self.reminder_value, self.kind_value = value(), value(), value()
        self.description_value, self.proposal_value, self.stop_value = value(), value(), value()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, label in ((_("Body"), self.body_value),
                            (_("Next reminder"), self.reminder_value),
                            (_("Observation"), self.kind_value),
                            (_("Description"), self.description_value),
                            (_("Proposal"), self.proposal_value),
                            (_("Stop"), self.stop_value)):
            form.addRow(text, label)

        self.channels: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        columns = [
            Column("step_date", _("Date"), lambda r: short_date(r["step_date"])),
            Column("status", _("Status"), lambda r: self.statuses.get(r["status"], r["status"])),
            Column("channel", _("Channel"),
                   lambda r: self.channels.get(r["channel"], r["channel"])),
            Column("next_reminder_on", _("Next reminder"),
                   lambda r: short_date(r["next_reminder_on"])),
            Column("note", _("Note"), lambda r: first_line(r["note"]),
                   tooltip=lambda r: r["note"]),
        ]
        self.history_model = RowsTableModel(columns, self._steps, self)
        self.history = QTableView()
        configure_table(self.history, _("History of the follow-up"))
        self.history.setModel(self.history_model)
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setMinimumHeight(self.fontMetrics().height() * 6)
        self.no_step = hint(_("No step yet: the problem has not been passed to this body."))

        self.add_button = QPushButton(_("&Add a step…"))
        self.add_button.setToolTip(_("Add a step (Ctrl+N)"))
        self.remove_button = QPushButton(_("Re&move the step…"))
        self.remove_button.setToolTip(_("Remove the selected step, entered by mistake"))
        self.walk_button = QPushButton(_("See the &walk"))
        self.walk_button.setToolTip(_("Open the walking diagnostic of this observation"))
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.walk_button.clicked.connect(self._open_walk)
        self.history.selectionModel().selectionChanged.connect(self._update_buttons)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.history)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_step)

        info = QWidget()
        info_layout = QVBoxLayout(info)
        info_layout.setContentsMargins(0, 0, 0, 0)
        info_layout.addLayout(form)
        info_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(info)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        head.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        # The observation on the left, what was done about it on the right.
        observation = QVBoxLayout()
        observation.addWidget(scroll, 1)
        walk_row = QHBoxLayout()
        walk_row.addWidget(self.walk_button)
        walk_row.addStretch(1)
        observation.addLayout(walk_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        history = QVBoxLayout()
        history.addWidget(section(_("History of the follow-up")))
        history.addWidget(self.no_step)
        history.addWidget(self.history, 1)
        history.addLayout(buttons)
        columns = QHBoxLayout()
        columns.addLayout(observation, 2)
        columns.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        columns.addLayout(history, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, self.fontMetrics().height() // 2, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.reminder_banner)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        self.load(None)

    # -- showing -----------------------------------------------------------------------

    def _steps(self) -> list[dict[str, Any]]:
        return followups.steps(self.db, self.followup_id) if self.followup_id else []

    def load(self, followup_id: str | None) -> None:
        self.banner.clear_message()
        self.followup_id = followup_id
        self.record = followup_row(self.db, followup_id) if followup_id else None
        if self.record is None:
            self.followup_id = None
        self.statuses = reference.vocabulary_labels(self.db, "followup_status")
        self.channels = reference.vocabulary_labels(self.db, "followup_channel")
        self._show(self.record)
        self.history_model.refresh()
        count = self.history_model.rowCount()
        self.no_step.setVisible(self.record is not None and count == 0)
        if count:
            # The newest step, at the bottom: the one « Retirer » takes back by default.
            self.history.selectRow(count - 1)
            self.history.scrollToBottom()
        self.setEnabled(self.record is not None)
        self._update_buttons()

    def _show(self, row: dict[str, Any] | None) -> None:
        values = (self.body_value, self.reminder_value, self.kind_value,
                  self.description_value, self.proposal_value, self.stop_value)
        if row is None:
            self.title.setText(_("No follow-up selected"))
            self.subtitle.clear()
            self.chip.hide()
            self.reminder_banner.hide()
            for label in values:
                label.clear()
            return
        themes = reference.vocabulary_labels(self.db, "observation_theme")
        bodies = reference.vocabulary_labels(self.db, "body")
        status = self.statuses.get(row["status"], row["status"])
        theme = themes.get(row["theme"], row["theme"]) if row["theme"] else _("no theme")
        self.title.setText(_("No. %(number)d — %(theme)s") % {"number": row["number"],
                                                               "theme": theme})
        self.subtitle.setText(" · ".join((row["walk_title"], long_date(row["walk_date"]),
                                          row["council_name"])))
        self.chip.setText(status)
        self.chip.show()
        reason = overdue_reason(row, followups._today())
        self.reminder_banner.setText(reason)
        self.reminder_banner.setVisible(bool(reason))
        kind = _("+ strong point") if row["positive"] else _("− weak point")
        if row["priority"]:
            kind += " · " + _("priority %(priority)d") % {"priority": row["priority"]}
        self.body_value.setText(bodies.get(row["body"], row["body"]))
        self.reminder_value.setText(short_date(row["next_reminder_on"]) or _("no reminder"))
        self.kind_value.setText(kind)
        self.description_value.setText(row["description"] or "—")
        self.proposal_value.setText(row["proposal"] or "—")
        self.stop_value.setText(row["stop_name"] or "—")

    def _selected_step(self) -> dict[str, Any] | None:
        rows = self.history.selectionModel().selectedRows()
        return self.history_model.record(rows[0].row()) if rows else None

    def _update_buttons(self, *_args) -> None:
        has = self.record is not None
        self.add_button.setEnabled(has)
        self.walk_button.setEnabled(has)
        self.remove_button.setEnabled(has and self._selected_step() is not None)

    # -- actions -----------------------------------------------------------------------

    def add_step(self) -> None:
        if self.record is None:
            return
        self.banner.clear_message()
        dialog = StepDialog(self.db, self.record, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.step_id:
            self.changed.emit(self.record["id"])

    def remove_step(self) -> None:
        step = self._selected_step()
        if self.record is None or step is None:
            return
        self.banner.clear_message()
        question = _("Remove the step of %(date)s (%(status)s)? Use this only for a step "
                     "entered by mistake: the follow-up goes back to the status before it.") % {
            "date": short_date(step["step_date"]),
            "status": self.statuses.get(step["status"], step["status"])}
        if not confirm(self, question, _("Remove the step")):
            return
        followup_id = self.record["id"]
        try:
            followups.remove_step(self.db, step["id"])
        except UserError as exc:
            self.load(followup_id)
            self.banner.show_message(exc.message)
            return
        self.changed.emit(followup_id)

    def _open_walk(self) -> None:
        if self.record is not None:
            self.openWalk.emit(self.record["walk_id"])


class FollowupPage(QWidget):
    """« Suivi »: the list across all walks, filtered, « à relancer » first."""

    SHARED = (3, 5)     # the stop and body columns, sized with the list's width
    FLEXIBLE = (3, 4, 5)  # … and the observation, which takes what is left

    saved = Signal(dict)
    openWalk = Signal(str)

    def __init__(self, db, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.title = _("Follow-up")
        self.labels: dict[str, dict[str, str]] = {}
        self._total = self._overdue = 0
        self._listing_key: tuple | None = None
        self._listing: followups.Listing | None = None
        # A large list (ten years: 18,000 follow-ups, a tenth of a second to read and
        # sort) is read off the GUI thread; what is on screen stays until it comes.
        self._reading_key: tuple | None = None
        self._refresh_args: tuple[str | None, bool] = (None, False)
        self.reader = BackgroundReader(db.path, self)
        self.reader.answered.connect(self._listing_answered)

        self.search = accessible(QLineEdit(), _("Search the follow-ups"),
                                 _("Part of a description, a stop or a walk; accents and "
                                   "capitals do not matter (Ctrl+F)"))
        self.search.setPlaceholderText(_("Search a description, a stop (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.council_filter = self._combo(_("Council"))
        self.body_filter = self._combo(_("Body"))
        self.status_filter = self._combo(_("Status"))
        self.theme_filter = self._combo(_("Theme"))
        self.age_filter = self._combo(_("Age of the walk"))
        self.to_remind = accessible(QPushButton(), _("To chase up"),
                                    _("Only what needs a reminder: its reminder date has "
                                      "come, or it was sent %(days)d days ago without an "
                                      "answer") % {"days": rules.REMINDER_AFTER_DAYS})
        self.open_only = accessible(QPushButton(_("&Open only")), _("Open only"),
                                    _("Hide what is resolved or closed"))
        for toggle in (self.to_remind, self.open_only):
            toggle.setCheckable(True)
            toggle.toggled.connect(lambda _c, t=toggle: self._show_toggle(t))
        self.open_only.setChecked(True)
        self.refresh_filters()
        if settings.default_council_id:
            set_combo_data(self.council_filter, settings.default_council_id)
            if self.council_filter.currentIndex() < 0:
                self.council_filter.setCurrentIndex(0)
        self.count = QLabel()
        set_role(self.count, "hint")
        self.count.setWordWrap(True)
        self.empty_hint = hint(_("Nothing to follow up yet: the observations of a walk "
                                 "appear here, one line per body concerned."))

        columns = [
            Column("overdue", _("Reminder"),
                   lambda r: _("To chase up") if r["overdue"] else "", sort="urgency"),
            Column("number", _("No."), lambda r: str(r["number"]), sort="number",
                   align_right=True),
            Column("walk_date", _("Walk"), lambda r: short_date(r["walk_date"]),
                   sort="walk_date"),
            Column("stop_name", _("Stop"), sort="stop_name"),
            Column("description", _("Observation"), lambda r: first_line(r["description"]),
                   sort="description"),
            Column("body", _("Body"), lambda r: r["body_label"], sort="body_label"),
            Column("status", _("Status"), lambda r: r["status_label"], sort="status_order"),
            Column("last_step_date", _("Last step"), lambda r: short_date(r["last_step_date"]),
                   sort="last_step_date"),
            Column("next_reminder_on", _("Next reminder"),
                   lambda r: short_date(r["next_reminder_on"]), sort="next_reminder_on"),
        ]
        for column in columns:
            column.tooltip = self._tooltip
        self.model = FollowupListModel(columns, self._ids, self._rows, self)
        self.view = QTableView()
        configure_table(self.view, _("Follow-ups"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        # Sized to the rows on screen once shown (a hidden view would read every row).
        resize_to_contents_when_shown(self.view, [c for c in range(len(columns))
                                                  if c != 4 and c not in self.SHARED])
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * 4)
        # The observation gets the room left; stops and bodies share it with a quarter
        # each (long names elided, whole in the tooltip): see _fit_columns.
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column in self.SHARED:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(
            lambda column, _old, _new: None if column in self.FLEXIBLE
            else self._fit_columns())
        self.view.viewport().installEventFilter(self)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)

        self.detail = FollowupDetail(db, self)
        self.detail.changed.connect(self._changed)
        self.detail.openWalk.connect(self.openWalk)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: None if db.closed else self.refresh())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._go_to_first)
        for combo in (self.council_filter, self.body_filter, self.theme_filter,
                      self.age_filter):
            combo.activated.connect(lambda _i: self.refresh())
        self.status_filter.activated.connect(lambda _i: self._status_chosen())
        self.to_remind.toggled.connect(lambda _c: self.refresh())
        self.open_only.toggled.connect(lambda _c: self.refresh())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda _i: self.new_record())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.view)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.new_record)

        top = QHBoxLayout()
        top.addWidget(heading(_("Follow-up")), 1)
        top.addWidget(self.to_remind)
        top.addWidget(self.open_only)
        filters = QGridLayout()
        for n, field in enumerate((self.search, self.council_filter, self.body_filter,
                                   self.status_filter, self.theme_filter, self.age_filter)):
            filters.addWidget(field, n // 3, n % 3)
        for column in range(3):
            filters.setColumnStretch(column, 1)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.empty_hint)
        upper_layout.addWidget(self.view, 1)

        # The list takes the whole width (nine columns), the follow-up opens beneath it.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)

        self.refresh()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        header = self.view.horizontalHeader()
        char = self.fontMetrics().averageCharWidth()
        others = sum(header.sectionSize(c) for c in range(self.model.columnCount())
                     if c not in self.FLEXIBLE)
        room = self.view.viewport().width() - others
        share = max(char * 10, min(char * 34, room // 4))
        for column in self.SHARED:
            if header.sectionSize(column) != share:
                self.view.setColumnWidth(column, share)

    @staticmethod
    def _show_toggle(toggle: QPushButton) -> None:
        """A toggle that is on reads bold, not only pressed in."""
        set_role(toggle, "primary" if toggle.isChecked() else "")

    def _combo(self, name: str) -> QComboBox:
        combo = accessible(QComboBox(), name)
        # Long labels (« Hors compétence – réorienté ») must not widen the page.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        return combo

    # -- filters -----------------------------------------------------------------------

    def refresh_filters(self) -> None:
        """Councils and vocabularies may have changed on other pages."""
        vocabulary = {kind: reference.vocabulary(self.db, kind) for kind in
                      ("body", "followup_status", "observation_theme")}
        self.labels = {kind: reference.vocabulary_labels(self.db, kind) for kind in vocabulary}
        self.status_order = {v["code"]: n for n, v in
                             enumerate(vocabulary["followup_status"])}
        self.status_groups = {v["code"]: v["grouping"] or rules.OPEN
                              for v in vocabulary["followup_status"]}
        fill_combo(self.council_filter, [(_("All councils"), None)] + [
            (c["name"], c["id"]) for c in councils.list_councils(self.db)])
        fill_combo(self.body_filter, [(_("All bodies"), None)] + [
            (v["label"], v["code"]) for v in vocabulary["body"]])
        fill_combo(self.status_filter, [(_("All statuses"), None)] + [
            (v["label"], v["code"]) for v in vocabulary["followup_status"]])
        fill_combo(self.theme_filter, [(_("All themes"), None)] + [
            (v["label"], v["code"]) for v in vocabulary["observation_theme"]])
        fill_combo(self.age_filter, [(_(label), days) for label, days in AGES])

    def _status_chosen(self) -> None:
        """Asking for « résolu » or « refusé » means wanting to see closed ones."""
        status = self.status_filter.currentData()
        if status and self.status_groups.get(status) != rules.OPEN:
            with QSignalBlocker(self.open_only):
                self.open_only.setChecked(False)
        self.refresh()

    # -- list --------------------------------------------------------------------------

    def _filters(self) -> dict[str, Any]:
        return {"council_id": self.council_filter.currentData(),
                "body": self.body_filter.currentData(),
                "status": self.status_filter.currentData(),
                "theme": self.theme_filter.currentData(),
                "older_than_days": self.age_filter.currentData(),
                "group": rules.OPEN if self.open_only.isChecked() else None,
                "text": self.search.text()}

    def _ids(self, sort: str | None, descending: bool) -> list[str]:
        """The ids the filters keep, sorted in SQL (overdue first, then the latest walk,
        then the observation's number, by default); the counts come with them. A large
        list is read in the background: until it comes, the one read before."""
        filters = self._filters()
        # The same filters on an unchanged database (« à relancer » toggled, the page
        # shown again): the list read last time, sorted already.
        key = (tuple(filters.items()), sort, descending, self.db.change_mark(),
               followups._today())
        if key != self._listing_key:
            bodies = self.labels.get("body", {})
            arguments = dict(
                sort=sort or "urgency", descending=descending, body_order={
                    code: n for n, code in enumerate(
                        sorted(bodies, key=lambda code: search_key(bodies[code])))},
                status_order=self.status_order, **filters)
            if self._large():
                if key != self._reading_key:
                    self._reading_key = key
                    self.reader.read(
                        lambda db: (key, followups.list_ids(db, **arguments)))
            else:
                self._listing = followups.list_ids(self.db, **arguments)
                self._listing_key = key
        listing = self._listing
        if listing is None:
            return []
        self._total, self._overdue = listing.total, listing.overdue
        if self.to_remind.isChecked():
            return [i for i in listing.ids if i in listing.late]
        return listing.ids

    def _large(self) -> bool:
        return self.db.scalar("SELECT count(*) FROM followups WHERE deleted_at IS NULL"
                              ) >= BACKGROUND_FROM

    def _listing_answered(self, answer: tuple[tuple, followups.Listing]) -> None:
        key, listing = answer
        if self.db.closed:   # the window is closing
            return
        self._reading_key = None
        self._listing, self._listing_key = listing, key
        self.refresh(*self._refresh_args)

    def _rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = followups.list_rows(self.db, ids)
        bodies = self.labels.get("body", {})
        statuses = self.labels.get("followup_status", {})
        for r in rows.values():
            r["body_label"] = bodies.get(r["body"], r["body"])
            r["status_label"] = statuses.get(r["status"], r["status"])
        return rows

    def _tooltip(self, row: dict[str, Any]) -> str:
        lines = [_("No. %(number)d — %(walk)s, %(date)s") % {
            "number": row["number"], "walk": row["walk_title"],
            "date": short_date(row["walk_date"])}]
        if row["description"]:
            lines.append(row["description"])
        reason = overdue_reason(row, followups._today())
        if reason:
            lines.append(reason)
        return "\n".join(lines)

    def _show_count(self) -> None:
        if self.to_remind.isChecked():
            text = ngettext("%(count)d follow-up to chase up, out of %(total)d",
                            "%(count)d follow-ups to chase up, out of %(total)d",
                            self._overdue) % {"count": self._overdue, "total": self._total}
        else:
            text = ngettext("%(count)d follow-up", "%(count)d follow-ups", self._total) % {
                "count": self._total}
            if self._overdue:
                text += ngettext(", of which %(count)d to chase up",
                                 ", of which %(count)d to chase up",
                                 self._overdue) % {"count": self._overdue}
        self.count.setText(text)
        self.to_remind.setText(_("&To chase up (%(count)d)") % {"count": self._overdue})

    def refresh(self, select: str | None = None, keep_detail: bool = False) -> None:
        """Read the list again; ``keep_detail`` leaves the follow-up just changed on the
        right even when the filters now hide it (« résolu » under « Ouverts seulement »)."""
        self._search_timer.stop()
        self._refresh_args = (select, keep_detail)   # again, once a large list is read
        current = select or self.detail.followup_id
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
        self._show_count()
        nothing = not self.db.scalar(
            "SELECT EXISTS (SELECT 1 FROM followups WHERE deleted_at IS NULL)")
        self.empty_hint.setVisible(nothing)
        row = self.model.row_of(current)
        if row < 0 and not keep_detail and self.model.rowCount():
            row = 0
        if row >= 0:
            with QSignalBlocker(self.view.selectionModel()):
                self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        followup_id = self.model.id_at(row) if row >= 0 else (current if keep_detail else None)
        self.detail.load(followup_id)

    def _go_to_first(self) -> None:
        self.refresh()
        if self.model.rowCount():
            self.view.selectRow(0)
            self.view.setFocus()

    def _selection_changed(self, *_args) -> None:
        rows = self.view.selectionModel().selectedRows()
        followup_id = self.model.id_at(rows[0].row()) if rows else None
        if followup_id is not None and followup_id != self.detail.followup_id:
            self.detail.load(followup_id)

    def _changed(self, followup_id: str) -> None:
        self.refresh(select=followup_id, keep_detail=True)
        self.saved.emit({"id": followup_id})

    # -- page protocol -----------------------------------------------------------------

    def new_record(self) -> None:
        """Ctrl+N: « Ajouter une étape » to the follow-up shown on the right."""
        self.detail.add_step()

    def open_followup(self, followup_id: str) -> None:
        """Show one follow-up (from a walk, say), whatever the filters hid."""
        self.refresh(select=followup_id, keep_detail=True)

    def activate(self) -> None:
        self.refresh_filters()
        self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def flush(self) -> bool:
        # Nothing is typed on this page outside its dialogs: nothing waits to be saved.
        return True
