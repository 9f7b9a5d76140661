"""Printing: convocation, sign-in sheet and minutes (preview, print, PDF) and the
calendar file for the members' diaries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from perr_desktop import i18n
from perr_desktop.i18n import LANGUAGE_NAMES, _
from perr_desktop.services import meetings
from perr_desktop.ui.pdf_preview import PdfPreview, print_pdf, run_document, save_pdf
from perr_desktop.ui.widgets import (
    accessible,
    fill_combo,
    heading,
    hint,
    reporting,
    section,
    set_combo_data,
)


def file_stem(meeting: dict, what: str) -> str:
    """« 2026-11-26 Compte rendu Séance plénière »: sortable, readable, safe to save."""
    title = re.sub(r'[\\/:*?"<>|]+', "-", meeting["title"]).strip()
    return f"{meeting['starts_at'][:10]} {what} {title}"


class DocumentsTab(QWidget):
    saved = Signal(dict)

    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.meeting_id: str | None = None
        self.language = accessible(QComboBox(), _("Language of the documents"))
        fill_combo(self.language, [(name, code) for code, name in LANGUAGE_NAMES.items()])
        set_combo_data(self.language, i18n.get_language())
        self.poster = QCheckBox(_("as a &poster for the hall"))

        grid = QGridLayout()
        rows = [
            (_("Convocation"), self._convocation, _("Convocation"), self.poster),
            (_("Sign-in sheet"), self._sheet, _("Sign-in sheet"), None),
            (_("Minutes"), self._minutes, _("Minutes"), None),
        ]
        for row, (title, build, stem, extra) in enumerate(rows):
            label = QLabel(f"<b>{title}</b>")
            preview = QPushButton(_("Preview…"))
            printer = QPushButton(_("Print…"))
            save = QPushButton(_("Save as PDF…"))
            for button, name in ((preview, _("Preview")), (printer, _("Print")),
                                 (save, _("Save as PDF"))):
                button.setAccessibleName(f"{name} — {title}")
            preview.clicked.connect(lambda _c=False, b=build, t=title, s=stem:
                                    self._preview(b, t, s))
            printer.clicked.connect(lambda _c=False, b=build, t=title: self._print(b, t))
            save.clicked.connect(lambda _c=False, b=build, s=stem: self._save(b, s))
            grid.addWidget(label, row, 0)
            grid.addWidget(preview, row, 1)
            grid.addWidget(printer, row, 2)
            grid.addWidget(save, row, 3)
            if extra is not None:
                grid.addWidget(extra, row, 4)
        grid.setColumnStretch(5, 1)

        self.export_meeting = QPushButton(_("Export this meeting (.ics)…"))
        self.export_council = QPushButton(_("Export all the council's meetings (.ics)…"))
        self.export_meeting.clicked.connect(lambda: self._export_ics(whole_council=False))
        self.export_council.clicked.connect(lambda: self._export_ics(whole_council=True))

        language = QGridLayout()
        language.addWidget(QLabel(_("Language of the documents:")), 0, 0)
        language.addWidget(self.language, 0, 1)
        language.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Documents"), level=2))
        layout.addLayout(language)
        layout.addWidget(hint(_("Documents can be printed in French or English whatever the "
                                "language of the application.")))
        layout.addLayout(grid)
        layout.addWidget(section(_("Calendar")))
        layout.addWidget(hint(_("A calendar file opens in Outlook, Thunderbird, Google "
                                "Calendar or a phone. Exporting again updates the same "
                                "events instead of adding copies.")))
        layout.addWidget(self.export_meeting)
        layout.addWidget(self.export_council)
        layout.addStretch(1)

    def load(self, meeting_id: str | None) -> None:
        self.meeting_id = meeting_id
        self.setEnabled(meeting_id is not None)

    @property
    def lang(self) -> str:
        return self.language.currentData()

    # -- documents ---------------------------------------------------------------------

    def _convocation(self, meeting_id: str) -> bytes:
        from perr_desktop.reports import convocation

        return convocation.build(self.db, meeting_id, self.lang, poster=self.poster.isChecked())

    def _sheet(self, meeting_id: str) -> bytes:
        from perr_desktop.reports import attendance_sheet

        return attendance_sheet.build(self.db, meeting_id, self.lang)

    def _minutes(self, meeting_id: str) -> bytes:
        from perr_desktop.reports import minutes

        return minutes.build(self.db, meeting_id, self.lang)

    def _build(self, build: Callable[[str], bytes]) -> bytes | None:
        if self.meeting_id is None:
            return None
        self.saved.emit({"flush": True})
        meeting_id = self.meeting_id
        return run_document(self, lambda: build(meeting_id))

    def _stem(self, what: str) -> str:
        meeting = meetings.require_meeting(self.db, self.meeting_id)
        return file_stem(meeting, what)

    def _preview(self, build: Callable[[str], bytes], title: str, stem: str) -> None:
        pdf = self._build(build)
        if pdf is not None:
            PdfPreview(pdf, title, self._suggested(stem), self).exec()

    def _print(self, build: Callable[[str], bytes], title: str) -> None:
        pdf = self._build(build)
        if pdf is not None:
            with reporting(self):
                print_pdf(pdf, self, title)

    def _save(self, build: Callable[[str], bytes], stem: str) -> None:
        pdf = self._build(build)
        if pdf is not None:
            with reporting(self):
                save_pdf(pdf, self, self._suggested(stem))

    def _suggested(self, stem: str) -> str:
        return str(Path.home() / f"{self._stem(stem)}.pdf")

    # -- calendar ----------------------------------------------------------------------

    def _export_ics(self, whole_council: bool) -> None:
        if self.meeting_id is None:
            return
        from perr_desktop.services import calendar

        meeting = meetings.require_meeting(self.db, self.meeting_id)
        name = (f"{dt.date.today().isoformat()} {_('Meetings')}.ics" if whole_council
                else f"{self._stem(_('Meeting'))}.ics")
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Export to a calendar"), str(Path.home() / name),
            _("Calendar file (*.ics)"))
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() != ".ics":
            path = path.with_suffix(".ics")
        with reporting(self):
            if whole_council:
                calendar.export_council(self.db, meeting["council_id"], path, self.lang)
            else:
                calendar.export_meeting(self.db, self.meeting_id, path, self.lang)

    def flush(self) -> bool:
        return True
