"""Backups in the window: « Restaurer une sauvegarde… » and the check of the database
when the application starts (the automatic backups in the background are in
:mod:`perr_desktop.ui.backup_scheduler`, re-exported here).

The work itself is in :mod:`perr_desktop.storage.backups`; here it is only shown, asked
about, and run off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n, paths
from perr_desktop.errors import UserError
from perr_desktop.i18n import _
from perr_desktop.storage import backups
from perr_desktop.ui.backup_scheduler import BackupScheduler  # noqa: F401 (re-exported)
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import confirm, reporting, show_error
from perr_desktop.ui.worker import run_with_progress


def backup_date(backup: backups.BackupInfo) -> str:
    """« jeu. 26 nov. 2026, 14:31 »: the day of the week helps to find « Tuesday's »."""
    if backup.created_at is None:
        return "—"
    return i18n.format_moment(backup.created_at.astimezone().replace(tzinfo=None))


# -- the dialog -------------------------------------------------------------------------

class RestoreDialog(QDialog):
    """The backups of the database, newest first; « Restaurer » asks for confirmation,
    then closes the dialog with :attr:`chosen` set: the application does the restore."""

    COLUMNS = 4

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.chosen: Path | None = None
        self.setWindowTitle(_("Restore a backup"))
        self.setObjectName("restoreDialog")

        intro = QLabel(_(
            "PERR Desktop backs up your database and its photos when it starts, every 30 "
            "minutes while you work, before an update of the database and before a restore. "
            "Choose the moment to come back to."))
        intro.setWordWrap(True)

        self.table = QTreeWidget(self)
        self.table.setObjectName("backupsList")
        self.table.setAccessibleName(_("Backups"))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([_("Date"), _("Reason"), _("Contents"), _("Size")])
        header = self.table.header()
        header.setStretchLastSection(False)
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.empty = QLabel(_("No backup yet: the first one is made when PERR Desktop "
                              "starts."))
        self.empty.setWordWrap(True)
        self.folder = QLabel(_("Backups are kept in %(folder)s.")
                             % {"folder": paths.backups_dir(self.db_path)})
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.folder, "hint")

        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton(_("&Restore…"), self)
        self.backup_button = QPushButton(_("&Back up now"), self)
        self.file_button = QPushButton(_("Restore from a &file…"), self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_button.clicked.connect(self.back_up_now)
        self.file_button.clicked.connect(self.restore_file)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item, _column: self.restore_selected())

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.folder)
        layout.addWidget(buttons)
        # Wide enough for the French reasons (« avant mise à jour de la base ») and the
        # five counts side by side.
        self.resize(1040, 500)
        self.refresh()

    def refresh(self) -> None:
        self.backups = backups.list_backups(self.db_path)
        self.table.clear()
        for backup in self.backups:
            contents = backup.contents()
            if not backup.ok:
                contents = _("Damaged: %(reason)s") % {"reason": backup.damaged}
            item = QTreeWidgetItem([backup_date(backup), backup.reason_label(), contents,
                                    backup.size_text() if backup.size else ""])
            item.setToolTip(0, str(backup.path))
            item.setToolTip(2, contents)
            item.setData(0, Qt.ItemDataRole.UserRole, str(backup.path))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight
                                  | Qt.AlignmentFlag.AlignVCenter)
            if not backup.ok:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.table.addTopLevelItem(item)
        self.empty.setVisible(not self.backups)
        first_ok = next((i for i, b in enumerate(self.backups) if b.ok), None)
        if first_ok is not None:
            self.table.setCurrentItem(self.table.topLevelItem(first_ok))
        self._update_buttons()

    def selected(self) -> backups.BackupInfo | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        backup = self.backups[self.table.indexOfTopLevelItem(item)]
        return backup if backup.ok else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _confirm(self, what: str) -> bool:
        question = "\n\n".join((
            _("Restore %(what)s?") % {"what": what},
            _("The data you have now will be replaced by the data of that backup. A backup "
              "of the current state is made first: to come back to it, restore it from this "
              "same list."),
        ))
        return confirm(self, question, _("Restore"))

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        what = _("the backup of %(date)s (%(contents)s)") % {
            "date": backup_date(backup), "contents": backup.contents()}
        if self._confirm(what):
            self.chosen = backup.path
            self.accept()

    def restore_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Restore from a file"), str(Path.home()),
            _("PERR Desktop backups (*.zip *.sqlite)"))
        if not name:
            return
        if self._confirm(_("the backup %(path)s") % {"path": name}):
            self.chosen = Path(name)
            self.accept()

    def back_up_now(self) -> None:
        with reporting(self):
            run_with_progress(self, self.db_path, _("Backing up…"),
                              lambda db, _progress, _cancelled:
                              backups.make_backup(db, backups.MANUAL))
            self.refresh()


# -- at start -----------------------------------------------------------------------------

_NOT_CHECKED = object()


def check_at_start(db_path: Path, parent: QWidget | None = None,
                   problem: str | object | None = _NOT_CHECKED) -> bool:
    """The integrity check of the GUI's start (``PRAGMA quick_check``). A damaged
    database: explain, and offer to restore the latest good backup (the damaged file
    copied aside first) or to quit. Returns whether to go on opening it. ``problem``:
    the check's answer when it was already run (the application runs it in a thread
    while its modules load), else it is run here."""
    if problem is _NOT_CHECKED:
        problem = backups.quick_problem(db_path)
    if problem is None:
        return True
    good = backups.latest_good_backup(db_path)
    now = dt.datetime.now().astimezone()
    box = QMessageBox(QMessageBox.Icon.Critical, _("PERR Desktop"),
                      _("The database %(path)s is damaged: it cannot be opened as it is. "
                        "This can happen after a power cut, or with a faulty disk or USB "
                        "key.") % {"path": db_path},
                      QMessageBox.StandardButton.NoButton, parent)
    # SQLite's own words, in English, for whoever helps: not in the sentence itself.
    box.setDetailedText(_("What SQLite reports: %(problem)s") % {"problem": problem})
    restore_button = None
    if good is not None:
        box.setInformativeText(
            _("PERR Desktop can put back the latest good backup, from %(date)s "
              "(%(contents)s); what was entered after it will be missing. The damaged file "
              "is first copied beside it, as %(name)s, and nothing else is deleted.")
            % {"date": backup_date(good), "contents": good.contents(),
               "name": backups.aside_name(db_path, now).name})
        restore_button = box.addButton(_("Restore this backup"),
                                       QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(
            _("No usable backup was found in %(folder)s. The file is left as it is: ask for "
              "help before doing anything else with it.")
            % {"folder": paths.backups_dir(db_path)})
    quit_button = box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button or quit_button)
    box.exec()
    if restore_button is None or box.clickedButton() is not restore_button:
        return False
    try:
        aside = backups.copy_aside(db_path, now=now)
        run_with_progress(parent, None, _("Restoring the backup…"),
                          lambda _db, _progress, _cancelled:
                          backups.restore(good.path, db_path))
    except UserError as exc:
        show_error(parent, exc)
        return False
    QMessageBox.information(
        parent, _("PERR Desktop"),
        _("The backup of %(date)s was restored. The damaged file was kept as %(path)s.")
        % {"date": backup_date(good), "path": aside})
    return True
