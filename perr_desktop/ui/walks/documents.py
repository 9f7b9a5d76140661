"""Printing a walk: the restitution report, one dossier per body, the follow-up table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.errors import UserError
from perr_desktop.i18n import LANGUAGE_NAMES, _
from perr_desktop.services import followups, reference, walks
from perr_desktop.ui.meetings.documents import file_stem
from perr_desktop.ui.pdf_preview import PdfPreview, print_pdf, run_document, save_pdf
from perr_desktop.ui.widgets import accessible, fill_combo, heading, hint, reporting, set_combo_data


class WalkDocumentsTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.walk_id: str | None = None
        self.language = accessible(QComboBox(), _("Language of the documents"))
        fill_combo(self.language, [(name, code) for code, name in LANGUAGE_NAMES.items()])
        set_combo_data(self.language, i18n.get_language())
        self.identifiable = QCheckBox(_("include the photos of identifiable people"))
        self.body = accessible(QComboBox(), _("Body"))
        grid = QGridLayout()
        rows = [
            (_("Restitution report"), self._walk, _("Walk"), self.identifiable),
            (_("Dossier for a body"), self._dossier, _("Dossier"), self.body),
            (_("Follow-up table of the council"), self._followup, _("Follow-up"), None),
        ]
        line = 0
        for title, build, stem, extra in rows:
            grid.addWidget(QLabel(f"<b>{title}</b>"), line, 0)
            for column, (text, slot) in enumerate(((_("Preview…"), self._preview),
                                                   (_("Print…"), self._print),
                                                   (_("Save as PDF…"), self._save)), start=1):
                button = QPushButton(text)
                button.setAccessibleName(f"{text} — {title}")
                button.clicked.connect(lambda _c=False, s=slot, b=build, t=title, n=stem:
                                       s(b, t, n))
                grid.addWidget(button, line, column)
            line += 1
            if extra is not None:  # its option on the line below, under the buttons
                grid.addWidget(extra, line, 1, 1, 3)
                line += 1
        grid.setColumnStretch(4, 1)
        language = QGridLayout()
        language.addWidget(QLabel(_("Language of the documents:")), 0, 0)
        language.addWidget(self.language, 0, 1)
        language.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Documents"), level=2))
        layout.addLayout(language)
        layout.addLayout(grid)
        layout.addWidget(hint(_("Photos flagged « identifiable people » are left out unless "
                                "you tick the box, or chose to include that photo.")))
        layout.addStretch(1)

    def load(self, walk_id: str | None) -> None:
        self.walk_id = walk_id
        self.setEnabled(walk_id is not None)
        if walk_id is None:
            return
        concerned = {f["body"] for rows in followups.for_walk(self.db, walk_id).values()
                     for f in rows}
        fill_combo(self.body, [(v["label"], v["code"])
                               for v in reference.vocabulary(self.db, "body")
                               if v["code"] in concerned])

    @property
    def lang(self) -> str:
        return self.language.currentData()

    def _walk(self) -> bytes:
        from perr_desktop.reports import walk

        return walk.build(self.db, self.walk_id, self.lang,
                          include_identifiable=self.identifiable.isChecked())

    def _dossier(self) -> bytes:
        from perr_desktop.reports import body_dossier

        if not self.body.currentData():
            raise UserError(_("No body is concerned by this walk's observations yet."))
        return body_dossier.build(self.db, self.walk_id, self.body.currentData(), self.lang)

    def _followup(self) -> bytes:
        from perr_desktop.reports import followup

        walk = walks.require_walk(self.db, self.walk_id)
        return followup.build(self.db, walk["council_id"], self.lang)

    def _pdf(self, build: Callable[[], bytes]) -> bytes | None:
        if self.walk_id is None:
            return None
        self.saved.emit({"flush": True})
        return run_document(self, build)

    def _suggested(self, stem: str) -> str:
        walk = walks.require_walk(self.db, self.walk_id)
        name = file_stem({"starts_at": walk["walk_date"], "title": walk["title"]}, stem)
        return str(Path.home() / f"{name}.pdf")

    def _preview(self, build, title: str, stem: str) -> None:
        pdf = self._pdf(build)
        if pdf is not None:
            PdfPreview(pdf, title, self._suggested(stem), self).exec()

    def _print(self, build, title: str, _stem: str) -> None:
        pdf = self._pdf(build)
        if pdf is not None:
            with reporting(self):
                print_pdf(pdf, self, title)

    def _save(self, build, _title: str, stem: str) -> None:
        pdf = self._pdf(build)
        if pdf is not None:
            with reporting(self):
                save_pdf(pdf, self, self._suggested(stem))

    def flush(self) -> bool:
        return True
