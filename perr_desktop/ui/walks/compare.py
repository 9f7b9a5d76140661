"""Before / after: the same route walked again, stop by stop, the two walks side by side."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.domain.text import search_key
from perr_desktop.i18n import _
from perr_desktop.services import reference, walks
from perr_desktop.storage import media
from perr_desktop.ui.widgets import accessible, fill_combo, heading, hint, reporting, short_date


class CompareTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self.themes = reference.vocabulary_labels(db, "observation_theme")
        self.bodies = reference.vocabulary_labels(db, "body")
        self.statuses = reference.vocabulary_labels(db, "followup_status")
        self.previous = accessible(QComboBox(), _("Earlier walk on the same route"))
        self.previous.activated.connect(self._previous_chosen)
        self.before = self._column()
        self.after = self._column()
        self.before_title = heading("", level=2)
        self.after_title = heading("", level=2)
        columns = QHBoxLayout()
        for title, view in ((self.before_title, self.before), (self.after_title, self.after)):
            box = QVBoxLayout()
            box.addWidget(title)
            box.addWidget(view, 1)
            columns.addLayout(box, 1)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Compare with:")))
        top.addWidget(self.previous, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint(_("Stops are matched by name; each shows its observations and "
                                "photos, then and now.")))
        layout.addLayout(columns, 1)

    def _column(self) -> QListWidget:
        view = QListWidget()
        view.setIconSize(QSize(160, 120))
        view.setWordWrap(True)
        view.setAccessibleName(_("Observations and photos"))
        return view

    def load(self, walk_id: str | None) -> None:
        self.walk_id = walk_id
        if walk_id is None:
            return
        walk = walks.require_walk(self.db, walk_id)
        earlier = [w for w in walks.list_walks(self.db, walk["council_id"])
                   if w["id"] != walk_id and w["walk_date"] <= walk["walk_date"]]
        fill_combo(self.previous, [(_("no comparison"), None)] + [
            (f"{short_date(w['walk_date'])} — {w['title']}", w["id"]) for w in earlier])
        index = self.previous.findData(walk["previous_walk_id"])
        self.previous.setCurrentIndex(max(index, 0))
        self._show()

    def _previous_chosen(self) -> None:
        if self.walk_id is None:
            return
        with reporting(self):
            walks.update_walk(self.db, self.walk_id,
                              previous_walk_id=self.previous.currentData())
            self._show()
            self.saved.emit({"id": self.walk_id})

    def _show(self) -> None:
        self.before.clear()
        self.after.clear()
        previous_id = self.previous.currentData()
        if self.walk_id is None or previous_id is None:
            self.before_title.setText(_("Before"))
            self.after_title.setText(_("After"))
            return
        then, now = walks.get_walk(self.db, previous_id), walks.get_walk(self.db, self.walk_id)
        self.before_title.setText(_("Before — %(date)s") % {"date": short_date(then["walk_date"])})
        self.after_title.setText(_("After — %(date)s") % {"date": short_date(now["walk_date"])})
        names = [s["name"] for s in now["stops"]]
        names += [s["name"] for s in then["stops"] if search_key(s["name"]) not in
                  {search_key(n) for n in names}]
        for name in names:
            for view, walk in ((self.before, then), (self.after, now)):
                self._stop(view, walk, name)

    def _stop(self, view: QListWidget, walk: dict[str, Any], name: str) -> None:
        stop = next((s for s in walk["stops"] if search_key(s["name"]) == search_key(name)),
                    None)
        header = QListWidgetItem(f"{stop['position']}. {name}" if stop else name)
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        header.setFlags(Qt.ItemFlag.ItemIsEnabled)
        view.addItem(header)
        if stop is None:
            view.addItem(QListWidgetItem(_("(not on this route)")))
            return
        shown = [o for o in walk["observations"] if o["stop_id"] == stop["id"]]
        if not shown:
            view.addItem(QListWidgetItem(_("No observation.")))
        for observation in shown:
            sign = "+" if observation["positive"] else "−"
            text = (f"{observation['number']}. {sign} "
                    f"{self.themes.get(observation['theme'] or '', '')} — "
                    f"{observation['description']}")
            statuses = ", ".join(
                _("%(body)s: %(status)s") % {
                    "body": self.bodies.get(f["body"], f["body"]),
                    "status": self.statuses.get(f["status"], f["status"])}
                for f in observation["followups"])
            if statuses:
                text += f"\n({statuses})"
            item = QListWidgetItem(text)
            photo = next((p for p in observation["photos"] if walks.printable(p)), None)
            if photo is not None:
                item.setIcon(QIcon(str(media.thumbnail_path(self.db.path, photo["sha256"]))))
            view.addItem(item)

    def flush(self) -> bool:
        return True
