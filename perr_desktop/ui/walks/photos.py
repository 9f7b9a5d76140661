"""The photos of a walk: import from several phones, place them on observations (by
time, or by dragging them onto an observation), flag identifiable people."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.errors import UserError
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import reference, walks
from perr_desktop.storage import media
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import accessible, confirm, heading, hint, reporting, show_error
from perr_desktop.ui.worker import run_with_progress

PHOTO_MIME = "application/x-perr-photo-ids"
ID_ROLE = Qt.ItemDataRole.UserRole


class PhotoGrid(QListWidget):
    """Thumbnails; several can be selected and dragged onto an observation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(180, 135))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setSpacing(6)
        self.setWordWrap(True)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setAccessibleName(_("Photos of the walk"))

    def mimeData(self, items) -> QMimeData:
        data = QMimeData()
        ids = [item.data(ID_ROLE) for item in items]
        data.setData(PHOTO_MIME, json.dumps(ids).encode())
        return data

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME]


class ObservationTargets(QListWidget):
    """The walk's observations, onto which photos are dropped."""

    dropped = Signal(list, str)  # photo ids, observation id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setAccessibleName(_("Observations to put the photos on"))

    def mimeTypes(self) -> list[str]:
        return [PHOTO_MIME]

    def dropMimeData(self, index, data, action) -> bool:
        item = self.item(index)
        if item is None or not data.hasFormat(PHOTO_MIME):
            return False
        ids = json.loads(bytes(data.data(PHOTO_MIME)).decode())
        self.dropped.emit(ids, item.data(ID_ROLE))
        return True

    def supportedDropActions(self):
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


class PhotosTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self._photos: dict[str, dict[str, Any]] = {}
        self.themes = reference.vocabulary_labels(db, "observation_theme")
        self.grid = PhotoGrid()
        self.grid.itemSelectionChanged.connect(self._selection_changed)
        self.import_files = QPushButton(_("&Import photos…"))
        self.import_folder = QPushButton(_("Import a &folder…"))
        self.by_time = QPushButton(_("Place them by &time"))
        self.by_time.setToolTip(_("Puts each photo not yet placed on the observation noted "
                                  "closest in time (within 15 minutes)."))
        self.import_files.clicked.connect(self._import_files)
        self.import_folder.clicked.connect(self._import_folder)
        self.by_time.clicked.connect(self._by_time)
        self.count = QLabel()
        set_role(self.count, "hint")

        self.targets = ObservationTargets()
        self.targets.dropped.connect(self._assign)
        self.targets.itemActivated.connect(
            lambda item: self._assign(self._selected_ids(), item.data(ID_ROLE)))
        self.assign_button = QPushButton(_("Put the selected photos on this observation"))
        self.assign_button.clicked.connect(self._assign_current)
        self.unassign_button = QPushButton(_("Take them off"))
        self.unassign_button.clicked.connect(lambda: self._assign(self._selected_ids(), None))

        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identifiable = QCheckBox(_("Identifiable &people (left out of reports)"))
        self.include = QCheckBox(_("Include in reports anyway (consent given)"))
        self.identifiable.clicked.connect(self._flag)
        self.include.clicked.connect(self._flag)
        self.caption = accessible(QLineEdit(), _("Caption"))
        self.caption.setPlaceholderText(_("Caption (optional)"))
        self.caption.editingFinished.connect(self._caption)
        self.remove_button = QPushButton(_("Remove from the walk…"))
        self.remove_button.clicked.connect(self._remove)

        top = QHBoxLayout()
        top.addWidget(self.import_files)
        top.addWidget(self.import_folder)
        top.addWidget(self.by_time)
        top.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.grid, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(heading(_("Observations"), level=2))
        right_layout.addWidget(hint(_("Drag photos onto an observation, or select them and "
                                      "double-click the observation.")))
        right_layout.addWidget(self.targets, 2)
        right_layout.addWidget(self.assign_button)
        right_layout.addWidget(self.unassign_button)
        right_layout.addWidget(heading(_("Selected photo"), level=2))
        right_layout.addWidget(self.preview, 2)
        right_layout.addWidget(self.details)
        right_layout.addWidget(self.caption)
        right_layout.addWidget(self.identifiable)
        right_layout.addWidget(self.include)
        right_layout.addWidget(self.remove_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._selection_changed()

    # -- showing -----------------------------------------------------------------------

    def load(self, walk_id: str | None) -> None:
        self.walk_id = walk_id
        self.refresh()
        for button in (self.import_files, self.import_folder, self.by_time):
            button.setEnabled(walk_id is not None)

    def refresh(self) -> None:
        selected = set(self._selected_ids())
        self.grid.clear()
        self.targets.clear()
        self._photos = {}
        if self.walk_id is None:
            return
        observations = {o["id"]: o for o in walks.observations(self.db, self.walk_id)}
        for observation in observations.values():
            sign = "+" if observation["positive"] else "−"
            theme = self.themes.get(observation["theme"] or "", "")
            text = f"{observation['number']}. {sign} {theme} — " + " ".join(
                (observation["description"] or "").split())[:60]
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, observation["id"])
            # A drop on the row itself, not between rows.
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDropEnabled)
            self.targets.addItem(item)
        rows = walks.photos(self.db, self.walk_id)
        self._photos = {p["id"]: p for p in rows}  # before re-selecting: the panel reads it
        placed = 0
        for photo in rows:
            label = []
            if photo["observation_id"] in observations:
                label.append(_("no. %(number)d") % {
                    "number": observations[photo["observation_id"]]["number"]})
                placed += 1
            if photo["taken_at"]:
                label.append(photo["taken_at"][11:16])
            if photo["identifiable"]:
                label.append("⚠")
            item = QListWidgetItem(QIcon(str(media.thumbnail_path(self.db.path,
                                                                   photo["sha256"]))),
                                   " · ".join(label))
            item.setData(ID_ROLE, photo["id"])
            item.setToolTip(photo["original_name"])
            self.grid.addItem(item)
            item.setSelected(photo["id"] in selected)
        self.count.setText(ngettext("%(count)d photo", "%(count)d photos", len(rows))
                           % {"count": len(rows)} + " — " +
                           ngettext("%(count)d placed on an observation",
                                    "%(count)d placed on an observation", placed)
                           % {"count": placed})

    def _selected_ids(self) -> list[str]:
        return [item.data(ID_ROLE) for item in self.grid.selectedItems()]

    def _selection_changed(self) -> None:
        ids = self._selected_ids()
        one = self._photos.get(ids[0]) if len(ids) == 1 else None
        for widget in (self.identifiable, self.include, self.caption, self.remove_button):
            widget.setEnabled(one is not None)
        self.assign_button.setEnabled(bool(ids))
        self.unassign_button.setEnabled(bool(ids))
        if one is None:
            self.preview.clear()
            self.details.setText(ngettext("%(count)d photo selected",
                                          "%(count)d photos selected", len(ids))
                                 % {"count": len(ids)} if ids else "")
            return
        pixmap = QPixmap(str(media.working_path(self.db.path, one["sha256"])))
        if not pixmap.isNull():
            self.preview.setPixmap(pixmap.scaled(
                self.preview.width(), self.preview.height(),
                Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        lines = [one["original_name"]]
        if one["taken_at"]:
            taken = dt.datetime.fromisoformat(one["taken_at"])
            lines.append(_("Taken on %(date)s at %(time)s") % {
                "date": i18n.format_date(taken.date(), "long"),
                "time": i18n.format_time(taken)})
        if one["camera"]:
            lines.append(one["camera"])
        if one["latitude"] is not None:
            lines.append(_("GPS: %(lat).5f, %(lon).5f") % {"lat": one["latitude"],
                                                          "lon": one["longitude"]})
        self.details.setText("\n".join(lines))
        self.identifiable.setChecked(bool(one["identifiable"]))
        self.include.setChecked(bool(one["include_anyway"]))
        self.include.setEnabled(bool(one["identifiable"]))
        self.caption.setText(one["caption"])

    # -- importing -------------------------------------------------------------------

    def _import_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self, _("Photos to import"), str(Path.home()),
            _("Photos (*.jpg *.jpeg *.png *.heic *.heif *.JPG *.JPEG *.PNG *.HEIC)"))
        if files:
            self.import_paths([Path(f) for f in files])

    def _import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder of photos to import"),
                                                  str(Path.home()))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import in a worker thread with a cancellable progress dialog."""
        from perr_desktop.services import photos

        walk_id = self.walk_id
        if walk_id is None:
            return
        try:
            report = run_with_progress(
                self, self.db.path, _("Importing photos"),
                lambda db, progress, cancelled: photos.import_photos(
                    db, walk_id, paths, progress=progress, cancelled=cancelled))
        except UserError as exc:
            show_error(self, exc)
            self.refresh()
            return
        if report is None:
            return
        matched = walks.match_photos_by_time(self.db, walk_id)
        self.refresh()
        self.saved.emit({"id": walk_id})
        message = report.summary()
        if matched:
            message += "\n" + ngettext(
                "%(count)d photo was placed on an observation by its time.",
                "%(count)d photos were placed on observations by their time.",
                matched) % {"count": matched}
        if report.skipped:
            message += "\n\n" + "\n".join(f"• {Path(path).name}: {reason}"
                                          for path, reason in report.skipped[:20])
            if len(report.skipped) > 20:
                message += "\n…"
        QMessageBox.information(self, _("Photos imported"), message)

    # -- placing and flags -------------------------------------------------------------

    def _assign_current(self) -> None:
        item = self.targets.currentItem()
        if item is not None:
            self._assign(self._selected_ids(), item.data(ID_ROLE))

    def _assign(self, photo_ids: list[str], observation_id: str | None) -> None:
        if not photo_ids:
            return
        with reporting(self):
            with self.db.transaction():
                for photo_id in photo_ids:
                    walks.assign_photo(self.db, photo_id, observation_id=observation_id)
            self.refresh()
            self.saved.emit({"id": self.walk_id})

    def _by_time(self) -> None:
        if self.walk_id is None:
            return
        with reporting(self):
            matched = walks.match_photos_by_time(self.db, self.walk_id)
            self.refresh()
            self.saved.emit({"id": self.walk_id})
            QMessageBox.information(self, _("Photos placed by time"), ngettext(
                "%(count)d photo was placed on an observation.",
                "%(count)d photos were placed on observations.", matched) % {"count": matched})

    def _flag(self) -> None:
        ids = self._selected_ids()
        if len(ids) != 1:
            return
        with reporting(self):
            walks.flag_identifiable(self.db, ids[0], self.identifiable.isChecked(),
                                    self.include.isChecked())
            self.refresh()
            self.saved.emit({"id": self.walk_id})

    def _caption(self) -> None:
        ids = self._selected_ids()
        if len(ids) == 1 and self.caption.text() != self._photos[ids[0]]["caption"]:
            with reporting(self):
                walks.set_caption(self.db, ids[0], self.caption.text())
                self.refresh()

    def _remove(self) -> None:
        ids = self._selected_ids()
        if ids and confirm(self, _("Remove this photo from the walk?"), _("Remove")):
            with reporting(self):
                walks.remove_photo(self.db, ids[0])
                self.refresh()
                self.saved.emit({"id": self.walk_id})

    def flush(self) -> bool:
        return True
