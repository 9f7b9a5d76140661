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
from perr_desktop.storage.database import Database, open_database
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
    """Owns the open database and the main window; reopens them on request."""

    def __init__(self, qt_app: QApplication, settings: Settings, db_path: Path) -> None:
        self.qt_app = qt_app
        self.settings = settings
        self.home_path = db_path
        self.db: Database | None = None
        self.window: MainWindow | None = None
        self.demo = False
        self._qt_translator: QTranslator | None = None
        self.install_translators()

    def install_translators(self) -> None:
        self._qt_translator = install_qt_translations(self.qt_app, self._qt_translator)

    def open(self, path: Path, demo: bool = False) -> bool:
        try:
            if demo and not path.exists():
                self._build_demo(path)
            db = open_database(path)
        except UserError as exc:
            QMessageBox.critical(self.window, _("PERR Desktop"), exc.message)
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
        return True

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
        if self.db is not None:
            self.db.close()
            self.db = None


def run(db_path: Path | None = None, lang: str | None = None, smoke: bool = False) -> int:
    settings = Settings.load()
    i18n.set_language(lang or settings.language)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    qt_app.setApplicationName("PERR Desktop")
    qt_app.setApplicationDisplayName("PERR Desktop")
    qt_app.setOrganizationName("PERR Desktop")
    qt_app.setStyleSheet(STYLE_SHEET)
    app = Application(qt_app, settings, Path(db_path) if db_path else paths.default_db_path())
    if not app.open(app.home_path):
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
