"""Starting the application: Qt, translations, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from perr_desktop import i18n, paths
from perr_desktop.errors import UserError
from perr_desktop.i18n import _
from perr_desktop.settings import Settings
from perr_desktop.storage import backups, lock
from perr_desktop.storage.database import Database, open_database
from perr_desktop.ui.backups import BackupScheduler, check_at_start
from perr_desktop.ui.main_window import MainWindow
from perr_desktop.ui.style import STYLE_SHEET


def install_qt_translations(qt_app: QApplication,
                            previous: QTranslator | None = None) -> QTranslator | None:
    """Qt's own words (Cancel, Yes, the file chooser) in the interface language."""
    if previous is not None:
        qt_app.removeTranslator(previous)
    QLocale.setDefault(QLocale(str(i18n.locale())))
    translator = QTranslator(qt_app)
    if translator.load(f"qtbase_{i18n.get_language()}",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        qt_app.installTranslator(translator)
        return translator
    return None


class Application:
    """Owns the open database and the main window; reopens them on request.

    It holds the lock (storage/lock.py) of the databases it opened, the user's own for as
    long as it runs, and backs the open database up in the background.
    """

    def __init__(self, qt_app: QApplication, settings: Settings, db_path: Path) -> None:
        self.qt_app = qt_app
        self.settings = settings
        self.home_path = db_path
        self.db: Database | None = None
        self.window: MainWindow | None = None
        self.demo = False
        self._qt_translator: QTranslator | None = None
        self._locks: set[Path] = set()
        self.backups = BackupScheduler(qt_app)
        self.backups.failed.connect(self._backup_failed)
        self.install_translators()

    def install_translators(self) -> None:
        self._qt_translator = install_qt_translations(self.qt_app, self._qt_translator)

    def start(self) -> bool:
        """The window's start (not :meth:`open`'s, nor the command line's): refuse a
        second instance, check the database's integrity, open it, and back it up in the
        background once the window has painted."""
        path = self.home_path
        existed = path.exists()
        if not self._lock(path) or not check_at_start(path) or not self.open(path):
            return False
        if existed and not self.demo:
            assert self.window is not None
            started: list[bool] = []

            def back_up() -> None:
                if not started:
                    started.append(True)
                    self.backups.back_up(backups.START)

            self.window.firstPainted.connect(lambda: QTimer.singleShot(0, back_up))
            QTimer.singleShot(10_000, back_up)  # a window that never paints (minimised)
        return True

    def _lock(self, path: Path) -> bool:
        """Take the lock of ``path``; a polite refusal if another program holds it."""
        if path in self._locks:
            return True
        try:
            lock.acquire(path, lock.GUI)
        except UserError as exc:
            QMessageBox.information(self.window, _("PERR Desktop"), exc.message)
            return False
        self._locks.add(path)
        return True

    def _release_locks(self, keep: tuple[Path, ...] = ()) -> None:
        for path in list(self._locks):
            if path not in keep:
                lock.release(path)
                self._locks.discard(path)

    def open(self, path: Path, demo: bool = False) -> bool:
        if not self._lock(path):
            return False
        try:
            if demo and not path.exists():
                self._build_demo(path)
            db = open_database(path)
        except UserError as exc:
            QMessageBox.critical(self.window, _("PERR Desktop"), exc.message)
            self._release_locks(keep=self._current_paths())
            return False
        old_window, old_db = self.window, self.db
        if old_window is not None:
            old_window.flush()
        self.db, self.demo = db, demo
        self.show_window()
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_db is not None:
            old_db.close()
        # The demonstration data is not backed up.
        self.backups.watch(None if demo else db)
        self._release_locks(keep=self._current_paths())
        return True

    def _current_paths(self) -> tuple[Path, ...]:
        return (self.home_path,) + ((self.db.path,) if self.db is not None else ())

    def restore_backup(self, backup: str) -> None:
        """Replace the open database by a backup (storage/backups.py), then reopen it.

        The slow part (checking the backup, backing up the current state, media) runs in
        a worker; the swap needs every connection to the file closed, the window's
        included: a connection left open on a replaced WAL database would, on closing,
        fold its old -wal into the new file's name."""
        from perr_desktop.ui.worker import run_with_progress

        window, db = self.window, self.db
        if db is None:
            return
        path = db.path
        self.backups.stop()
        try:
            prepared = run_with_progress(
                window, None, _("Restoring the backup…"),
                lambda _db, _progress, _cancelled: backups.prepare_restore(Path(backup), path))
        except UserError as exc:
            QMessageBox.warning(window, _("PERR Desktop"), exc.message)
            return
        db.close()
        self.db = None
        error = None
        try:
            prepared.commit()
        except UserError as exc:
            error = exc.message  # the database was left as it was
        finally:
            prepared.discard()
        if not self.open(path, demo=self.demo):
            if window is not None:
                window.close()
            return
        assert self.window is not None
        if error is not None:
            QMessageBox.warning(self.window, _("PERR Desktop"), error)
        else:
            self.window.statusBar().showMessage(
                _("Backup restored. The state before it was backed up as well."), 15_000)

    def _backup_failed(self, message: str) -> None:
        if self.window is not None:
            self.window.statusBar().showMessage(
                _("The automatic backup failed: %(reason)s") % {"reason": message}, 60_000)

    def _build_demo(self, path: Path) -> None:
        """A few seconds of work (photos are drawn and imported): off the GUI thread."""
        from perr_desktop.services import demo as demo_data
        from perr_desktop.ui.worker import run_with_progress

        run_with_progress(self.window, None, _("Preparing the demonstration data…"),
                          lambda _db, _progress, _cancelled:
                          demo_data.create_demo_database(path))

    def show_window(self) -> None:
        assert self.db is not None
        window = MainWindow(self.db, self.settings, demo=self.demo)
        window.demoRequested.connect(lambda: self.open(paths.demo_db_path(), demo=True))
        window.leaveDemoRequested.connect(lambda: self.open(self.home_path))
        window.languageChangeRequested.connect(self.change_language)
        window.restoreRequested.connect(self.restore_backup)
        previous = self.window
        if previous is not None:
            window.setGeometry(previous.geometry())
        self.window = window
        window.show()

    def change_language(self, language: str) -> None:
        i18n.set_language(language)
        self.install_translators()
        old = self.window
        if old is not None:
            old.flush()
        self.show_window()
        if self.window is not None:
            self.window.go_to(len(self.window.pages) - 1)
        if old is not None:
            old.close()
            old.deleteLater()

    def close(self) -> None:
        self.backups.stop()
        self.backups.watch(None)
        if self.db is not None:
            self.db.close()
            self.db = None
        self._release_locks()


def run(db_path: Path | None = None, lang: str | None = None, smoke: bool = False) -> int:
    settings = Settings.load()
    i18n.set_language(lang or settings.language)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("PERR Desktop")
    qt_app.setApplicationDisplayName("PERR Desktop")
    qt_app.setOrganizationName("PERR Desktop")
    qt_app.setStyleSheet(STYLE_SHEET)
    app = Application(qt_app, settings, Path(db_path) if db_path else paths.default_db_path())
    if not app.start():
        app.close()
        return 1
    if smoke:
        assert app.window is not None
        # Quit once the window has really painted with its data loaded.
        app.window.firstPainted.connect(lambda: QTimer.singleShot(0, qt_app.quit))
    try:
        qt_app.exec()
    finally:
        app.close()
    return 0
