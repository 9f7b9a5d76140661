"""The route: ordered stops (name, address, GPS) and the plan with their pins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.errors import UserError
from perr_desktop.i18n import _
from perr_desktop.services import walks
from perr_desktop.storage import media
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.walks.plan import PlanView
from perr_desktop.ui.widgets import (
    ErrorBanner,
    accessible,
    add_row,
    confirm,
    hint,
    reporting,
    show_error,
)


def plan_path(db, walk: dict[str, Any]) -> str | None:
    """The stored plan image of a walk, if it has one."""
    if not walk.get("plan_media_id"):
        return None
    row = db.query_one("SELECT sha256 FROM media WHERE id = ?", (walk["plan_media_id"],))
    return str(media.working_path(db.path, row["sha256"])) if row else None


class RouteTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self.banner = ErrorBanner(self)
        self.model = rows_model([
            Column("position", _("No."), lambda r: str(r["position"]), align_right=True),
            Column("name", _("Stop")),
            Column("address", _("Address")),
            Column("placed", _("On the plan"),
                   lambda r: "✓" if r["plan_x"] is not None else ""),
        ], self._stops, self)
        self.view = QTableView()
        configure_table(self.view, _("Stops of the route"))
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.stop_banner = ErrorBanner(self)
        self.binder = FormBinder(self._save_stop, self.stop_banner, self)
        self.name = accessible(QLineEdit(), _("Name of the stop"))
        self.address = accessible(QLineEdit(), _("Address"))
        self.latitude = accessible(QLineEdit(), _("Latitude"), _("Decimal degrees, e.g. 45.648"))
        self.longitude = accessible(QLineEdit(), _("Longitude"), _("Decimal degrees, e.g. 0.156"))
        self.binder.bind_line("name", self.name)
        self.binder.bind_line("address", self.address)
        self.binder.bind_line("latitude", self.latitude)
        self.binder.bind_line("longitude", self.longitude)
        self.binder.saved.connect(self._stop_saved)
        gps = QHBoxLayout()
        gps.addWidget(self.latitude)
        gps.addWidget(self.longitude)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("&Name"), self.name)
        form.addRow(_("A&ddress"), self.address)
        add_row(form, _("&GPS (optional)"), gps, self.latitude)

        self.add_button = QPushButton(_("&Add a stop"))
        self.up_button = QPushButton(_("Move &up"))
        self.down_button = QPushButton(_("Move do&wn"))
        self.remove_button = QPushButton(_("Remove…"))
        self.add_button.clicked.connect(self._add)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)

        self.plan = PlanView()
        self.plan.placed.connect(self._placed)
        self.plan_button = QPushButton(_("Add the &plan image…"))
        self.plan_button.clicked.connect(self._choose_plan)
        self.place_button = QPushButton(_("Place the stop on the plan"))
        self.place_button.setCheckable(True)
        self.place_button.toggled.connect(self.plan.set_placing)
        plan_bar = QHBoxLayout()
        plan_bar.addWidget(self.plan_button)
        plan_bar.addWidget(self.place_button)
        plan_bar.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.view, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.stop_banner)
        left_layout.addLayout(form)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(plan_bar)
        right_layout.addWidget(self.plan, 1)
        right_layout.addWidget(hint(_("Select a stop, press « Place the stop on the plan », "
                                      "then click where it is. Blue: stops; green and red: "
                                      "observations (strong and weak points).")))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.view.selectionModel().selectionChanged.connect(self._selected)

    def _stop_saved(self, _record: dict[str, Any]) -> None:
        self._refresh(keep=True)
        self.saved.emit({"id": self.walk_id})

    def _stops(self) -> list[dict[str, Any]]:
        return walks.stops(self.db, self.walk_id) if self.walk_id else []

    def load(self, walk_id: str | None) -> None:
        self.binder.flush()
        self.walk_id = walk_id
        self.place_button.setChecked(False)
        walk = walks.require_walk(self.db, walk_id) if walk_id else {}
        self.plan.set_plan(plan_path(self.db, walk) if walk else None)
        self._refresh()
        if self.model.rowCount():
            self.view.selectRow(0)
        self.setEnabled(walk_id is not None)

    def _refresh(self, keep: bool = False, select: str | None = None) -> None:
        current = select or ((self.binder.record or {}).get("id") if keep else None)
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
            row = self.model.row_of(current)
            if row >= 0:
                self.view.selectRow(row)
        if row < 0:
            self.binder.load(None)
        self._show_pins()
        self._update_buttons()

    def _show_pins(self) -> None:
        if self.walk_id:
            self.plan.show_pins(walks.stops(self.db, self.walk_id),
                                walks.observations(self.db, self.walk_id))

    def _current(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _selected(self, *_args) -> None:
        stop = self._current()
        if stop is not None:
            stop = {**stop,
                    "latitude": "" if stop["latitude"] is None else f"{stop['latitude']:.6f}",
                    "longitude": "" if stop["longitude"] is None else f"{stop['longitude']:.6f}"}
        self.binder.load(stop)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self._current() is not None
        for button in (self.up_button, self.down_button, self.remove_button,
                       self.place_button):
            button.setEnabled(has)
        self.place_button.setEnabled(has and self.plan.pixmap_item is not None)

    def _save_stop(self, changes: dict[str, Any]) -> dict[str, Any]:
        stop = self.binder.record
        assert stop is not None
        return walks.update_stop(self.db, stop["id"], **changes)

    def _add(self) -> None:
        if self.walk_id is None:
            return
        with reporting(self):
            number = self.model.rowCount() + 1
            stop_id = walks.add_stop(self.db, self.walk_id, _("Stop %(number)d") % {
                "number": number})
            self._refresh(select=stop_id)
            self._selected()
            self.name.setFocus()
            self.name.selectAll()
            self.saved.emit({"id": self.walk_id})

    def _move(self, offset: int) -> None:
        stop = self._current()
        if stop is None:
            return
        with reporting(self):
            self.binder.flush()
            walks.move_stop(self.db, stop["id"], offset)
            self._refresh(select=stop["id"])
            self.saved.emit({"id": self.walk_id})

    def _remove(self) -> None:
        stop = self._current()
        if stop and confirm(self, _("Remove the stop “%(name)s”? Its observations and photos "
                                    "stay in the walk.") % {"name": stop["name"]}, _("Remove")):
            with reporting(self):
                walks.remove_stop(self.db, stop["id"])
                self._refresh()
                self.saved.emit({"id": self.walk_id})

    def _placed(self, x: float, y: float) -> None:
        stop = self._current()
        if stop is None:
            return
        with reporting(self):
            walks.update_stop(self.db, stop["id"], plan_x=x, plan_y=y)
            self.place_button.setChecked(False)
            self._refresh(select=stop["id"])
            self.saved.emit({"id": self.walk_id})

    def _choose_plan(self) -> None:
        if self.walk_id is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Plan of the neighbourhood"), str(Path.home()),
            _("Images (*.png *.jpg *.jpeg)"))
        if not path:
            return
        from perr_desktop.services import photos

        try:
            photos.import_plan(self.db, self.walk_id, Path(path))
        except UserError as exc:
            show_error(self, exc)
            return
        self.load(self.walk_id)
        self.saved.emit({"id": self.walk_id})

    def flush(self) -> bool:
        return self.binder.flush()
