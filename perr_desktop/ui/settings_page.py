"""Settings: language, default council, where the data lives, the reference lists."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import paths
from perr_desktop.i18n import LANGUAGE_NAMES, _, ngettext
from perr_desktop.services import councils
from perr_desktop.settings import MAX_RETENTION_YEARS, Settings
from perr_desktop.ui.reference_editor import ReferenceEditor
from perr_desktop.ui.widgets import accessible, fill_combo, heading, hint, set_combo_data


def _path_label(path) -> QLabel:
    label = QLabel(str(path))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class SettingsPage(QWidget):
    saved = Signal(dict)
    languageChanged = Signal(str)

    def __init__(self, db, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.title = _("Settings")

        self.language = accessible(QComboBox(), _("Interface language"))
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        set_combo_data(self.language, settings.language)
        self.language.activated.connect(self._language_chosen)
        self.default_council = accessible(QComboBox(), _("Default council"))
        self.default_council.activated.connect(self._default_council_chosen)
        self.refresh_councils()

        general = QWidget()
        form = QFormLayout(general)
        form.addRow(_("Interface &language"), self.language)
        form.addRow("", hint(_("The window reopens in the chosen language. Documents can be "
                               "printed in French or English whatever this choice.")))
        form.addRow(_("&Default council"), self.default_council)
        form.addRow("", hint(_("The council shown first when the application opens.")))
        self.retention_years = accessible(
            QSpinBox(), _("Keep former members' contact details for this many years"))
        self.retention_years.setRange(1, MAX_RETENTION_YEARS)
        self.retention_years.setMaximumWidth(self.fontMetrics().averageCharWidth() * 14)
        self.retention_years.setValue(settings.retention_years)
        self._retention_suffix()
        self.retention_years.valueChanged.connect(self._retention_chosen)
        form.addRow(_("&Keep former members' contact details for"), self.retention_years)
        form.addRow("", hint(_("After this time without a membership or any participation, "
                               "the People page proposes to erase a person's email, "
                               "telephone and address (RGPD).")))

        data = QWidget()
        form = QFormLayout(data)
        form.addRow(_("Database"), _path_label(db.path))
        form.addRow(_("Photos and plans"), _path_label(paths.media_dir(db.path)))
        form.addRow(_("Backups"), _path_label(paths.backups_dir(db.path)))
        open_folder = QPushButton(_("Open the data &folder"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(db.path.parent))))
        form.addRow("", open_folder)
        form.addRow("", hint(_("To back up your work, copy this folder to a USB key or use "
                               "File › Save a backup copy. See the user guide (F1).")))

        self.reference = ReferenceEditor(db)
        self.reference.saved.connect(lambda: self.saved.emit({}))

        tabs = QTabWidget()
        tabs.addTab(general, _("&General"))
        tabs.addTab(data, _("D&ata"))
        tabs.addTab(self.reference, _("&Reference lists"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(_("Settings")))
        layout.addWidget(tabs, 1)

    def refresh_councils(self) -> None:
        entries = [(_("None"), None)]
        entries += [(c["name"], c["id"]) for c in councils.list_councils(self.db)]
        fill_combo(self.default_council, entries)
        set_combo_data(self.default_council, self.settings.default_council_id)

    def _language_chosen(self) -> None:
        language = self.language.currentData()
        if language != self.settings.language:
            self.settings.language = language
            self.settings.save()
            self.languageChanged.emit(language)

    def _retention_suffix(self) -> None:
        self.retention_years.setSuffix(
            " " + ngettext("year", "years", self.retention_years.value()))

    def _retention_chosen(self, years: int) -> None:
        self._retention_suffix()
        self.settings.retention_years = years
        self.settings.save()

    def _default_council_chosen(self) -> None:
        self.settings.default_council_id = self.default_council.currentData()
        self.settings.save()
        self.saved.emit({})

    def flush(self) -> bool:
        return True
