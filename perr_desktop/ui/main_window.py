"""The main window: navigation between the areas of the product, menus, shortcuts."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, QSize, QTime, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import __version__, paths
from perr_desktop.i18n import _
from perr_desktop.settings import Settings
from perr_desktop.storage.database import Database
from perr_desktop.ui.councils import CouncilsPage
from perr_desktop.ui.followup import FollowupPage
from perr_desktop.ui.meetings.page import MeetingsPage
from perr_desktop.ui.people import PeoplePage
from perr_desktop.ui.placeholder import PlaceholderPage
from perr_desktop.ui.settings_page import SettingsPage
from perr_desktop.ui.walks.page import WalksPage
from perr_desktop.ui.welcome import WelcomePage
from perr_desktop.ui.widgets import reporting


class MainWindow(QMainWindow):
    languageChangeRequested = Signal(str)
    demoRequested = Signal()
    leaveDemoRequested = Signal()
    restoreRequested = Signal(str)  # a backup to restore: the Application does it
    firstPainted = Signal()

    def __init__(self, db: Database, settings: Settings, demo: bool = False) -> None:
        super().__init__()
        self.db = db
        self.settings = settings
        self.demo = demo
        self.setWindowTitle(
            _("PERR Desktop — demonstration data") if demo else _("PERR Desktop")
        )
        self.setObjectName("mainWindow")

        self.councils = CouncilsPage(db, settings, self)
        self.people = PeoplePage(db, self)
        self.meetings = MeetingsPage(db, settings, self)
        self.walks = WalksPage(db, settings, self)
        self.followup = FollowupPage(db, settings, self)
        self.settings_page = SettingsPage(db, settings, self)
        self.pages: list[QWidget] = [
            self.councils,
            self.people,
            self.meetings,
            self.walks,
            self.followup,
            PlaceholderPage(_("Dashboard"), [
                _("see the council's figures per PERR objective: meetings, participants, "
                  "share of women and of young people, observations resolved;"),
                _("print the annual report for the contrat de ville."),
            ], self),
            self.settings_page,
        ]
        self.nav_titles = [
            _("Councils"), _("People"), _("Meetings"), _("Walking diagnostics"),
            _("Follow-up"), _("Dashboard"), _("Settings"),
        ]

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(_("Areas"))
        metrics = self.navigation.fontMetrics()
        width = max(metrics.horizontalAdvance(t) for t in self.nav_titles)
        width += metrics.averageCharWidth() * 7
        for number, title in enumerate(self.nav_titles, start=1):
            item = QListWidgetItem(title)
            item.setToolTip(f"{title} (Ctrl+{number})")
            item.setSizeHint(QSize(width, int(metrics.height() * 2.4)))
            self.navigation.addItem(item)
        self.navigation.setFixedWidth(width)

        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.stack.addWidget(page)
        self.welcome = WelcomePage(db, self)
        self.stack.addWidget(self.welcome)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo:
            banner = QLabel(
                _("You are looking at demonstration data: nothing you do here touches "
                  "your own database.")
                + f' <a href="leave">{html.escape(_("Back to my data"))}</a>'
            )
            banner.setProperty("role", "banner")
            banner.setWordWrap(True)
            banner.linkActivated.connect(lambda _link: self.leaveDemoRequested.emit())
            layout.addWidget(banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(12, 12, 12, 6)
        content_layout.addWidget(self.stack)
        row.addWidget(content, 1)
        layout.addLayout(row, 1)
        self.setCentralWidget(body)

        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().addPermanentWidget(QLabel(str(db.path)))

        self.navigation.currentRowChanged.connect(self._show_page)
        self.welcome.finished.connect(self._welcome_done)
        self.welcome.demoRequested.connect(self.demoRequested)
        self.settings_page.languageChanged.connect(self.languageChangeRequested)
        for page in (self.councils, self.people, self.meetings, self.walks, self.followup,
                     self.settings_page):
            page.saved.connect(self._saved)
        self.councils.openPerson.connect(self.open_person)
        self.people.openCouncil.connect(self.open_council)
        self.people.directoryChanged.connect(self.councils.refresh_members)
        self.councils.councilsChanged.connect(self.people.refresh_councils)
        self.councils.councilsChanged.connect(self.settings_page.refresh_councils)
        self.councils.councilsChanged.connect(self.meetings.refresh_filters)
        self.councils.councilsChanged.connect(self.walks.refresh_filters)
        self.followup.openWalk.connect(self.open_walk)
        self.councils.membersChanged.connect(self.people.reload_current)
        self.councils.membersChanged.connect(self.people.refresh)

        self._build_menus()
        self._fit_to_screen()
        self._painted = False
        self.stack.installEventFilter(self)

        if self.db.scalar("SELECT count(*) FROM councils") == 0 and not demo:
            self._show_welcome()
        else:
            self.navigation.setCurrentRow(0)

    def _fit_to_screen(self) -> None:
        """A comfortable size that still fits a small laptop screen at 150 % scaling."""
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = 1280, 800
        if screen is not None:
            width = min(width, int(screen.width() * 0.95))
            height = min(height, int(screen.height() * 0.92))
        self.resize(width, height)

    # -- navigation ------------------------------------------------------------------

    def _show_welcome(self) -> None:
        self.navigation.hide()
        self.stack.setCurrentWidget(self.welcome)
        self.welcome.setFocus()

    def _welcome_done(self) -> None:
        self.navigation.show()
        self.councils.refresh()
        self.people.refresh_councils()
        self.meetings.refresh_filters()
        self.walks.refresh_filters()
        self.settings_page.refresh_councils()
        self.navigation.setCurrentRow(0)
        self.stack.setCurrentWidget(self.councils)

    def _show_page(self, row: int) -> None:
        current = self.stack.currentWidget()
        if hasattr(current, "flush"):
            current.flush()
        if 0 <= row < len(self.pages):
            page = self.pages[row]
            self.stack.setCurrentWidget(page)
            if hasattr(page, "activate"):
                page.activate()

    def go_to(self, row: int) -> None:
        if self.navigation.isVisible():
            self.navigation.setCurrentRow(row)

    def open_person(self, person_id: str) -> None:
        self.go_to(self.pages.index(self.people))
        self.people.open_person(person_id)

    def open_walk(self, walk_id: str) -> None:
        self.go_to(self.pages.index(self.walks))
        self.walks.open_walk(walk_id)

    def open_council(self, council_id: str) -> None:
        self.go_to(self.pages.index(self.councils))
        self.councils.open_council(council_id)

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    # -- menus -----------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None,
                menu=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        if menu is not None:
            menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.new_action = self._action(_("&New"), self._new,
                                       QKeySequence.StandardKey.New, file_menu)
        self.find_action = self._action(_("&Search"), self._find,
                                        QKeySequence.StandardKey.Find, file_menu)
        self.save_action = self._action(_("Save &now"), self.flush,
                                        QKeySequence.StandardKey.Save, file_menu)
        file_menu.addSeparator()
        self._action(_("Save a &backup copy…"), self.save_backup_copy, None, file_menu)
        self._action(_("&Restore a backup…"), self.restore_backup, None, file_menu)
        self._action(_("&Exchange with other computers…"), self.exchange_with_others, None,
                     file_menu)
        self._action(_("Open the &data folder"), self.open_data_folder, None, file_menu)
        file_menu.addSeparator()
        self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit, file_menu)

        go_menu = self.menuBar().addMenu(_("&Go"))
        for number, title in enumerate(self.nav_titles, start=1):
            self._action(title, lambda _c=False, r=number - 1: self.go_to(r),
                         f"Ctrl+{number}", go_menu)

        help_menu = self.menuBar().addMenu(_("&Help"))
        self._action(_("&User guide"), self.open_guide, QKeySequence.StandardKey.HelpContents,
                     help_menu)
        self._action(_("&About PERR Desktop"), self.about, None, help_menu)

    def _new(self) -> None:
        page = self.current_page()
        if hasattr(page, "new_record"):
            page.new_record()

    def _find(self) -> None:
        page = self.current_page()
        if not hasattr(page, "focus_search"):
            self.go_to(self.pages.index(self.people))
            page = self.people
        page.focus_search()

    def flush(self) -> bool:
        """Save what is being typed, now (Ctrl+S; also before leaving a page)."""
        ok = all(page.flush() for page in self.pages if hasattr(page, "flush"))
        if ok:
            self._saved()
        return ok

    def _saved(self, *_args) -> None:
        time = QTime.currentTime().toString("HH:mm")
        self.saved_label.setText(_("All changes saved (%(time)s)") % {"time": time})

    def save_backup_copy(self) -> None:
        from perr_desktop.storage.database import _timestamp

        suggested = paths.backups_dir(self.db.path) / f"{self.db.path.stem}-{_timestamp()}.sqlite"
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save a backup copy"), str(suggested), _("PERR Desktop database (*.sqlite)")
        )
        if not target:
            return
        self.flush()
        with reporting(self):
            from pathlib import Path

            self.db.backup_to(Path(target))
            self.statusBar().showMessage(
                _("Backup copy saved: %(path)s") % {"path": target}, 8000
            )

    def restore_backup(self) -> None:
        from perr_desktop.ui.backups import RestoreDialog

        if not self.flush():
            return
        dialog = RestoreDialog(self.db.path, self)
        if dialog.exec() == RestoreDialog.DialogCode.Accepted and dialog.chosen is not None:
            self.restoreRequested.emit(str(dialog.chosen))

    def exchange_with_others(self) -> None:
        """The shared folder, package files and conflicts (ui/exchange.py); once it
        closes, every page reloads what an import or a settled conflict changed."""
        from perr_desktop.ui.exchange import ExchangeDialog

        if not self.flush():
            return
        dialog = ExchangeDialog(self.db, self.settings, self)
        dialog.exec()
        if dialog.changed:
            if not self.navigation.isVisible():
                self._welcome_done()  # a new database that just received its councils
                return
            self.councils.refresh()
            self.people.refresh_councils()
            self.people.refresh()
            self.meetings.refresh_filters()
            self.walks.refresh_filters()
            self.settings_page.refresh_councils()
            self._show_page(self.navigation.currentRow())

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.path.parent)))

    def open_guide(self) -> None:
        from perr_desktop.ui.guide import GuideDialog

        GuideDialog(self).exec()

    def about(self) -> None:
        QMessageBox.about(
            self, _("About PERR Desktop"),
            "<h3>PERR Desktop %(version)s</h3><p>%(text)s</p>"
            "<p>%(data)s<br><code>%(path)s</code></p>"
            % {
                "version": __version__,
                "text": html.escape(_(
                    "The offline tool of the facilitators of GrandAngoulême's citizen councils: "
                    "councils, meetings, walking diagnostics, follow-up and reports for the PERR "
                    "of the contrat de ville.")),
                "data": html.escape(_("Your data is kept on this computer, in:")),
                "path": html.escape(str(self.db.path)),
            },
        )

    # -- life cycle ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and watched is self.stack and event.type() == QEvent.Type.Paint:
            self._painted = True
            self.firstPainted.emit()
        return super().eventFilter(watched, event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.flush():
            answer = QMessageBox.question(
                self, _("PERR Desktop"),
                _("A value was refused and has not been saved. Quit anyway?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        event.accept()
