"""Editing the reference lists: vocabularies, the QPV, the PERR objectives.

These lists are short (a dozen entries; 115 objectives), so item widgets are fine here.
Every edit is saved when the cell is left, like the rest of the application.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.errors import UserError
from perr_desktop.i18n import N_, _
from perr_desktop.services import reference
from perr_desktop.ui.widgets import ErrorBanner, accessible, confirm, hint

VOCABULARY_TITLES = {
    "meeting_kind": N_("Kinds of meeting"),
    "college": N_("Colleges"),
    "member_role": N_("Members' roles"),
    "attendance_status": N_("Attendance statuses"),
    "observation_theme": N_("Observation themes"),
    "body": N_("Bodies concerned"),
    "followup_status": N_("Follow-up statuses"),
    "followup_channel": N_("Follow-up channels"),
    "walk_role": N_("Roles during a walk"),
}
ID_ROLE = Qt.ItemDataRole.UserRole


class VocabularyTable(QWidget):
    saved = Signal()

    def __init__(self, db, kind: str, banner: ErrorBanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.kind, self.banner = db, kind, banner
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([_("French"), _("English")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAccessibleName(_(VOCABULARY_TITLES[kind]))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.add_button = QPushButton(_("Add an entry"))
        self.remove_button = QPushButton(_("Remove the entry…"))
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemChanged.connect(self._edited)
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())
        self.load()

    def _update_buttons(self) -> None:
        item = self.table.currentItem()
        system = item is not None and self._system.get(item.data(ID_ROLE), False)
        self.remove_button.setEnabled(item is not None and not system)
        self.remove_button.setToolTip(
            _("Used by the application's rules: it can be renamed but not removed.")
            if system else "")

    def load(self) -> None:
        with QSignalBlocker(self.table):
            rows = reference.vocabulary(self.db, self.kind)
            self._system = {row["id"]: bool(row["system"]) for row in rows}
            self.table.setRowCount(len(rows))
            for i, row in enumerate(rows):
                for column, key in enumerate(("label_fr", "label_en")):
                    item = QTableWidgetItem(row[key])
                    item.setData(ID_ROLE, row["id"])
                    if row["system"]:
                        item.setToolTip(_("Used by the application's rules: it can be renamed "
                                          "but not removed."))
                    self.table.setItem(i, column, item)
        self._update_buttons()

    def _edited(self, item: QTableWidgetItem) -> None:
        row = item.row()
        try:
            reference.update_vocabulary_entry(
                self.db, item.data(ID_ROLE), self.table.item(row, 0).text(),
                self.table.item(row, 1).text(),
            )
        except UserError as exc:
            self.banner.show_message(exc.message)
            self.load()
            return
        self.banner.clear_message()
        self.saved.emit()

    def _add(self) -> None:
        entry_id = reference.add_vocabulary_entry(self.db, self.kind, _("New entry"))
        self.load()
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) == entry_id:
                self.table.setCurrentCell(row, 0)
                self.table.editItem(self.table.item(row, 0))
        self.saved.emit()

    def _remove(self) -> None:
        item = self.table.currentItem()
        if item is None:
            return
        label = self.table.item(item.row(), 0).text()
        if not confirm(self, _("Remove “%(label)s” from the list? Records that use it keep "
                               "it.") % {"label": label}, _("Remove")):
            return
        try:
            reference.remove_vocabulary_entry(self.db, item.data(ID_ROLE))
        except UserError as exc:
            self.banner.show_message(exc.message)
            return
        self.load()
        self.saved.emit()


class NeighbourhoodTable(QWidget):
    saved = Signal()
    FIELDS = ("name", "commune", "population")

    def __init__(self, db, banner: ErrorBanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.banner = db, banner
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_("Neighbourhood"), _("Municipality"),
                                              _("Population")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(_("Priority neighbourhoods"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(hint(_("Populations: INSEE, 2020 census, as published for the "
                                "priority neighbourhoods.")))
        self.table.itemChanged.connect(self._edited)
        self.load()

    def load(self) -> None:
        with QSignalBlocker(self.table):
            rows = reference.neighbourhoods(self.db)
            self.table.setRowCount(len(rows))
            for i, row in enumerate(rows):
                for column, key in enumerate(self.FIELDS):
                    value = row[key]
                    text = i18n.format_number(value) if key == "population" and value else (
                        "" if value is None else str(value))
                    item = QTableWidgetItem(text)
                    item.setData(ID_ROLE, row["id"])
                    if key == "population":
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(i, column, item)

    def _edited(self, item: QTableWidgetItem) -> None:
        field = self.FIELDS[item.column()]
        value = item.text()
        try:
            reference.update_neighbourhood(self.db, item.data(ID_ROLE), **{field: value})
        except UserError as exc:
            self.banner.show_message(exc.message)
        else:
            self.banner.clear_message()
            self.saved.emit()
        self.load()


class ObjectivesTree(QWidget):
    saved = Signal()

    def __init__(self, db, banner: ErrorBanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.banner = db, banner
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("Code"), _("French"), _("English")])
        self.tree.setAccessibleName(_("PERR objectives"))
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint(_("The objectives of the PERR 2020-2022 of GrandAngoulême's "
                                "contrat de ville. Meetings and observations are tagged with "
                                "them; double-click a text to correct it.")))
        layout.addWidget(self.tree)
        self.tree.itemChanged.connect(self._edited)
        self.load()

    def load(self) -> None:
        with QSignalBlocker(self.tree):
            self.tree.clear()
            items: dict[str, QTreeWidgetItem] = {}
            for row in reference.perr_objectives(self.db):
                parent = items.get(row["parent_code"])
                item = QTreeWidgetItem([row["code"], row["label_fr"], row["label_en"]])
                item.setData(0, ID_ROLE, row["id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                if parent is None:
                    self.tree.addTopLevelItem(item)
                else:
                    parent.addChild(item)
                items[row["code"]] = item
            for i in range(self.tree.topLevelItemCount()):
                self.tree.topLevelItem(i).setExpanded(True)

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            self.load()  # codes are stable identifiers: not editable
            return
        try:
            reference.update_objective(self.db, item.data(0, ID_ROLE), item.text(1), item.text(2))
        except UserError as exc:
            self.banner.show_message(exc.message)
            self.load()
            return
        self.banner.clear_message()
        self.saved.emit()


class ReferenceEditor(QWidget):
    saved = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = ErrorBanner(self)
        self.lists = accessible(QListWidget(self), _("Reference lists"))
        self.pages = QStackedWidget(self)
        entries: list[tuple[str, QWidget]] = [
            (_("Priority neighbourhoods"), NeighbourhoodTable(db, self.banner)),
            (_("PERR objectives"), ObjectivesTree(db, self.banner)),
        ]
        entries += [(_(title), VocabularyTable(db, kind, self.banner))
                    for kind, title in VOCABULARY_TITLES.items()]
        for title, page in entries:
            self.lists.addItem(title)
            self.pages.addWidget(page)
            page.saved.connect(self.saved)
        self.lists.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.lists.setCurrentRow(0)
        self.lists.setMaximumWidth(self.lists.sizeHintForColumn(0) + 32)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.lists)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
