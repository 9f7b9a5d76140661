"""The observations of a walk: the list, and one observation saved as typed, with the
bodies concerned, its place on the plan and its photos."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.i18n import _
from perr_desktop.services import followups, reference, walks
from perr_desktop.storage import media
from perr_desktop.ui.autosave import FormBinder
from perr_desktop.ui.councils import configure_table
from perr_desktop.ui.models import Column, rows_model
from perr_desktop.ui.style import set_role
from perr_desktop.ui.walks.plan import PlanView
from perr_desktop.ui.walks.route import plan_path
from perr_desktop.ui.widgets import (
    ErrorBanner,
    accessible,
    add_row,
    confirm,
    fill_combo,
    fit_list_height,
    reporting,
    section,
)


def sign(row: dict[str, Any]) -> str:
    return "+" if row["positive"] else "−"


class ObservationsTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self.themes = reference.vocabulary_labels(db, "observation_theme")
        self.bodies = reference.vocabulary_labels(db, "body")
        self.model = rows_model([
            Column("number", _("No."), lambda r: str(r["number"]), sort="number",
                   align_right=True),
            Column("positive", "±", sign, sort="positive"),
            Column("theme", _("Theme"), lambda r: self.themes.get(r["theme"] or "", ""),
                   sort="theme"),
            Column("stop_name", _("Stop"), sort="stop_position"),
            Column("priority", _("Priority"), lambda r: str(r["priority"] or ""),
                   sort="priority"),
            Column("description", _("Description"),
                   lambda r: " ".join((r["description"] or "").split())),
        ], self._rows, self)
        self.view = QTableView()
        configure_table(self.view, _("Observations"))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()
        set_role(self.count, "hint")
        self.new_button = QPushButton(_("&New observation"))
        self.new_button.setToolTip(_("New observation (Ctrl+N)"))
        self.remove_button = QPushButton(_("Remove…"))
        self.new_button.clicked.connect(self.new_record)
        self.remove_button.clicked.connect(self._remove)

        self.banner = ErrorBanner(self)
        self.binder = FormBinder(self._save, self.banner, self)
        self.stop = accessible(QComboBox(), _("Stop"))
        self.theme = accessible(QComboBox(), _("Theme"))
        fill_combo(self.theme, [(_("none"), None)] + [
            (v["label"], v["code"]) for v in reference.vocabulary(db, "observation_theme")])
        self.positive = QRadioButton(_("+ strong point"))
        self.negative = QRadioButton(_("− weak point"))
        group = QButtonGroup(self)
        group.addButton(self.positive)
        group.addButton(self.negative)
        kind = QWidget()
        kind_layout = QHBoxLayout(kind)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.addWidget(self.negative)
        kind_layout.addWidget(self.positive)
        kind_layout.addStretch(1)
        kind.setAccessibleName(_("Strong or weak point"))
        self.priority = accessible(QComboBox(), _("Priority"))
        fill_combo(self.priority, [(_("not set"), None), (_("1 — urgent"), 1),
                                   (_("2 — important"), 2), (_("3 — when possible"), 3)])
        self.description = accessible(QPlainTextEdit(), _("Description"))
        self.feeling = accessible(QLineEdit(), _("Feeling"),
                                  _("How the place makes people feel (optional)"))
        self.proposal = accessible(QPlainTextEdit(), _("Proposal"))
        for edit in (self.description, self.proposal):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.objective = accessible(QComboBox(), _("PERR objective"))
        fill_combo(self.objective, [(_("none"), None)] + [
            (f"{o['code']} — {o['label']}", o["code"])
            for o in reference.perr_objectives(db) if o["level"] in ("objective",
                                                                     "sub_objective")])
        self.objective.setMaximumWidth(self.fontMetrics().averageCharWidth() * 55)
        self.tags = accessible(QLineEdit(), _("Tags"), _("Separated by commas, e.g. TFPB"))
        self.body_list = accessible(QListWidget(), _("Bodies concerned"))
        for entry in reference.vocabulary(db, "body"):
            item = QListWidgetItem(entry["label"])
            item.setData(Qt.ItemDataRole.UserRole, entry["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.body_list.addItem(item)
        fit_list_height(self.body_list)

        b = self.binder
        b.bind_combo("stop_id", self.stop)
        b.bind_combo("theme", self.theme)
        b.bind("positive", kind, self.positive.isChecked, self._set_positive,
               group.buttonClicked)
        b.bind_combo("priority", self.priority)
        b.bind_text("description", self.description)
        b.bind_line("feeling", self.feeling)
        b.bind_text("proposal", self.proposal)
        b.bind_combo("objective_code", self.objective)
        b.bind_line("tags", self.tags)
        b.bind("bodies", self.body_list, self._checked_bodies, self._set_bodies,
               self.body_list.itemChanged)
        b.saved.connect(self._after_save)

        self.photos = QListWidget()
        self.photos.setAccessibleName(_("Photos of the observation"))
        self.photos.setViewMode(QListWidget.ViewMode.IconMode)
        self.photos.setIconSize(QSize(160, 120))
        self.photos.setMaximumHeight(170)
        self.photos.setWrapping(False)
        self.plan = PlanView()
        self.plan.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        self.plan.placed.connect(self._placed)
        self.place_button = QPushButton(_("Place on the plan"))
        self.place_button.setCheckable(True)
        self.place_button.toggled.connect(self.plan.set_placing)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("&Stop"), self.stop)
        form.addRow(_("T&heme"), self.theme)
        add_row(form, _("Point"), kind, self.negative)
        form.addRow(_("P&riority"), self.priority)
        form.addRow(_("&Description"), self.description)
        form.addRow(_("&Feeling"), self.feeling)
        form.addRow(_("Pr&oposal"), self.proposal)
        form.addRow(_("PERR ob&jective"), self.objective)
        form.addRow(_("T&ags"), self.tags)
        form.addRow(_("&Bodies concerned"), self.body_list)

        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.addWidget(self.banner)
        editor_layout.addLayout(form)
        editor_layout.addWidget(section(_("Photos")))
        editor_layout.addWidget(self.photos)
        plan_bar = QHBoxLayout()
        plan_bar.addWidget(section(_("On the plan")))
        plan_bar.addStretch(1)
        plan_bar.addWidget(self.place_button)
        editor_layout.addLayout(plan_bar)
        editor_layout.addWidget(self.plan, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(editor)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.remove_button)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.view.selectionModel().selectionChanged.connect(self._selected)

    # -- list ------------------------------------------------------------------------

    def _rows(self) -> list[dict[str, Any]]:
        return walks.observations(self.db, self.walk_id) if self.walk_id else []

    def load(self, walk_id: str | None, select: str | None = None) -> None:
        self.binder.flush()
        self.walk_id = walk_id
        self.place_button.setChecked(False)
        fill_combo(self.stop, [(_("no stop"), None)] + [
            (f"{s['position']}. {s['name']}", s["id"])
            for s in (walks.stops(self.db, walk_id) if walk_id else [])])
        walk = walks.require_walk(self.db, walk_id) if walk_id else {}
        self.plan.set_plan(plan_path(self.db, walk) if walk else None)
        self._refresh(select=select)
        if self._current() is None and self.model.rowCount():
            self.view.selectRow(0)
        self.new_button.setEnabled(walk_id is not None)

    def _refresh(self, select: str | None = None) -> None:
        current = select or (self.binder.record or {}).get("id")
        with QSignalBlocker(self.view.selectionModel()):
            self.model.refresh()
            row = self.model.row_of(current)
            if row >= 0:
                self.view.selectRow(row)
        rows = [self.model.record(i) for i in range(self.model.rowCount())]
        positives = sum(1 for r in rows if r["positive"])
        self.count.setText(_("%(total)d observations: %(plus)d +, %(minus)d −") % {
            "total": len(rows), "plus": positives, "minus": len(rows) - positives})
        if row >= 0:
            self._selected()
        else:
            self._show(None)
        if self.walk_id:
            self.plan.show_pins(walks.stops(self.db, self.walk_id), self._rows())

    def _current(self) -> dict[str, Any] | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _selected(self, *_args) -> None:
        self._show(self._current())

    def _record(self, observation_id: str) -> dict[str, Any]:
        row = next(o for o in walks.observations(self.db, self.walk_id)
                   if o["id"] == observation_id)
        current = followups.for_walk(self.db, self.walk_id).get(observation_id, [])
        return {**row, "bodies": [f["body"] for f in current]}

    def _show(self, row: dict[str, Any] | None) -> None:
        record = self._record(row["id"]) if row else None
        self.binder.load(record)
        self.remove_button.setEnabled(record is not None)
        self.place_button.setEnabled(record is not None and self.plan.pixmap_item is not None)
        self.photos.clear()
        if record is None:
            return
        for photo in walks.photos(self.db, self.walk_id):
            if photo["observation_id"] == record["id"]:
                thumb = media.thumbnail_path(self.db.path, photo["sha256"])
                item = QListWidgetItem(QIcon(QPixmap(str(thumb))), photo["caption"] or "")
                item.setToolTip(photo["original_name"])
                self.photos.addItem(item)

    def _set_positive(self, value: Any) -> None:
        (self.positive if value else self.negative).setChecked(True)

    def _checked_bodies(self) -> list[str]:
        return [self.body_list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.body_list.count())
                if self.body_list.item(i).checkState() == Qt.CheckState.Checked]

    def _set_bodies(self, codes: list[str] | None) -> None:
        wanted = set(codes or [])
        with QSignalBlocker(self.body_list):
            for i in range(self.body_list.count()):
                item = self.body_list.item(i)
                item.setCheckState(Qt.CheckState.Checked
                                   if item.data(Qt.ItemDataRole.UserRole) in wanted
                                   else Qt.CheckState.Unchecked)

    def _save(self, changes: dict[str, Any]) -> dict[str, Any]:
        record = self.binder.record
        assert record is not None
        if "bodies" in changes:
            followups.set_bodies(self.db, record["id"], changes.pop("bodies"))
        if changes:
            walks.update_observation(self.db, record["id"], **changes)
        return self._record(record["id"])

    def _after_save(self, record: dict[str, Any]) -> None:
        self.model.reload_rows([record["id"]])
        self.saved.emit({"id": self.walk_id})

    # -- actions ---------------------------------------------------------------------

    def new_record(self) -> None:
        if self.walk_id is None:
            return
        self.binder.flush()
        current = self._current()
        with reporting(self):
            observation_id = walks.add_observation(
                self.db, self.walk_id, stop_id=current["stop_id"] if current else None)
            self._refresh(select=observation_id)
            self.theme.setFocus()
            self.saved.emit({"id": self.walk_id})

    def _remove(self) -> None:
        current = self._current()
        if current and confirm(self, _("Remove observation no. %(number)d? Its number will "
                                       "not be given again.") % {"number": current["number"]},
                               _("Remove")):
            with reporting(self):
                walks.remove_observation(self.db, current["id"])
                self.binder.load(None)
                self._refresh()
                self.saved.emit({"id": self.walk_id})

    def _placed(self, x: float, y: float) -> None:
        current = self._current()
        if current is None:
            return
        with reporting(self):
            walks.update_observation(self.db, current["id"], plan_x=x, plan_y=y)
            self.place_button.setChecked(False)
            self._refresh(select=current["id"])
            self.saved.emit({"id": self.walk_id})

    def flush(self) -> bool:
        return self.binder.flush()
