"""Starting the application: Qt, translations, the database, the main window."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QThread, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from perr_desktop import i18n, paths
from perr_desktop.errors import UserError
from perr_desktop.i18n import _
from perr_desktop.settings import Settings
from perr_desktop.storage import lock
from perr_desktop.storage.database import Database, open_database
from perr_desktop.ui.backup_scheduler import START, BackupScheduler

if TYPE_CHECKING:
    from perr_desktop.ui.main_window import MainWindow


def check_at_start(*args, **kwargs) -> bool:
    """:func:`perr_desktop.ui.backups.check_at_start`, imported when it is needed: a large
    database is checked in the background (ui/start_check.py) and its start shows none
    of those dialogs."""
    from perr_desktop.ui import backups as backup_dialogs

    return backup_dialogs.check_at_start(*args, **kwargs)


def install_qt_translations(qt_app: QApplication,
                            previous: QTranslator | None = None) -> QTranslator | None:
    """Qt's own words (Cancel, Yes, the file chooser) in the interface language."""
    if previous is not None:
        qt_app.removeTranslator(previous)
    QLocale.setDefault(QLocale(i18n.locale_name()))
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
        self._check = None  # the start's integrity check, when it runs in the background
        self._open_error = ""
        self._start_backup: dict[str, bool] = {"wanted": False}
        self.backups = BackupScheduler(qt_app)
        self.backups.failed.connect(self._backup_failed)
        self.install_translators()

    def install_translators(self) -> None:
        self._qt_translator = install_qt_translations(self.qt_app, self._qt_translator)

    def start(self, background: bool = True) -> bool:
        """The window's start (not :meth:`open`'s, nor the command line's): refuse a
        second instance, check the database's integrity, open it, and back it up in the
        background once the window has painted (``background=False`` leaves out what
        is done after the first paint, a large file's check and the backup: ``--smoke``
        quits at that moment, they would be cancelled at once)."""
        path = self.home_path
        existed = path.exists()
        if not self._lock(path):
            return False
        # The integrity check reads the whole file: a large one is checked once the
        # window has painted (ui/start_check.py), a small one or one to migrate before.
        from perr_desktop.ui import start_check

        late = start_check.in_background(path)
        if late:
            check = self._check = start_check.StartCheck(path)
            check.answered.connect(lambda problem, c=check: self._checked(c, problem))
        elif not check_at_start(path):
            return False
        if not self.open(path, report=not late):
            if not late:
                return False
            # Opening failed: was the file damaged? Then the same choice as before any
            # window; otherwise what opening said.
            check, self._check = self._check, None
            check.run()  # here and now: there is no window to wait for
            if check.problem is None:
                QMessageBox.critical(None, _("PERR Desktop"), self._open_error)
                return False
            if not check_at_start(path, problem=check.problem) or not self.open(path):
                return False
            late = False
        # The late check and the start backup wait for the first paint (10 s at most: a
        # window minimised never paints), so that neither slows it down; the backup also
        # waits for the check's answer: a damaged file is not backed up.
        self._start_backup = {"wanted": existed and not self.demo, "painted": False,
                              "checked": not late}
        if background:
            assert self.window is not None
            self.window.firstPainted.connect(lambda: QTimer.singleShot(0, self._painted))
            QTimer.singleShot(10_000, self._painted)
        return True

    def _painted(self) -> None:
        """The window has painted (or 10 s have passed): start the background work."""
        if self._start_backup["painted"]:
            return
        if self._check is not None:
            self._check.start(QThread.Priority.LowPriority)
        self._start_backup_step("painted")

    def _start_backup_step(self, done: str) -> None:
        state = self._start_backup
        state[done] = True
        if state["wanted"] and state["painted"] and state["checked"]:
            state["wanted"] = False
            self.backups.back_up(START)

    def _checked(self, check, problem: str | None) -> None:
        """The answer of the check made while the window opened."""
        if check is not self._check:
            return  # cancelled, or already answered while opening failed
        self._check = None
        if problem is None:
            self._start_backup_step("checked")
            return
        # Damaged: let go of the file, then the same choice as before any window.
        window, db, path = self.window, self.db, self.home_path
        self.backups.stop()
        self.backups.watch(None)
        if window is not None:
            window.hide()
        if db is not None:
            db.close(optimize=False)  # nothing more written into a damaged file
        self.db = None
        if check_at_start(path, window, problem=problem):
            self.window = None
            self.open(path)
        if window is not None:
            window.close()
            window.deleteLater()
        if self.window is None:
            self.qt_app.quit()

    def _cancel_check(self) -> None:
        check, self._check = self._check, None
        if check is not None:
            check.cancel()

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

    def open(self, path: Path, demo: bool = False, report: bool = True) -> bool:
        """Open ``path`` in a new window; False when it cannot be (said in a message box,
        or only kept in ``_open_error`` with ``report=False``)."""
        if not self._lock(path):
            return False
        try:
            if demo and not path.exists():
                self._build_demo(path)
            db = open_database(path)
        except UserError as exc:
            self._open_error = exc.message
            if report:
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
        from perr_desktop.storage import backups
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
        from perr_desktop.ui.main_window import MainWindow

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
        from perr_desktop.ui.worker import wait_for_readers

        self._cancel_check()
        wait_for_readers()  # a page's figures being read: a moment at most
        self.backups.stop()
        self.backups.watch(None)
        if self.db is not None:
            self.db.close()
            self.db = None
        self._release_locks()


def _painted(qt_app: QApplication) -> None:
    print(_("PERR Desktop: the window has painted with its data."), flush=True)
    QTimer.singleShot(0, qt_app.quit)


def run(db_path: Path | None = None, lang: str | None = None, smoke: bool = False) -> int:
    settings = Settings.load()
    i18n.set_language(lang or settings.language)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("PERR Desktop")
    qt_app.setApplicationDisplayName("PERR Desktop")
    qt_app.setOrganizationName("PERR Desktop")
    app = Application(qt_app, settings, Path(db_path) if db_path else paths.default_db_path())
    if not app.start(background=not smoke):
        app.close()
        return 1
    # The garbage collector, stopped for the start (cli.cmd_gui), resumes once the
    # window has painted, or after 10 s at most (a window minimised never paints).
    assert app.window is not None
    app.window.firstPainted.connect(gc.enable)
    QTimer.singleShot(10_000, gc.enable)
    if smoke:
        # Quit once the window has really painted with its data loaded, saying so (a
        # benchmark times the start up to this line: bench_startup.py).
        app.window.firstPainted.connect(lambda: _painted(qt_app))
    try:
        qt_app.exec()
    finally:
        app.close()
    return 0
