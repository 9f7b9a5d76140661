"""First start on an empty database: create the five QPV councils, or look around."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.domain.councils import status_label
from perr_desktop.i18n import _
from perr_desktop.services import councils, reference
from perr_desktop.ui.style import set_role
from perr_desktop.ui.widgets import accessible, fit_list_height, heading, hint, reporting


class WelcomePage(QWidget):
    finished = Signal()
    demoRequested = Signal()

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.title = _("Welcome")

        self.choices = QListWidget(self)
        accessible(self.choices, _("Neighbourhoods whose council to create"))
        for n in reference.neighbourhoods(db):
            status = councils.QPV_STATUSES.get(n["code"], "actif")
            text = _("%(name)s — %(commune)s, %(population)s inhabitants — council %(status)s") % {
                "name": n["name"], "commune": n["commune"],
                "population": i18n.format_number(n["population"] or 0),
                "status": status_label(status),
            }
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, n["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.choices.addItem(item)
        fit_list_height(self.choices)

        self.create_button = QCommandLinkButton(
            _("Create the councils of the priority neighbourhoods"),
            _("One council per ticked neighbourhood of GrandAngoulême. Basseau Grande-Garenne "
              "starts “being set up”, as the PERR asks; the others are active. You can "
              "change everything afterwards."),
            self,
        )
        self.demo_button = QCommandLinkButton(
            _("Explore with demonstration data"),
            _("Opens a separate example database with five councils and their members. "
              "Your own database stays empty and untouched."),
            self,
        )
        self.empty_button = QCommandLinkButton(
            _("Start with an empty database"),
            _("Create your councils yourself, one by one."),
            self,
        )
        self.create_button.setDefault(True)

        column = QVBoxLayout()
        column.addWidget(heading(_("Welcome to PERR Desktop")))
        column.addWidget(hint(_(
            "PERR Desktop helps the facilitators of citizen councils plan meetings, take "
            "attendance, write the minutes, lead walking diagnostics and follow them up. "
            "Everything stays on this computer and works without internet.")))
        column.addSpacing(12)
        column.addWidget(heading(_("How would you like to start?"), level=2))
        column.addWidget(self.create_button)
        # Indented under the button it belongs to.
        indent = QHBoxLayout()
        indent.setContentsMargins(self.fontMetrics().averageCharWidth() * 5, 0, 0, 0)
        indent.addWidget(self.choices)
        column.addLayout(indent)
        column.addWidget(self.demo_button)
        column.addWidget(self.empty_button)
        column.addSpacing(12)
        where = QLabel(_("Your data will be kept in: %(path)s") % {"path": db.path})
        set_role(where, "hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(where)
        column.addStretch(1)

        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 6)
        outer.addStretch(1)

        self.create_button.clicked.connect(self.create_councils)
        self.demo_button.clicked.connect(self.demoRequested)
        self.empty_button.clicked.connect(self.finished)
        self.setFocusProxy(self.create_button)

    def checked_codes(self) -> list[str]:
        return [
            self.choices.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.choices.count())
            if self.choices.item(i).checkState() == Qt.CheckState.Checked
        ]

    def create_councils(self) -> None:
        with reporting(self):
            councils.create_qpv_councils(self.db, self.checked_codes())
            self.finished.emit()
