"""Areas that later versions fill: say so plainly, and what they will do."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from perr_desktop.ui.widgets import heading, hint


class PlaceholderPage(QWidget):
    def __init__(self, title: str, coming: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        from perr_desktop.i18n import _

        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addWidget(hint(_("This part of PERR Desktop is not available yet; it comes in a "
                                "later version. It will let you:")))
        items = QLabel("<ul>" + "".join(f"<li>{line}</li>" for line in coming) + "</ul>")
        items.setWordWrap(True)
        layout.addWidget(items)
        layout.addStretch(1)
