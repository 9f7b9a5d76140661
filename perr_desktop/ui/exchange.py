"""« Échanger avec d'autres ordinateurs » : the shared folder, package files, conflicts.

The work is in :mod:`perr_desktop.services.exchange`; here it is shown, asked about and
run off the GUI thread (imports and exports through :func:`run_with_progress`, each with
its own database connection). :attr:`ExchangeDialog.changed` tells the main window to
reload what it shows once the dialog closes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop.errors import UserError
from perr_desktop.i18n import _, ngettext
from perr_desktop.services import councils, exchange
from perr_desktop.settings import Settings
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import accessible, heading, hint, reporting, show_error
from perr_desktop.ui.worker import run_with_progress

FILE_FILTER = "*" + exchange.SUFFIX
ID_ROLE = Qt.ItemDataRole.UserRole


def _section(text: str) -> QLabel:
    label = QLabel(text)
    set_role(label, "section")
    return label


class ConflictView(QWidget):
    """One conflict: the record, its differing fields side by side, and the choices."""

    settled = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.conflict: exchange.Conflict | None = None
        self.title = heading("", 2)
        self.source = hint("")
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("conflictFields")
        accessible(self.table, _("Fields that differ"))
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        # As tall as its rows (the buttons right under them), scrolling only when they
        # do not fit; rows grow when a column narrows and wraps.
        header.sectionResized.connect(self._fit_height)
        self.table.verticalHeader().sectionResized.connect(self._fit_height)

        self.keep_mine = QPushButton(_("&Keep mine"))
        self.take_theirs = QPushButton(_("&Take theirs"))
        self.apply_fields = QPushButton(_("&Apply the choices field by field"))
        accessible(self.keep_mine, _("Keep mine"),
                   _("Keep the values of this computer for every field listed"))
        accessible(self.take_theirs, _("Take theirs"),
                   _("Take the values received for every field listed"))
        self.keep_mine.clicked.connect(lambda: self._settle("local"))
        self.take_theirs.clicked.connect(lambda: self._settle("incoming"))
        self.apply_fields.clicked.connect(self._settle_by_field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.take_theirs)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_fields)

        self.explain = hint(_("Whatever you choose is recorded as a new change: the next "
                              "exchange carries it to the other computer, which takes it."))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.source)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.explain)
        layout.addStretch(0)  # takes the room the table does not need
        self.show_conflict(None)

    def _fit_height(self, *_args) -> None:
        table = self.table
        height = (table.horizontalHeader().height() + table.verticalHeader().length()
                  + 2 * table.frameWidth())
        if table.horizontalScrollBar().isVisible():
            height += table.horizontalScrollBar().height()
        table.setMaximumHeight(max(height, table.horizontalHeader().height() * 2))

    def show_conflict(self, conflict: exchange.Conflict | None) -> None:
        self.conflict = conflict
        self.table.setRowCount(0)
        enabled = conflict is not None
        for widget in (self.keep_mine, self.take_theirs, self.table, self.explain):
            widget.setVisible(enabled)
        self.apply_fields.setVisible(enabled and len(conflict.fields) > 1)
        if conflict is None:
            self.title.setText(_("Nothing to settle"))
            self.source.setText(_("When the same record was changed on two computers since "
                                  "their last exchange, it is listed here for you to choose."))
            return
        peer = conflict.peer_name or conflict.peer_id[:8]
        self.title.setText(conflict.label)
        self.source.setText(_("Changed here and on « %(peer)s » since your last exchange "
                              "(seen on %(date)s).")
                            % {"peer": peer, "date": exchange.format_stamp(conflict.detected_at)})
        # The other computer is named in the line above: a header that named it again
        # would be cut.
        self.table.setHorizontalHeaderLabels([
            _("Field"), _("On this computer"), _("On the other computer"), _("Keep")])
        self.table.horizontalHeaderItem(2).setToolTip(
            _("Received from « %(peer)s »") % {"peer": peer})
        self.table.setRowCount(len(conflict.fields))
        self.table.setColumnHidden(3, len(conflict.fields) < 2)
        for row, difference in enumerate(conflict.fields):
            name = QTableWidgetItem(difference.label)
            name.setData(ID_ROLE, difference.field)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(difference.local_text))
            self.table.setItem(row, 2, QTableWidgetItem(difference.incoming_text))
            choice = QComboBox()
            choice.addItem(_("mine"), "local")
            choice.addItem(_("theirs"), "incoming")
            accessible(choice, _("Keep for %(field)s") % {"field": difference.label})
            self.table.setCellWidget(row, 3, choice)
        self.table.resizeRowsToContents()
        self._fit_height()

    def _settle(self, keep: str | dict[str, str]) -> None:
        if self.conflict is None:
            return
        with reporting(self):
            exchange.settle_conflict(self.db, self.conflict.id, keep)
            self.settled.emit()

    def _settle_by_field(self) -> None:
        if self.conflict is None:
            return
        choice = {}
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 3)
            choice[self.table.item(row, 0).data(ID_ROLE)] = combo.currentData()
        self._settle(choice)


class ExchangeDialog(QDialog):
    """Exchange with other computers: publish to and import from a shared folder,
    export or import a package file, settle conflicts."""

    def __init__(self, db, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.changed = False
        self.setWindowTitle(_("Exchange with other computers"))
        self.setObjectName("exchangeDialog")

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._folder_tab(), _("&Shared folder"))
        self.tabs.addTab(self._files_tab(), _("Package &files"))
        self.conflicts_tab = self._conflicts_tab()
        self.tabs.addTab(self.conflicts_tab, "")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(1040, 640)
        self.refresh()
        if exchange.conflict_count(db):
            self.tabs.setCurrentWidget(self.conflicts_tab)

    # -- the shared folder --------------------------------------------------------------

    def _folder_tab(self) -> QWidget:
        page = QWidget()
        self.name_edit = accessible(QLineEdit(exchange.database_name(self.db)),
                                    _("Name of this computer"))
        self.name_edit.setMaxLength(80)
        self.name_edit.editingFinished.connect(self._name_edited)
        self.folder_label = QLabel()
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(_("&Choose…"))
        self.choose_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow(_("&Name of this computer"), self.name_edit)
        form.addRow(_("Shared folder"), folder_row)

        self.publish_button = QPushButton(_("&Publish my data"))
        set_role(self.publish_button, "primary")
        accessible(self.publish_button, _("Publish my data"),
                   _("Write this computer's package into the shared folder, replacing the "
                     "previous one"))
        self.publish_button.clicked.connect(self.publish)
        self.published_label = hint("")
        publish_row = QHBoxLayout()
        publish_row.addWidget(self.publish_button)
        publish_row.addWidget(self.published_label, 1)

        self.peers = QTreeWidget(self)
        self.peers.setObjectName("peerPackages")
        self.peers.setAccessibleName(_("Packages of the other computers"))
        self.peers.setRootIsDecorated(False)
        self.peers.setUniformRowHeights(True)
        self.peers.setHeaderLabels([_("Computer"), _("Written on"), _("Contents"), _("State")])
        header = self.peers.header()
        header.setStretchLastSection(False)  # the room goes to « Contents », not « State »
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.peers.itemSelectionChanged.connect(self._update_buttons)
        self.peers.itemActivated.connect(lambda _item, _column: self.import_selected())
        self.import_button = QPushButton(_("&Import"))
        self.import_button.clicked.connect(self.import_selected)
        self.peers_empty = hint("")
        self.peers_empty.setObjectName("peersEmpty")
        self.look_again = QPushButton(_("Look a&gain"))
        self.look_again.clicked.connect(self.refresh_peers)
        peer_buttons = QHBoxLayout()
        peer_buttons.addWidget(self.import_button)
        peer_buttons.addWidget(self.look_again)
        peer_buttons.addStretch(1)

        layout = QVBoxLayout(page)
        layout.addWidget(hint(_(
            "Choose a folder that Nextcloud, Syncthing or a USB key carries between the "
            "computers. Each computer publishes its package there and imports the others'; "
            "the synchronisation program does the rest.")))
        layout.addLayout(form)
        layout.addLayout(publish_row)
        layout.addWidget(_section(_("Packages of the other computers")))
        layout.addWidget(self.peers, 1)
        layout.addWidget(self.peers_empty)
        layout.addLayout(peer_buttons)
        layout.addStretch(0)  # takes the room when there is no list to show
        return page

    def _name_edited(self) -> None:
        name = self.name_edit.text().strip()
        if name and name != exchange.database_name(self.db):
            with reporting(self):
                exchange.set_database_name(self.db, name)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose the shared folder"), self.settings.shared_folder or str(Path.home()))
        if not folder:
            return
        self.settings.shared_folder = folder
        self.settings.save()
        self.refresh()

    def _folder(self) -> Path | None:
        return Path(self.settings.shared_folder) if self.settings.shared_folder else None

    def publish(self) -> None:
        folder = self._folder()
        if folder is None:
            self.choose_folder()
            folder = self._folder()
            if folder is None:
                return
        self._name_edited()
        try:
            path = run_with_progress(
                self, self.db.path, _("Publishing my data"),
                lambda db, progress, cancelled: exchange.write_to_shared_folder(
                    db, folder, progress=progress, cancelled=cancelled))
        except UserError as exc:
            show_error(self, exc)
            return
        if path is not None:
            self.refresh_peers()

    def refresh_peers(self) -> None:
        self.peers.clear()
        folder = self._folder()
        self.publish_button.setEnabled(folder is not None)
        for button in (self.import_button, self.look_again):
            button.setVisible(folder is not None)
        if folder is None:
            self.published_label.setText(_("Choose the shared folder first."))
            self._show_peers(_("Once the shared folder is chosen, the packages that the "
                               "other computers published there are listed here."))
            return
        with reporting(self):
            own = exchange.own_package_in_folder(self.db, folder)
            self.published_label.setText(
                _("Last published on %(date)s.") % {"date": own.date_text} if own
                else _("Not published in this folder yet."))
            for package in exchange.packages_in_folder(self.db, folder):
                if package.problem:
                    state = _("cannot be read")
                elif package.imported:
                    state = _("already imported")
                else:
                    state = _("to import")
                contents = (_("council %(name)s") % {"name": package.council_name}
                            if package.council_name else _("whole database"))
                if package.anonymized:
                    contents += " — " + _("anonymised")
                item = QTreeWidgetItem([package.name, package.date_text,
                                        package.problem or contents, state])
                item.setData(0, ID_ROLE, str(package.path))
                item.setData(1, ID_ROLE, package.problem is None)
                item.setData(3, ID_ROLE, package.problem is None and not package.imported)
                if package.problem:
                    item.setToolTip(2, package.problem)
                self.peers.addTopLevelItem(item)
        # The first package to import is selected: « Import » is one click away.
        first_new = next((i for i in range(self.peers.topLevelItemCount())
                          if self.peers.topLevelItem(i).data(3, ID_ROLE)), None)
        if first_new is not None:
            self.peers.setCurrentItem(self.peers.topLevelItem(first_new))
        self._show_peers(_("No package from another computer in this folder yet. Once "
                           "another computer has published its data and the synchronisation "
                           "program has brought it here, it is listed here."))
        self._update_buttons()

    def _show_peers(self, empty_text: str) -> None:
        """The list, or the sentence that says why it is empty."""
        empty = self.peers.topLevelItemCount() == 0
        self.peers.setVisible(not empty)
        self.peers_empty.setText(empty_text)
        self.peers_empty.setVisible(empty)

    def import_selected(self) -> None:
        items = self.peers.selectedItems()
        if items and items[0].data(1, ID_ROLE):
            self.import_file(Path(items[0].data(0, ID_ROLE)))

    # -- package files ------------------------------------------------------------------

    def _files_tab(self) -> QWidget:
        page = QWidget()
        export_box = QGroupBox(_("Write a package"))
        self.scope = accessible(QComboBox(), _("What to put in the package"))
        self.anonymize = QCheckBox(_("&Anonymised, for a partner: no names, contact details, "
                                     "notes or identifiable photos"))
        export_button = QPushButton(_("&Export a package…"))
        export_button.clicked.connect(self.export_file)
        form = QFormLayout(export_box)
        form.addRow(_("&Contents"), self.scope)
        form.addRow("", self.anonymize)
        form.addRow("", export_button)
        form.addRow("", hint(_(
            "An anonymised package can only be imported into a new database: the partner "
            "gets « Participant 17 » instead of names.")))

        import_box = QGroupBox(_("Read a package"))
        import_button = QPushButton(_("&Import a package file…"))
        import_button.clicked.connect(self.choose_import_file)
        box = QVBoxLayout(import_box)
        box.addWidget(hint(_(
            "A package received by email or on a USB key: new records are added, records "
            "changed on the other computer are updated, and records changed on both sides "
            "are listed as conflicts for you to settle. Importing the same package twice "
            "changes nothing.")))
        box.addWidget(import_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(page)
        layout.addWidget(export_box)
        layout.addWidget(import_box)
        layout.addStretch(1)
        return page

    def _fill_scope(self) -> None:
        current = self.scope.currentData()
        self.scope.clear()
        self.scope.addItem(_("The whole database"), None)
        for council in councils.list_councils(self.db):
            self.scope.addItem(_("Council %(name)s") % {"name": council["name"]}, council["id"])
        index = self.scope.findData(current)
        self.scope.setCurrentIndex(max(index, 0))

    def export_file(self) -> None:
        council_id = self.scope.currentData()
        anonymize = self.anonymize.isChecked()
        suggested = exchange.shared_package_name(self.db)
        if anonymize:
            suggested = suggested.replace(exchange.SUFFIX, "-anonyme" + exchange.SUFFIX)
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Export a package"), str(Path.home() / suggested),
            _("Exchange packages (%(pattern)s)") % {"pattern": FILE_FILTER})
        if not target:
            return
        try:
            summary = run_with_progress(
                self, self.db.path, _("Writing the package"),
                lambda db, progress, cancelled: exchange.export_package(
                    db, target, council_id=council_id, anonymize=anonymize,
                    progress=progress, cancelled=cancelled))
        except UserError as exc:
            show_error(self, exc)
            return
        if summary is not None:
            QMessageBox.information(self, _("Package written"), summary.summary())

    def choose_import_file(self) -> None:
        source, _filter = QFileDialog.getOpenFileName(
            self, _("Import a package"), self.settings.shared_folder or str(Path.home()),
            _("Exchange packages (%(pattern)s);;All files (*)") % {"pattern": FILE_FILTER})
        if source:
            self.import_file(Path(source))

    def import_file(self, path: Path) -> None:
        try:
            summary = run_with_progress(
                self, self.db.path, _("Importing a package"),
                lambda db, progress, cancelled: exchange.import_package(
                    db, path, progress=progress, cancelled=cancelled))
        except UserError as exc:
            show_error(self, exc)
            return
        if summary is None:
            return
        self.changed = self.changed or summary.changed
        self.refresh()
        QMessageBox.information(self, _("Package imported"), summary.summary())
        if summary.conflicts:
            self.tabs.setCurrentWidget(self.conflicts_tab)

    # -- conflicts ----------------------------------------------------------------------

    def _conflicts_tab(self) -> QWidget:
        page = QWidget()
        self.conflict_list = QListWidget(self)
        self.conflict_list.setObjectName("conflictList")
        self.conflict_list.setAccessibleName(_("Conflicts to settle"))
        self.conflict_list.setWordWrap(True)
        self.conflict_list.setAlternatingRowColors(True)
        self.conflict_list.setSpacing(2)
        self.conflict_list.currentItemChanged.connect(self._conflict_chosen)
        self.conflict_view = ConflictView(self.db, self)
        self.conflict_view.settled.connect(self._conflict_settled)
        splitter = QSplitter(Qt.Orientation.Horizontal, page)
        splitter.addWidget(self.conflict_list)
        splitter.addWidget(self.conflict_view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 690])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(splitter, 1)
        return page

    def refresh_conflicts(self) -> None:
        self.conflicts = {c.id: c for c in exchange.open_conflicts(self.db)}
        current = self.conflict_list.currentItem()
        keep = current.data(ID_ROLE) if current is not None else None
        self.conflict_list.blockSignals(True)
        self.conflict_list.clear()
        for conflict in self.conflicts.values():
            peer = conflict.peer_name or conflict.peer_id[:8]
            item = QListWidgetItem(f"{conflict.label}\n"
                                   + _("with « %(peer)s »") % {"peer": peer})
            item.setData(ID_ROLE, conflict.id)
            self.conflict_list.addItem(item)
        self.conflict_list.blockSignals(False)
        count = len(self.conflicts)
        self.conflict_list.setVisible(count > 0)
        self.tabs.setTabText(self.tabs.indexOf(self.conflicts_tab),
                             ngettext("C&onflicts (%(count)s)", "C&onflicts (%(count)s)", count)
                             % {"count": count})
        row = next((i for i in range(self.conflict_list.count())
                    if self.conflict_list.item(i).data(ID_ROLE) == keep), 0)
        if self.conflict_list.count():
            self.conflict_list.setCurrentRow(row)
        self._conflict_chosen()

    def _conflict_chosen(self, *_args) -> None:
        item = self.conflict_list.currentItem()
        self.conflict_view.show_conflict(
            self.conflicts.get(item.data(ID_ROLE)) if item is not None else None)

    def _conflict_settled(self) -> None:
        self.changed = True
        self.refresh_conflicts()

    # -- all of it ------------------------------------------------------------------------

    def refresh(self) -> None:
        folder = self._folder()
        self.folder_label.setText(str(folder) if folder else _("No folder chosen yet."))
        self._fill_scope()
        self.refresh_peers()
        self.refresh_conflicts()
        self._update_buttons()

    def _update_buttons(self) -> None:
        items = self.peers.selectedItems()
        self.import_button.setEnabled(bool(items) and bool(items[0].data(1, ID_ROLE)))
