"""The walking-diagnostics area: the walks, and one walk in six tabs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.walks import PERIOD_LABELS, Period, period_label
from perr_desktop.i18n import _
from perr_desktop.services import councils, walks
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.style import set_role
from perr_desktop.ui.walks.compare import CompareTab
from perr_desktop.ui.walks.documents import WalkDocumentsTab
from perr_desktop.ui.walks.info import InfoTab
from perr_desktop.ui.walks.observations import ObservationsTab
from perr_desktop.ui.walks.photos import PhotosTab
from perr_desktop.ui.walks.route import RouteTab
from perr_desktop.ui.widgets import (
    FormDialog,
    LazyTabs,
    accessible,
    add_row,
    confirm,
    council_choices,
    fill_combo,
    heading,
    list_and_detail,
    qt_date_format,
    reporting,
    resize_to_contents_when_shown,
    set_combo_data,
    short_date,
    tab_page,
)


class NewWalkDialog(FormDialog):
    def __init__(self, db, parent: QWidget | None = None, council_id: str | None = None,
                 repeat: str | None = None) -> None:
        super().__init__(_("Walk the route again") if repeat else _("New walking diagnostic"),
                         _("Create"), parent)
        self.db, self.repeat = db, repeat
        self.walk_id: str | None = None
        self.council = accessible(QComboBox(), _("Council"))
        fill_combo(self.council, [(c["name"], c["id"]) for c in councils.list_councils(db)])
        if council_id:
            set_combo_data(self.council, council_id)
        self.title = accessible(QLineEdit(), _("Title"))
        self.date = accessible(QDateEdit(QDate.currentDate()), _("Date"))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(qt_date_format())
        self.time = accessible(QTimeEdit(QTime(18, 0)), _("Start time"))
        self.time.setDisplayFormat("HH:mm")
        self.period = accessible(QComboBox(), _("Day or night"))
        fill_combo(self.period, [(_(PERIOD_LABELS[p]), p.value) for p in Period])
        when = QHBoxLayout()
        when.addWidget(self.date, 2)
        when.addWidget(self.time, 1)
        when.addWidget(self.period, 1)
        if repeat:
            previous = walks.require_walk(db, repeat)
            set_combo_data(self.council, previous["council_id"])
            self.council.setEnabled(False)
            self.title.setText(previous["title"])
            set_combo_data(self.period, previous["period"])
            if previous["start_time"]:
                self.time.setTime(QTime.fromString(previous["start_time"], "HH:mm"))
            self.body.addWidget(QLabel(_("The stops and the plan of the walk of %(date)s are "
                                         "copied; the two walks can then be compared.")
                                       % {"date": short_date(previous["walk_date"])}))
        self.form.addRow(_("C&ouncil"), self.council)
        self.form.addRow(_("&Title"), self.title)
        add_row(self.form, _("&When"), when, self.date)
        self.finish_layout()
        if not repeat:
            self.council.currentIndexChanged.connect(self._suggest)
            self._suggest()
        self.title.setFocus()

    def _suggest(self) -> None:
        if not self.title.isModified():
            self.title.setText(_("Walking diagnostic — %(council)s") % {
                "council": self.council.currentText()})

    def save(self) -> None:
        day = self.date.date().toString("yyyy-MM-dd")
        if self.repeat:
            with self.db.transaction():
                self.walk_id = walks.repeat_walk(self.db, self.repeat, day,
                                                 self.period.currentData())
                walks.update_walk(self.db, self.walk_id, title=self.title.text(),
                                  start_time=self.time.time().toString("HH:mm"))
            return
        from perr_desktop.errors import ValidationError

        if not self.council.currentData():
            raise ValidationError(_("Create a council first, on the Councils page."),
                                  "council_id")
        self.walk_id = walks.create_walk(self.db, self.council.currentData(), self.title.text(),
                                         day, self.period.currentData(),
                                         self.time.time().toString("HH:mm"))


class WalkDetail(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self.title = heading("")
        self.subtitle = QLabel()
        set_role(self.subtitle, "hint")
        self.subtitle.setWordWrap(True)
        # Each tab is built when first looked at (LazyTabs): the page opens with one.
        self.tabs = LazyTabs()
        for name, text, factory in (
                ("info", _("&Walk"), InfoTab), ("route", _("&Route and plan"), RouteTab),
                ("observations", _("&Observations"), ObservationsTab),
                ("photos", _("P&hotos"), PhotosTab),
                ("compare", _("Before / a&fter"), CompareTab),
                ("documents", _("&Documents"), WalkDocumentsTab)):
            self.tabs.add(name, text, lambda factory=factory: factory(db))
        self.tabs.built.connect(lambda _name, tab: tab.saved.connect(self._tab_saved))
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tabs, 1)
        self._loaded: set[int] = set()

    info = tab_page("info")
    route = tab_page("route")
    observations = tab_page("observations")
    photos = tab_page("photos")
    compare = tab_page("compare")
    documents = tab_page("documents")

    def load(self, walk_id: str | None) -> None:
        self.flush()
        self.walk_id = walk_id
        self._loaded.clear()
        self._show_header()
        self._tab_changed(self.tabs.currentIndex())
        self.setEnabled(walk_id is not None)

    def _show_header(self) -> None:
        if self.walk_id is None:
            self.title.setText(_("No walk selected"))
            self.subtitle.clear()
            return
        walk = walks.require_walk(self.db, self.walk_id)
        council = councils.require_council(self.db, walk["council_id"])
        day = dt.date.fromisoformat(walk["walk_date"])
        parts = [i18n.format_date(day, "full"), period_label(walk["period"]), council["name"]]
        if walk["weather"]:
            parts.append(walk["weather"])
        self.title.setText(walk["title"])
        self.subtitle.setText(" · ".join(parts))

    def _tab_changed(self, index: int) -> None:
        if index in self._loaded:
            return
        for tab in self.tabs.built_pages():
            tab.flush()
        self.tabs.page(index).load(self.walk_id)
        self._loaded.add(index)

    def _tab_saved(self, record: dict[str, Any]) -> None:
        if record.get("flush"):
            self.flush()
            return
        self._loaded = {self.tabs.currentIndex()}
        self._show_header()
        self.saved.emit({"id": self.walk_id})

    def flush(self) -> bool:
        return all(tab.flush() for tab in self.tabs.built_pages())


class WalksPage(QWidget):
    saved = Signal(dict)

    def __init__(self, db, settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.title = _("Walking diagnostics")
        self.council_filter = accessible(QComboBox(), _("Council"))
        self.new_button = QPushButton(_("&New walk…"))
        self.new_button.setToolTip(_("New walking diagnostic (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_record)
        self.field_button = QPushButton(_("&Field capture mode"))
        self.field_button.setToolTip(_("Full screen, large type, keyboard only: for typing "
                                       "while walking"))
        self.field_button.clicked.connect(self.field_mode)
        self.repeat_button = QPushButton(_("Walk the route &again…"))
        self.repeat_button.clicked.connect(self.repeat)
        self.delete_button = QPushButton(_("Delete the walk…"))
        self.delete_button.clicked.connect(self._delete)

        self.model = rows_model([
            Column("walk_date", _("Date"), lambda r: short_date(r["walk_date"]),
                   sort="walk_date"),
            Column("title", _("Walk"), sort="title"),
            Column("council_name", _("Council"), sort="council_name"),
            Column("period", _("Day/night"), lambda r: period_label(r["period"])),
            Column("observation_count", _("Observations"),
                   lambda r: str(r["observation_count"]), align_right=True),
            Column("photo_count", _("Photos"), lambda r: str(r["photo_count"]),
                   align_right=True),
        ], self._rows, self)
        self.view = QTableView()
        configure_table(self.view, _("Walks"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        # Sized to the rows on screen once shown (a hidden view would read every row).
        resize_to_contents_when_shown(self.view, [c for c in range(6) if c != 1])
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.detail = WalkDetail(db, self)
        self.detail.saved.connect(self._detail_saved)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(lambda: None if db.closed else self.refresh())

        top = QHBoxLayout()
        top.addWidget(heading(_("Walking diagnostics")), 1)
        top.addWidget(self.new_button)
        # The walk's own actions sit above its tabs, so that the list stays narrow.
        actions = QHBoxLayout()
        actions.addWidget(self.field_button)
        actions.addWidget(self.repeat_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        self.detail.layout().insertLayout(2, actions)
        list_and_detail(self, [top, self.council_filter, (self.view, 1)], self.detail)
        self.council_filter.activated.connect(lambda _i: self.refresh())
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.refresh_filters()
        self.refresh()

    def refresh_filters(self) -> None:
        fill_combo(self.council_filter, council_choices(self.db, _("All councils")))

    def _rows(self) -> list[dict[str, Any]]:
        return walks.list_walks(self.db, self.council_filter.currentData())

    def refresh(self, select: str | None = None) -> None:
        current = select or self.detail.walk_id
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
            row = self.model.row_of(current)
            if row < 0 and self.model.rowCount():
                row = 0
            if row >= 0:
                self.view.selectRow(row)
        walk_id = self.model.id_at(row) if row >= 0 else None
        if walk_id != self.detail.walk_id or select or walk_id is None:
            self.detail.load(walk_id)
        self._enable_walk_buttons(walk_id is not None)
        self.new_button.setEnabled(bool(councils.list_councils(self.db)))

    def _enable_walk_buttons(self, has_walk: bool) -> None:
        for button in (self.field_button, self.repeat_button, self.delete_button):
            button.setEnabled(has_walk)

    def _selection_changed(self, *_args) -> None:
        rows = self.view.selectionModel().selectedRows()
        walk_id = self.model.id_at(rows[0].row()) if rows else None
        if walk_id != self.detail.walk_id:
            self.detail.load(walk_id)

    def _detail_saved(self, record: dict[str, Any]) -> None:
        self._refresh_timer.start()
        self.saved.emit(record)

    def new_record(self) -> None:
        if self.detail.tabs.current_name() == "observations" and self.detail.walk_id:
            self.detail.observations.new_record()
            return
        dialog = NewWalkDialog(self.db, self, self.council_filter.currentData()
                               or self.settings.default_council_id)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.walk_id:
            self.refresh(select=dialog.walk_id)
            self.detail.tabs.setCurrentIndex(1)
            self.saved.emit({"id": dialog.walk_id})

    def repeat(self) -> None:
        if self.detail.walk_id is None:
            return
        dialog = NewWalkDialog(self.db, self, repeat=self.detail.walk_id)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.walk_id:
            self.refresh(select=dialog.walk_id)
            self.saved.emit({"id": dialog.walk_id})

    def field_mode(self) -> None:
        if self.detail.walk_id is None:
            return
        from perr_desktop.ui.field_capture import FieldCaptureWindow

        self.detail.flush()
        window = FieldCaptureWindow(self.db, self.detail.walk_id, self)
        window.showFullScreen()
        window.exec()
        self.detail.load(self.detail.walk_id)
        self.refresh()

    def _delete(self) -> None:
        walk_id = self.detail.walk_id
        if walk_id is None:
            return
        walk = walks.require_walk(self.db, walk_id)
        if confirm(self, _("Delete the walk “%(title)s” with its observations and "
                           "follow-ups?") % {"title": walk["title"]}, _("Delete")):
            with reporting(self):
                walks.delete_walk(self.db, walk_id)
                self.detail.walk_id = None
                self.refresh()
                self.saved.emit({"id": walk_id})

    def open_walk(self, walk_id: str) -> None:
        """Show one walk (from the dashboard, the follow-up, a search): selected in the
        list of every council if it is there already (the window has just read it on
        showing the page: ten years of walks are not read twice), else read again."""
        row = self.model.row_of(walk_id) if self.council_filter.currentIndex() == 0 else -1
        if row < 0:
            self.council_filter.setCurrentIndex(0)
            self.refresh(select=walk_id)
            return
        with QSignalBlocker(self.view.selectionModel()):
            self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        self.detail.load(walk_id)
        self._enable_walk_buttons(True)

    def activate(self) -> None:
        self.refresh_filters()
        self.refresh()

    def flush(self) -> bool:
        return self.detail.flush()
