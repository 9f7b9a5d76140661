"""The user guide, shown inside the application (no browser, no network)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from perr_desktop import paths
from perr_desktop.i18n import _


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("User guide"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setAccessibleName(_("User guide"))
        try:
            self.browser.setMarkdown(paths.guide_path().read_text(encoding="utf-8"))
        except OSError:
            self.browser.setPlainText(
                _("The user guide could not be found: reinstall PERR Desktop to get it back."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 640)
