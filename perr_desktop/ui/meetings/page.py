"""The Meetings area: past and coming meetings as a list or a month, and one meeting."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.meetings import minutes_status_label
from perr_desktop.i18n import _
from perr_desktop.services import councils, meetings, reference
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.meetings.attendance import AttendanceTab
from perr_desktop.ui.meetings.dialogs import NewMeetingDialog
from perr_desktop.ui.meetings.documents import DocumentsTab
from perr_desktop.ui.meetings.minutes import MinutesTab
from perr_desktop.ui.meetings.planning import PlanTab
from perr_desktop.ui.models import Column, LazyTableModel
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import (
    LazyTabs,
    accessible,
    confirm,
    council_choices,
    fill_combo,
    heading,
    list_and_detail,
    reporting,
    resize_to_contents_when_shown,
    tab_page,
)


def when_text(row: dict[str, Any]) -> str:
    return _short_moment(row["starts_at"], i18n.get_language())


@functools.lru_cache(maxsize=4096)
def _short_moment(starts_at: str, _language: str) -> str:
    # The list shows each meeting's moment again at every paint: Babel formats it once.
    start = dt.datetime.fromisoformat(starts_at)
    return f"{i18n.format_date(start.date(), 'short')} {i18n.format_time(start)}"


def full_when(row: dict[str, Any]) -> str:
    start = dt.datetime.fromisoformat(row["starts_at"])
    text = f"{i18n.format_date(start.date(), 'full')}, {i18n.format_time(start)}"
    if row.get("ends_at"):
        text += f" – {i18n.format_time(dt.datetime.fromisoformat(row['ends_at']))}"
    return text


class MeetingDetail(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id: str | None = None
        self.title = heading("")
        self.subtitle = QLabel()
        set_role(self.subtitle, "hint")
        self.subtitle.setWordWrap(True)
        self.chip = QLabel()
        set_role(self.chip, "chip")
        # Each tab is built when first looked at (LazyTabs): the page opens with one.
        self.tabs = LazyTabs()
        for name, text, factory in (
                ("plan", _("&Preparation"), PlanTab), ("attendance", _("A&ttendance"),
                                                        AttendanceTab),
                ("minutes", _("M&inutes"), MinutesTab), ("documents", _("&Documents"),
                                                          DocumentsTab)):
            self.tabs.add(name, text, lambda factory=factory: factory(db))
        self.tabs.built.connect(lambda _name, tab: tab.saved.connect(self._tab_saved))
        self.tabs.currentChanged.connect(self._tab_changed)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        head.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self._loaded: set[int] = set()

    plan = tab_page("plan")
    attendance = tab_page("attendance")
    minutes = tab_page("minutes")
    documents = tab_page("documents")

    def load(self, meeting_id: str | None) -> None:
        """Show a meeting; tabs fill when first looked at (opening stays instant)."""
        self.flush()
        self.meeting_id = meeting_id
        self._loaded.clear()
        self._show_header()
        self._tab_changed(self.tabs.currentIndex())
        self.setEnabled(meeting_id is not None)

    def _show_header(self) -> None:
        if self.meeting_id is None:
            self.title.setText(_("No meeting selected"))
            self.subtitle.clear()
            self.chip.hide()
            return
        row = meetings.require_meeting(self.db, self.meeting_id)
        council = councils.require_council(self.db, row["council_id"])
        self.title.setText(row["title"])
        parts = [full_when(row), council["name"]]
        if row["venue"]:
            parts.append(row["venue"])
        if row["cancelled"]:
            parts.insert(0, _("CANCELLED"))
        self.subtitle.setText(" · ".join(parts))
        self.chip.setText(_("Minutes: %(status)s") % {
            "status": minutes_status_label(row["minutes_status"])})
        self.chip.show()

    def _tab_changed(self, index: int) -> None:
        if index in self._loaded:
            return
        for tab in self.tabs.built_pages():
            tab.flush()
        self.tabs.page(index).load(self.meeting_id)
        self._loaded.add(index)

    def _tab_saved(self, record: dict[str, Any]) -> None:
        if record.get("flush"):
            self.flush()
            return
        # Other tabs show the same meeting: they reload when next looked at.
        self._loaded = {self.tabs.currentIndex()}
        self._show_header()
        self.saved.emit({"id": self.meeting_id})

    def flush(self) -> bool:
        return all(tab.flush() for tab in self.tabs.built_pages())


class MeetingsPage(QWidget):
    saved = Signal(dict)

    def __init__(self, db, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.title = _("Meetings")
        self.kind_labels = reference.vocabulary_labels(db, "meeting_kind")

        self.council_filter = accessible(QComboBox(), _("Council"))
        self.kind_filter = accessible(QComboBox(), _("Kind of meeting"))
        self.new_button = QPushButton(_("&Plan a meeting…"))
        self.new_button.setToolTip(_("Plan a meeting (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_record)
        self.copy_button = QPushButton(_("Plan the &next one like this…"))
        self.copy_button.setToolTip(_("A new meeting with the same agenda and objectives"))
        self.copy_button.clicked.connect(self.copy_record)
        self.cancel_button = QPushButton(_("Cancel the meeting…"))
        self.cancel_button.clicked.connect(self._cancel)

        columns = [
            Column("starts_at", _("Date"), when_text, sort="starts_at"),
            Column("title", _("Meeting"), lambda r: (r["title"] if not r["cancelled"] else
                                                      _("%(title)s (cancelled)")
                                                      % {"title": r["title"]}), sort="title"),
            Column("council_name", _("Council"), lambda r: r["council_name"] + (
                f" + {r['guest_names']}" if r["guest_names"] else ""), sort="council_name"),
            Column("kind", _("Kind"), lambda r: self.kind_labels.get(r["kind"], r["kind"]),
                   sort="kind"),
            Column("minutes_status", _("Minutes"),
                   lambda r: minutes_status_label(r["minutes_status"])),
            Column("participants", _("Participants"),
                   lambda r: str(r["present_count"] + r["counted"])
                   if r["present_count"] + r["counted"] else "", align_right=True),
        ]
        # Ids of the whole list, rows read a page at a time as they come on screen.
        self.model = LazyTableModel(columns, self._ids,
                                    lambda ids: meetings.meeting_rows(db, ids), self)
        self.view = QTableView()
        configure_table(self.view, _("Meetings"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        # Sized to the rows on screen once shown (a hidden view would read every row).
        resize_to_contents_when_shown(self.view, [0, 2, 3, 4, 5])
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName(_("Month"))
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(
            QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self._paint_month())
        self.calendar.clicked.connect(self._day_clicked)
        self.calendar.activated.connect(self._day_clicked)
        self.views = QTabWidget()
        self.views.addTab(self.view, _("&List"))
        self.views.addTab(self.calendar, _("M&onth"))
        # The month is painted when shown (and again when shown after a change).
        self._month: dict[str, list[dict[str, Any]]] = {}
        self._month_stale = True
        self.views.currentChanged.connect(lambda _i: self._paint_month_if_shown())

        self.detail = MeetingDetail(db, self)
        self.detail.saved.connect(self._detail_saved)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(lambda: None if db.closed else self.refresh())

        filters = QHBoxLayout()
        filters.addWidget(self.council_filter, 1)
        filters.addWidget(self.kind_filter, 1)
        top = QHBoxLayout()
        top.addWidget(heading(_("Meetings")), 1)
        top.addWidget(self.new_button)
        actions = QHBoxLayout()
        actions.addWidget(self.copy_button)
        actions.addStretch(1)
        actions.addWidget(self.cancel_button)
        list_and_detail(self, [top, filters, (self.views, 1), actions], self.detail)

        self.council_filter.activated.connect(lambda _i: self.refresh())
        self.kind_filter.activated.connect(lambda _i: self.refresh())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh_filters()
        self.refresh()

    # -- list ------------------------------------------------------------------------

    def refresh_filters(self) -> None:
        fill_combo(self.council_filter, council_choices(self.db, _("All councils")))
        if self.council_filter.currentData() is None and self.settings.default_council_id:
            index = self.council_filter.findData(self.settings.default_council_id)
            if index >= 0:
                self.council_filter.setCurrentIndex(index)
        fill_combo(self.kind_filter, [(_("All kinds"), None)] + [
            (v["label"], v["code"]) for v in reference.vocabulary(self.db, "meeting_kind")])
        self.kind_labels = reference.vocabulary_labels(self.db, "meeting_kind")

    def _ids(self, sort: str | None, descending: bool) -> list[str]:
        return meetings.meeting_ids(self.db, self.council_filter.currentData(),
                                    self.kind_filter.currentData(), sort, descending)

    def refresh(self, select: str | None = None) -> None:
        current = select or self.detail.meeting_id
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
        row = self.model.row_of(current)
        if row < 0 and self.model.rowCount():
            row = self._next_coming_row()
        if row >= 0:
            with QSignalBlocker(self.view.selectionModel()):
                self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        meeting_id = self.model.id_at(row) if row >= 0 else None
        if meeting_id != self.detail.meeting_id or select:
            self.detail.load(meeting_id)
        self._month_stale = True
        self._paint_month_if_shown()
        self._update_buttons()

    def _next_coming_row(self) -> int:
        """The first meeting from today on, else the latest one (asked of the database:
        the list's rows are not all read)."""
        row = self.model.row_of(meetings.next_meeting_id(
            self.db, self.council_filter.currentData(), self.kind_filter.currentData()))
        return max(row, 0)

    def _selection_changed(self, *_args) -> None:
        rows = self.view.selectionModel().selectedRows()
        meeting_id = self.model.id_at(rows[0].row()) if rows else None
        if meeting_id != self.detail.meeting_id:
            self.detail.load(meeting_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.detail.meeting_id is not None
        self.copy_button.setEnabled(has)
        self.cancel_button.setEnabled(has)
        self.new_button.setEnabled(bool(councils.list_councils(self.db)))

    def _detail_saved(self, record: dict[str, Any]) -> None:
        # Title, date, attendance may have changed: the list and the month show them.
        # Later than now: a save may come from the flush of a meeting being left, and the
        # list must then keep the meeting being opened selected.
        self._refresh_timer.start()
        self.saved.emit(record)

    # -- month -----------------------------------------------------------------------

    def _paint_month_if_shown(self) -> None:
        if self._month_stale and self.views.currentWidget() is self.calendar:
            self._paint_month()

    def _paint_month(self) -> None:
        self._month_stale = False
        self.calendar.setDateTextFormat(QDate(), QTextCharFormat())
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        bold.setBackground(QBrush(QColor("#dbe7f5")))
        bold.setForeground(QBrush(QColor("#1f3a5f")))
        self._month = {}
        for row in meetings.list_meetings(self.db, self.council_filter.currentData(),
                                          self.kind_filter.currentData(),
                                          start.isoformat(), end.isoformat()):
            day = row["starts_at"][:10]
            self._month.setdefault(day, []).append(row)
            fmt = QTextCharFormat(bold)
            fmt.setToolTip("\n".join(f"{r['starts_at'][11:16]} {r['title']}"
                                     for r in self._month[day]))
            self.calendar.setDateTextFormat(QDate.fromString(day, "yyyy-MM-dd"), fmt)

    def _day_clicked(self, date: QDate) -> None:
        rows = self._month.get(date.toString("yyyy-MM-dd"), [])
        if rows:
            self.refresh(select=rows[0]["id"])

    # -- actions ---------------------------------------------------------------------

    def new_record(self) -> None:
        dialog = NewMeetingDialog(self.db, self, self.council_filter.currentData()
                                  or self.settings.default_council_id)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.meeting_id:
            self.refresh(select=dialog.meeting_id)
            self.detail.tabs.setCurrentIndex(0)
            self.saved.emit({"id": dialog.meeting_id})

    def copy_record(self) -> None:
        if self.detail.meeting_id is None:
            return
        source = meetings.require_meeting(self.db, self.detail.meeting_id)
        dialog = NewMeetingDialog(self.db, self, source["council_id"],
                                  copy_from=source["id"])
        start = dt.date.fromisoformat(source["starts_at"][:10])
        following = max(start + dt.timedelta(days=28), dt.date.today() + dt.timedelta(days=7))
        dialog.date.setDate(QDate(following))
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.meeting_id:
            self.refresh(select=dialog.meeting_id)
            self.saved.emit({"id": dialog.meeting_id})

    def _cancel(self) -> None:
        meeting_id = self.detail.meeting_id
        if meeting_id is None:
            return
        meeting = meetings.require_meeting(self.db, meeting_id)
        if meeting["cancelled"]:
            with reporting(self):
                meetings.cancel_meeting(self.db, meeting_id, cancelled=False)
        elif confirm(self, _("Cancel “%(title)s”? It stays in the list, marked cancelled; "
                             "a calendar exported again shows it cancelled.")
                     % {"title": meeting["title"]}, _("Cancel the meeting")):
            with reporting(self):
                meetings.cancel_meeting(self.db, meeting_id)
        self.refresh(select=meeting_id)

    def open_meeting(self, meeting_id: str) -> None:
        self.council_filter.setCurrentIndex(0)
        self.kind_filter.setCurrentIndex(0)
        self.refresh(select=meeting_id)

    def activate(self) -> None:
        self.refresh_filters()
        self.refresh()

    def flush(self) -> bool:
        return self.detail.flush()
