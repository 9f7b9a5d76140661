"""The main window: navigation between the areas of the product, menus, shortcuts."""

from __future__ import annotations

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
from perr_desktop.ui import style
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import reporting

# The areas in navigation order, by the attribute that names each page, and the module
# that holds it. A page is imported and built the first time it is shown or asked for
# (``window.people``): the window starts with the first one only, so that opening ten
# years of data costs little more than a bare window (issue 7); the other modules are
# imported while the user reads the first page (_preload).
PAGES = (
    ("councils", "perr_desktop.ui.councils"),
    ("people", "perr_desktop.ui.people"),
    ("meetings", "perr_desktop.ui.meetings.page"),
    ("walks", "perr_desktop.ui.walks.page"),
    ("followup", "perr_desktop.ui.followup"),
    ("dashboard", "perr_desktop.ui.dashboard"),
    ("settings_page", "perr_desktop.ui.settings_page"),
)
PRELOAD_DELAY_MS = 300  # after the first paint, between two modules
_BABEL = "babel.dates"


def _page_property(name: str) -> property:
    return property(lambda window: window.page(name),
                    doc=f"The {name} page (built when first asked for).")


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

        # Empty stand-ins until each page is built (page()); the list is updated in place.
        self.pages: list[QWidget] = [QWidget(self) for _name in PAGES]
        self._built: dict[str, QWidget] = {}
        self.nav_titles = [
            _("Councils"), _("People"), _("Meetings"), _("Walking diagnostics"),
            _("Follow-up"), _("Dashboard"), _("Settings"),
        ]

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setStyleSheet(style.NAVIGATION)
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
        self.welcome: QWidget | None = None  # built only for a database without councils

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo:
            import html

            banner = QLabel(
                _("You are looking at demonstration data: nothing you do here touches "
                  "your own database.")
                + f' <a href="leave">{html.escape(_("Back to my data"))}</a>'
            )
            set_role(banner, "banner")
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

        self._build_menus()
        self._fit_to_screen()
        self._painted = False
        self.stack.installEventFilter(self)
        self._preload_queue: list[str] = [module for _name, module in PAGES] + [_BABEL]
        self.firstPainted.connect(self._preload)

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
        if self.welcome is None:
            from perr_desktop.ui.welcome import WelcomePage

            self.welcome = WelcomePage(self.db, self)
            self.welcome.finished.connect(self._welcome_done)
            self.welcome.demoRequested.connect(self.demoRequested)
            self.stack.addWidget(self.welcome)
        self.navigation.hide()
        self.stack.setCurrentWidget(self.welcome)
        self.welcome.setFocus()

    def _welcome_done(self) -> None:
        self.navigation.show()
        self._refresh_built(("councils", "refresh"), ("people", "refresh_councils"),
                            ("meetings", "refresh_filters"), ("walks", "refresh_filters"),
                            ("settings_page", "refresh_councils"))
        self.navigation.setCurrentRow(0)
        self.stack.setCurrentWidget(self.councils)

    # -- pages, built when first needed ----------------------------------------------

    councils = _page_property("councils")
    people = _page_property("people")
    meetings = _page_property("meetings")
    walks = _page_property("walks")
    followup = _page_property("followup")
    dashboard = _page_property("dashboard")
    settings_page = _page_property("settings_page")

    def is_built(self, name: str) -> bool:
        return name in self._built

    def page(self, name: str) -> QWidget:
        """The page ``name`` (see PAGES), built now if it was not yet."""
        page = self._built.get(name)
        if page is not None:
            return page
        row = [n for n, _module in PAGES].index(name)
        page = self._make_page(name)
        self._built[name] = page
        stand_in = self.pages[row]
        self.stack.insertWidget(self.stack.indexOf(stand_in), page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        self.pages[row] = page
        self._wire(name, page)
        return page

    def _make_page(self, name: str) -> QWidget:
        db, settings = self.db, self.settings
        if name == "councils":
            from perr_desktop.ui.councils import CouncilsPage
            return CouncilsPage(db, settings, self)
        if name == "people":
            from perr_desktop.ui.people import PeoplePage
            return PeoplePage(db, self)
        if name == "meetings":
            from perr_desktop.ui.meetings.page import MeetingsPage
            return MeetingsPage(db, settings, self)
        if name == "walks":
            from perr_desktop.ui.walks.page import WalksPage
            return WalksPage(db, settings, self)
        if name == "followup":
            from perr_desktop.ui.followup import FollowupPage
            return FollowupPage(db, settings, self)
        if name == "dashboard":
            from perr_desktop.ui.dashboard import DashboardPage
            return DashboardPage(db, settings, self)
        if name == "settings_page":
            from perr_desktop.ui.settings_page import SettingsPage
            return SettingsPage(db, settings, self)
        raise KeyError(name)

    def _wire(self, name: str, page: QWidget) -> None:
        """Connect a page just built to the window and to the pages already built; a
        page built later reads fresh data anyway."""
        if hasattr(page, "saved"):
            page.saved.connect(self._saved)
        if name == "councils":
            page.openPerson.connect(self.open_person)
            page.councilsChanged.connect(lambda: self._refresh_built(
                ("people", "refresh_councils"), ("settings_page", "refresh_councils"),
                ("meetings", "refresh_filters"), ("walks", "refresh_filters")))
            page.membersChanged.connect(lambda: self._refresh_built(
                ("people", "reload_current"), ("people", "refresh")))
        elif name == "people":
            page.openCouncil.connect(self.open_council)
            page.directoryChanged.connect(lambda: self._refresh_built(
                ("councils", "refresh_members")))
        elif name == "followup":
            page.openWalk.connect(self.open_walk)
        elif name == "dashboard":
            page.openMeeting.connect(self.open_meeting)
            page.openObservation.connect(self.open_observation)
        elif name == "settings_page":
            page.languageChanged.connect(self.languageChangeRequested)

    def _refresh_built(self, *calls: tuple[str, str]) -> None:
        """``page.method()`` for each (page, method) whose page is built."""
        for name, method in calls:
            page = self._built.get(name)
            if page is not None:
                getattr(page, method)()

    def _preload(self) -> None:
        """Import the modules of the pages not built yet, one per pause of the event
        loop, so that the first visit to each page does not wait for its import."""
        import importlib
        import sys

        from PySide6.QtCore import QDate, QTimer

        while self._preload_queue and self._preload_queue[0] in sys.modules:
            self._preload_queue.pop(0)
        if not self._preload_queue:
            return

        def next_module() -> None:
            if self._preload_queue:
                module = self._preload_queue.pop(0)
                if module == _BABEL:  # Babel and its locale data, for the first date shown
                    from perr_desktop import i18n

                    i18n.format_date(QDate.currentDate().toPython(), "short")
                else:
                    importlib.import_module(module)
                self._preload()

        QTimer.singleShot(PRELOAD_DELAY_MS, self, next_module)

    def _show_page(self, row: int) -> None:
        current = self.stack.currentWidget()
        if hasattr(current, "flush"):
            current.flush()
        if 0 <= row < len(self.pages):
            name = PAGES[row][0]
            fresh = name not in self._built
            page = self.page(name)
            self.stack.setCurrentWidget(page)
            # A page just built has just read its data.
            if not fresh and hasattr(page, "activate"):
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

    def open_meeting(self, meeting_id: str) -> None:
        self.go_to(self.pages.index(self.meetings))
        self.meetings.open_meeting(meeting_id)

    def open_observation(self, walk_id: str, observation_id: str) -> None:
        """The walk, on its Observations tab, with this observation selected."""
        self.open_walk(walk_id)
        detail = self.walks.detail
        detail.tabs.setCurrentWidget(detail.observations)
        detail.observations.load(walk_id, select=observation_id)

    def open_search(self):
        """« Rechercher partout » (ui/search.py): the hit chosen is opened here. The
        dialog is kept, with what was typed, for the next time."""
        from perr_desktop.ui.search import SearchDialog

        if getattr(self, "_search_dialog", None) is None:
            self._search_dialog = SearchDialog(self.db, self)
            self._search_dialog.opened.connect(self.open_hit)
        dialog = self._search_dialog
        dialog.show()
        dialog.activateWindow()
        dialog.field.setFocus()
        dialog.field.selectAll()
        return dialog

    def open_hit(self, hit) -> None:
        """Show where a search hit is: the observation on its walk, the stop on its
        walk's route, the walk, or the meeting (its minutes for what was said there)."""
        if hit.kind == "observation":
            self.open_observation(hit.walk_id, hit.id)
        elif hit.kind in ("walk", "walk_stop"):
            self.open_walk(hit.walk_id)
            if hit.kind == "walk_stop":
                detail = self.walks.detail
                detail.tabs.setCurrentWidget(detail.route)
        elif hit.meeting_id:
            self.open_meeting(hit.meeting_id)
            if hit.kind in ("agenda_item", "decision", "action"):
                detail = self.meetings.detail
                detail.tabs.setCurrentWidget(detail.minutes)

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
        self._action(_("E&xport…"), lambda: self.dashboard.export_data(), None, file_menu)
        self._action(_("Open the &data folder"), self.open_data_folder, None, file_menu)
        file_menu.addSeparator()
        self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit, file_menu)

        go_menu = self.menuBar().addMenu(_("&Go"))
        for number, title in enumerate(self.nav_titles, start=1):
            self._action(title, lambda _c=False, r=number - 1: self.go_to(r),
                         f"Ctrl+{number}", go_menu)
        go_menu.addSeparator()
        self.search_action = self._action(_("Search &everywhere…"), self.open_search,
                                          "Ctrl+Shift+F", go_menu)

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
        """One zip file with the database and its photos (storage/backups.py), written off
        the GUI thread; « Restaurer une sauvegarde… » lists it when kept in the backups
        folder, and restores it from anywhere."""
        from pathlib import Path

        from perr_desktop.storage import backups
        from perr_desktop.storage.database import _timestamp
        from perr_desktop.ui.worker import run_with_progress

        suggested = paths.backups_dir(self.db.path) / f"{self.db.path.stem}-{_timestamp()}.zip"
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save a backup copy"), str(suggested),
            _("PERR Desktop backup (*.zip)"))
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() in (".sqlite", ".db"):  # always one zip, photos included
            path = path.with_suffix(".zip")
        elif path.suffix.lower() != ".zip":
            path = path.with_name(path.name + ".zip")
        if not self.flush():
            return
        with reporting(self):
            run_with_progress(self, None, _("Saving a backup copy…"),
                              lambda _db, _progress, _cancelled:
                              backups.export_backup(self.db.path, path))
            self.statusBar().showMessage(
                _("Backup copy saved: %(path)s") % {"path": path}, 8000
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
            self._refresh_built(("councils", "refresh"), ("people", "refresh_councils"),
                                ("people", "refresh"), ("meetings", "refresh_filters"),
                                ("walks", "refresh_filters"),
                                ("settings_page", "refresh_councils"))
            self._show_page(self.navigation.currentRow())

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.path.parent)))

    def open_guide(self) -> None:
        from perr_desktop.ui.guide import GuideDialog

        GuideDialog(self).exec()

    def about(self) -> None:
        import html

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
